// cdnet bench real: the real-sample benchmark of issue 14. Reads one real slice and the paper's
// CDNet mask for it (region1_image.png, region1_cdnet_mask.png in the folder given by --real),
// trains a base-16 model on one half (left or right) for a CPU time budget, from scratch or from a
// checkpoint (--init: fine-tuning; with --minutes 0: zero-shot), predicts the other half, and
// compares Dice, clDice and boundary F1 against the paper's mask (without and with test-time
// augmentation; the test half predicted alone, and the whole slice predicted with the test half
// scored, as a user would run it) with the three baselines tuned on the same training half. The sample is never part of the project: without --real the
// benchmark stops with a message.
#include "app/cli/bench/BenchBaselines.h"
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/bench/BenchThreshold.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/RecipeOptions.h"

#include "core/ml/Model.h"
#include "core/ml/Precision.h"
#include "core/ml/Predictor.h"
#include "core/volume/io/VolumeIO.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::ml;
using core::volume::Region;
using core::volume::Volume;

constexpr const char* kImageFile = "region1_image.png";
constexpr const char* kMaskFile = "region1_cdnet_mask.png";

struct BenchRealArgs {
  std::string real, trainHalf = "left", init, keep, json, precision = "fp32";
  std::string loss = toString(TrainOptions{}.loss), lrSchedule = toString(TrainOptions{}.lrSchedule);
  double minutes = 15, learningRate = 0;
  int baseWidth = 16, batch = 0, crop = 0, threads = 0;
  std::int64_t steps = 0; // > 0: a step budget instead of --minutes (equal work on a busy machine)
  std::int64_t selfTrain = 0; // > 0: that many more steps on the whole slice, the test half pseudo-labelled
  double pseudoConfidence = 0.8;
  std::uint64_t seed = 1;
  TrainOptions recipe; // the recipe flags (RecipeOptions.h); the rest of it is set here
};

/// The sample's image and mask, checked: both present, one slice each, the same size.
void readSample(const std::string& dir, Volume& image, Volume& mask, std::string& imagePath, std::string& maskPath) {
  if (dir.empty())
    throw std::runtime_error(std::string("cdnet bench real needs --real DIR, the folder that holds ") + kImageFile +
                             " and " + kMaskFile + " (the real sample, e.g. ../shared/data/real); it is not part of "
                             "the project");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::runtime_error("real-sample folder '" + dir + "' does not exist or is not a folder");
  imagePath = (fs::path(dir) / kImageFile).string();
  maskPath = (fs::path(dir) / kMaskFile).string();
  for (const std::string& p : {imagePath, maskPath})
    if (!fs::is_regular_file(p, ec))
      throw std::runtime_error("real-sample folder '" + dir + "' has no " + fs::path(p).filename().string());
  image = core::volume::openVolume(imagePath)->read();
  mask = core::volume::openVolume(maskPath)->read();
  if (image.size() != mask.size() || image.size().z != 1)
    throw std::runtime_error("'" + imagePath + "' and '" + maskPath + "' must be one slice of the same size");
  if (image.size().x < 64 || image.size().y < 32)
    throw std::runtime_error("'" + imagePath + "' is too small to split into halves (at least 64 x 32 pixels)");
}

