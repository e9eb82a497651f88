#include "core/ml/Metrics.h"

#include "core/ml/TrainingData.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace core::ml {

using volume::Volume;
using volume::VoxelType;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double Confusion::dice() const {
  const std::int64_t d = 2 * tp + fp + fn;
  return d == 0 ? 1.0 : 2.0 * double(tp) / double(d);
}
double Confusion::iou() const {
  const std::int64_t d = tp + fp + fn;
  return d == 0 ? 1.0 : double(tp) / double(d);
}
double Confusion::precision() const { return tp + fp == 0 ? kNaN : double(tp) / double(tp + fp); }
double Confusion::recall() const { return tp + fn == 0 ? kNaN : double(tp) / double(tp + fn); }

Evaluation evaluate(const Volume& prediction, const Volume& truth, const EvaluationOptions& options,
                    const std::string& predictionName, const std::string& truthName) {
  if (prediction.empty()) throw std::runtime_error("prediction '" + predictionName + "' is empty");
  if (truth.empty()) throw std::runtime_error("reference '" + truthName + "' is empty");
  if (prediction.size() != truth.size()) {
    auto t = [](const volume::Size3& s) {
      return std::to_string(s.x) + " x " + std::to_string(s.y) + " x " + std::to_string(s.z);
    };
    throw std::runtime_error("prediction '" + predictionName + "' (" + t(prediction.size()) + ") and reference '" +
                             truthName + "' (" + t(truth.size()) + ") differ in size");
  }
  bool convention = options.truth == TruthEncoding::Convention;
  if (options.truth == TruthEncoding::Auto)
    convention = detectLabelEncoding(truth, truthName) == LabelEncoding::Convention;
  else
    detectLabelEncoding(truth, truthName); // checks the values
  // Positive predictions as a byte per voxel.
  std::vector<std::uint8_t> pred(std::size_t(prediction.voxelCount()));
  if (prediction.type() == VoxelType::Float32) {
    const float* p = prediction.as<float>();
    for (std::size_t i = 0; i < pred.size(); ++i) pred[i] = p[i] >= options.threshold;
  } else {
    bool binary = true;
    double maxValue = 0;
    volume::dispatch(prediction.type(), [&](auto t) {
      using T = decltype(t);
      const T* p = prediction.as<T>();
      for (std::size_t i = 0; i < pred.size(); ++i) {
        const double v = double(p[i]);
        maxValue = std::max(maxValue, v);
        if (v != 0 && v != 1 && v != 255) binary = false;
      }
    });
    const bool uint8Probability = !binary && prediction.type() == VoxelType::UInt8;
    if (!binary && !uint8Probability)
      throw std::runtime_error("prediction '" + predictionName +
                               "' is neither float32 probabilities, a 0/1 or 0/255 mask, nor uint8 probabilities");
    volume::dispatch(prediction.type(), [&](auto t) {
      using T = decltype(t);
      const T* p = prediction.as<T>();
      for (std::size_t i = 0; i < pred.size(); ++i)
        pred[i] = uint8Probability ? double(p[i]) / 255.0 >= options.threshold : p[i] != 0;
    });
  }
  Evaluation e;
  e.threshold = options.threshold;
  e.truthIsConvention = convention;
  const std::int64_t n = truth.size().x * truth.size().y;
  e.perSlice.resize(std::size_t(truth.size().z));
  e.perSliceThin.resize(std::size_t(truth.size().z));
  std::vector<std::uint8_t> crack(static_cast<std::size_t>(n)), counted(static_cast<std::size_t>(n));
  volume::dispatch(truth.type(), [&](auto t) {
    using T = decltype(t);
    const T* r = truth.as<T>();
    for (std::int64_t z = 0; z < truth.size().z; ++z) {
      Confusion& c = e.perSlice[std::size_t(z)];
      for (std::int64_t i = z * n; i < (z + 1) * n; ++i) {
        const double v = double(r[i]);
        const std::size_t k = std::size_t(i - z * n);
        counted[k] = !convention || v != 0;
        crack[k] = convention ? v == 2 : v != 0;
        if (counted[k]) c.add(pred[std::size_t(i)] != 0, crack[k] != 0);
      }
      e.overall += c;
      ThinCounts& thin = e.perSliceThin[std::size_t(z)];
      thin = thinCounts(pred.data() + z * n, crack.data(), int(truth.size().x), int(truth.size().y),
                        convention ? counted.data() : nullptr);
      e.overallThin += thin;
    }
  });
  return e;
}

void Evaluation::append(const Evaluation& next) {
  overall += next.overall;
  overallThin += next.overallThin;
  perSlice.insert(perSlice.end(), next.perSlice.begin(), next.perSlice.end());
  perSliceThin.insert(perSliceThin.end(), next.perSliceThin.begin(), next.perSliceThin.end());
}

namespace {
std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}
std::string csvNum(double v) { return std::isfinite(v) ? num(v) : std::string(); }

