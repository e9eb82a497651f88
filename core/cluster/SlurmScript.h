#pragma once
/// \file SlurmScript.h
/// The Slurm batch script of a cluster job: one job array, one array task per slab range, each
/// running `cdnet task-run <manifest> $SLURM_ARRAY_TASK_ID`. Pure functions; any thread.

#include <string>
#include <vector>

namespace core::cluster {

class WorkDir;

/// A compact Slurm array specification of task indices: {0,1,2,3,5,7,8} -> "0-3,5,7-8".
/// Indices are sorted and deduplicated. Throws std::invalid_argument when empty or negative.
std::string arraySpec(std::vector<int> indices);
/// The indices of a specification such as "0-3,5,7-9" or "2-6:2" or "0-15%4" (the throttle is
/// ignored), increasing. Throws std::invalid_argument on malformed text.
std::vector<int> parseArraySpec(const std::string& spec);

/// The batch script that runs \p tasks of \p work as one job array. Directives (only those asked
/// for in the manifest's SlurmOptions): --job-name, --array (with "%N" when maxParallel > 0),
/// --cpus-per-task, --mem, --time, --gres=gpu:N (only when gpus > 0), --partition, --account,
/// --qos, the extra options, and --output/--error into the work directory's logs/ folder, one log
/// per task and submission (task-%a-job%A.out), --chdir to the manifest's working directory (where
/// cdnet submit ran, so relative paths in the command work). The script exports OMP_NUM_THREADS from the
/// CPUs per task, turns HDF5 file locking off unless set (it fails on many shared file systems, and
/// no two tasks write the same file) and runs the manifest's program with task-run.
std::string batchScript(const WorkDir& work, const std::vector<int>& tasks);

} // namespace core::cluster
