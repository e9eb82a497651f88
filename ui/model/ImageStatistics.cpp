#include "ui/model/ImageStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ui {

namespace {

/// Calls f(rowPointer, rowLength) for a regular subsample of whole rows of \p v.
template <class T, class F> void forSampledRows(const core::volume::Volume& v, std::int64_t maxSamples, F&& f) {
  const auto s = v.size();
  const std::int64_t perSlice = s.x * s.y;
  const std::int64_t zStep = std::max<std::int64_t>(1, (s.count() + maxSamples - 1) / std::max<std::int64_t>(maxSamples, 1));
  const std::int64_t slices = (s.z + zStep - 1) / zStep;
  const std::int64_t yStep = std::max<std::int64_t>(1, (slices * perSlice + maxSamples - 1) / std::max<std::int64_t>(maxSamples, 1));
  const T* data = v.as<T>();
  for (std::int64_t z = s.z / 2 % zStep; z < s.z; z += zStep)
    for (std::int64_t y = 0; y < s.y; y += yStep) f(data + v.index(0, y, z), s.x);
}

template <class T> void computeTyped(const core::volume::Volume& v, std::int64_t maxSamples, std::vector<std::int64_t>& bins,
                                     double& mn, double& mx, double& origin, double& width, std::int64_t& total,
                                     std::int64_t& nan, bool& integerBins) {
  mn = std::numeric_limits<double>::infinity();
  mx = -mn;
  nan = 0;
  forSampledRows<T>(v, maxSamples, [&](const T* row, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      const double x = double(row[i]);
      if constexpr (std::is_floating_point_v<T>) {
        if (!std::isfinite(x)) { ++nan; continue; }
      }
      mn = std::min(mn, x);
      mx = std::max(mx, x);
    }
  });
  if (!(mn <= mx)) { mn = mx = 0; total = 0; return; }
  if constexpr (std::is_integral_v<T> && sizeof(T) <= 2) {
    bins.assign(std::size_t(std::numeric_limits<T>::max()) + 1, 0);
    origin = 0;
    width = 1;
    integerBins = true;
    forSampledRows<T>(v, maxSamples, [&](const T* row, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) ++bins[row[i]];
    });
  } else {
    constexpr int kBins = 4096;
    bins.assign(kBins, 0);
    origin = mn;
    width = mx > mn ? (mx - mn) / kBins : 1.0;
    forSampledRows<T>(v, maxSamples, [&](const T* row, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        const double x = double(row[i]);
        if constexpr (std::is_floating_point_v<T>) {
          if (!std::isfinite(x)) continue;
        }
        ++bins[std::size_t(std::clamp<std::int64_t>(std::int64_t((x - origin) / width), 0, kBins - 1))];
      }
    });
  }
  total = 0;
  for (auto b : bins) total += b;
}

} // namespace

ImageStatistics ImageStatistics::compute(const core::volume::Volume& image, std::int64_t maxSamples) {
  ImageStatistics st;
  if (image.empty() || image.size().empty()) return st;
  core::volume::dispatch(image.type(), [&](auto t) {
    using T = decltype(t);
    computeTyped<T>(image, maxSamples, st.m_bins, st.m_min, st.m_max, st.m_binOrigin, st.m_binWidth, st.m_total, st.m_nan,
                     st.m_integerBins);
  });
  return st;
}

double ImageStatistics::percentile(double percent) const {
  if (m_total == 0 || m_bins.empty()) return 0;
  const double target = std::clamp(percent, 0.0, 100.0) / 100.0 * double(m_total);
  double acc = 0;
  for (std::size_t i = 0; i < m_bins.size(); ++i) {
    const double next = acc + double(m_bins[i]);
    if (next >= target && m_bins[i] > 0) {
      const double frac = (target - acc) / double(m_bins[i]);
      const double v = m_binOrigin + (double(i) + (m_integerBins ? 0.0 : frac)) * m_binWidth;
      return std::clamp(v, m_min, m_max);
    }
    acc = next;
  }
  return m_max;
}

} // namespace ui