std::string jsonConfusion(const Confusion& c) {
  std::ostringstream s;
  s << "\"dice\":" << num(c.dice()) << ",\"iou\":" << num(c.iou()) << ",\"precision\":" << num(c.precision())
    << ",\"recall\":" << num(c.recall()) << ",\"tp\":" << c.tp << ",\"fp\":" << c.fp << ",\"fn\":" << c.fn
    << ",\"tn\":" << c.tn;
  return s.str();
}
std::string jsonThin(const ThinCounts& t) {
  std::ostringstream s;
  s << ",\"cldice\":" << num(t.clDice()) << ",\"topology_precision\":" << num(t.topologyPrecision())
    << ",\"topology_sensitivity\":" << num(t.topologySensitivity()) << ",\"boundary_f1\":" << num(t.boundaryF1())
    << ",\"boundary_precision\":" << num(t.boundaryPrecision()) << ",\"boundary_recall\":" << num(t.boundaryRecall())
    << ",\"relaxed_f1\":" << num(t.relaxedF1()) << ",\"relaxed_precision\":" << num(t.relaxedPrecision())
    << ",\"relaxed_recall\":" << num(t.relaxedRecall());
  return s.str();
}
std::string csvThin(const ThinCounts& t) {
  std::ostringstream s;
  s << ',' << csvNum(t.clDice()) << ',' << csvNum(t.topologyPrecision()) << ',' << csvNum(t.topologySensitivity()) << ','
    << csvNum(t.boundaryF1()) << ',' << csvNum(t.boundaryPrecision()) << ',' << csvNum(t.boundaryRecall()) << ','
    << csvNum(t.relaxedF1()) << ',' << csvNum(t.relaxedPrecision()) << ',' << csvNum(t.relaxedRecall());
  return s.str();
}
/// The thin counts of slice \p z (an Evaluation built by hand may lack them: then empty counts).
ThinCounts thinAt(const Evaluation& e, std::size_t z) { return z < e.perSliceThin.size() ? e.perSliceThin[z] : ThinCounts{}; }
std::string csvConfusion(const Confusion& c) {
  std::ostringstream s;
  s << csvNum(c.dice()) << ',' << csvNum(c.iou()) << ',' << csvNum(c.precision()) << ',' << csvNum(c.recall()) << ','
    << c.tp << ',' << c.fp << ',' << c.fn << ',' << c.tn;
  return s.str();
}
} // namespace

std::string toJson(const Evaluation& e) {
  std::ostringstream s;
  s << "{\"threshold\":" << num(e.threshold) << ",\"reference\":\""
    << (e.truthIsConvention ? "labels (unlabelled voxels ignored)" : "binary mask") << "\",\"overall\":{"
    << jsonConfusion(e.overall) << jsonThin(e.overallThin) << "},\"slices\":[";
  for (std::size_t z = 0; z < e.perSlice.size(); ++z)
    s << (z ? "," : "") << "{\"z\":" << z << ',' << jsonConfusion(e.perSlice[z]) << jsonThin(thinAt(e, z)) << '}';
  s << "]}\n";
  return s.str();
}

std::string toCsv(const Evaluation& e) {
  std::ostringstream s;
  s << "slice,dice,iou,precision,recall,tp,fp,fn,tn,cldice,topology_precision,topology_sensitivity,boundary_f1,"
       "boundary_precision,boundary_recall,relaxed_f1,relaxed_precision,relaxed_recall\n";
  for (std::size_t z = 0; z < e.perSlice.size(); ++z)
    s << z << ',' << csvConfusion(e.perSlice[z]) << csvThin(thinAt(e, z)) << '\n';
  s << "all," << csvConfusion(e.overall) << csvThin(e.overallThin) << '\n';
  return s.str();
}

double otsuThreshold(const std::vector<float>& values) {
  float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
  for (float v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!(hi > lo)) return lo;
  constexpr int kBins = 256;
  std::vector<double> hist(kBins, 0.0);
  const double scale = (kBins - 1) / double(hi - lo);
  double total = 0;
  for (float v : values)
    if (std::isfinite(v)) {
      hist[std::size_t(std::lround((v - lo) * scale))] += 1;
      total += 1;
    }
  double sumAll = 0;
  for (int i = 0; i < kBins; ++i) sumAll += i * hist[std::size_t(i)];
  double wB = 0, sumB = 0, best = -1;
  int bestBin = 0;
  for (int i = 0; i < kBins; ++i) {
    wB += hist[std::size_t(i)];
    if (wB == 0) continue;
    const double wF = total - wB;
    if (wF == 0) break;
    sumB += i * hist[std::size_t(i)];
    const double mB = sumB / wB, mF = (sumAll - sumB) / wF;
    const double between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      bestBin = i;
    }
  }
  return lo + (bestBin + 0.5) / scale;
}

namespace {

/// Binary entropy in bits of p = v / 255, for every uint8 value.
const std::array<double, 256>& entropyTable() {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (int v = 0; v < 256; ++v) {
      const double p = v / 255.0;
      t[std::size_t(v)] = (p <= 0 || p >= 1) ? 0.0 : -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
    }
    return t;
  }();
  return table;
}
} // namespace

double meanBinaryEntropy(const std::uint8_t* probabilities, std::size_t count) {
  if (count == 0) return 0;
  std::array<std::uint64_t, 256> histogram{};
  for (std::size_t i = 0; i < count; ++i) ++histogram[probabilities[i]];
  const auto& table = entropyTable();
  double sum = 0;
  for (std::size_t v = 0; v < 256; ++v) sum += double(histogram[v]) * table[v];
  return sum / double(count);
}

SliceRanking rankSlicesByUncertainty(const core::volume::Volume& prediction,
                                                                    const std::vector<std::int64_t>& candidates) {
  SliceRanking ranking;
  const std::size_t n = std::size_t(prediction.size().x * prediction.size().y);
  for (std::int64_t z : candidates)
    if (z >= 0 && z < prediction.size().z) ranking.emplace_back(z, meanBinaryEntropy(prediction.slicePtr(z), n));
  std::stable_sort(ranking.begin(), ranking.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return ranking;
}

} // namespace core::ml