void runBenchReal(const BenchRealArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  Volume image, mask;
  std::string imagePath, maskPath;
  readSample(a.real, image, mask, imagePath, maskPath);
  if (a.trainHalf != "left" && a.trainHalf != "right") throw std::invalid_argument("--train-half must be left or right");
  const bool train = a.minutes > 0 || a.steps > 0;
  if (!train && a.init.empty())
    throw std::invalid_argument("--minutes 0 (zero-shot) needs --init MODEL: there is no model to predict with");
  if (!train && a.selfTrain > 0)
    throw std::invalid_argument("--self-train continues a training run: it needs --minutes or --steps above 0");
  if (!a.init.empty() && !fs::is_regular_file(a.init)) throw std::runtime_error("model '" + a.init + "' does not exist");
  const std::string mode = !train ? "zero-shot" : a.init.empty() ? "scratch" : "fine-tune";
  resolveDevice(DeviceRequest::Cpu, a.threads);
  // Halves: columns [0, w/2) and [w/2, w).
  const std::int64_t w = image.size().x, h = image.size().y, half = w / 2;
  const bool left = a.trainHalf == "left";
  const Region leftRegion{{0, 0, 0}, {half, h, 1}}, rightRegion{{half, 0, 0}, {w - half, h, 1}};
  const Region& trainRegion = left ? leftRegion : rightRegion;
  const Region& testRegion = left ? rightRegion : leftRegion;
  const Volume trainImage = image.crop(trainRegion), testImage = image.crop(testRegion);
  const Volume trainMask = mask.crop(trainRegion), testMask = mask.crop(testRegion);
  const TrainingData data = TrainingData::fromVolumes(trainImage, toConventionLabels(trainMask, maskPath), {true},
                                                      imagePath, maskPath);

  core::bench::Report report("real");
  report.set("threads", cpuThreads());
  report.set("minutes", a.steps > 0 ? 0.0 : a.minutes);
  report.set("steps_budget", a.steps);
  report.set("train_half", a.trainHalf);
  report.set("mode", mode);
  report.set("train_precision", a.precision);
  report.set("loss", a.loss);
  report.set("lr_schedule", a.lrSchedule);
  report.set("freeze_encoder", a.recipe.freezeEncoder);
  report.set("self_train_steps", a.selfTrain);
  if (a.selfTrain > 0) report.set("pseudo_confidence", a.pseudoConfidence);
  std::printf("real sample %s: %lld x %lld; training on the %s half (%lld x %lld, %.2f%% crack), testing on the other "
              "(%lld x %lld) against the paper's CDNet mask; %s\n",
              a.real.c_str(), static_cast<long long>(w), static_cast<long long>(h), a.trainHalf.c_str(),
              static_cast<long long>(trainRegion.size.x), static_cast<long long>(h),
              100.0 * double(data.crackCount()) / double(data.labelledCount()),
              static_cast<long long>(testRegion.size.x), static_cast<long long>(h),
              mode == "zero-shot" ? ("zero-shot with " + a.init).c_str()
              : mode == "fine-tune" ? ("fine-tuning " + a.init).c_str()
                                    : "training from scratch");
  std::printf(a.steps > 0 ? "the budget is %lld optimiser steps (equal work however busy the machine)\n"
                           : "the time budget is wall time: other work on this machine slows training\n",
              static_cast<long long>(a.steps));
  printConditions(report);

  const fs::path dir = a.keep.empty() ? fs::temp_directory_path() / ("cdnet_bench_real_" + std::to_string(::getpid()))
                                      : fs::path(a.keep);
  std::string checkpoint = a.init;
  int epochs = 0, bestEpoch = 0;
  std::int64_t steps = 0;
  double trainMinutes = 0;
  EvaluationOptions eo;
  eo.truth = TruthEncoding::BinaryMask;
  std::vector<BenchScore> extraScores; // further rows: the model before self-training
  if (train) {
    TrainOptions o = a.recipe; // the product's defaults and the recipe flags, plus what a one-slice run needs
    o.model = ModelOptions::paper(a.baseWidth);
    o.epochs = 0;
    o.maxMinutes = a.steps > 0 ? 0.0 : a.minutes;
    o.maxSteps = a.steps;
    if (a.batch > 0) o.batch = a.batch;
    if (a.crop > 0) o.crop = a.crop;
    if (a.learningRate > 0) o.learningRate = a.learningRate;
    o.loss = parseLossKind(a.loss);
    o.lrSchedule = parseLrSchedule(a.lrSchedule);
    o.valFraction = 0; // one slice: no whole slice to hold out (--val-strip holds out rows); the test half is the judge
    o.device = DeviceRequest::Cpu;
    o.cpuThreads = a.threads;
    o.seed = a.seed;
    o.outDir = dir.string();
    o.checkpointEvery = 0;
    o.fineTuneFrom = a.init;
    o.precision = parsePrecision(a.precision);
    std::printf("training: base %d, batch %d, crop %d, learning rate %g, %s steps%s\n", a.baseWidth, o.batch, o.crop,
                o.learningRate, a.precision.c_str(), a.init.empty() ? "" : ", weights from the --init model");
    const TrainResult r = trainWithEpochLines(o, data);
    // With a held-out strip: the best weights on it; without validation: the last weights.
    const bool useBest = o.valStrip > 0 && !r.bestCheckpoint.empty();
    checkpoint = useBest ? r.bestCheckpoint : r.lastCheckpoint;
    bestEpoch = useBest ? r.bestEpoch : 0;
    if (useBest) std::printf("testing best.pt (epoch %d of the held-out strip)\n", r.bestEpoch);
    epochs = r.history.empty() ? 0 : r.history.back().epoch;
    steps = r.history.empty() ? 0 : r.history.back().iterations;
    trainMinutes = r.history.empty() ? 0.0 : r.history.back().elapsedSeconds / 60.0;
    if (a.selfTrain > 0) {
      // Self-training (transductive; the test half's labels are never read): the model marks the
      // test half, its confident pixels become labels (p >= c crack, p <= 1 - c not crack, the rest
      // unlabelled), and training goes on over the whole slice: the true labels on the training
      // half, those pseudo-labels on the test half.
      const Volume probs = Predictor(Model::load(checkpoint, {DeviceRequest::Cpu, a.threads})).predict(testImage, 0, 1);
      Volume labels = toConventionLabels(mask, maskPath); // the test half is overwritten below
      extraScores.push_back({"model_before_self_train", "CDNet before self-training",
                             std::to_string(steps) + " steps", -1, evaluate(probs, testMask, eo)});
      const float* p = probs.as<float>();
      std::uint8_t* l = labels.as<std::uint8_t>();
      std::int64_t crack = 0, notCrack = 0;
      const double c = a.pseudoConfidence;
      for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < testRegion.size.x; ++x) {
          const float v = p[probs.index(x, y, 0)];
          const std::uint8_t label = v >= c ? 2 : v <= 1.0 - c ? 1 : 0;
          crack += label == 2;
          notCrack += label == 1;
          l[labels.index(x + testRegion.start.x, y, 0)] = label;
        }
      std::printf("self-training: pseudo-labels on the test half at confidence %.2f: %.1f%% crack, %.1f%% not crack, "
                  "%.1f%% left unlabelled; %lld more steps over the whole slice\n",
                  c, 100.0 * crack / double(probs.voxelCount()), 100.0 * notCrack / double(probs.voxelCount()),
                  100.0 * (probs.voxelCount() - crack - notCrack) / double(probs.voxelCount()),
                  static_cast<long long>(a.selfTrain));
      const TrainingData pseudo = TrainingData::fromVolumes(image, labels, {false}, imagePath, "pseudo-labels");
      TrainOptions s = o;
      s.maxSteps = a.selfTrain;
      s.maxMinutes = 0;
      s.fineTuneFrom = checkpoint;
      s.freezeEncoder = false;
      s.outDir = (dir / "self-train").string();
      s.seed = a.seed + 1;
      const TrainResult rs = trainWithEpochLines(s, pseudo);
      checkpoint = rs.lastCheckpoint;
      if (!rs.history.empty()) {
        epochs += rs.history.back().epoch;
        steps += rs.history.back().iterations;
        trainMinutes += rs.history.back().elapsedSeconds / 60.0;
      }
    }
  }
  const Model model = Model::load(checkpoint, {DeviceRequest::Cpu, a.threads});
  // The model as predict runs it by default (at 0.5; the calibrated decision threshold is reported
  // beside it: it did not transfer to the test half), and with test-time augmentation (8 flips and rotations averaged: 8x the prediction cost, negligible on a half-slice).
  const Volume testProbs = Predictor(model).predict(testImage, 0, 1);
  const ThresholdScores thresholds = scoreThresholds(calibrationOf(model), testProbs, testMask, eo);
  PredictOptions tta;
  tta.tta = true;
  BenchScore modelScore{"model", "CDNet (" + mode + ")", "", -1, evaluate(testProbs, testMask, eo)};
  BenchScore ttaScore{"model_tta", "CDNet (" + mode + ") + TTA", "", -1,
                      evaluate(Predictor(model, tta).predict(testImage, 0, 1), testMask, eo)};
  modelScore.settings = mode == "zero-shot" ? "no training"
                                            : std::to_string(epochs) + " epochs in " + formatDuration(trainMinutes * 60);
  ttaScore.settings = modelScore.settings;
  // As a user runs it: the whole slice predicted (the training half's pixels are context, never its
  // labels), the test half scored. The half predicted alone lacks that context along its cut edge.
  const Volume wholeProbs = Predictor(model).predict(image, 0, 1).crop(testRegion);
  const Volume wholeTta = Predictor(model, tta).predict(image, 0, 1).crop(testRegion);
  BenchScore wholeScore{"model_whole", "CDNet, whole slice predicted", modelScore.settings, -1,
                        evaluate(wholeProbs, testMask, eo)};
  BenchScore wholeTtaScore{"model_whole_tta", "CDNet, whole slice + TTA", modelScore.settings, -1,
                           evaluate(wholeTta, testMask, eo)};
  std::printf("\nbaselines tuned on the %s half:\n", a.trainHalf.c_str());
  const std::vector<BenchScore> baselines = scoreBaselines(data, testImage, testMask, eo);
  if (a.keep.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\nthe %s half against the paper's mask (BF1 = boundary F1, rF1 = relaxed F1, both at 1 pixel):\n",
              left ? "right" : "left");
  printScore(modelScore);
  printScore(ttaScore);
  printScore(wholeScore);
  printScore(wholeTtaScore);
  for (const BenchScore& e : extraScores) printScore(e);
  for (const BenchScore& b : baselines) printScore(b);
  reportThresholds(thresholds, report);
  const BenchScore& tophat = baselines[1];
  const double modelDice = modelScore.eval.overall.dice(), marginTophat = modelDice - tophat.eval.overall.dice();
  std::printf("  model - top-hat: Dice %+.4f; model - best baseline (%s): %+.4f; targets (15 min): model Dice >= 0.80 "
              "(%s), >= 0.20 above the top-hat (%s); whole benchmark %s\n",
              marginTophat, bestOf(baselines).key.c_str(), modelDice - bestOf(baselines).eval.overall.dice(),
              modelDice >= 0.80 ? "met" : "NOT met", marginTophat >= 0.20 ? "met" : "NOT met", formatDuration(total).c_str());
  report.set("base_width", model.options().baseWidth);
  report.set("epochs", epochs);
  report.set("steps", steps);
  report.set("best_epoch", bestEpoch);
  report.set("train_minutes", trainMinutes);
  reportScores(report, modelScore, baselines);
  report.set("margin_tophat", marginTophat);
  for (const BenchScore* s : {&ttaScore, &wholeScore, &wholeTtaScore}) reportScore(report, *s);
  for (const BenchScore& e : extraScores) reportScore(report, e);
  report.set("seconds", total);
  printResult(report, a.json);
}

