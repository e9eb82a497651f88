#include "app/cli/bench/BenchBaselines.h"

#include "app/cli/support/MlCommon.h"
#include "app/cli/support/TerminalProgress.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace cli {

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;
namespace an = core::analysis;

TrainResult trainWithEpochLines(const TrainOptions& options, const TrainingData& data, core::jobs::CancelToken& cancel) {
  TerminalProgress progress("train");
  TrainCallbacks cb;
  cb.onMessage = [&](const std::string& m) {
    progress.done();
    std::printf("%s\n", m.c_str());
    std::fflush(stdout);
  };
  cb.onEpoch = [&](const EpochMetrics& m) {
    progress.done();
    std::printf("epoch %3d  train loss %s  val loss %s  val Dice %s  %s elapsed\n", m.epoch,
                formatMetric(m.trainLoss).c_str(), formatMetric(m.valLoss).c_str(), formatMetric(m.valDice).c_str(),
                formatDuration(m.elapsedSeconds).c_str());
    std::fflush(stdout);
  };
  const TrainResult r = Trainer(options, cb).run(data, progress, cancel);
  progress.done();
  return r;
}

Volume baselineMask(const an::CrackFilterParams& params, const Volume& images) {
  const auto s = images.size();
  Volume mask(s, VoxelType::UInt8);
  std::vector<float> slice(std::size_t(s.x * s.y));
  for (std::int64_t z = 0; z < s.z; ++z) {
    normaliseSlice(images, z, slice.data());
    an::applyCrackFilter(params, slice.data(), int(s.x), int(s.y), mask.as<std::uint8_t>() + z * s.x * s.y);
  }
  return mask;
}

std::vector<BenchScore> scoreBaselines(const TrainingData& train, const Volume& testImages, const Volume& testTruth,
                                       const EvaluationOptions& eo) {
  std::vector<an::FilterSlice> slices;
  for (const TrainingSlice& t : train.slices) slices.push_back({t.width, t.height, t.image.data(), t.labels.data()});
  std::vector<BenchScore> out;
  for (const an::CrackFilter f : {an::CrackFilter::Threshold, an::CrackFilter::BlackTopHat, an::CrackFilter::Ridge}) {
    const auto t0 = std::chrono::steady_clock::now();
    const an::TunedFilter tuned = an::tuneCrackFilter(f, slices);
    BenchScore s;
    s.key = an::crackFilterName(f);
    s.label = f == an::CrackFilter::Threshold     ? "best global threshold (dark)"
              : f == an::CrackFilter::BlackTopHat ? "black top-hat, tuned"
                                                  : "Hessian ridge filter, tuned";
    s.settings = tuned.params.describe();
    s.trainDice = tuned.trainDice;
    s.eval = evaluate(baselineMask(tuned.params, testImages), testTruth, eo);
    std::printf("tuned %-9s on %d training slices (%lld labelled pixels, %d settings) in %s: %s, train Dice %.4f\n",
                s.key.c_str(), tuned.slicesUsed, static_cast<long long>(tuned.pixels), tuned.candidates,
                formatDuration(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()).c_str(),
                s.settings.c_str(), s.trainDice);
    std::fflush(stdout);
    out.push_back(std::move(s));
  }
  return out;
}

void printScore(const BenchScore& s, int labelWidth) {
  std::printf("  %-*s Dice %.4f  clDice %.4f  BF1 %.4f  rF1 %.4f  precision %s  recall %s", labelWidth,
              (s.label + ":").c_str(), s.eval.overall.dice(), s.eval.overallThin.clDice(), s.eval.overallThin.boundaryF1(),
              s.eval.overallThin.relaxedF1(),
              formatMetric(s.eval.overall.precision()).c_str(), formatMetric(s.eval.overall.recall()).c_str());
  if (!s.settings.empty() || s.trainDice >= 0) {
    std::printf("  (%s", s.settings.c_str());
    if (s.trainDice >= 0) std::printf("%strain Dice %.4f", s.settings.empty() ? "" : "; ", s.trainDice);
    std::printf(")");
  }
  std::printf("\n");
}

const BenchScore& bestOf(const std::vector<BenchScore>& baselines) {
  return *std::max_element(baselines.begin(), baselines.end(), [](const BenchScore& a, const BenchScore& b) {
    return a.eval.overall.dice() < b.eval.overall.dice();
  });
}

void reportScore(core::bench::Report& report, const BenchScore& s) {
  report.set(s.key + "_dice", s.eval.overall.dice());
  report.set(s.key + "_cldice", s.eval.overallThin.clDice());
  report.set(s.key + "_bf1", s.eval.overallThin.boundaryF1());
  report.set(s.key + "_rf1", s.eval.overallThin.relaxedF1());
}

void reportScores(core::bench::Report& report, const BenchScore& model, const std::vector<BenchScore>& baselines) {
  reportScore(report, model);
  if (!baselines.empty()) {
    const BenchScore& best = bestOf(baselines);
    report.set("best_baseline", best.key);
    report.set("best_baseline_dice", best.eval.overall.dice());
    report.set("margin", model.eval.overall.dice() - best.eval.overall.dice());
  }
  for (const BenchScore& b : baselines) reportScore(report, b);
}

} // namespace cli
