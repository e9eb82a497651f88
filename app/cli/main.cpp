// cdnet: the command line of CDNet Studio. Subcommands register themselves (Command.h).
#include "app/cli/support/Command.h"

#include "core/jobs/Job.h"
#include "core/jobs/Warning.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <malloc.h>

namespace cli {

std::vector<CommandEntry>& commands() {
  static std::vector<CommandEntry> list;
  return list;
}
std::vector<CommandEntry>& benches() {
  static std::vector<CommandEntry> list;
  return list;
}
bool registerCommand(const char* name, const char* help, SetupFn fn) {
  commands().push_back({name, help, std::move(fn)});
  return true;
}
bool registerBench(const char* name, const char* help, SetupFn fn) {
  benches().push_back({name, help, std::move(fn)});
  return true;
}

} // namespace cli

int main(int argc, char** argv) {
  // Keep large buffers in the heap between forward passes instead of returning them to the
  // kernel each time (platform facts: ~1.5x faster LibTorch inference on CPU).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, -1);
  // Warnings from core (a header's spacing replaced, a damaged best.pt passed over) on stderr.
  core::jobs::setWarningHandler(
      [](const std::string& message) { std::fprintf(stderr, "cdnet: warning: %s\n", message.c_str()); });

  CLI::App app{"cdnet: crack detection and analysis in X-ray tomography of battery cathodes.\n"
               "Every command has --help.",
               "cdnet"};
  app.set_version_flag("--version", std::string("cdnet ") + CDNET_VERSION +
                                        "\nLicense: MIT (LICENSE; third-party notices in THIRD-PARTY-NOTICES)");
  app.require_subcommand(1);

  auto byName = [](const cli::CommandEntry& a, const cli::CommandEntry& b) { return a.name < b.name; };
  std::sort(cli::commands().begin(), cli::commands().end(), byName);
  std::sort(cli::benches().begin(), cli::benches().end(), byName);
  for (auto& c : cli::commands()) c.setup(*app.add_subcommand(c.name, c.help));
  if (!cli::benches().empty()) {
    CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print measured numbers and ratios");
    bench->require_subcommand(1);
    for (auto& b : cli::benches()) b.setup(*bench->add_subcommand(b.name, b.help));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const core::jobs::Cancelled&) {
    std::fprintf(stderr, "cdnet: cancelled\n");
    return 130;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\ncdnet: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
