#pragma once
/// \file JobPlan.h
/// How a cdnet command is cut into slab tasks: the contract between `cdnet submit` and the
/// commands it distributes. A CommandSpec says where the command reads its input volume, how it
/// is told which slices to work on, and which options name its outputs. planJob() turns the
/// user's command line into one command line per slab, each writing its own pieces into the work
/// directory, and `cdnet merge` joins the pieces by their PieceType.
///
/// A command that wants to be distributed must, given `<sliceOption> z0:z1`, write exactly slices
/// [z0, z1) of each volume output (a volume of z1 - z0 slices), and only the rows it owns to each
/// CSV output. Pure functions; any thread.

#include "core/cluster/Manifest.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core::cluster {

/// One output of a distributed command.
struct OutputTemplate {
  std::string option;      ///< the option that names it, "--out"
  PieceType type = PieceType::Volume;
  std::string pieceExt;    ///< file extension of the pieces: ".h5" (the chunked working format), ".csv"
  bool required = false;   ///< the user must give it (else it is still written as a piece, merged on request)
};

struct CommandSpec {
  std::string name;                   ///< the cdnet subcommand, "predict"
  std::string inputOption;            ///< the option naming the input volume, "--input"
  std::string sliceOption;            ///< the option taking "z0:z1" (owned slices), "--slices"
  /// Further arguments per task; {z0} {z1} {readZ0} {readZ1} {halo} {task} are replaced by the
  /// task's values (for example {"--halo", "{halo}"} for a command that reads its own halo).
  std::vector<std::string> slabArgs;
  std::vector<OutputTemplate> outputs;
  std::int64_t defaultHalo = 0;       ///< slices of halo when the user gives none
};

/// The value of option \p name in \p args ("--name VALUE" or "--name=VALUE"); nullopt when absent.
std::optional<std::string> optionValue(const std::vector<std::string>& args, const std::string& name);
/// \p args without option \p name and its value.
std::vector<std::string> withoutOption(const std::vector<std::string>& args, const std::string& name);
/// Parses "A:B" (slices [A, B)); throws std::invalid_argument naming the text otherwise.
std::pair<std::int64_t, std::int64_t> parseSliceRange(const std::string& text);

/// What to plan.
struct PlanRequest {
  std::vector<std::string> userArgs; ///< the command's arguments as the user gave them
  std::string program;               ///< the cdnet executable the tasks run (absolute)
  std::string workingDirectory;      ///< where relative paths in userArgs are meant (absolute)
  std::string workDir;               ///< the job's work directory (pieces go to its pieces/ folder)
  std::int64_t depth = 0;            ///< slices of the input volume
  int tasks = 0;                     ///< number of tasks, or
  std::int64_t maxSlab = 0;          ///< at most this many slices per task
  std::optional<std::int64_t> halo;  ///< default: the spec's
  std::int64_t align = 1;            ///< see SlabSplit::align
};

/// The manifest of the job (no submissions yet). The slice range is the whole input, or the user's
/// own <sliceOption> range. Output options are taken out of the user's arguments (their values,
/// made absolute, become the merge targets) and each task gets its own pieces instead.
/// Throws std::invalid_argument with a clear message when the input option is missing, a required
/// output is missing, the user's slice range lies outside the volume, or the split is impossible.
Manifest planJob(const CommandSpec& spec, const PlanRequest& request);

} // namespace core::cluster