void setupBenchReal(CLI::App& cmd) {
  auto a = std::make_shared<BenchRealArgs>();
  cmd.add_option("--real", a->real,
                 std::string("Folder of the real sample: ") + kImageFile + " and " + kMaskFile + " (required)")
      ->type_name("DIR");
  cmd.add_option("--train-half", a->trainHalf, "Half to train and tune on: left or right (the other is the test)")
      ->capture_default_str()
      ->check(CLI::IsMember({"left", "right"}));
  cmd.add_option("--minutes", a->minutes, "Training time budget in minutes (0 with --init: zero-shot)")
      ->capture_default_str()
      ->check(numberIn(0, 1440));
  cmd.add_option("--steps", a->steps,
                 "Training budget in optimiser steps instead of --minutes: equal work on a busy machine")
      ->check(wholeIn(1, 1000000000));
  cmd.add_option("--self-train", a->selfTrain,
                 "Then this many more steps over the whole slice with the model's confident marks on the test half "
                 "as labels (self-training; the test labels are never read)")
      ->check(wholeIn(1, 1000000000));
  cmd.add_option("--pseudo-confidence", a->pseudoConfidence,
                 "Self-training: a pixel becomes a crack label at p >= C, a not-crack label at p <= 1 - C")
      ->capture_default_str()
      ->check(numberIn(0.5, 1, true, true));
  cmd.add_option("--init", a->init, "Start from this checkpoint (fine-tuning), or predict with it (--minutes 0)")
      ->type_name("MODEL");
  cmd.add_option("--base-width", a->baseWidth, "Base width of a new network")->capture_default_str()->check(wholeIn(1, 256));
  cmd.add_option("--batch", a->batch, "Crops per step (default: cdnet train's)")->check(wholeIn(1, 4096));
  cmd.add_option("--crop", a->crop, "Crop side (default: cdnet train's, at most the half)")->check(wholeIn(32, 8192));
  cmd.add_option("--lr", a->learningRate, "Adam learning rate (default: cdnet train's)")->check(numberIn(0, 1, true));
  cmd.add_option("--seed", a->seed, "Seed of the run")->capture_default_str()->check(kSeed);
  cmd.add_option("--threads", a->threads, "CPU threads (default: every core)")->check(wholeIn(1, kMaxThreads));
  cmd.add_option("--precision", a->precision, "Training steps: fp32, bf16 or auto (as cdnet train --precision)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  addBenchLossOptions(cmd, a->loss, a->lrSchedule);
  addRecipeOptions(cmd, a->recipe);
  cmd.add_option("--keep", a->keep, "Keep the checkpoints in this folder");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runBenchReal(*a); });
}

} // namespace

CDNET_BENCH(real, "Dice, clDice and boundary F1 on the real sample (--real DIR): a model trained on one half vs tuned "
                  "baselines, on the other half",
            setupBenchReal)

} // namespace cli
