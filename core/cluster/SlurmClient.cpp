#include "core/cluster/SlurmClient.h"

#include "core/cluster/Process.h"
#include "core/cluster/SlurmScript.h"

#include <sstream>
#include <stdexcept>

namespace core::cluster {

namespace {
const double kToolTimeout = 60; // seconds; a busy controller can be slow, a dead one never answers

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n')) ++i;
  return s.substr(i);
}

std::string failure(const std::string& what, const ProcessResult& r) {
  std::string msg = trim(r.err.empty() ? r.out : r.err);
  return what + " " + r.describe() + (msg.empty() ? "" : ": " + msg);
}
} // namespace

bool ArrayTaskState::active() const {
  for (const char* s : {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_FED",
                        "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD"})
    if (state == s) return true;
  return false;
}

std::vector<ArrayTaskState> parseScontrolJobs(const std::string& text) {
  std::vector<ArrayTaskState> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("JobId=") == std::string::npos) continue;
    ArrayTaskState st;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      const std::size_t eq = w.find('=');
      if (eq == std::string::npos) continue;
      const std::string key = w.substr(0, eq), value = w.substr(eq + 1);
      if (key == "JobId") st.jobId = value;
      else if (key == "JobState") st.state = value;
      else if (key == "Reason") st.reason = value;
      else if (key == "ExitCode") st.exitCode = value;
      else if (key == "ArrayTaskId") {
        try {
          st.tasks = parseArraySpec(value);
        } catch (const std::invalid_argument&) {
          st.tasks.clear(); // "N/A" on plain jobs
        }
      }
    }
    out.push_back(std::move(st));
  }
  return out;
}

std::string parseSbatchJobId(const std::string& text) {
  const std::string t = trim(text);
  std::string candidate = t.substr(0, t.find(';'));
  const std::size_t space = candidate.rfind(' ');
  if (space != std::string::npos) candidate = candidate.substr(space + 1);
  if (candidate.empty() || candidate.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("sbatch did not print a job id (it printed '" + t + "')");
  return candidate;
}

std::string SlurmClient::submit(const std::string& script, const std::vector<std::string>& args) const {
  std::vector<std::string> argv{m_tools.sbatch, "--parsable"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(script);
  const ProcessResult r = runCaptured(argv, kToolTimeout);
  if (!r.ok()) throw std::runtime_error(failure("sbatch", r));
  return parseSbatchJobId(r.out);
}

std::vector<ArrayTaskState> SlurmClient::query(const std::string& jobId) const {
  const ProcessResult r = runCaptured({m_tools.scontrol, "show", "job", "-o", jobId}, kToolTimeout);
  if (!r.ok()) {
    if ((r.err + r.out).find("Invalid job id") != std::string::npos) return {};
    throw std::runtime_error(failure("scontrol show job " + jobId, r));
  }
  return parseScontrolJobs(r.out);
}

void SlurmClient::cancel(const std::string& jobId) const {
  const ProcessResult r = runCaptured({m_tools.scancel, jobId}, kToolTimeout);
  if (!r.ok()) throw std::runtime_error(failure("scancel " + jobId, r));
}

} // namespace core::cluster
