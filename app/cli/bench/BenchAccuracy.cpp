// cdnet bench accuracy: train a base-16 CDNet on the CPU within a time budget on phantom slices,
// then compare Dice, clDice and boundary F1 on slices of another, unseen phantom against three
// baselines tuned on the same training slices (best global threshold, black top-hat, Hessian
// ridge filter) and an Otsu threshold as a reference (CDNET.md: a grey-value threshold marks pores
// and binder as crack). It also splits the true crack voxels by how much darker they are than
// the solid around them (CrackVisibility.h) and prints the model's recall in each class.
#include "app/cli/bench/BenchBaselines.h"
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/bench/BenchThreshold.h"
#include "app/cli/bench/BenchTraining.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/RecipeOptions.h"
#include "core/analysis/CrackVisibility.h"

#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/phantom/Phantom.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

struct BenchAccuracyArgs {
  double minutes = 15;
  int size = 256, trainSlices = 48, testSlices = 16, baseWidth = 16, batch = 8, crop = 128, threads = 0;
  int context = 0;        ///< 2.5D: neighbour slices on each side (0 = the paper's 2D network)
  bool triPlanar = false; ///< also score tri-planar fusion (XY, XZ and YZ averaged), with and without TTA
  double learningRate = 1e-3;
  std::uint64_t seed = 1;
  std::int64_t steps = 0; // > 0: a step budget instead of --minutes (equal work on a busy machine)
  std::string keep, json, init;
  std::string loss = toString(TrainOptions{}.loss), lrSchedule = toString(TrainOptions{}.lrSchedule);
  TrainOptions recipe; // the recipe flags (RecipeOptions.h); the rest of it is set here
};

core::phantom::Phantom makePhantom(int size, int slices, std::uint64_t seed) {
  core::phantom::PhantomOptions po;
  po.size = {size, size, slices};
  po.seed = seed;
  return core::phantom::generatePhantom(po);
}

/// What the model finds by how visible the true cracks are (CrackVisibility.h): the share of the
/// truth in each darkening class and the model's recall there.
void printVisibility(const core::analysis::CrackVisibility& v, core::bench::Report& report) {
  std::printf("\ntrue crack voxels of the unseen slices by darkening (grey below the solid around them, over the "
              "particle-pore contrast; local noise sd %.3f of it):\n",
              v.noise);
  for (const core::analysis::VisibilityBin& b : v.bins) {
    char range[64];
    if (std::isinf(b.low)) std::snprintf(range, sizeof range, "below %.2f", b.high);
    else if (std::isinf(b.high)) std::snprintf(range, sizeof range, "%.2f and more", b.low);
    else std::snprintf(range, sizeof range, "%.2f to %.2f", b.low, b.high);
    std::printf("  %-15s %5.1f%% of the truth, model recall %.3f\n", range,
                v.truthVoxels ? 100.0 * double(b.truthVoxels) / double(v.truthVoxels) : 0.0, b.recall());
  }
  std::printf("  faint (darkening below 0.2, about the noise): %.1f%% of the truth, recall %.3f; clear (0.3 and more): "
              "recall %.3f\n",
              100.0 * v.shareBelow(0.2), v.recallBelow(0.2), v.recallFrom(0.3));
  report.set("faint_share", v.shareBelow(0.2));
  report.set("faint_recall", v.recallBelow(0.2));
  report.set("clear_recall", v.recallFrom(0.3));
  report.set("noise_sd", v.noise);
}

