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
#include <utility>
#include <vector>

namespace core::cluster {

/// One output of a distributed command.
struct OutputTemplate {
  std::string option;      ///< the option that names it, "--out" (or a name for messages when positional)
  PieceType type = PieceType::Volume;
  std::string pieceExt;    ///< file extension of the pieces: ".h5" (the chunked working format), ".csv"
  bool required = false;   ///< the user must give it (an optional one is produced only when the user gives it)
  int position = -1;       ///< when >= 0: the index of the positional argument that names it (not an option)
};

struct CommandSpec {
  std::string name;                   ///< the cdnet subcommand, "predict"
  std::string inputOption;            ///< the option naming the input volume, "--input"
  int inputPosition = -1;             ///< or: the index of the positional argument naming it
  std::string sliceOption;            ///< the option taking "z0:z1" (owned slices), "--slices"; may be empty
  /// Further arguments per task; {z0} {z1} {count} (z1 - z0) {readZ0} {readZ1} {halo} {task} are
  /// replaced by the task's values (for example {"--halo", "{halo}"} for a command that reads its
  /// own halo, or {"--crop", "0,0,{z0},0,0,{count}"}).
  std::vector<std::string> slabArgs;
  /// Options the user may not give, each with the reason ("it would change which slices a task covers").
  std::vector<std::pair<std::string, std::string>> refusedOptions;
  std::vector<OutputTemplate> outputs;
  std::int64_t defaultHalo = 0;       ///< slices of halo when the user gives none
};

/// The value of option \p name in \p args ("--name VALUE" or "--name=VALUE"); nullopt when absent.
std::optional<std::string> optionValue(const std::vector<std::string>& args, const std::string& name);
/// \p args without option \p name and its value.
std::vector<std::string> withoutOption(const std::vector<std::string>& args, const std::string& name);
/// Parses "A:B" (slices [A, B)); throws std::invalid_argument naming the text otherwise.
std::pair<std::int64_t, std::int64_t> parseSliceRange(const std::string& text);

/// The input volume named in \p args (the user's arguments); nullopt when absent. Positional
/// arguments must come first, before any option.
std::optional<std::string> inputArgument(const CommandSpec& spec, const std::vector<std::string>& args);

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
/// own <sliceOption> range. Outputs are taken out of the user's arguments (their values, made
/// absolute, become the merge targets) and each task gets its own pieces instead. When the spec
/// has positional arguments, they must come first in the user's arguments.
/// Throws std::invalid_argument with a clear message when the input is missing, a required output
/// is missing, a refused option is given, the user's slice range lies outside the volume, or the
/// split is impossible.
Manifest planJob(const CommandSpec& spec, const PlanRequest& request);

} // namespace core::cluster
