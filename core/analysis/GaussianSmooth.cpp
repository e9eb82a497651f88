#include "core/analysis/GaussianSmooth.h"

#include "core/analysis/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

namespace core::analysis {
namespace {

constexpr std::int64_t kBlock = 32;

/// Mirror index ("reflect": d c b a | a b c d | d c b a) into [0, n).
inline std::int64_t mirror(std::int64_t i, std::int64_t n) {
  if (n == 1) return 0;
  const std::int64_t period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

} // namespace

volume::Volume gaussianSmooth(const volume::Volume& image, double sigma, jobs::ProgressSink& progress,
                              jobs::CancelToken& cancel) {
  volume::Volume out(image.size(), volume::VoxelType::Float32, image.spacing(), image.origin());
  float* o = out.as<float>();
  const std::int64_t nx = image.size().x, ny = image.size().y, nz = image.size().z, n = image.voxelCount();
  volume::dispatch(image.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = image.as<T>();
    parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
      for (std::int64_t i = b; i < e; ++i) o[i] = float(p[i]);
    });
  });
  if (!(sigma > 0)) return out;
  const int radius = std::max(1, int(std::ceil(3 * sigma)));
  std::vector<float> kernel(std::size_t(2 * radius + 1));
  double sum = 0;
  for (int k = -radius; k <= radius; ++k) sum += kernel[std::size_t(k + radius)] = float(std::exp(-0.5 * k * k / (sigma * sigma)));
  for (auto& k : kernel) k = float(k / sum);
  std::atomic<std::int64_t> done{0};
  const double total = double(ny * nz + nz + ny);

  // One axis: lines of length len, sample i of line j at base + i * stride + j (j < width).
  auto pass = [&](std::int64_t outer, std::int64_t len, std::int64_t stride, std::int64_t width, auto baseOf) {
    if (len == 1) return;
    parallelFor(outer, 1, [&](std::int64_t o0, std::int64_t o1, int) {
      std::vector<float> in(std::size_t(len * kBlock)), res(std::size_t(len * kBlock));
      for (std::int64_t q = o0; q < o1; ++q) {
        cancel.throwIfCancelled();
        float* base = o + baseOf(q);
        for (std::int64_t j0 = 0; j0 < width; j0 += kBlock) {
          const std::int64_t bw = std::min(kBlock, width - j0);
          for (std::int64_t i = 0; i < len; ++i)
            std::copy(base + i * stride + j0, base + i * stride + j0 + bw, in.data() + i * kBlock);
          for (std::int64_t i = 0; i < len; ++i) {
            float* r = res.data() + i * kBlock;
            std::fill(r, r + bw, 0.f);
            for (int k = -radius; k <= radius; ++k) {
              const float w = kernel[std::size_t(k + radius)];
              const float* src = in.data() + mirror(i + k, len) * kBlock;
              for (std::int64_t j = 0; j < bw; ++j) r[j] += w * src[j];
            }
          }
          for (std::int64_t i = 0; i < len; ++i)
            std::copy(res.data() + i * kBlock, res.data() + i * kBlock + bw, base + i * stride + j0);
        }
      }
      const std::int64_t d = done.fetch_add(o1 - o0) + (o1 - o0);
      progress.setProgress(std::min(0.999, double(d) / total), "Smoothing");
    });
  };
  // x: rows are contiguous; copy each with mirrored margins and convolve in place.
  if (nx > 1)
    parallelFor(ny * nz, 256, [&](std::int64_t r0, std::int64_t r1, int) {
      std::vector<float> padded(std::size_t(nx + 2 * radius));
      for (std::int64_t r = r0; r < r1; ++r) {
        float* row = o + r * nx;
        for (std::int64_t i = -radius; i < nx + radius; ++i) padded[std::size_t(i + radius)] = row[mirror(i, nx)];
        for (std::int64_t x = 0; x < nx; ++x) {
          float acc = 0;
          const float* src = padded.data() + x;
          for (int k = 0; k <= 2 * radius; ++k) acc += kernel[std::size_t(k)] * src[k];
          row[x] = acc;
        }
      }
      cancel.throwIfCancelled();
      const std::int64_t d = done.fetch_add(r1 - r0) + (r1 - r0);
      progress.setProgress(std::min(0.999, double(d) / total), "Smoothing");
    });
  pass(nz, ny, nx, nx, [&](std::int64_t z) { return z * nx * ny; });
  pass(ny, nz, nx * ny, nx, [&](std::int64_t y) { return y * nx; });
  return out;
}

} // namespace core::analysis
