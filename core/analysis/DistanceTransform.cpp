#include "core/analysis/DistanceTransform.h"

#include "core/analysis/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

namespace core::analysis {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr std::int64_t kBlock = 32; // lines gathered together for the y and z passes

/// Scratch of one thread for the 1D envelope.
struct Envelope {
  std::vector<double> f, z;
  std::vector<int> v;
  void resize(std::int64_t n) {
    f.resize(std::size_t(n));
    z.resize(std::size_t(n + 1));
    v.resize(std::size_t(n));
  }
  /// line[q * stride] = min_p (w (q - p))^2 + line[p * stride] over the n samples (infinite ones
  /// are not sites). Returns false (line untouched) when every sample is infinite.
  bool run(float* line, std::int64_t stride, std::int64_t n, double w) {
    int k = -1;
    const double w2 = w * w, inv2w2 = 1.0 / (2.0 * w2);
    double* fv = f.data();
    double* zv = z.data();
    int* vv = v.data();
    for (int q = 0; q < int(n); ++q) {
      const float fq0 = line[q * stride];
      if (fq0 == kInf) continue;
      const double fq = double(fq0) + w2 * double(q) * double(q);
      double s = 0;
      while (k >= 0) {
        s = (fq - fv[k]) * inv2w2 / double(q - vv[k]);
        if (s <= zv[k]) --k;
        else break;
      }
      ++k;
      vv[k] = q;
      fv[k] = fq; // f + w^2 p^2 of the site
      zv[k] = k == 0 ? -std::numeric_limits<double>::infinity() : s;
    }
    if (k < 0) return false;
    zv[k + 1] = std::numeric_limits<double>::infinity();
    int j = 0;
    for (int q = 0; q < int(n); ++q) {
      while (zv[j + 1] < double(q)) ++j;
      const int p = vv[j];
      // (w (q - p))^2 + f[p] = fv[j] - w^2 p^2 + w^2 (q - p)^2
      const double dq = w * double(q - p);
      line[q * stride] = float(dq * dq + (fv[j] - w2 * double(p) * double(p)));
    }
    return true;
  }
};

} // namespace

void squaredDistanceToZeros(const std::uint8_t* mask, const volume::Size3& size, const volume::Vec3& spacing,
                            float* out, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z;
  if (size.empty()) return;
  const std::int64_t rows = ny * nz;
  std::atomic<std::int64_t> done{0};
  const double totalWork = double(rows) + double(nz) + double(ny);
  auto report = [&](std::int64_t add) {
    const std::int64_t d = done.fetch_add(add) + add;
    progress.setProgress(std::min(0.999, double(d) / totalWork), "Distance map");
  };

  // Pass 1, along x: distance to the nearest zero in the row, by two sweeps.
  const double wx = spacing.x;
  parallelFor(rows, 64, [&](std::int64_t r0, std::int64_t r1, int) {
    cancel.throwIfCancelled();
    for (std::int64_t r = r0; r < r1; ++r) {
      const std::uint8_t* m = mask + r * nx;
      float* o = out + r * nx;
      std::int64_t last = -1;
      for (std::int64_t x = 0; x < nx; ++x) {
        if (!m[x]) last = x;
        o[x] = last < 0 ? kInf : float(x - last);
      }
      last = -1;
      for (std::int64_t x = nx - 1; x >= 0; --x) {
        if (!m[x]) last = x;
        if (last >= 0) o[x] = std::min(o[x], float(last - x));
        if (o[x] != kInf) o[x] = float((double(o[x]) * wx) * (double(o[x]) * wx));
      }
    }
    report(r1 - r0);
  });

  // Passes 2 (y) and 3 (z): the lower envelope along lines, gathered kBlock lines at a time so the
  // strided reads stay in cache.
  const int workers = workerCount();
  std::vector<Envelope> scratch(static_cast<std::size_t>(workers));
  std::vector<std::vector<float>> gather(static_cast<std::size_t>(workers));
  auto pass = [&](std::int64_t outer, std::int64_t lineLength, std::int64_t stride, double w,
                  auto baseOf) {
    parallelFor(outer, 1, [&](std::int64_t o0, std::int64_t o1, int worker) {
      Envelope& env = scratch[std::size_t(worker)];
      env.resize(lineLength);
      std::vector<float>& buf = gather[std::size_t(worker)];
      buf.resize(std::size_t(kBlock * lineLength));
      for (std::int64_t o = o0; o < o1; ++o) {
        cancel.throwIfCancelled();
        float* base = out + baseOf(o);
        for (std::int64_t x0 = 0; x0 < nx; x0 += kBlock) {
          const std::int64_t bw = std::min(kBlock, nx - x0);
          // buf[i * kBlock + j] = sample i of line j: contiguous copies in and out.
          for (std::int64_t i = 0; i < lineLength; ++i)
            std::copy(base + i * stride + x0, base + i * stride + x0 + bw, buf.data() + i * kBlock);
          for (std::int64_t j = 0; j < bw; ++j) env.run(buf.data() + j, kBlock, lineLength, w);
          for (std::int64_t i = 0; i < lineLength; ++i)
            std::copy(buf.data() + i * kBlock, buf.data() + i * kBlock + bw, base + i * stride + x0);
        }
      }
      report(o1 - o0);
    });
  };
  if (ny > 1) pass(nz, ny, nx, spacing.y, [&](std::int64_t z) { return z * nx * ny; });
  else report(nz);
  if (nz > 1) pass(ny, nz, nx * ny, spacing.z, [&](std::int64_t y) { return y * nx; });
  else report(ny);
}

} // namespace core::analysis
