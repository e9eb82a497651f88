// Thin-structure metrics of Metrics.h: Zhang-Suen skeletons for clDice, boundaries at one-pixel
// tolerance for boundary F1, every pixel at one-pixel tolerance for the relaxed F1. Plain loops
// (core/ml links no OpenCV in the CDNET_ML_ONLY build).
#include "core/ml/Metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace core::ml {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(std::int64_t a, std::int64_t b) { return b == 0 ? kNaN : double(a) / double(b); }

/// Harmonic mean with the conventions of clDice and boundary F1: 1 when both sides are empty, 0
/// when one is (or both terms are 0).
double harmonic(double p, double r, bool predEmpty, bool truthEmpty) {
  if (predEmpty && truthEmpty) return 1.0;
  if (predEmpty || truthEmpty || !(p + r > 0)) return 0.0;
  return 2.0 * p * r / (p + r);
}
} // namespace

ThinCounts& ThinCounts::operator+=(const ThinCounts& o) {
  predSkeleton += o.predSkeleton;
  predSkeletonInTruth += o.predSkeletonInTruth;
  truthSkeleton += o.truthSkeleton;
  truthSkeletonInPred += o.truthSkeletonInPred;
  predBoundary += o.predBoundary;
  predBoundaryMatched += o.predBoundaryMatched;
  truthBoundary += o.truthBoundary;
  truthBoundaryMatched += o.truthBoundaryMatched;
  predPixels += o.predPixels;
  predNearTruth += o.predNearTruth;
  truthPixels += o.truthPixels;
  truthNearPred += o.truthNearPred;
  return *this;
}
double ThinCounts::topologyPrecision() const { return ratio(predSkeletonInTruth, predSkeleton); }
double ThinCounts::topologySensitivity() const { return ratio(truthSkeletonInPred, truthSkeleton); }
double ThinCounts::clDice() const {
  return harmonic(topologyPrecision(), topologySensitivity(), predSkeleton == 0, truthSkeleton == 0);
}
double ThinCounts::boundaryPrecision() const { return ratio(predBoundaryMatched, predBoundary); }
double ThinCounts::boundaryRecall() const { return ratio(truthBoundaryMatched, truthBoundary); }
double ThinCounts::boundaryF1() const {
  return harmonic(boundaryPrecision(), boundaryRecall(), predBoundary == 0, truthBoundary == 0);
}
double ThinCounts::relaxedPrecision() const { return ratio(predNearTruth, predPixels); }
double ThinCounts::relaxedRecall() const { return ratio(truthNearPred, truthPixels); }
double ThinCounts::relaxedF1() const {
  return harmonic(relaxedPrecision(), relaxedRecall(), predPixels == 0, truthPixels == 0);
}

std::vector<std::uint8_t> skeletonize(const std::uint8_t* mask, int width, int height) {
  const std::int64_t n = std::int64_t(width) * height;
  std::vector<std::uint8_t> s(std::size_t(n), 0);
  for (std::int64_t i = 0; i < n; ++i) s[std::size_t(i)] = mask[i] != 0;
  auto at = [&](int x, int y) -> int {
    return x < 0 || y < 0 || x >= width || y >= height ? 0 : s[std::size_t(std::int64_t(y) * width + x)];
  };
  // Only pixels with a background 8-neighbour can be deleted (deletion needs at most 6
  // foreground neighbours), and a pixel that both passes kept stays kept until a neighbour goes:
  // candidates are the border pixels, dropped after two passes unchanged and listed again when a
  // neighbour is deleted, so thinning costs about the mask's area instead of area x radius.
  std::vector<std::uint8_t> listed(std::size_t(n), 0), age(std::size_t(n), 0);
  std::vector<std::int32_t> candidates, remove;
  auto list = [&](std::int32_t i) {
    if (!s[std::size_t(i)]) return;
    age[std::size_t(i)] = 0;
    if (listed[std::size_t(i)]) return;
    const int x = int(i % width), y = int(i / width);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if ((dx || dy) && !at(x + dx, y + dy)) {
          listed[std::size_t(i)] = 1;
          candidates.push_back(i);
          return;
        }
  };
  for (std::int64_t i = 0; i < n; ++i) list(std::int32_t(i));
  for (bool changed = true; changed;) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {
      remove.clear();
      for (const std::int32_t i : candidates) {
        const int x = int(i % width), y = int(i / width);
        // P2..P9 clockwise from north.
        const int p[8] = {at(x, y - 1), at(x + 1, y - 1), at(x + 1, y),     at(x + 1, y + 1),
                          at(x, y + 1), at(x - 1, y + 1), at(x - 1, y),     at(x - 1, y - 1)};
        int b = 0, a = 0;
        for (int k = 0; k < 8; ++k) {
          b += p[k];
          a += p[k] == 0 && p[(k + 1) % 8] == 1;
        }
        if (b < 2 || b > 6 || a != 1) continue;
        const bool ok = pass == 0 ? (p[0] * p[2] * p[4] == 0 && p[2] * p[4] * p[6] == 0)
                                  : (p[0] * p[2] * p[6] == 0 && p[0] * p[4] * p[6] == 0);
        if (ok) remove.push_back(i);
      }
      for (const std::int32_t i : remove) s[std::size_t(i)] = 0;
      changed = changed || !remove.empty();
      std::size_t k = 0;
      for (const std::int32_t i : candidates) {
        if (s[std::size_t(i)] && ++age[std::size_t(i)] < 2) candidates[k++] = i;
        else listed[std::size_t(i)] = 0;
      }
      candidates.resize(k);
      for (const std::int32_t i : remove) {
        const int x = int(i % width), y = int(i / width);
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int u = x + dx, v = y + dy;
            if (u >= 0 && v >= 0 && u < width && v < height) list(std::int32_t(std::int64_t(v) * width + u));
          }
      }
    }
  }
  // Zhang-Suen erases some small components (a 2x2 block) entirely: keep one pixel of each.
  std::vector<std::int32_t> component(std::size_t(n), -1), stack;
  std::int32_t next = 0;
  for (std::int64_t start = 0; start < n; ++start) {
    if (!mask[start] || component[std::size_t(start)] >= 0) continue;
    bool kept = false;
    stack.assign(1, std::int32_t(start));
    component[std::size_t(start)] = next;
    while (!stack.empty()) {
      const std::int32_t i = stack.back();
      stack.pop_back();
      kept = kept || s[std::size_t(i)];
      const int x = int(i % width), y = int(i / width);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int u = x + dx, v = y + dy;
          if (u < 0 || v < 0 || u >= width || v >= height) continue;
          const std::int64_t j = std::int64_t(v) * width + u;
          if (mask[j] && component[std::size_t(j)] < 0) {
            component[std::size_t(j)] = next;
            stack.push_back(std::int32_t(j));
          }
        }
    }
    if (!kept) s[std::size_t(start)] = 1;
    ++next;
  }
  return s;
}

