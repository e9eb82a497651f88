// Particle packing: radii drawn for the wanted solid fraction, centres at random in a periodic
// box a little larger than the volume, overlaps pushed apart for a while (force-biased packing),
// then the smaller of any pair still overlapping by more than a touch is dropped.
#include "core/phantom/PhantomPacking.h"

#include "core/phantom/PhantomNoise.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace core::phantom::detail {

namespace {
constexpr std::uint64_t kSaltParticles = 101;
constexpr double kSphere = 4.18879020478639; // 4/3 pi

/// The periodic packing box [lo, hi] cut into equal cells of at least twice the largest radius,
/// each holding the alive particles whose centre is there (equal, so that the periodic
/// neighbours of a cell are its 27 around).
class PeriodicGrid {
public:
  PeriodicGrid(const P3& lo, const P3& hi, double rmax, const std::vector<ParticleShape>& placed)
      : m_lo(lo), m_box(hi - lo), m_placed(placed), m_items(placed.size()) {
    double cell = 2.0 * rmax;
    auto dims = [&](double c) {
      return std::array<std::int64_t, 3>{std::max<std::int64_t>(1, std::int64_t((hi.x - lo.x) / c)),
                                         std::max<std::int64_t>(1, std::int64_t((hi.y - lo.y) / c)),
                                         std::max<std::int64_t>(1, std::int64_t((hi.z - lo.z) / c))};
    };
    while (double(dims(cell)[0]) * double(dims(cell)[1]) * double(dims(cell)[2]) > 8.0e6) cell *= 1.25;
    m_d = dims(cell);
    m_cellSize = {(hi.x - lo.x) / double(m_d[0]), (hi.y - lo.y) / double(m_d[1]), (hi.z - lo.z) / double(m_d[2])};
    m_start.resize(std::size_t(m_d[0] * m_d[1] * m_d[2]) + 1);
  }

  /// Sorts the alive particles into the cells again (after they moved).
  void rebuild(const std::vector<char>& alive) {
    std::fill(m_start.begin(), m_start.end(), 0);
    for (std::size_t i = 0; i < m_placed.size(); ++i)
      if (alive[i]) ++m_start[cellOfCentre(m_placed[i].c) + 1];
    for (std::size_t c = 1; c < m_start.size(); ++c) m_start[c] += m_start[c - 1];
    std::vector<std::uint32_t> fill(m_start.begin(), m_start.end() - 1);
    for (std::size_t i = 0; i < m_placed.size(); ++i)
      if (alive[i]) m_items[fill[cellOfCentre(m_placed[i].c)]++] = std::uint32_t(i);
  }

  /// \p v with the box's period taken out (the shortest periodic image).
  P3 wrapped(P3 v) const {
    v.x -= m_box.x * std::round(v.x / m_box.x);
    v.y -= m_box.y * std::round(v.y / m_box.y);
    v.z -= m_box.z * std::round(v.z / m_box.z);
    return v;
  }
  /// A point moved back into the box.
  P3 intoBox(const P3& c) const { return m_lo + wrapped(c - m_lo - m_box * 0.5) + m_box * 0.5; }

  /// Calls f(j) once for each particle j != i in the grid whose centre lies in the cells around i's.
  template <class F>
  void forNeighbours(std::size_t i, F&& f) const {
    const P3& c = m_placed[i].c;
    const std::int64_t cc[3] = {coord(c.x, 0), coord(c.y, 1), coord(c.z, 2)};
    std::int64_t idx[3][3];
    int n[3];
    for (int a = 0; a < 3; ++a) {
      n[a] = 0;
      for (std::int64_t o = -1; o <= 1; ++o) {
        const std::int64_t v = ((cc[a] + o) % m_d[std::size_t(a)] + m_d[std::size_t(a)]) % m_d[std::size_t(a)];
        if (std::find(idx[a], idx[a] + n[a], v) == idx[a] + n[a]) idx[a][n[a]++] = v;
      }
    }
    for (int k = 0; k < n[2]; ++k)
      for (int j = 0; j < n[1]; ++j)
        for (int ii = 0; ii < n[0]; ++ii) {
          const std::size_t cellIndex = std::size_t(idx[0][ii] + m_d[0] * (idx[1][j] + m_d[1] * idx[2][k]));
          for (std::uint32_t q = m_start[cellIndex]; q < m_start[cellIndex + 1]; ++q)
            if (m_items[q] != i) f(std::size_t(m_items[q]));
        }
  }

private:
  std::int64_t coord(double v, int axis) const {
    const double low[3] = {m_lo.x, m_lo.y, m_lo.z};
    return std::clamp<std::int64_t>(std::int64_t(std::floor((v - low[axis]) / m_cellSize[std::size_t(axis)])), 0,
                                    m_d[std::size_t(axis)] - 1);
  }
  std::size_t cellOfCentre(const P3& c) const {
    return std::size_t(coord(c.x, 0) + m_d[0] * (coord(c.y, 1) + m_d[1] * coord(c.z, 2)));
  }

