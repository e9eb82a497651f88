#include "core/cluster/ClusterJob.h"

#include "core/cluster/SlurmScript.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace core::cluster {

std::vector<int> activeTasks(const WorkDir& work, const SlurmClient& slurm) {
  std::set<int> active;
  for (const Submission& s : work.manifest().submissions) {
    for (const ArrayTaskState& st : slurm.query(s.jobId))
      if (st.active()) active.insert(st.tasks.begin(), st.tasks.end());
  }
  return {active.begin(), active.end()};
}

SubmitResult submitMissing(WorkDir& work, const SlurmClient& slurm, bool dryRun) {
  SubmitResult r;
  const std::vector<int> missing = work.missingTasks();
  if (missing.empty()) return r;
  std::vector<int> active;
  if (!dryRun && !work.manifest().submissions.empty()) active = activeTasks(work, slurm);
  for (int t : missing) {
    if (std::binary_search(active.begin(), active.end(), t)) r.stillActive.push_back(t);
    else r.tasks.push_back(t);
  }
  if (r.tasks.empty()) return r;
  r.script = batchScript(work, r.tasks);
  writeFileAtomically(work.scriptPath(), r.script);
  if (dryRun) return r;
  r.jobId = slurm.submit(work.scriptPath());
  work.manifest().submissions.push_back({r.jobId, r.tasks, isoTimeNow()});
  work.save();
  return r;
}

WaitResult waitForJob(const WorkDir& work, const SlurmClient& slurm, const std::string& jobId,
                      const std::vector<int>& tasks, const WaitOptions& opts, jobs::ProgressSink& progress,
                      jobs::CancelToken& cancel) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  auto lastAnswer = clock::now();
  const double maxSilence = 120; // seconds without an answer from the controller before giving up
  WaitResult r;
  while (true) {
    cancel.throwIfCancelled();
    bool answered = true;
    std::string error;
    try {
      r.lastStates = slurm.query(jobId);
    } catch (const std::runtime_error& e) {
      answered = false;
      error = e.what();
    }
    const auto now = clock::now();
    if (answered) lastAnswer = now;
    else if (std::chrono::duration<double>(now - lastAnswer).count() > maxSilence)
      throw std::runtime_error("lost contact with Slurm while waiting for job " + jobId + ": " + error);

    std::size_t done = 0;
    for (int t : tasks)
      if (work.status(t) == TaskStatus::Done) ++done;
    int running = 0, pending = 0;
    bool anyActive = !answered;
    for (const ArrayTaskState& st : r.lastStates) {
      if (!st.active()) continue;
      anyActive = true;
      if (st.state == "RUNNING" || st.state == "COMPLETING") running += int(st.tasks.empty() ? 1 : st.tasks.size());
      else pending += int(st.tasks.empty() ? 1 : st.tasks.size());
    }
    progress.setProgress(tasks.empty() ? 0.0 : std::min(0.999, double(done) / double(tasks.size())),
                         "job " + jobId + ": " + std::to_string(done) + " of " + std::to_string(tasks.size()) +
                             " tasks done, " + std::to_string(running) + " running, " + std::to_string(pending) +
                             " pending");
    if (!anyActive) break;
    if (opts.timeoutSeconds > 0 && std::chrono::duration<double>(now - start).count() > opts.timeoutSeconds)
      throw std::runtime_error("job " + jobId + " still runs after " + std::to_string(int(opts.timeoutSeconds)) +
                               " s; it goes on in the background (cdnet submit --status " + work.dir() + ")");
    // Sleep in small steps so that cancelling is quick.
    const auto until = clock::now() + std::chrono::duration<double>(opts.pollSeconds);
    while (clock::now() < until) {
      cancel.throwIfCancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  for (int t : tasks) (work.status(t) == TaskStatus::Done ? r.done : r.failed).push_back(t);
  return r;
}

} // namespace core::cluster
