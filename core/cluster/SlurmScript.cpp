#include "core/cluster/SlurmScript.h"

#include "core/cluster/Process.h"
#include "core/cluster/WorkDir.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace core::cluster {

std::string arraySpec(std::vector<int> indices) {
  if (indices.empty()) throw std::invalid_argument("a job array needs at least one task");
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  if (indices.front() < 0) throw std::invalid_argument("array task indices cannot be negative");
  std::string s;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    if (!s.empty()) s += ',';
    s += std::to_string(indices[i]);
    if (j > i) s += '-' + std::to_string(indices[j]);
    i = j + 1;
  }
  return s;
}

std::vector<int> parseArraySpec(const std::string& specIn) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("invalid array specification '" + specIn + "': " + why);
  };
  std::string spec = specIn.substr(0, specIn.find('%'));
  if (spec.empty()) throw bad("empty");
  auto number = [&](const std::string& t) {
    if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) throw bad("'" + t + "' is not a number");
    try {
      return std::stoi(t);
    } catch (const std::exception&) {
      throw bad("'" + t + "' is too large");
    }
  };
  std::vector<int> out;
  std::stringstream ss(spec);
  std::string part;
  while (std::getline(ss, part, ',')) {
    int step = 1;
    const std::size_t colon = part.find(':');
    if (colon != std::string::npos) {
      step = number(part.substr(colon + 1));
      if (step < 1) throw bad("step must be at least 1");
      part = part.substr(0, colon);
    }
    const std::size_t dash = part.find('-');
    const int a = number(part.substr(0, dash));
    const int b = dash == std::string::npos ? a : number(part.substr(dash + 1));
    if (b < a) throw bad("range " + part + " runs backwards");
    if (b - a > 10000000) throw bad("range " + part + " is too large");
    for (int i = a; i <= b; i += step) out.push_back(i);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {
/// A path as the value of an #SBATCH directive: Slurm splits directives at white space unless the
/// value is in double quotes (it has no escape for a double quote itself).
std::string directivePath(const std::string& path) {
  if (path.find('"') != std::string::npos)
    throw std::invalid_argument("Slurm cannot use the path '" + path + "' (it holds a double quote)");
  if (path.find_first_of(" \t") == std::string::npos) return path;
  return "\"" + path + "\"";
}
} // namespace

std::string batchScript(const WorkDir& work, const std::vector<int>& tasks) {
  const Manifest& m = work.manifest();
  const SlurmOptions& s = m.slurm;
  std::ostringstream o;
  o << "#!/bin/bash\n"
    << "# Written by cdnet submit: one array task per slab range of " << shellQuote(m.input) << ".\n"
    << "# The tasks are listed in manifest.json next to this script. A task writes its done marker\n"
    << "# only when its pieces are complete; `cdnet submit --resume " << shellQuote(work.dir())
    << "` reruns the tasks without one.\n";
  o << "#SBATCH --job-name=" << (s.jobName.empty() ? "cdnet-" + m.kind : s.jobName) << "\n";
  std::string array = arraySpec(tasks);
  if (s.maxParallel > 0) array += "%" + std::to_string(s.maxParallel);
  o << "#SBATCH --array=" << array << "\n";
  o << "#SBATCH --ntasks=1\n";
  if (s.cpusPerTask > 0) o << "#SBATCH --cpus-per-task=" << s.cpusPerTask << "\n";
  if (!s.mem.empty()) o << "#SBATCH --mem=" << s.mem << "\n";
  if (!s.time.empty()) o << "#SBATCH --time=" << s.time << "\n";
  if (s.gpus > 0) o << "#SBATCH --gres=gpu:" << s.gpus << "\n";
  if (!s.partition.empty()) o << "#SBATCH --partition=" << s.partition << "\n";
  if (!s.account.empty()) o << "#SBATCH --account=" << s.account << "\n";
  if (!s.qos.empty()) o << "#SBATCH --qos=" << s.qos << "\n";
  for (const std::string& e : s.extraArgs) o << "#SBATCH " << e << "\n";
  const std::string log = directivePath(work.logsDir() + "/task-%a-job%A.out");
  o << "#SBATCH --output=" << log << "\n";
  o << "#SBATCH --error=" << log << "\n";
  o << "#SBATCH --chdir=" << directivePath(m.workingDirectory.empty() ? work.dir() : m.workingDirectory) << "\n";
  o << "\nset -euo pipefail\n"
    << "export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n"
    << "# Tasks never write the same file; HDF5's file locks fail on many shared file systems.\n"
    << "export HDF5_USE_FILE_LOCKING=\"${HDF5_USE_FILE_LOCKING:-FALSE}\"\n"
    << "echo \"cdnet task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname) at $(date -Is)\"\n"
    << "exec " << shellQuote(m.program) << " task-run " << shellQuote(work.manifestPath())
    << " \"$SLURM_ARRAY_TASK_ID\"\n";
  return o.str();
}

} // namespace core::cluster
