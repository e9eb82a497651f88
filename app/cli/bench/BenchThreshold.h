#pragma once
/// \file BenchThreshold.h
/// What the model's calibrated decision threshold (core/ml/Calibration.h) does on a benchmark's
/// test data: Dice at 0.5 and at the calibrated threshold, and the threshold that would have been
/// best on the test data itself (does the calibration transfer?).

#include "core/bench/BenchReport.h"
#include "core/ml/Calibration.h"
#include "core/ml/Metrics.h"
#include "core/volume/Volume.h"

namespace cli {

struct ThresholdScores {
  core::ml::ThresholdCalibration calibrated; ///< the model's (from its checkpoint)
  core::ml::Evaluation atHalf, atCalibrated;
  core::ml::ThresholdCalibration testBest;   ///< the grid's best on the test data (hindsight)
};

/// Scores \p probabilities (float32) against \p truth (binary mask, nonzero = crack) at 0.5 and
/// at \p calibrated's threshold, with \p eo's truth encoding.
ThresholdScores scoreThresholds(const core::ml::ThresholdCalibration& calibrated, const core::volume::Volume& probabilities,
                                const core::volume::Volume& truth, core::ml::EvaluationOptions eo);

/// Prints the comparison and sets decision_threshold, threshold_source, threshold_calib_dice,
/// model_dice_at_half, model_dice_calibrated (and clDice), test_best_threshold, test_best_dice.
void reportThresholds(const ThresholdScores& s, core::bench::Report& report);

} // namespace cli
