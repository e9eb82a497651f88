#include "core/analysis/Threshold.h"

#include "core/analysis/ParallelFor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace core::analysis {

ThresholdResult thresholdFromHistogram(const std::vector<double>& counts, double lo, double width,
                                       ThresholdMethod method) {
  const int n = int(counts.size());
  // Prefix sums of weight and first moment; bin values at bin centres.
  std::vector<double> w(std::size_t(n) + 1, 0), m(std::size_t(n) + 1, 0);
  for (int i = 0; i < n; ++i) {
    w[std::size_t(i) + 1] = w[std::size_t(i)] + counts[std::size_t(i)];
    m[std::size_t(i) + 1] = m[std::size_t(i)] + counts[std::size_t(i)] * (i + 0.5);
  }
  const double total = w[std::size_t(n)];
  if (total <= 0) throw std::invalid_argument("empty histogram");
  double var = 0;
  const double mean = m[std::size_t(n)] / total;
  for (int i = 0; i < n; ++i) var += counts[std::size_t(i)] * (i + 0.5 - mean) * (i + 0.5 - mean);
  var /= total;
  // Between-class variance term of a class [a, b): W * mu^2 (the constant total mean drops out).
  auto term = [&](int a, int b) {
    const double ww = w[std::size_t(b)] - w[std::size_t(a)];
    if (ww <= 0) return 0.0;
    const double mm = m[std::size_t(b)] - m[std::size_t(a)];
    return mm * mm / ww;
  };
  const double base = total * mean * mean;
  double best2 = -1;
  int t2 = 1;
  for (int t = 1; t < n; ++t) {
    const double s = term(0, t) + term(t, n);
    if (s > best2) best2 = s, t2 = t;
  }
  double best3 = -1;
  int t3a = 1, t3b = 2;
  for (int a = 1; a < n - 1; ++a)
    for (int b = a + 1; b < n; ++b) {
      const double s = term(0, a) + term(a, b) + term(b, n);
      if (s > best3) best3 = s, t3a = a, t3b = b;
    }
  ThresholdResult r;
  r.otsu = lo + width * t2;
  r.multiOtsuLow = lo + width * t3a;
  r.multiOtsuHigh = lo + width * t3b;
  r.separabilityTwo = var > 0 ? (best2 - base) / total / var : 0;
  r.separabilityThree = var > 0 ? (best3 - base) / total / var : 0;
  bool three = method == ThresholdMethod::MultiOtsu;
  if (method == ThresholdMethod::Auto) {
    // The solid (brightest) class on its own when it is a mode of its own: each class holds at
    // least 1% of the voxels and between the means of the two upper classes the (lightly
    // smoothed) histogram dips to at most 0.85 of its height at those means. Halving a single
    // mode gives no dip (ratio ~1); the phantom's binder and particle modes give about 0.5. The
    // two lower classes need no dip between them: pores and binder often blur into one broad
    // dark mode (the realistic phantom), and the particles border the binder, its upper part,
    // so their edge lies half-way between the binder and the particles.
    std::vector<double> hs(std::size_t(n), 0);
    for (int i = 0; i < n; ++i) {
      double acc = 0;
      int c = 0;
      for (int k = std::max(0, i - 2); k <= std::min(n - 1, i + 2); ++k) acc += counts[std::size_t(k)], ++c;
      hs[std::size_t(i)] = acc / c;
    }
    const int edge[4] = {0, t3a, t3b, n};
    int meanBin[3];
    three = true;
    for (int k = 0; k < 3; ++k) {
      const double wk = w[std::size_t(edge[k + 1])] - w[std::size_t(edge[k])];
      three = three && wk >= 0.01 * total;
      meanBin[k] = wk > 0 ? std::clamp(int((m[std::size_t(edge[k + 1])] - m[std::size_t(edge[k])]) / wk), 0, n - 1) : edge[k];
    }
    if (three) {
      const int a = meanBin[1], b = meanBin[2];
      double valley = hs[std::size_t(a)];
      for (int i = a; i <= b; ++i) valley = std::min(valley, hs[std::size_t(i)]);
      three = valley <= 0.85 * std::min(hs[std::size_t(a)], hs[std::size_t(b)]);
    }
  }
  // The threshold sits half-way between the means of the two classes it separates, so that a
  // blurred edge is cut where it is half-way too (surfaces neither shrink nor grow); Otsu decides
  // which classes, the midpoint where.
  auto classMean = [&](int a, int b) {
    const double ww = w[std::size_t(b)] - w[std::size_t(a)];
    return ww > 0 ? (m[std::size_t(b)] - m[std::size_t(a)]) / ww : 0.5 * (a + b);
  };
  const double mid = three ? 0.5 * (classMean(t3a, t3b) + classMean(t3b, n)) : 0.5 * (classMean(0, t2) + classMean(t2, n));
  r.value = lo + width * mid;
  r.method = three ? "multi-otsu" : "otsu";
  return r;
}

