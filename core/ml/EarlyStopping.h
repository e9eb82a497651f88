#pragma once
/// \file EarlyStopping.h
/// Which epoch of a run is the best, and when to stop: the bookkeeping of best.pt and of early
/// stopping (TrainOptions::patience), on validation of held-out slices or of held-out strips
/// (TrainOptions::valStrip). Torch-free.

#include <limits>
#include <string>

namespace core::ml {

/// What "best" means: the lowest validation loss (masked BCE), or the highest validation Dice at
/// probability 0.5. Without validation both fall back to the training loss.
enum class BestMetric { Loss, Dice };

/// "loss", "dice".
std::string toString(BestMetric metric);
/// Parse the names above; throws std::invalid_argument listing the choices.
BestMetric parseBestMetric(const std::string& name);

/// The score of an epoch, lower is better: \p valLoss or -\p valDice when \p hasValidation (NaN
/// stays NaN), else \p trainLoss.
double selectionScore(BestMetric metric, bool hasValidation, double trainLoss, double valLoss, double valDice);

class EarlyStopping {
public:
  /// \p patience: epochs in a row without a new best after which shouldStop() holds (0 = never).
  /// \p best: the score to beat (a resumed run's).
  explicit EarlyStopping(int patience = 0, double best = std::numeric_limits<double>::infinity());
  /// Records the score of \p epoch (lower is better); returns true when it is a new best. A NaN or
  /// infinite score is never a best and counts as an epoch without improvement.
  bool record(int epoch, double score);
  bool shouldStop() const { return m_patience > 0 && m_sinceBest >= m_patience; }
  double best() const { return m_best; }
  int bestEpoch() const { return m_bestEpoch; }       ///< 0 until an epoch improved
  int epochsSinceBest() const { return m_sinceBest; }

private:
  int m_patience;
  double m_best;
  int m_bestEpoch = 0, m_sinceBest = 0;
};

} // namespace core::ml
