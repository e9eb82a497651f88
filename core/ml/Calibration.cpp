// Choosing a decision threshold by Dice on labelled data (Calibration.h).
#include "core/ml/Calibration.h"

#include "core/labels/LabelConvention.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace core::ml {

std::string ThresholdCalibration::describe() const {
  char buf[160];
  if (!calibrated()) std::snprintf(buf, sizeof buf, "%.2f (not calibrated)", threshold);
  else
    std::snprintf(buf, sizeof buf, "%.2f (Dice %.3f on the %s data; %.3f at 0.5)", threshold, dice, source.c_str(),
                  diceAtHalf);
  return buf;
}

DiceHistogram::DiceHistogram() : m_crack(kBins, 0), m_other(kBins, 0) {}

void DiceHistogram::addLabelled(const float* p, const std::uint8_t* labels, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] != labels::kUnlabelled) add(p[i], labels[i] == labels::kCrack);
}

DiceHistogram& DiceHistogram::operator+=(const DiceHistogram& o) {
  for (std::size_t b = 0; b < m_crack.size(); ++b) {
    m_crack[b] += o.m_crack[b];
    m_other[b] += o.m_other[b];
  }
  return *this;
}

double DiceHistogram::diceAt(double threshold) const {
  const long first = std::lround(threshold * kBins); // crack from bin `first` on
  std::int64_t tp = 0, fp = 0, fn = 0;
  for (long b = 0; b < kBins; ++b) {
    if (b >= first) {
      tp += m_crack[std::size_t(b)];
      fp += m_other[std::size_t(b)];
    } else {
      fn += m_crack[std::size_t(b)];
    }
  }
  const std::int64_t den = 2 * tp + fp + fn;
  return den ? 2.0 * double(tp) / double(den) : 1.0;
}

std::int64_t DiceHistogram::voxels() const {
  std::int64_t n = 0;
  for (std::size_t b = 0; b < m_crack.size(); ++b) n += m_crack[b] + m_other[b];
  return n;
}

std::int64_t DiceHistogram::crackVoxels() const {
  std::int64_t n = 0;
  for (std::int64_t c : m_crack) n += c;
  return n;
}

ThresholdCalibration DiceHistogram::calibrate(const std::string& source, double lo, double hi, double step,
                                              std::int64_t minCrackVoxels) const {
  ThresholdCalibration c;
  c.voxels = voxels();
  c.crackVoxels = crackVoxels();
  c.diceAtHalf = diceAt(kDefaultDecisionThreshold);
  if (c.crackVoxels < minCrackVoxels || !(step > 0) || !(lo <= hi)) {
    c.dice = std::numeric_limits<double>::quiet_NaN();
    return c;
  }
  double best = -1, bestT = kDefaultDecisionThreshold;
  const int n = int(std::floor((hi - lo) / step + 1e-9));
  for (int i = 0; i <= n; ++i) {
    const double t = lo + i * step, d = diceAt(t);
    if (d > best + 1e-12 || (d > best - 1e-12 && std::abs(t - 0.5) < std::abs(bestT - 0.5))) {
      best = d;
      bestT = t;
    }
  }
  c.threshold = std::round(bestT * 1000.0) / 1000.0;
  c.dice = best;
  c.source = source;
  return c;
}

} // namespace core::ml
