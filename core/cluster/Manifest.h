#pragma once
/// \file Manifest.h
/// The task manifest of a cluster job: what each task of a Slurm job array runs, which slab range
/// it owns, which output pieces it writes and where its done marker goes. Written by
/// `cdnet submit` as manifest.json in the job's work directory, read by `cdnet task-run` on the
/// compute nodes and by `cdnet merge`. Plain data; any thread.
///
/// Paths of pieces, markers and logs are relative to the work directory (see WorkDir), so a
/// work directory can be inspected anywhere; task command lines hold absolute paths, because
/// they run on other machines with the work directory on a shared file system.

#include "core/cluster/SlabPlan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::cluster {

/// How pieces of one output are joined by `cdnet merge`.
enum class PieceType {
  Volume, ///< a volume of the task's owned slices; joined in z order into one volume
  Csv     ///< a table; concatenated (one header, comment lines once, rows sorted by id)
};
const char* toString(PieceType type);
/// Parses "volume" or "csv"; throws std::invalid_argument otherwise.
PieceType parsePieceType(const std::string& text);

/// One output of the job (for example the probability volume, or the particle table).
struct OutputSpec {
  std::string name;   ///< the option of the task command that names it, for example "--out"
  PieceType type = PieceType::Volume;
  std::string target; ///< where `cdnet merge` writes it by default (absolute; may be empty)
};

/// One task of the job array.
struct Task {
  int index = 0;                   ///< the Slurm array index (SLURM_ARRAY_TASK_ID)
  SlabRange slab;                  ///< slices it owns and may read
  std::vector<std::string> argv;   ///< the whole command line; argv[0] is the program
  std::vector<std::string> pieces; ///< one per OutputSpec, relative to the work directory
  std::string marker;              ///< the done marker, relative to the work directory
};

/// Resources asked of Slurm for each task. Empty or zero means "not asked" (the cluster's default).
struct SlurmOptions {
  int cpusPerTask = 1;                 ///< --cpus-per-task
  std::string mem;                     ///< --mem per task, Slurm syntax ("8G", "16000M")
  std::string time;                    ///< --time per task, Slurm syntax ("02:00:00", "1-00:00:00")
  int gpus = 0;                        ///< --gres=gpu:N when > 0
  std::string partition;               ///< --partition
  std::string account;                 ///< --account
  std::string qos;                     ///< --qos
  int maxParallel = 0;                 ///< array throttle: at most this many tasks at once ("%N")
  std::string jobName;                 ///< --job-name (default "cdnet-<kind>")
  std::vector<std::string> extraArgs;  ///< further sbatch options, each one "#SBATCH" line
  bool operator==(const SlurmOptions& o) const;
};

/// One call of sbatch: the job it made and the tasks it asked for.
struct Submission {
  std::string jobId;
  std::vector<int> tasks;
  std::string time; ///< ISO 8601, local time
};

/// The whole job.
struct Manifest {
  static constexpr int kFormatVersion = 1;
  std::string kind;                     ///< "predict", "analyze", ...: the cdnet command the tasks run
  std::string program;                  ///< the cdnet executable the tasks run (absolute)
  std::string input;                    ///< the input volume (absolute)
  std::string workingDirectory;         ///< where cdnet submit ran: tasks run there, so relative paths work
  std::int64_t begin = 0, end = 0;      ///< the z range the tasks tile
  std::int64_t halo = 0;                ///< slices each task reads beyond its borders
  std::vector<std::string> userArgs;    ///< the arguments given to cdnet submit after "--"
  std::vector<OutputSpec> outputs;
  std::vector<Task> tasks;              ///< ordered by index == position
  SlurmOptions slurm;
  std::vector<Submission> submissions;  ///< oldest first
  std::string created;                  ///< ISO 8601, local time
};

/// JSON text of \p m (pretty-printed, stable key order).
std::string toJson(const Manifest& m);
/// Parses JSON text. Throws std::runtime_error naming \p source (a file name, for messages) when the
/// text is not JSON, not a manifest, of a newer format version, or inconsistent (task indices out
/// of order, a piece count that does not match the outputs, slabs that do not tile [begin, end)).
Manifest manifestFromJson(const std::string& text, const std::string& source);

/// Local time now as ISO 8601 ("2024-05-01T13:45:10").
std::string isoTimeNow();

} // namespace core::cluster
