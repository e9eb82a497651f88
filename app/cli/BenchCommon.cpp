#include "BenchCommon.h"

#include <cstdio>

namespace cli {

void addJsonOption(CLI::App& cmd, std::string& path) {
  cmd.add_option("--json", path, "Also write the keys of the final 'result:' line to this JSON file");
}

void printConditions(const core::bench::Report& report) {
  std::printf("%s\n", report.conditionsLine().c_str());
  std::fflush(stdout);
}

void printResult(core::bench::Report& report, const std::string& jsonPath) {
  const std::string line = report.finish(jsonPath);
  std::fflush(stderr);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

} // namespace cli
