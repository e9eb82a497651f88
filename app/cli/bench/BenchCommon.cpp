#include "app/cli/bench/BenchCommon.h"

#include <cstdio>
#include <filesystem>

namespace cli {

void addJsonOption(CLI::App& cmd, std::string& path) {
  cmd.add_option("--json", path, "Also write the keys of the final 'result:' line to this JSON file")
      ->type_name("FILE")
      ->check([](const std::string& p) -> std::string {
        // Checked before the benchmark runs, not after an hour of it.
        const std::filesystem::path folder = std::filesystem::absolute(p).parent_path();
        std::error_code ec;
        if (!std::filesystem::is_directory(folder, ec)) return "the folder of '" + p + "' does not exist";
        if (std::filesystem::is_directory(p, ec)) return "'" + p + "' is a folder";
        return {};
      });
}

void printConditions(const core::bench::Report& report) {
  std::printf("%s\n", report.conditionsLine().c_str());
  std::fflush(stdout);
}

void printResult(core::bench::Report& report, const std::string& jsonPath) {
  std::fflush(stderr);
  try {
    std::printf("%s\n", report.finish(jsonPath).c_str());
  } catch (...) {
    std::printf("%s\n", report.resultLine().c_str()); // the numbers are not lost; main reports the error
    std::fflush(stdout);
    throw;
  }
  std::fflush(stdout);
}

} // namespace cli
