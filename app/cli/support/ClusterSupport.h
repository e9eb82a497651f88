#pragma once
/// \file ClusterSupport.h
/// What `cdnet submit`, `cdnet task-run` and `cdnet merge` share: the table of commands that can
/// be distributed over a Slurm job array (how each is cut into slabs, which outputs it has) and
/// joining a finished job's pieces.

#include "core/cluster/JobPlan.h"
#include "core/cluster/WorkDir.h"
#include "core/jobs/Job.h"
#include "core/volume/io/VolumeIO.h"

#include <string>
#include <vector>

namespace cli {

/// The commands `cdnet submit` can distribute, by name; nullptr for others.
const core::cluster::CommandSpec* clusterCommand(const std::string& name);
/// Their names, for help and messages ("predict, analyze").
std::string clusterCommandNames();

/// Parses \p args with the options of cdnet \p command without running it, so that a typo fails at
/// submission, not in a thousand tasks on the cluster. Returns how the command will open its input
/// (the standard input options --format, --dataset, --raw-size, --raw-type, --big-endian,
/// --header-offset where the command has them), so that submit reads the same depth.
/// Throws std::runtime_error with CLI11's message.
/// \p what names the arguments in messages.
core::volume::OpenOptions checkCommandArguments(const std::string& command, const std::vector<std::string>& args,
                                                const std::string& what = "the arguments after '--'");

/// Which of \p options ("--slices", "--halo") cdnet \p command does not have.
std::vector<std::string> missingOptions(const std::string& command, const std::vector<std::string>& options);

/// The absolute path of the running cdnet executable.
std::string thisExecutable();

/// Where merged outputs go and how: the user's choices on `cdnet merge` (or the targets recorded
/// at submission when empty).
struct MergeChoices {
  std::string volumeOut;  ///< the first volume output
  std::string csvOut;     ///< the first CSV output
  std::string idColumn = "id";
  std::string ids = "auto"; ///< auto, keep, renumber
  bool compress = false;
};

/// Joins the pieces of every output of a finished job; prints one line per written file on stdout.
/// Throws std::runtime_error when tasks are missing (naming them and how to resume), when an output
/// has no destination, or when the pieces do not fit together.
void mergeJob(const core::cluster::WorkDir& work, const MergeChoices& choices, core::jobs::ProgressSink& progress);

/// "0-3,7" of task indices, for messages.
std::string taskList(const std::vector<int>& tasks);

} // namespace cli
