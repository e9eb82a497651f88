#include "core/analysis/CrackVisibility.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace core::analysis {

namespace {

double median(std::vector<float>& v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return double(*mid);
}

/// Sum over the (2r+1)^2 window around every pixel of a slice, clipped at the edges, through a
/// summed-area table.
class BoxSum {
public:
  BoxSum(std::int64_t nx, std::int64_t ny) : m_nx(nx), m_ny(ny), m_t(std::size_t((nx + 1) * (ny + 1)), 0.0) {}
  template <class F>
  void build(F value) {
    for (std::int64_t y = 0; y < m_ny; ++y) {
      double row = 0;
      for (std::int64_t x = 0; x < m_nx; ++x) {
        row += value(x, y);
        at(x + 1, y + 1) = at(x + 1, y) + row;
      }
    }
  }
  double window(std::int64_t x, std::int64_t y, int r) const {
    const std::int64_t x0 = std::max<std::int64_t>(0, x - r), x1 = std::min(m_nx, x + r + 1);
    const std::int64_t y0 = std::max<std::int64_t>(0, y - r), y1 = std::min(m_ny, y + r + 1);
    return m_t[idx(x1, y1)] - m_t[idx(x0, y1)] - m_t[idx(x1, y0)] + m_t[idx(x0, y0)];
  }

private:
  std::size_t idx(std::int64_t x, std::int64_t y) const { return std::size_t(y * (m_nx + 1) + x); }
  double& at(std::int64_t x, std::int64_t y) { return m_t[idx(x, y)]; }
  std::int64_t m_nx, m_ny;
  std::vector<double> m_t;
};

} // namespace

double CrackVisibility::shareBelow(double below) const {
  std::int64_t n = 0;
  for (const VisibilityBin& b : bins)
    if (b.high <= below) n += b.truthVoxels;
  return truthVoxels ? double(n) / double(truthVoxels) : 0.0;
}

double CrackVisibility::recallBelow(double below) const {
  std::int64_t n = 0, f = 0;
  for (const VisibilityBin& b : bins)
    if (b.high <= below) n += b.truthVoxels, f += b.found;
  return n ? double(f) / double(n) : 0.0;
}

double CrackVisibility::recallFrom(double from) const {
  std::int64_t n = 0, f = 0;
  for (const VisibilityBin& b : bins)
    if (b.low >= from) n += b.truthVoxels, f += b.found;
  return n ? double(f) / double(n) : 0.0;
}

CrackVisibility crackVisibility(const volume::Volume& image, const volume::Volume& truth,
                                const volume::Volume& particles, const volume::Volume& predicted, double threshold,
                                int radius, const std::vector<double>& edges) {
  const volume::Size3 n = image.size();
  if (truth.size() != n || particles.size() != n || predicted.size() != n)
    throw std::invalid_argument("crack visibility: the image, truth, particle labels and prediction differ in size");
  if (radius < 1) throw std::invalid_argument("crack visibility: the window radius must be at least 1");
  const volume::Volume grey = image.convertTo(volume::VoxelType::Float32);
  const volume::Volume crack = truth.convertTo(volume::VoxelType::Float32);
  const volume::Volume ids = particles.convertTo(volume::VoxelType::Float32);
  const volume::Volume pred = predicted.convertTo(volume::VoxelType::Float32);
  const float* g = grey.as<float>();
  const float* c = crack.as<float>();
  const float* id = ids.as<float>();
  const float* p = pred.as<float>();
  auto solid = [&](std::size_t i) { return id[i] != 0 && c[i] == 0; };

  CrackVisibility out;
  std::vector<float> particle, pore;
  for (std::size_t i = 0; i < std::size_t(image.voxelCount()); ++i) {
    if (solid(i)) particle.push_back(g[i]);
    else if (id[i] == 0 && c[i] == 0) pore.push_back(g[i]);
  }
  if (particle.empty() || pore.empty())
    throw std::invalid_argument("crack visibility: the image needs particle and pore voxels");
  out.particleGrey = median(particle);
  out.poreGrey = median(pore);
  const double contrast = out.particleGrey - out.poreGrey;
  if (!(std::abs(contrast) > 0)) throw std::invalid_argument("crack visibility: particles and pores have the same grey");

  double lo = -std::numeric_limits<double>::infinity();
  for (double e : edges) {
    out.bins.push_back({lo, e});
    lo = e;
  }
  out.bins.push_back({lo, std::numeric_limits<double>::infinity()});

  double noiseSum = 0;
  std::int64_t noiseCount = 0;
  BoxSum sum(n.x, n.y), count(n.x, n.y);
  for (std::int64_t z = 0; z < n.z; ++z) {
    const std::size_t base = std::size_t(z * n.x * n.y);
    auto i = [&](std::int64_t x, std::int64_t y) { return base + std::size_t(y * n.x + x); };
    sum.build([&](std::int64_t x, std::int64_t y) { return solid(i(x, y)) ? double(g[i(x, y)]) : 0.0; });
    count.build([&](std::int64_t x, std::int64_t y) { return solid(i(x, y)) ? 1.0 : 0.0; });
    for (std::int64_t y = 0; y < n.y; ++y)
      for (std::int64_t x = 0; x < n.x; ++x) {
        const std::size_t k = i(x, y);
        const double m = count.window(x, y, radius);
        if (m <= 0) continue;
        const double local = sum.window(x, y, radius) / m;
        if (solid(k)) {
          const double d = (double(g[k]) - local) / contrast;
          noiseSum += d * d;
          ++noiseCount;
        }
        if (c[k] == 0) continue;
        const double darkening = (local - double(g[k])) / contrast;
        for (VisibilityBin& b : out.bins)
          if (darkening >= b.low && darkening < b.high) {
            ++b.truthVoxels;
            if (double(p[k]) > threshold) ++b.found;
            break;
          }
        ++out.truthVoxels;
      }
  }
  out.noise = noiseCount ? std::sqrt(noiseSum / double(noiseCount)) : 0.0;
  return out;
}

} // namespace core::analysis
