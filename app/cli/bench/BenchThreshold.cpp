// Dice at 0.5 and at the calibrated decision threshold on a benchmark's test data (BenchThreshold.h).
#include "app/cli/bench/BenchThreshold.h"

#include <cstdio>

namespace cli {

using namespace core::ml;

ThresholdScores scoreThresholds(const ThresholdCalibration& calibrated, const core::volume::Volume& probabilities,
                                const core::volume::Volume& truth, EvaluationOptions eo) {
  ThresholdScores s;
  s.calibrated = calibrated;
  eo.threshold = kDefaultDecisionThreshold;
  s.atHalf = evaluate(probabilities, truth, eo);
  eo.threshold = calibrated.threshold;
  s.atCalibrated = evaluate(probabilities, truth, eo);
  const core::volume::Volume t = truth.convertTo(core::volume::VoxelType::UInt8);
  DiceHistogram h;
  const float* p = probabilities.as<float>();
  const std::uint8_t* m = t.as<std::uint8_t>();
  for (std::int64_t i = 0; i < probabilities.voxelCount(); ++i) h.add(p[i], m[i] != 0);
  s.testBest = h.calibrate("test");
  return s;
}

void reportThresholds(const ThresholdScores& s, core::bench::Report& report) {
  std::printf("decision threshold %s\n", s.calibrated.describe().c_str());
  std::printf("  test Dice at 0.5: %.4f (clDice %.4f); at %.2f: %.4f (clDice %.4f), %+.4f; best on the test data "
              "itself (hindsight): %.2f, Dice %.4f\n",
              s.atHalf.overall.dice(), s.atHalf.overallThin.clDice(), s.calibrated.threshold,
              s.atCalibrated.overall.dice(), s.atCalibrated.overallThin.clDice(),
              s.atCalibrated.overall.dice() - s.atHalf.overall.dice(), s.testBest.threshold, s.testBest.dice);
  report.set("decision_threshold", s.calibrated.threshold);
  report.set("threshold_source", s.calibrated.calibrated() ? s.calibrated.source : std::string("none"));
  report.set("threshold_calib_dice", s.calibrated.dice);
  report.set("model_dice_at_half", s.atHalf.overall.dice());
  report.set("model_cldice_at_half", s.atHalf.overallThin.clDice());
  report.set("model_dice_calibrated", s.atCalibrated.overall.dice());
  report.set("model_cldice_calibrated", s.atCalibrated.overallThin.clDice());
  report.set("test_best_threshold", s.testBest.threshold);
  report.set("test_best_dice", s.testBest.dice);
}

} // namespace cli
