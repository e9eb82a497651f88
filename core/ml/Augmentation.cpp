#include "core/ml/Augmentation.h"

#include "core/labels/LabelConvention.h"
#include "core/ml/ModelOptions.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

constexpr int kElasticSpacing = 32; // crop pixels between control points of the elastic field

/// A smooth random displacement field over a crop: random vectors on a grid of control points,
/// bilinear between them. Empty (no draw) when opts.elastic is 0.
struct ElasticField {
  int nodes = 0;
  std::vector<double> dx, dy;
  ElasticField(int crop, double amplitude, std::mt19937_64& rng) {
    if (!(amplitude > 0)) return;
    nodes = crop / kElasticSpacing + 2;
    std::uniform_real_distribution<double> u(-amplitude, amplitude);
    dx.resize(std::size_t(nodes) * nodes);
    dy.resize(dx.size());
    for (std::size_t i = 0; i < dx.size(); ++i) {
      dx[i] = u(rng);
      dy[i] = u(rng);
    }
  }
  void at(int u, int v, double& ox, double& oy) const {
    ox = oy = 0;
    if (nodes == 0) return;
    const double gx = double(u) / kElasticSpacing, gy = double(v) / kElasticSpacing;
    const int ix = std::min(int(gx), nodes - 2), iy = std::min(int(gy), nodes - 2);
    const double tx = gx - ix, ty = gy - iy;
    const auto mix = [&](const std::vector<double>& f) {
      const std::size_t r0 = std::size_t(iy) * nodes + ix, r1 = r0 + std::size_t(nodes);
      const double top = f[r0] + (f[r0 + 1] - f[r0]) * tx, bot = f[r1] + (f[r1 + 1] - f[r1]) * tx;
      return top + (bot - top) * ty;
    };
    ox = mix(dx);
    oy = mix(dy);
  }
};

/// Separable Gaussian blur of one plane in place, reflect at the borders.
void gaussianBlur(float* plane, int w, int h, double sigma, std::vector<float>& tmp) {
  const int r = std::max(1, int(std::ceil(3 * sigma)));
  std::vector<float> k(std::size_t(2 * r + 1));
  float sum = 0;
  for (int i = -r; i <= r; ++i) sum += k[std::size_t(i + r)] = float(std::exp(-0.5 * i * i / (sigma * sigma)));
  for (float& v : k) v /= sum;
  tmp.assign(std::size_t(w) * h, 0.0f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[std::size_t(i + r)] * plane[std::size_t(y) * w + reflect(x + i, w)];
      tmp[std::size_t(y) * w + x] = acc;
    }
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      float acc = 0;
      for (int i = -r; i <= r; ++i) acc += k[std::size_t(i + r)] * tmp[std::size_t(reflect(y + i, h)) * w + x];
      plane[std::size_t(y) * w + x] = acc;
    }
}

} // namespace

void jitterIntensity(float* image, int channels, int width, int height, const AugmentOptions& opts,
                     std::mt19937_64& rng) {
  if (!opts.hasIntensity()) return;
  std::uniform_real_distribution<double> u(-1.0, 1.0), u01(0.0, 1.0);
  const double gamma = opts.gamma > 0 ? std::exp(u(rng) * opts.gamma) : 1.0;
  const double contrast = opts.contrast > 0 ? 1.0 + u(rng) * opts.contrast : 1.0;
  const double brightness = opts.brightness > 0 ? u(rng) * opts.brightness : 0.0;
  const double blur = opts.blur > 0 ? u01(rng) * opts.blur : 0.0;
  const double noise = opts.noise > 0 ? u01(rng) * opts.noise : 0.0;
  const std::size_t plane = std::size_t(width) * height, n = plane * std::size_t(channels);
  if (gamma != 1.0) { // on the crop's grey range [lo, hi], which stays the range
    const auto [lo, hi] = std::minmax_element(image, image + n);
    const float a = *lo, span = *hi - *lo;
    if (span > 0)
      for (std::size_t i = 0; i < n; ++i) image[i] = a + span * float(std::pow((image[i] - a) / span, gamma));
  }
  if (contrast != 1.0 || brightness != 0.0)
    for (std::size_t i = 0; i < n; ++i) image[i] = float(image[i] * contrast + brightness);
  if (blur > 0.3) { // below that a 3-tap kernel is nearly the identity
    std::vector<float> tmp;
    for (int c = 0; c < channels; ++c) gaussianBlur(image + std::size_t(c) * plane, width, height, blur, tmp);
  }
  if (noise > 0) {
    std::normal_distribution<float> g(0.0f, float(noise));
    for (std::size_t i = 0; i < n; ++i) image[i] += g(rng);
  }
}

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
    double zx = 1.0 + u(rng) * opts.zoom, zy = 1.0 + u(rng) * opts.zoom;
    if (opts.hasScale()) { // crop coordinates to slice coordinates: a magnification m divides both
      const double lo = std::log(opts.scaleMin), hi = std::log(opts.scaleMax);
      const double m = std::exp(lo + (hi - lo) * 0.5 * (u(rng) + 1.0));
      zx /= m;
      zy /= m;
    }
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
  const ElasticField field(crop, opts.enabled ? opts.elastic : 0.0, rng);
  const int w = s.width, h = s.height;
  const double half = crop / 2.0;
  const std::size_t planeSize = std::size_t(w) * h, cropSize = std::size_t(crop) * crop;
  for (int v = 0; v < crop; ++v) {
    for (int u = 0; u < crop; ++u) {
      double ox, oy;
      field.at(u, v, ox, oy);
      const double px = u + 0.5 - half + ox, py = v + 0.5 - half + oy;
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
  if (opts.enabled) jitterIntensity(image, s.channels, crop, crop, opts, rng);
}

} // namespace core::ml
