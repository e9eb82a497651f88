#pragma once
/// \file Demo.h
/// The headless demo pipeline (`cdnet demo`, run by `packaging/setup.sh demo` when there is no
/// display). It is a list of steps that register themselves, run in order, and share a
/// DemoContext: the phantom step writes the volume and records its files; later steps (predict,
/// analyse) read them and add their own. To add a step, put in its own file under app/cli:
///
///   static void predictStep(cli::DemoContext& ctx) { ... ctx.files["prediction"] = ...; }
///   CDNET_DEMO_STEP(200, predict, "Predict the cracks with CDNet", predictStep)
///
/// A step reports failure by throwing; the demo stops there.

#include "core/jobs/Job.h"
#include "core/phantom/Phantom.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cli {

/// What the steps share.
struct DemoContext {
  std::string outDir;                         ///< the --out folder
  core::phantom::PhantomOptions phantom;      ///< the demo volume (128^3 by default)
  std::map<std::string, std::string> files;   ///< named outputs of earlier steps ("image", "cracks", ...)
  double trainMinutes = 1.0;                  ///< time budget of the demo's training step
  int trainEpochs = 0;                        ///< > 0: train exactly this many epochs, no time budget
  core::jobs::ProgressSink* progress = nullptr;
  core::jobs::CancelToken* cancel = nullptr;
};

struct DemoStep {
  int order = 0;           ///< steps run by increasing order (phantom: 100)
  std::string name, help;
  std::function<void(DemoContext&)> run;
};

/// Steps registered so far (static initialisation order; the demo sorts them).
std::vector<DemoStep>& demoSteps();
bool registerDemoStep(int order, const char* name, const char* help, std::function<void(DemoContext&)> fn);

} // namespace cli

#define CDNET_DEMO_STEP(order, name, help, fn) \
  static const bool cdnet_registered_demo_step_##name = ::cli::registerDemoStep(order, #name, help, fn);
