#pragma once
/// \file NumberChecks.h
/// Valid ranges of the numeric options of every `cdnet` command, as CLI11 validators whose
/// messages read well: CLI11 prints "--tile: must be a whole number from 64 to 16384, not '0'"
/// and exits non-zero before any work. (CLI11's own Range prints doubles as 0.000000 and
/// 1.79e308 written out.) Apply them with ->check(...); on a list option each element is checked.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace cli {

/// A whole number from \p lo to \p hi (inclusive).
CLI::Validator wholeIn(std::int64_t lo, std::int64_t hi);
/// A finite number from \p lo to \p hi; an open end excludes its bound ("above 0").
CLI::Validator numberIn(double lo, double hi, bool loOpen = false, bool hiOpen = false);

/// Reads "MIN,MAX" (two numbers, a comma between them, nothing after) into \p lo and \p hi;
/// false when \p text is not that. The caller checks the bounds and names its option.
bool parseMinMax(const std::string& text, double& lo, double& hi);

/// The limits the commands share.
constexpr int kMaxThreads = 1024;      ///< --threads (the default, every core, is the usual choice)
constexpr std::int64_t kMaxEdge = 1 << 20; ///< a volume's side in voxels
/// --seed: any whole number from 0 (a negative one would wrap around silently).
const CLI::Validator kSeed = wholeIn(0, std::numeric_limits<std::int64_t>::max());

} // namespace cli
