#pragma once
/// \file Calibration.h
/// The decision threshold of a model, calibrated on labelled data: the probability from which a
/// voxel counts as crack, chosen on a fine grid in [0.2, 0.8] to maximise Dice on the validation
/// data of a training run (the held-out slices or strip; without them the training slices). The
/// trainer stores it in every checkpoint (CheckpointInfo::decisionThreshold); prediction, the
/// benchmarks and the studio use it where a mask is made. Models without one use 0.5. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

/// The threshold used for models that carry none (older checkpoints, TorchScript from elsewhere).
constexpr double kDefaultDecisionThreshold = 0.5;

/// The calibrated threshold and what it was chosen on.
struct ThresholdCalibration {
  double threshold = kDefaultDecisionThreshold;
  /// "validation" (held-out slices or strip), "training" (the training slices themselves) or ""
  /// (not calibrated: no labelled crack voxel, or a model from before calibration).
  std::string source;
  double dice = 0;         ///< Dice at threshold on the data it was chosen on (NaN when not calibrated)
  double diceAtHalf = 0;   ///< Dice at 0.5 on the same data
  std::int64_t voxels = 0, crackVoxels = 0; ///< labelled voxels it was chosen on
  bool calibrated() const { return !source.empty(); }
  /// "0.43 (Dice 0.712 on the validation data; 0.698 at 0.5)" or "0.5 (not calibrated)".
  std::string describe() const;
};

class Model;

/// The decision threshold calibrated when \p model was trained, stored in its checkpoint or as the
/// TorchScript attribute cdnet_decision_threshold (Model::exportTorchScript writes it); 0.5, not
/// calibrated, for models without one. Defined with Model (Model.cpp).
const ThresholdCalibration& calibrationOf(const Model& model);

/// Counts of labelled voxels by probability (1000 bins) and class, from which Dice at any
/// threshold of the grid follows exactly.
class DiceHistogram {
public:
  static constexpr int kBins = 1000;
  DiceHistogram();
  /// One probability and its truth.
  void add(float probability, bool crack) {
    int b = int(double(probability) * kBins); // exact in double: bin >= k exactly when p >= k / kBins
    b = b < 0 ? 0 : b >= kBins ? kBins - 1 : b;
    (crack ? m_crack : m_other)[std::size_t(b)] += 1;
  }
  /// \p n probabilities with labels in the label convention (0 unlabelled: skipped, 2 crack).
  void addLabelled(const float* probabilities, const std::uint8_t* labels, std::size_t n);
  DiceHistogram& operator+=(const DiceHistogram& o);
  /// Dice when crack is probability >= \p threshold (rounded to the bin grid, 1/kBins).
  double diceAt(double threshold) const;
  std::int64_t voxels() const;
  std::int64_t crackVoxels() const;
  /// The threshold of {lo, lo + step, ..., hi} with the highest Dice; of equal ones the nearest
  /// to 0.5. Below \p minCrackVoxels crack voxels nothing is calibrated (0.5, source "").
  ThresholdCalibration calibrate(const std::string& source, double lo = 0.2, double hi = 0.8, double step = 0.01,
                                 std::int64_t minCrackVoxels = 20) const;

private:
  std::vector<std::int64_t> m_crack, m_other;
};

} // namespace core::ml
