#include "core/ml/Augmentation.h"

#include "core/labels/LabelConvention.h"
#include "core/ml/ModelOptions.h"

#include <algorithm>
#include <cmath>

namespace core::ml {

namespace {

// Symmetric reflection ("abcd|dcba"), as the reference's reflect fill.
inline int reflect(int i, int n) {
  if (n == 1) return 0;
  const int period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

std::int64_t pickCentre(const TrainingSlice& s, const AugmentOptions& opts, std::mt19937_64& rng) {
  const std::int64_t n = std::int64_t(s.width) * s.height;
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  const bool wantCrack = s.crackCount > 0 && u01(rng) < opts.crackCentredFraction;
  if (!s.labelledPixels.empty() && !wantCrack) {
    std::uniform_int_distribution<std::size_t> pick(0, s.labelledPixels.size() - 1);
    return s.labelledPixels[pick(rng)];
  }
  std::uniform_int_distribution<std::int64_t> any(0, n - 1);
  const std::uint8_t want = wantCrack ? labels::kCrack : 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const std::int64_t i = any(rng);
    const std::uint8_t l = s.labels[std::size_t(i)];
    if (want ? l == want : l != labels::kUnlabelled) return i;
  }
  // Rare classes in large slices: scan from a random start.
  const std::int64_t start = any(rng);
  for (std::int64_t k = 0; k < n; ++k) {
    const std::int64_t i = (start + k) % n;
    const std::uint8_t l = s.labels[std::size_t(i)];
    if (want ? l == want : l != labels::kUnlabelled) return i;
  }
  return start;
}

} // namespace

int cropSizeFor(int requested, int width, int height) {
  const int m = kSizeMultiple;
  const int maxSide = (std::max(width, height) + m - 1) / m * m;
  int c = std::max(m, requested / m * m);
  return std::max(m, std::min(c, maxSide));
}

void sampleCrop(const TrainingSlice& s, int crop, const AugmentOptions& opts, std::mt19937_64& rng, float* image,
                std::uint8_t* labelsOut) {
  const std::int64_t centre = pickCentre(s, opts, rng);
  // The centre voxel's corner: without augmentation the crop copies pixels exactly.
  const double cx = double(centre % s.width), cy = double(centre / s.width);
  // Affine from crop coordinates (relative to the crop centre) to slice coordinates.
  double a = 1, b = 0, c = 0, d = 1;
  if (opts.enabled) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    const double pi = 3.14159265358979323846;
    const double theta = u(rng) * opts.maxRotationDegrees * pi / 180.0;
    const double shear = u(rng) * opts.shear;
    const double zx = 1.0 + u(rng) * opts.zoom, zy = 1.0 + u(rng) * opts.zoom;
    const double fx = (opts.flips && u(rng) < 0) ? -1.0 : 1.0, fy = (opts.flips && u(rng) < 0) ? -1.0 : 1.0;
    // M = R(theta) * Shear * Zoom * Flip
    const double ct = std::cos(theta), st = std::sin(theta);
    const double s00 = 1, s01 = shear, s10 = 0, s11 = 1;
    const double r00 = ct * s00 - st * s10, r01 = ct * s01 - st * s11;
    const double r10 = st * s00 + ct * s10, r11 = st * s01 + ct * s11;
    a = r00 * zx * fx;
    b = r01 * zy * fy;
    c = r10 * zx * fx;
    d = r11 * zy * fy;
  }
  const int w = s.width, h = s.height;
  const double half = crop / 2.0;
  const std::size_t planeSize = std::size_t(w) * h, cropSize = std::size_t(crop) * crop;
  for (int v = 0; v < crop; ++v) {
    const double py = v + 0.5 - half;
    for (int u = 0; u < crop; ++u) {
      const double px = u + 0.5 - half;
      const double sx = cx + a * px + b * py - 0.5, sy = cy + c * px + d * py - 0.5; // pixel-centre coords
      const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
      const float tx = float(sx - x0), ty = float(sy - y0);
      const int xa = reflect(x0, w), xb = reflect(x0 + 1, w), ya = reflect(y0, h), yb = reflect(y0 + 1, h);
      const std::size_t o = std::size_t(v) * crop + u;
      for (int ch = 0; ch < s.channels; ++ch) { // every channel (2.5D neighbours) through the same warp
        const float* plane = s.image.data() + std::size_t(ch) * planeSize;
        const float* row0 = plane + std::size_t(ya) * w;
        const float* row1 = plane + std::size_t(yb) * w;
        const float top = row0[xa] + (row0[xb] - row0[xa]) * tx;
        const float bot = row1[xa] + (row1[xb] - row1[xa]) * tx;
        image[std::size_t(ch) * cropSize + o] = top + (bot - top) * ty;
      }
      const int nx = reflect(int(std::lround(sx)), w), ny = reflect(int(std::lround(sy)), h);
      labelsOut[o] = s.labels[std::size_t(ny) * w + nx];
    }
  }
}

} // namespace core::ml
