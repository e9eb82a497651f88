#include "app/cli/support/MlCommon.h"
#include "app/cli/support/NumberChecks.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace cli {

void addDeviceOptions(CLI::App& cmd, DeviceArgs& args) {
  cmd.add_option("--device", args.device, "Where the network runs: auto (a CUDA GPU when present, else the CPU), cpu, "
                                          "cuda")
      ->capture_default_str()
      ->group("Device");
  cmd.add_option("--threads", args.threads, "CPU threads for the network (default: every core)")
      ->check(wholeIn(1, kMaxThreads))
      ->group("Device");
}

core::ml::LabelEncoding* parseLabelEncoding(const std::string& text, core::ml::LabelEncoding& storage) {
  if (text == "auto") return nullptr;
  if (text == "mask") storage = core::ml::LabelEncoding::BinaryMask;
  else if (text == "labels" || text == "convention") storage = core::ml::LabelEncoding::Convention;
  else throw std::invalid_argument("label encoding must be auto, mask or labels, not '" + text + "'");
  return &storage;
}

namespace {
core::jobs::CancelToken g_interrupt;
extern "C" void onInterrupt(int) {
  g_interrupt.cancel(); // a lock-free atomic store: safe in a signal handler
  std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends the process at once
}
} // namespace

core::jobs::CancelToken& interruptToken() {
  static const bool installed = [] {
    std::signal(SIGINT, onInterrupt);
    return true;
  }();
  (void)installed;
  return g_interrupt;
}

std::string formatDuration(double s) {
  char buf[64];
  if (!std::isfinite(s)) return "?";
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%d min %02d s", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %02d min", int(s) / 3600, (int(s) % 3600) / 60);
  return buf;
}

std::string formatMetric(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

} // namespace cli