  P3 m_lo, m_box;
  const std::vector<ParticleShape>& m_placed;
  std::array<std::int64_t, 3> m_d{};
  std::array<double, 3> m_cellSize{};
  std::vector<std::uint32_t> m_start, m_items;
};

/// Radii for the wanted solid fraction of the box (more small ones than large), largest first.
std::vector<ParticleShape> drawRadii(const PhantomOptions& o, double boxVol, Rng& rng) {
  const double rmin = o.particleRadiusMin, rmax = o.particleRadiusMax;
  std::vector<ParticleShape> placed;
  // The realistic preset's lobes take about a fifth of each sphere: pack more to make up for it.
  const double solid = o.preset == PhantomPreset::Realistic ? std::min(0.7, 1.35 * o.solidFraction) : o.solidFraction;
  const double target = solid * boxVol;
  const double maxCount = std::min(boxVol / (kSphere * rmin * rmin * rmin) + 1.0, 5.0e7);
  double vol = 0;
  while (vol < target && double(placed.size()) < maxCount) {
    const double r = rmin + (rmax - rmin) * std::pow(rng.uniform(), 1.5);
    placed.push_back({{0, 0, 0}, r, {}, {}});
    vol += kSphere * r * r * r;
  }
  std::sort(placed.begin(), placed.end(), [](const ParticleShape& a, const ParticleShape& b) { return a.r > b.r; });
  return placed;
}

/// Pushes overlapping particles apart for a while (the smaller one moves more).
void relax(std::vector<ParticleShape>& placed, PeriodicGrid& grid, const std::vector<char>& alive) {
  std::vector<P3> shift(placed.size());
  constexpr int kIterations = 80;
  for (int it = 0; it < kIterations; ++it) {
    grid.rebuild(alive);
    std::fill(shift.begin(), shift.end(), P3{});
    double worst = 0;
    for (std::size_t i = 0; i < placed.size(); ++i)
      grid.forNeighbours(i, [&](std::size_t j) {
        if (j < i) return;
        const P3 dc = grid.wrapped(placed[j].c - placed[i].c);
        const double dist = std::sqrt(norm2(dc)), want = placed[i].r + placed[j].r;
        if (dist >= want) return;
        worst = std::max(worst, (want - dist) / want);
        const P3 axis = dist > 1e-9 ? dc * (1.0 / dist) : P3{1, 0, 0};
        const double wi = std::pow(placed[j].r, 3) / (std::pow(placed[i].r, 3) + std::pow(placed[j].r, 3));
        const double push = 0.55 * (want - dist);
        shift[i] = shift[i] - axis * (push * wi);
        shift[j] = shift[j] + axis * (push * (1.0 - wi));
      });
    if (worst < 1.0 - kTouch) break;
    for (std::size_t i = 0; i < placed.size(); ++i) placed[i].c = grid.intoBox(placed[i].c + shift[i]);
  }
}

/// Drops the smaller of any pair still overlapping by more than a touch (largest first: a
/// particle survives unless an earlier survivor overlaps it).
void dropOverlaps(std::vector<ParticleShape>& placed, PeriodicGrid& grid, std::vector<char>& alive) {
  grid.rebuild(alive);
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (!alive[i]) continue;
    grid.forNeighbours(i, [&](std::size_t j) {
      if (j >= i || !alive[j] || !alive[i]) return;
      const double minDist = (placed[i].r + placed[j].r) * kTouch;
      if (norm2(grid.wrapped(placed[j].c - placed[i].c)) < minDist * minDist) alive[i] = 0;
    });
  }
  for (std::size_t i = 0, k = 0; i < placed.size(); ++i)
    if (alive[i]) placed[k++] = placed[i];
  placed.resize(std::size_t(std::count(alive.begin(), alive.end(), 1)));
}

} // namespace

std::vector<ParticleShape> packParticles(const PhantomOptions& o) {
  const double rmax = o.particleRadiusMax, g = o.grainSize;
  const double ext = std::max(1.2 * rmax, g);
  const P3 lo{-ext, -ext, -ext};
  const P3 hi{double(o.size.x - 1) + ext, double(o.size.y - 1) + ext, double(o.size.z - 1) + ext};
  const double boxVol = (hi.x - lo.x) * (hi.y - lo.y) * (hi.z - lo.z);
  Rng rng(saltKey(o.seed, kSaltParticles));

  // Radii first, centres at random; then push overlapping particles apart for a while (a simple
  // force-biased packing, dense like an electrode) and finally drop the smaller of any pair that
  // still overlaps by more than a touch. The packing box is periodic, so that its density is the
  // same everywhere, edges included.
  std::vector<ParticleShape> placed = drawRadii(o, boxVol, rng);
  for (auto& p : placed) p.c = {rng.uniform(lo.x, hi.x), rng.uniform(lo.y, hi.y), rng.uniform(lo.z, hi.z)};
  PeriodicGrid grid(lo, hi, rmax, placed);
  std::vector<char> alive(placed.size(), 1);
  relax(placed, grid, alive);
  dropOverlaps(placed, grid, alive);

  // Keep the particles that reach well into the volume (by more than a grain), so that every
  // kept particle has voxels and ids have no gaps.
  std::vector<ParticleShape> kept;
  for (auto& p : placed) {
    const double cx = std::clamp(p.c.x, 0.0, double(o.size.x - 1));
    const double cy = std::clamp(p.c.y, 0.0, double(o.size.y - 1));
    const double cz = std::clamp(p.c.z, 0.0, double(o.size.z - 1));
    const double depth = p.r - std::sqrt(norm2(p.c - P3{cx, cy, cz}));
    if (depth > g + 1.0) kept.push_back(std::move(p));
  }
  return kept;
}

} // namespace core::phantom::detail
