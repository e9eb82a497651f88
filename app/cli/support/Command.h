#pragma once
/// \file Command.h
/// Self-registering `cdnet` subcommands. Each file under app/cli defines a setup function that
/// adds its options and callback to the CLI11 subcommand it is given, and registers it:
///
///   static void setupInfo(CLI::App& cmd) { ... cmd.callback([...] { ... }); }
///   CDNET_COMMAND(info, "Print dimensions, type, spacing and value range of a volume", setupInfo)
///   CDNET_BENCH(io, "Read throughput against plain file reads", setupBenchIo)
///
/// Callbacks report failure by throwing (std::exception): main prints "cdnet: error: <what>" on
/// one line and exits 1. Long work shows a TerminalProgress on stderr.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cli {

using SetupFn = std::function<void(CLI::App&)>;

struct CommandEntry {
  std::string name, help;
  SetupFn setup;
};

/// Commands registered so far (static initialisation order; main sorts them by name).
std::vector<CommandEntry>& commands();
std::vector<CommandEntry>& benches();
bool registerCommand(const char* name, const char* help, SetupFn fn);
bool registerBench(const char* name, const char* help, SetupFn fn);

} // namespace cli

#define CDNET_COMMAND(name, help, fn) \
  static const bool cdnet_registered_command_##name = ::cli::registerCommand(#name, help, fn);
#define CDNET_BENCH(name, help, fn) \
  static const bool cdnet_registered_bench_##name = ::cli::registerBench(#name, help, fn);