void ThresholdHistogram::addRange(const volume::Volume& part) {
  if (!m_counts.empty()) throw std::logic_error("ThresholdHistogram: addRange after addCounts");
  if (part.empty() || part.voxelCount() == 0) return;
  m_integral = part.type() != volume::VoxelType::Float32;
  volume::dispatch(part.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = part.as<T>();
    const int workers = workerCount();
    std::vector<double> lo(std::size_t(workers), m_lo), hi(std::size_t(workers), m_hi);
    parallelFor(part.voxelCount(), 1 << 20, [&](std::int64_t b, std::int64_t e, int wk) {
      double l = lo[std::size_t(wk)], h = hi[std::size_t(wk)];
      for (std::int64_t i = b; i < e; ++i) {
        const double v = double(p[i]);
        if (!std::isfinite(v)) continue;
        l = v < l ? v : l;
        h = v > h ? v : h;
      }
      lo[std::size_t(wk)] = l;
      hi[std::size_t(wk)] = h;
    });
    for (int k = 0; k < workers; ++k) m_lo = std::min(m_lo, lo[std::size_t(k)]), m_hi = std::max(m_hi, hi[std::size_t(k)]);
  });
}

void ThresholdHistogram::addCounts(const volume::Volume& part) {
  if (m_counts.empty()) {
    if (!(m_hi > m_lo)) throw std::invalid_argument("the image has a single grey value: no solid phase can be found");
    // Integer images with a small range get one bin per value.
    constexpr int kBins = 256;
    int bins = kBins;
    m_width = (m_hi - m_lo) / kBins;
    if (m_integral && m_hi - m_lo + 1 <= kBins) bins = int(m_hi - m_lo + 1), m_width = 1;
    m_counts.assign(std::size_t(bins), 0);
  }
  if (part.empty() || part.voxelCount() == 0) return;
  const int bins = int(m_counts.size());
  volume::dispatch(part.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = part.as<T>();
    const int workers = workerCount();
    std::vector<std::vector<double>> hist(std::size_t(workers), std::vector<double>(std::size_t(bins), 0));
    parallelFor(part.voxelCount(), 1 << 20, [&](std::int64_t b, std::int64_t e, int wk) {
      auto& h = hist[std::size_t(wk)];
      for (std::int64_t i = b; i < e; ++i) {
        const double v = double(p[i]);
        if (!std::isfinite(v)) continue;
        int k = int((v - m_lo) / m_width);
        k = k < 0 ? 0 : (k >= bins ? bins - 1 : k);
        h[std::size_t(k)] += 1;
      }
    });
    for (int k = 0; k < workers; ++k)
      for (int i = 0; i < bins; ++i) m_counts[std::size_t(i)] += hist[std::size_t(k)][std::size_t(i)];
  });
}

ThresholdResult ThresholdHistogram::threshold(ThresholdMethod method) const {
  if (m_counts.empty()) throw std::logic_error("ThresholdHistogram: threshold before addCounts");
  return thresholdFromHistogram(m_counts, m_lo, m_width, method);
}

ThresholdResult automaticThreshold(const volume::Volume& image, ThresholdMethod method) {
  if (image.empty() || image.voxelCount() == 0) throw std::invalid_argument("the image is empty");
  ThresholdHistogram h;
  h.addRange(image);
  h.addCounts(image);
  return h.threshold(method);
}

} // namespace core::analysis
