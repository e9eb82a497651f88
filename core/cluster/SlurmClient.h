#pragma once
/// \file SlurmClient.h
/// Talking to Slurm through its command-line tools: sbatch to submit, `scontrol show job` to
/// follow a job (works without an accounting daemon, unlike sacct), scancel to stop it.
/// Every call runs a program with a time limit and throws std::runtime_error with Slurm's own
/// message when it fails. Any thread; calls block.

#include <string>
#include <vector>

namespace core::cluster {

/// The state of one array task (or of a group of pending tasks that Slurm still lists as one).
struct ArrayTaskState {
  std::string jobId;       ///< Slurm's JobId of this record
  std::vector<int> tasks;  ///< array indices it covers (one, or several for a pending group)
  std::string state;       ///< JobState: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
  std::string reason;      ///< Reason (why pending, or why it ended)
  std::string exitCode;    ///< ExitCode "code:signal"
  /// True while the task may still run: pending, configuring, running, completing, suspended, requeued.
  bool active() const;
};

/// Parses the one-line-per-record output of `scontrol show job -o`. Records that are not array
/// tasks are returned with an empty task list.
std::vector<ArrayTaskState> parseScontrolJobs(const std::string& text);
/// The job id in sbatch's output: "123", "123;cluster" (--parsable) or "Submitted batch job 123".
/// Throws std::runtime_error quoting the text when there is none.
std::string parseSbatchJobId(const std::string& text);

class SlurmClient {
public:
  /// Program names or paths of the Slurm tools (tests may point them elsewhere).
  struct Tools {
    std::string sbatch = "sbatch", scontrol = "scontrol", scancel = "scancel";
  };
  SlurmClient() = default;
  explicit SlurmClient(Tools tools) : m_tools(std::move(tools)) {}

  /// Submits \p script (sbatch --parsable [args] script); returns the job id.
  std::string submit(const std::string& script, const std::vector<std::string>& args = {}) const;
  /// The records of job \p jobId; empty when Slurm no longer knows it (finished and purged).
  std::vector<ArrayTaskState> query(const std::string& jobId) const;
  /// Cancels job \p jobId (all its array tasks).
  void cancel(const std::string& jobId) const;

private:
  Tools m_tools;
};

} // namespace core::cluster
