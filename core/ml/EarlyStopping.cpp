#include "core/ml/EarlyStopping.h"

#include <cmath>
#include <stdexcept>

namespace core::ml {

std::string toString(BestMetric metric) { return metric == BestMetric::Dice ? "dice" : "loss"; }

BestMetric parseBestMetric(const std::string& name) {
  if (name == "loss") return BestMetric::Loss;
  if (name == "dice") return BestMetric::Dice;
  throw std::invalid_argument("unknown best-checkpoint metric '" + name + "' (choose loss or dice)");
}

double selectionScore(BestMetric metric, bool hasValidation, double trainLoss, double valLoss, double valDice) {
  if (!hasValidation) return trainLoss;
  return metric == BestMetric::Dice ? -valDice : valLoss;
}

EarlyStopping::EarlyStopping(int patience, double best) : m_patience(patience), m_best(best) {
  if (patience < 0) throw std::invalid_argument("early-stopping patience must not be negative");
}

bool EarlyStopping::record(int epoch, double score) {
  if (std::isfinite(score) && score < m_best) {
    m_best = score;
    m_bestEpoch = epoch;
    m_sinceBest = 0;
    return true;
  }
  ++m_sinceBest;
  return false;
}

} // namespace core::ml
