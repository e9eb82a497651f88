#pragma once
/// \file ClusterJob.h
/// Submitting the missing tasks of a work directory as one Slurm job array, and waiting for a job
/// by polling `scontrol show job` (no accounting daemon needed). The restart rule lives in
/// WorkDir: only tasks without a done marker are submitted, so finished pieces are never
/// recomputed and a task that died is rerun alone. Thread: one at a time per WorkDir.

#include "core/cluster/SlurmClient.h"
#include "core/cluster/WorkDir.h"
#include "core/jobs/Job.h"

#include <string>
#include <vector>

namespace core::cluster {

/// Tasks that an earlier submission of \p work still has pending or running (so they are not
/// submitted twice). Jobs Slurm has forgotten count as finished.
std::vector<int> activeTasks(const WorkDir& work, const SlurmClient& slurm);

struct SubmitResult {
  std::string jobId;               ///< empty when nothing was submitted (all done, all active, or dry run)
  std::vector<int> tasks;          ///< the tasks in the submitted (or, dry run, written) script
  std::vector<int> stillActive;    ///< missing tasks left out because an earlier job still runs them
  std::string script;              ///< the batch script text (also written to work.scriptPath())
};

/// Writes the batch script for the missing tasks of \p work that no earlier job still runs, and
/// (unless \p dryRun) submits it and records the submission in the manifest. When nothing is
/// missing, writes nothing and returns an empty result. Throws std::runtime_error with Slurm's
/// message when sbatch fails.
SubmitResult submitMissing(WorkDir& work, const SlurmClient& slurm, bool dryRun = false);

struct WaitOptions {
  double pollSeconds = 5;     ///< between two scontrol calls
  double timeoutSeconds = 0;  ///< give up (std::runtime_error) after this long; 0 = never
};

struct WaitResult {
  std::vector<int> done;    ///< tasks of the job that have their done marker
  std::vector<int> failed;  ///< tasks of the job that ended without one
  std::vector<ArrayTaskState> lastStates; ///< what scontrol said last (may be empty once purged)
};

/// Waits until no task of job \p jobId is pending or running, reporting progress (done markers of
/// \p tasks). Tolerates a controller that does not answer for a while (up to 2 minutes). Cancelling
/// throws core::jobs::Cancelled and leaves the job running on the cluster.
WaitResult waitForJob(const WorkDir& work, const SlurmClient& slurm, const std::string& jobId,
                      const std::vector<int>& tasks, const WaitOptions& opts, jobs::ProgressSink& progress,
                      jobs::CancelToken& cancel);

} // namespace core::cluster
