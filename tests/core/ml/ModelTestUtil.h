#pragma once
// Small helpers of the core/ml model tests: the message of an exception, random images, the
// largest difference of two outputs, what the CPU is said to have. Qt-free but for errorOf (test_ml_gpu builds without Qt).
#ifdef QT_CORE_LIB
#include <QString>
#endif

#include "core/ml/Precision.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <random>
#include <vector>

namespace mltest {

#ifdef QT_CORE_LIB
/// The message \p f throws (empty when it does not throw).
inline QString errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}
#endif

/// \p n standard-normal floats from \p seed.
inline std::vector<float> randomImage(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d;
  std::vector<float> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = d(rng);
  return v;
}

inline double maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
  return m;
}

/// Forces what the CPU reports (AVX512_BF16 or not) for the lifetime of the object.
struct ForcedBf16 {
  explicit ForcedBf16(bool has) {
    core::ml::CpuBf16Support s;
    s.avx512bf16 = has;
    core::ml::forceCpuBf16SupportForTesting(&s);
  }
  ~ForcedBf16() { core::ml::forceCpuBf16SupportForTesting(nullptr); }
};

} // namespace mltest