void runBenchAccuracy(const BenchAccuracyArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  resolveDevice(DeviceRequest::Cpu, a.threads); // sets LibTorch's threads for the whole run
  core::bench::Report report("accuracy");
  report.set("threads", cpuThreads());
  report.set("minutes", a.steps > 0 ? 0.0 : a.minutes);
  report.set("steps_budget", a.steps);
  report.set("size", a.size);
  report.set("base_width", a.baseWidth);
  report.set("mode", a.init.empty() ? "scratch" : "fine-tune");
  report.set("loss", a.loss);
  report.set("lr_schedule", a.lrSchedule);
  report.set("context", a.context);
  // Training slices every second slice of one phantom; test slices from another phantom.
  const core::phantom::Phantom train = makePhantom(a.size, 2 * a.trainSlices, a.seed);
  const core::phantom::Phantom test = makePhantom(a.size, a.testSlices, a.seed + 1000);
  const TrainingData data = everySecondSlice(train, a.trainSlices, "phantom"); // the baselines' (2D)
  std::printf("phantom %d x %d: %d training slices (seed %llu, %.2f%% crack), %d unseen test slices (seed %llu)\n",
              a.size, a.size, a.trainSlices, static_cast<unsigned long long>(a.seed),
              100.0 * double(data.crackCount()) / double(data.labelledCount()), a.testSlices,
              static_cast<unsigned long long>(a.seed + 1000));
  if (a.context > 0)
    std::printf("2.5D: the network sees each slice with its %d neighbour slice(s) on each side (the odd slices of the "
                "training phantom are context only; the test phantom's ends are mirrored)\n",
                a.context);
  if (a.steps > 0) std::printf("the budget is %lld optimiser steps (equal work however busy the machine)\n", static_cast<long long>(a.steps));
  else std::printf("the time budget is wall time: other work on this machine slows training\n");
  printConditions(report);

  const fs::path dir = a.keep.empty() ? fs::temp_directory_path() / ("cdnet_bench_accuracy_" + std::to_string(::getpid()))
                                      : fs::path(a.keep);
  TrainOptions o = a.recipe; // the product's defaults and the recipe flags, plus the benchmark's settings
  o.model = ModelOptions::paper(a.baseWidth);
  o.model.contextSlices = a.context;
  o.epochs = 0;
  o.maxMinutes = a.steps > 0 ? 0.0 : a.minutes;
  o.maxSteps = a.steps;
  o.batch = a.batch;
  o.crop = a.crop;
  o.learningRate = a.learningRate;
  o.loss = parseLossKind(a.loss);
  o.lrSchedule = parseLrSchedule(a.lrSchedule);
  o.valFraction = 0.125;
  o.device = DeviceRequest::Cpu;
  o.cpuThreads = a.threads;
  o.seed = a.seed;
  o.outDir = dir.string();
  o.checkpointEvery = 0;
  o.fineTuneFrom = a.init;
  const TrainResult r =
      trainWithEpochLines(o, a.context > 0 ? everySecondSlice(train, a.trainSlices, "phantom", a.context) : data);

  const Model model = Model::load(r.bestCheckpoint, {DeviceRequest::Cpu, a.threads});
  Predictor predictor(model);
  const Volume probs = predictor.predict(test.image, 0, a.testSlices);
  EvaluationOptions eo;
  eo.truth = TruthEncoding::BinaryMask;
  const ThresholdScores thresholds = scoreThresholds(calibrationOf(model), probs, test.cracks, eo);
  const Evaluation cdnet = thresholds.atHalf; // at 0.5, the product's default (the calibrated one is reported beside it)

  // Otsu baseline: cracks are dark, so "crack" is the class below the threshold.
  std::vector<float> values(std::size_t(test.image.voxelCount()));
  const Volume asFloat = test.image.convertTo(VoxelType::Float32);
  std::copy(asFloat.as<float>(), asFloat.as<float>() + values.size(), values.begin());
  const double t = otsuThreshold(values);
  Volume otsu(test.image.size(), VoxelType::UInt8);
  for (std::size_t i = 0; i < values.size(); ++i) otsu.as<std::uint8_t>()[i] = values[i] < t ? 1 : 0;
  BenchScore otsuScore{"otsu", "Otsu threshold (reference)", "", -1, evaluate(otsu, test.cracks, eo)};
  otsuScore.settings = "grey < " + std::to_string(int(std::lround(t)));
  const Evaluation& baseline = otsuScore.eval;
  std::printf("\nbaselines tuned on the %zu training slices (Dice on their labels):\n", data.slices.size());
  const std::vector<BenchScore> baselines = scoreBaselines(data, test.image, test.cracks, eo);
  if (a.keep.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int epochs = r.history.empty() ? 0 : r.history.back().epoch;
  const double trainMinutes = r.history.empty() ? 0.0 : r.history.back().elapsedSeconds / 60.0;
  BenchScore modelScore{"model", "CDNet base " + std::to_string(a.baseWidth), "", -1, cdnet};
  modelScore.settings = std::to_string(epochs) + " epochs in " + formatDuration(trainMinutes * 60) + " on the CPU";
  std::printf("\nunseen phantom slices (%d of %d x %d; BF1 = boundary F1, rF1 = relaxed F1, both at 1 voxel):\n",
              a.testSlices, a.size, a.size);
  // The model predicting with TTA (the 8 flips and rotations, averaged) and, with --tri-planar,
  // with tri-planar fusion, plain and with TTA.
  auto scoreWith = [&](const char* key, const char* suffix, bool tta, bool triPlanar) {
    PredictOptions po;
    po.tta = tta;
    po.triPlanar = triPlanar;
    return BenchScore{key, modelScore.label + suffix, modelScore.settings, -1,
                      evaluate(Predictor(model, po).predict(test.image, 0, a.testSlices), test.cracks, eo)};
  };
  std::vector<BenchScore> variants{scoreWith("model_tta", " + TTA", true, false)};
  if (a.triPlanar) {
    variants.push_back(scoreWith("model_tri", " + tri-planar", false, true));
    variants.push_back(scoreWith("model_tri_tta", " + tri-planar + TTA", true, true));
  }
  printScore(modelScore);
  for (const BenchScore& v : variants) printScore(v);
  for (const BenchScore& b : baselines) printScore(b);
  printScore(otsuScore);
  reportThresholds(thresholds, report);
  const BenchScore* best = &bestOf(baselines);
  const double margin = cdnet.overall.dice() - best->eval.overall.dice();
  std::printf("  model - best baseline (%s): Dice %+.4f; targets: model Dice >= 0.85 (%s), clDice >= 0.85 (%s), "
              "margin >= 0.25 (%s); whole benchmark %s\n",
              best->key.c_str(), margin, cdnet.overall.dice() >= 0.85 ? "met" : "NOT met",
              cdnet.overallThin.clDice() >= 0.85 ? "met" : "NOT met", margin >= 0.25 ? "met" : "NOT met",
              formatDuration(total).c_str());
  printVisibility(core::analysis::crackVisibility(test.image, test.cracks, test.particles, probs), report);
  report.set("epochs", epochs);
  report.set("train_minutes", trainMinutes);
  reportScores(report, modelScore, baselines);
  for (const BenchScore& v : variants) reportScore(report, v);
  report.set("dice_cdnet", cdnet.overall.dice());
  report.set("iou_cdnet", cdnet.overall.iou());
  report.set("dice_otsu", baseline.overall.dice());
  report.set("dice_ratio", cdnet.overall.dice() / std::max(1e-9, baseline.overall.dice()));
  report.set("seconds", total);
  printResult(report, a.json);
}

void setupBenchAccuracy(CLI::App& cmd) {
  auto a = std::make_shared<BenchAccuracyArgs>();
  cmd.add_option("--minutes", a->minutes, "Training time budget in minutes")->capture_default_str()->check(numberIn(0, 1440, true));
  cmd.add_option("--steps", a->steps,
                 "Training budget in optimiser steps instead of --minutes: equal work on a busy machine")
      ->check(wholeIn(1, 1000000000));
  cmd.add_option("--size", a->size, "Phantom slice side in pixels")->capture_default_str()->check(wholeIn(64, 4096));
  cmd.add_option("--train-slices", a->trainSlices, "Training slices (every second slice of one phantom)")
      ->capture_default_str()
      ->check(wholeIn(2, 10000));
  cmd.add_option("--test-slices", a->testSlices, "Slices of the unseen test phantom")->capture_default_str()->check(wholeIn(1, 10000));
  cmd.add_option("--base-width", a->baseWidth, "Base width of the network")->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--batch", a->batch, "Crops per step")->capture_default_str()->check(wholeIn(1, 4096));
  cmd.add_option("--crop", a->crop, "Crop side")->capture_default_str()->check(wholeIn(32, 8192));
  cmd.add_option("--lr", a->learningRate, "Adam learning rate (the paper's 1e-4 is slow for a 15-minute budget)")
      ->capture_default_str()
      ->check(numberIn(0, 1, true));
  cmd.add_option("--seed", a->seed, "Seed of the training phantom and the run (test phantom: seed + 1000)")
      ->capture_default_str()
      ->check(kSeed);
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--init", a->init, "Fine-tune this checkpoint (e.g. the starter model) instead of a new network")
      ->type_name("MODEL");
  cmd.add_option("--context", a->context,
                 "2.5D: train with this many neighbour slices on each side as extra channels (as cdnet train --context; "
                 "0 = 2D)")
      ->capture_default_str()
      ->check(wholeIn(0, kMaxContextSlices));
  cmd.add_flag("--tri-planar", a->triPlanar,
               "Also score tri-planar fusion (XY, XZ and YZ predictions averaged; about 3x the prediction cost), with "
               "and without TTA");
  addBenchLossOptions(cmd, a->loss, a->lrSchedule);
  addRecipeOptions(cmd, a->recipe);
  cmd.add_option("--keep", a->keep, "Keep the checkpoints in this folder");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBenchAccuracy(*a); });
}

} // namespace

CDNET_BENCH(accuracy,
            "Dice, clDice and boundary F1 of a base-16 CDNet trained on the CPU on phantom slices vs tuned baselines",
            setupBenchAccuracy)

} // namespace cli
