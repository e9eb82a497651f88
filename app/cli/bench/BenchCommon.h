#pragma once
/// \file BenchCommon.h
/// What every `cdnet bench` shares (core/bench/BenchReport.h): `--json FILE`, the conditions line
/// near the start and the `result:` line at the very end.

#include "core/bench/BenchReport.h"

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

/// Adds `--json FILE` (the result line's keys as a JSON object) to \p cmd.
void addJsonOption(CLI::App& cmd, std::string& path);
/// Prints report.conditionsLine() on stdout.
void printConditions(const core::bench::Report& report);
/// Writes the JSON file (when \p jsonPath is set) and prints the result line as the last line.
void printResult(core::bench::Report& report, const std::string& jsonPath);

} // namespace cli
