#pragma once
/// \file BenchBaselines.h
/// What `cdnet bench accuracy` and `cdnet bench real` share: training a model with epoch lines on
/// the console, the three tuned baselines of core/analysis/CrackFilters.h (tuned on the training
/// slices, applied to the test images), one printed line per method with Dice, clDice and
/// boundary F1, and the result keys that compare the model with the best baseline.

#include "core/analysis/CrackFilters.h"
#include "core/bench/BenchReport.h"
#include "core/ml/Metrics.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingData.h"
#include "core/volume/Volume.h"

#include <string>
#include <vector>

namespace cli {

/// One method scored on the test images.
struct BenchScore {
  std::string key;      ///< result-key prefix: "model", "threshold", "tophat", "ridge", "otsu"
  std::string label;    ///< printed name
  std::string settings; ///< tuned settings in words (baselines)
  double trainDice = -1;///< Dice on the training slices (tuned baselines), else < 0
  core::ml::Evaluation eval;
};

/// Trains with \p options on \p data, printing each epoch; returns the trainer's result.
core::ml::TrainResult trainWithEpochLines(const core::ml::TrainOptions& options, const core::ml::TrainingData& data,
                                          core::jobs::CancelToken& cancel = core::jobs::neverCancelled());

/// Tunes the threshold, top-hat and ridge baselines on \p train (its normalised slices and
/// labels) and scores each on \p testImages (normalised per slice as the model sees them)
/// against \p testTruth. Prints a line per baseline as it finishes tuning.
std::vector<BenchScore> scoreBaselines(const core::ml::TrainingData& train, const core::volume::Volume& testImages,
                                       const core::volume::Volume& testTruth, const core::ml::EvaluationOptions& eo);

/// The uint8 0/1 mask of a tuned filter on every slice of \p images (normalised per slice first).
core::volume::Volume baselineMask(const core::analysis::CrackFilterParams& params, const core::volume::Volume& images);

/// The baseline of highest test Dice (\p baselines must not be empty).
const BenchScore& bestOf(const std::vector<BenchScore>& baselines);

/// "  <label>  Dice 0.8123  clDice 0.7012  BF1 0.9001  rF1 0.9102  precision ..  recall ..  (<settings>; train Dice 0.81)".
void printScore(const BenchScore& s, int labelWidth = 34);

/// Sets <key>_dice, <key>_cldice, <key>_bf1 and <key>_rf1 of one score.
void reportScore(core::bench::Report& report, const BenchScore& s);

/// Sets <key>_dice, <key>_cldice, <key>_bf1 and <key>_rf1 for every score, and for the baselines'
/// best_baseline, best_baseline_dice and margin (model Dice minus the best baseline's); \p model
/// is the model's score.
void reportScores(core::bench::Report& report, const BenchScore& model, const std::vector<BenchScore>& baselines);

} // namespace cli
