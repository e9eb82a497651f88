// cdnet pretrain: the starter model (core/ml/StarterModel.h), trained on realistic phantoms of
// several seeds for a fixed number of steps, so that the same command and seed give the same
// model on any CPU (models/README.md quotes the command that made the shipped one).
#include "app/cli/bench/BenchBaselines.h"
#include "app/cli/bench/BenchTraining.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/RecipeOptions.h"

#include "core/ml/Model.h"
#include "core/ml/StarterModel.h"
#include "core/ml/Trainer.h"
#include "core/phantom/Phantom.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace cli {

namespace {

using namespace core::ml;
namespace fs = std::filesystem;

struct PretrainArgs {
  std::string out, keep;
  std::uint64_t seed = 1;
  int phantoms = 6, size = 256, slices = 24, baseWidth = kStarterBaseWidth, epochs = 60, iterations = 40, batch = 8,
      crop = 128, threads = 0;
  double learningRate = 1e-3;
  core::ml::AugmentOptions augment; // the defaults; --aug-scale sets its magnification
};

/// The phantoms the starter model learns from: realistic ones of varied seeds, every third one a
/// low-signal scan.
core::phantom::PhantomOptions phantomFor(const PretrainArgs& a, int i) {
  core::phantom::PhantomOptions po = core::phantom::presetOptions(core::phantom::PhantomPreset::Realistic);
  po.size = {a.size, a.size, 2 * a.slices};
  po.seed = a.seed * 1000 + std::uint64_t(i);
  po.lowSignal = i % 3 == 2;
  return po;
}

void runPretrain(const PretrainArgs& a) {
  resolveDevice(DeviceRequest::Cpu, a.threads);
  TrainingData data;
  for (int i = 0; i < a.phantoms; ++i) {
    const auto po = phantomFor(a, i);
    const core::phantom::Phantom ph = core::phantom::generatePhantom(po);
    const std::string name = "phantom seed " + std::to_string(po.seed);
    TrainingData d = everySecondSlice(ph, a.slices, name); // the last phantom validates
    std::printf("phantom %d of %d (seed %llu%s): %zu slices, %.2f%% crack\n", i + 1, a.phantoms,
                static_cast<unsigned long long>(po.seed), po.lowSignal ? ", low signal" : "", d.slices.size(),
                100.0 * double(d.crackCount()) / double(std::max<std::int64_t>(1, d.labelledCount())));
    for (auto& s : d.slices) data.slices.push_back(std::move(s));
  }
  const fs::path dir = a.keep.empty() ? fs::temp_directory_path() / ("cdnet-pretrain-" + std::to_string(::getpid()))
                                      : fs::path(a.keep);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      if (!p.empty()) fs::remove_all(p, ec);
    }
  } cleanup{a.keep.empty() ? dir : fs::path()};

  TrainOptions o;
  o.model = ModelOptions::paper(a.baseWidth);
  o.epochs = a.epochs;
  o.iterationsPerEpoch = a.iterations;
  o.batch = a.batch;
  o.crop = a.crop;
  o.learningRate = a.learningRate;
  // The last phantom's slices validate (they are the last slices of the data).
  o.valFraction = 1.0 / double(a.phantoms);
  o.device = DeviceRequest::Cpu;
  o.cpuThreads = a.threads;
  o.seed = a.seed;
  o.outDir = dir.string();
  o.checkpointEvery = 0;
  o.augment = a.augment;
  o.augment.elastic = 0; // the recipe the shipped starter model was made with: the command reproduces it
  const TrainResult r = trainWithEpochLines(o, data, interruptToken());
  const Model best = Model::load(r.bestCheckpoint, {DeviceRequest::Cpu, a.threads});
  best.saveCheckpoint(a.out); // weights only: small, and fine-tuned from, not resumed
  double bestDice = 0;
  for (const auto& e : r.history) bestDice = std::max(bestDice, e.hasValidation ? e.valDice : 0.0);
  std::printf("wrote %s (%.1f MB, base width %d, %lld parameters): best validation Dice %.4f after %d epochs of %d "
              "steps\n",
              a.out.c_str(), double(fs::file_size(a.out)) / 1e6, a.baseWidth, static_cast<long long>(best.parameterCount()),
              bestDice, r.history.empty() ? 0 : r.history.back().epoch, a.iterations);
}

void setupPretrain(CLI::App& cmd) {
  auto a = std::make_shared<PretrainArgs>();
  cmd.add_option("--out", a->out, "The model file to write (the shipped one is models/starter-b16.pt)")->required();
  cmd.add_option("--seed", a->seed, "Seed of the phantoms and the run; the same seed gives the same model")
      ->capture_default_str()
      ->check(kSeed);
  cmd.add_option("--phantoms", a->phantoms, "Phantoms to learn from (the last one validates)")
      ->capture_default_str()
      ->check(wholeIn(2, 1000));
  cmd.add_option("--size", a->size, "Phantom slice side")->capture_default_str()->check(wholeIn(64, 2048));
  cmd.add_option("--slices", a->slices, "Slices taken from each phantom (every second one)")
      ->capture_default_str()
      ->check(wholeIn(1, 2048));
  cmd.add_option("--base-width", a->baseWidth, "Base width of the network")->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--epochs", a->epochs, "Epochs")->capture_default_str()->check(wholeIn(1, 100000));
  cmd.add_option("--iterations-per-epoch", a->iterations, "Steps per epoch")->capture_default_str()->check(wholeIn(1, 100000));
  cmd.add_option("--batch", a->batch, "Crops per step")->capture_default_str()->check(wholeIn(1, 4096));
  cmd.add_option("--crop-size", a->crop, "Crop side")->capture_default_str()->check(wholeIn(32, 8192));
  cmd.add_option("--lr", a->learningRate, "Adam learning rate")->capture_default_str()->check(numberIn(0, 1, true));
  addScaleOption(cmd, a->augment);
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core); the same seed and threads give the same model")
      ->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--keep", a->keep, "Keep the run's checkpoints in this folder");
  cmd.callback([a] { runPretrain(*a); });
}

} // namespace

CDNET_COMMAND(pretrain, "Train the starter model on realistic phantoms (reproducible from --seed)", setupPretrain)

} // namespace cli
