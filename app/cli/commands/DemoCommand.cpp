// cdnet demo: the headless demo pipeline, made of self-registering steps (Demo.h).
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/commands/Demo.h"
#include "app/cli/support/TerminalProgress.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace cli {

std::vector<DemoStep>& demoSteps() {
  static std::vector<DemoStep> steps;
  return steps;
}

bool registerDemoStep(int order, const char* name, const char* help, std::function<void(DemoContext&)> fn) {
  demoSteps().push_back({order, name, help, std::move(fn)});
  return true;
}

} // namespace cli

namespace {

struct DemoArgs {
  std::string out = "demo", preset = "realistic";
  std::uint64_t seed = 1;
  std::int64_t size = 128;
  double trainMinutes = 1.0;
  int trainEpochs = 0;
};

void setupDemo(CLI::App& cmd) {
  auto args = std::make_shared<DemoArgs>();
  auto ordered = cli::demoSteps();
  std::stable_sort(ordered.begin(), ordered.end(), [](const cli::DemoStep& a, const cli::DemoStep& b) { return a.order < b.order; });
  std::string steps;
  for (const auto& s : ordered) steps += "\n  " + s.name + ": " + s.help;
  cmd.description("The headless demo pipeline: generates a synthetic cathode volume with its ground truth and runs "
                  "every demo step on it, printing what each made and where. Steps:" + steps);
  cmd.add_option("--out", args->out, "Output folder (created if missing)")->capture_default_str();
  cmd.add_option("--seed", args->seed, "Seed of the demo phantom")->capture_default_str()->check(cli::kSeed);
  cmd.add_option("--preset", args->preset, "Phantom preset: realistic or simple")
      ->capture_default_str()
      ->check(CLI::IsMember({"realistic", "simple"}));
  cmd.add_option("--size", args->size, "Edge of the cubic demo phantom, voxels")->capture_default_str()->check(cli::wholeIn(16, 2048));
  cmd.add_option("--train-minutes", args->trainMinutes, "Time budget of the demo's training step, minutes")
      ->capture_default_str()
      ->check(cli::numberIn(0.05, 600));
  cmd.add_option("--train-epochs", args->trainEpochs,
                 "Train for exactly this many epochs instead of a time budget (the same result on any machine)")
      ->check(cli::wholeIn(1, 100000))
      ->excludes("--train-minutes");
  cmd.callback([args] {
    auto steps = cli::demoSteps();
    std::stable_sort(steps.begin(), steps.end(), [](const cli::DemoStep& a, const cli::DemoStep& b) { return a.order < b.order; });
    cli::DemoContext ctx;
    ctx.outDir = args->out;
    ctx.phantom.size = {args->size, args->size, args->size};
    ctx.phantom.seed = args->seed;
    ctx.phantom.preset = core::phantom::parsePreset(args->preset);
    ctx.trainMinutes = args->trainMinutes;
    ctx.trainEpochs = args->trainEpochs;
    core::jobs::CancelToken cancel;
    ctx.cancel = &cancel;
    std::printf("cdnet demo: %zu step%s, output in %s\n", steps.size(), steps.size() == 1 ? "" : "s", args->out.c_str());
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      std::printf("[%zu/%zu] %s: %s\n", i + 1, steps.size(), steps[i].name.c_str(), steps[i].help.c_str());
      std::fflush(stdout);
      cli::TerminalProgress progress(steps[i].name);
      ctx.progress = &progress;
      steps[i].run(ctx);
      progress.done();
      std::fflush(stdout);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("cdnet demo: done in %.1f s.", s);
    const auto preview = ctx.files.find("preview");
    if (preview != ctx.files.end()) std::printf(" Look at %s (a slice, its crack mask and the particles).", preview->second.c_str());
    std::printf("\n");
  });
}

} // namespace

CDNET_COMMAND(demo, "Run the headless demo pipeline on a synthetic cathode volume", setupDemo)