namespace {
std::vector<std::uint8_t> boundary(const std::uint8_t* m, int width, int height) {
  std::vector<std::uint8_t> b(std::size_t(width) * std::size_t(height), 0);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const std::int64_t i = std::int64_t(y) * width + x;
      if (!m[i]) continue;
      const bool inner = x > 0 && y > 0 && x + 1 < width && y + 1 < height && m[i - 1] && m[i + 1] && m[i - width] &&
                         m[i + width];
      b[std::size_t(i)] = !inner;
    }
  return b;
}

bool near(const std::uint8_t* b, int x, int y, int width, int height) {
  for (int v = std::max(0, y - 1); v <= std::min(height - 1, y + 1); ++v)
    for (int u = std::max(0, x - 1); u <= std::min(width - 1, x + 1); ++u)
      if (b[std::size_t(std::int64_t(v) * width + u)]) return true;
  return false;
}
} // namespace

ThinCounts thinCounts(const std::uint8_t* predicted, const std::uint8_t* truth, int width, int height,
                      const std::uint8_t* counted) {
  ThinCounts c;
  const std::int64_t n = std::int64_t(width) * height;
  bool anyP = false, anyT = false;
  for (std::int64_t i = 0; i < n && !(anyP && anyT); ++i) {
    anyP = anyP || predicted[i];
    anyT = anyT || truth[i];
  }
  if (!anyP && !anyT) return c;
  const std::vector<std::uint8_t> sp = anyP ? skeletonize(predicted, width, height) : std::vector<std::uint8_t>(std::size_t(n), 0);
  const std::vector<std::uint8_t> st = anyT ? skeletonize(truth, width, height) : std::vector<std::uint8_t>(std::size_t(n), 0);
  const std::vector<std::uint8_t> bp = boundary(predicted, width, height), bt = boundary(truth, width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const std::size_t i = std::size_t(std::int64_t(y) * width + x);
      if (counted && !counted[i]) continue;
      if (sp[i]) {
        ++c.predSkeleton;
        c.predSkeletonInTruth += truth[i] != 0;
      }
      if (st[i]) {
        ++c.truthSkeleton;
        c.truthSkeletonInPred += predicted[i] != 0;
      }
      if (bp[i]) {
        ++c.predBoundary;
        c.predBoundaryMatched += near(bt.data(), x, y, width, height);
      }
      if (bt[i]) {
        ++c.truthBoundary;
        c.truthBoundaryMatched += near(bp.data(), x, y, width, height);
      }
      if (predicted[i]) {
        ++c.predPixels;
        c.predNearTruth += near(truth, x, y, width, height);
      }
      if (truth[i]) {
        ++c.truthPixels;
        c.truthNearPred += near(predicted, x, y, width, height);
      }
    }
  return c;
}

} // namespace core::ml
