#include "core/phantom/PhantomGeometry.h"

#include "core/phantom/PhantomNoise.h"
#include "core/phantom/PhantomPacking.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace core::phantom {

const char* presetName(PhantomPreset preset) { return preset == PhantomPreset::Simple ? "simple" : "realistic"; }

PhantomPreset parsePreset(const std::string& text) {
  if (text == "realistic") return PhantomPreset::Realistic;
  if (text == "simple") return PhantomPreset::Simple;
  throw std::invalid_argument("phantom: unknown preset '" + text + "' (expected realistic or simple)");
}

PhantomOptions presetOptions(PhantomPreset preset) {
  PhantomOptions o;
  o.preset = preset;
  return o;
}

void validate(const PhantomOptions& o) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("phantom: " + what); };
  auto bad = [](double v) { return !std::isfinite(v); };
  if (o.size.x <= 0 || o.size.y <= 0 || o.size.z <= 0) {
    std::ostringstream s;
    s << "size must be positive in x, y and z (got " << o.size.x << " x " << o.size.y << " x " << o.size.z << ")";
    fail(s.str());
  }
  constexpr std::int64_t kMaxSide = std::int64_t(1) << 20;
  if (o.size.x > kMaxSide || o.size.y > kMaxSide || o.size.z > kMaxSide) fail("size is larger than 2^20 voxels on a side");
  if (bad(o.particleRadiusMin) || bad(o.particleRadiusMax) || o.particleRadiusMin < 2.0)
    fail("particle radius minimum must be at least 2 voxels");
  if (o.particleRadiusMin > o.particleRadiusMax) fail("particle radius minimum is larger than the maximum");
  if (o.particleRadiusMax > 4096) fail("particle radius maximum is larger than 4096 voxels");
  if (bad(o.grainSize) || o.grainSize < 2.0 || o.grainSize > 64.0) fail("grain size must lie in [2, 64] voxels");
  if (bad(o.solidFraction) || o.solidFraction < 0 || o.solidFraction > 0.7) fail("solid fraction must lie in [0, 0.7]");
  if (bad(o.crackedFraction) || o.crackedFraction < 0 || o.crackedFraction > 1) fail("cracked fraction must lie in [0, 1]");
  if (bad(o.interParticleCracks) || o.interParticleCracks < 0 || o.interParticleCracks > 0.9)
    fail("share of cracks between particles must lie in [0, 0.9]");
  if (bad(o.cbdFraction) || o.cbdFraction < 0 || o.cbdFraction > 1) fail("carbon-binder fraction must lie in [0, 1]");
  if (bad(o.noise) || o.noise < 0 || o.noise > 20) fail("noise scale must lie in [0, 20]");
  if (bad(o.blurSigma) || o.blurSigma < 0 || o.blurSigma > 4) fail("blur sigma must lie in [0, 4] voxels");
  if (bad(o.phaseContrast) || o.phaseContrast < 0 || o.phaseContrast > 4) fail("phase contrast must lie in [0, 4]");
  if (o.threads < 0) fail("threads must not be negative");
  if (o.preset != PhantomPreset::Realistic && o.preset != PhantomPreset::Simple) fail("unknown preset");
  const auto& r = o.realism;
  for (double v : {r.lobes, r.pores, r.contactGaps, r.rings, r.streaks, r.drift})
    if (bad(v) || v < 0 || v > 4) fail("realism strengths must lie in [0, 4]");
  if (bad(r.zBlur) || r.zBlur < 0.25 || r.zBlur > 4 || bad(r.xyBlur) || r.xyBlur < 0.25 || r.xyBlur > 4)
    fail("x-y and z blur factors must lie in [0.25, 4]");
  if (o.preset == PhantomPreset::Realistic && o.blurSigma * r.xyBlur * std::max(1.0, r.zBlur) > 6)
    fail("blur sigma times the realistic blur factors must not exceed 6 voxels");
  if (!(o.spacing.x > 0 && o.spacing.y > 0 && o.spacing.z > 0) || bad(o.spacing.x) || bad(o.spacing.y) || bad(o.spacing.z))
    fail("spacing must be positive");
  if (o.imageType == volume::VoxelType::UInt32) fail("image type must be uint8, uint16 or float32 (not uint32)");
}

namespace detail {

namespace {
constexpr std::uint64_t kSaltCracks = 202, kSaltInter = 303, kSaltCbdA = 404, kSaltCbdB = 405,
                        kSaltCalib = 406, kSaltPores = 701, kSaltWidth = 702, kSaltLobes = 703;
// Realistic: how far lobes may reach beyond the sphere. 0: at 0.08 the particle area came closer
// to the real sample's (histogram distance 0.19 instead of 0.24) but touching particles fused and
// the analysis merged 10 of 58 (instead of 6).
constexpr double kLobeBulge = 0.0;
constexpr double kRealOpenPores = 0.45; // realistic: share of the simple preset's open pore space kept

P3 normalised(const P3& a) {
  const double l = std::sqrt(norm2(a));
  return l > 0 ? a * (1.0 / l) : P3{0, 0, 1};
}

/// Two unit vectors completing \p n to an orthonormal basis.
void basis(const P3& n, P3& u, P3& v) {
  const P3 a = std::abs(n.x) < 0.9 ? P3{1, 0, 0} : P3{0, 1, 0};
  u = normalised(cross(n, a));
  v = cross(n, u);
}

/// A random crack normal; nearly horizontal sheets (normal along z) are rare, since they look
/// like smears rather than lines in an XY slice.
P3 crackNormal(Rng& rng) {
  P3 n;
  do rng.unitVector(n.x, n.y, n.z);
  while (std::abs(n.z) > 0.8);
  return n;
}
} // namespace

Geometry::Geometry(const PhantomOptions& options) : m_options(options) {
  validate(options);
  m_margin = std::max(8.0, 0.5 * options.grainSize + 2.0);
  if (realistic()) {
    m_lobeBulge = kLobeBulge * std::clamp(options.realism.lobes, 0.0, 2.0);
    m_lobeDepth = 0.35 * std::clamp(options.realism.lobes, 0.0, 2.0);
    m_lobeKey = saltKey(options.seed, kSaltLobes);
    m_margin += m_lobeBulge * options.particleRadiusMax; // lobes reach beyond the sphere
  }
  placeParticles();
  buildGrid();
  makeCracks();
  if (realistic()) {
    makeRealisticCrackWidths();
    makePores();
  }
  buildGrid(); // again, now with the cracks between particles
  calibrateCbd();
}

double Geometry::lobedRadius(std::size_t index, const P3& p) const {
  const ParticleShape& s = m_particles[index];
  if (m_lobeDepth <= 0) return s.r;
  // Cauliflower: broad lobes (a smooth noise) cut by a network of narrow grooves (where the same
  // noise crosses its middle), on the scale of a third of the radius.
  const double scale = std::clamp(0.3 * s.r, 3.5, 10.0);
  const P3 q = rotated(p - s.c) * (1.0 / scale);
  const std::uint64_t k = mix64(m_lobeKey + index);
  const double broad = valueNoise(q.x, q.y, q.z, k);
  const double ridge = 1.0 - std::abs(2.0 * broad - 1.0);
  const double r2 = ridge * ridge, groove = r2 * r2 * r2;
  return s.r * (1.0 + m_lobeBulge * broad - m_lobeDepth * groove);
}

void Geometry::makeRealisticCrackWidths() {
  // From faint sub-voxel cracks (partial-volume contrast only) to wide open ones of 6 voxels,
  // most of them open: the real sample's cracks are about 0.12 of a particle chord wide (the
  // paper's mask; `cdnet bench phantom --real` prints both). Thinner at the rims and branches.
  for (CrackSheet& c : m_cracks) {
    Rng rng(saltKey(c.key, kSaltWidth));
    const double u = rng.uniform();
    double h = u < 0.08 ? rng.uniform(0.15, 0.45) : u < 0.2 ? rng.uniform(0.5, 1.6) : rng.uniform(1.6, 3.0);
    if (c.clipped) h = std::max(0.2, 0.7 * h); // branches are thinner
    // Small particles do not hold wide cracks: at most a fifth of the radius (or of the
    // smaller neighbour's, between particles).
    const double cap = c.particle ? 0.2 * m_particles[c.particle - 1].r : 0.5 * c.extent;
    h = std::min(h, std::max(0.3, cap));
    c.halfWidthMax = h;
    c.halfWidthMin = std::min(h, 0.2 + 0.2 * h);
    c.partialVolume = true;
  }
}

void Geometry::makePores() {
  const double amount = std::clamp(m_options.realism.pores, 0.0, 4.0);
  if (amount <= 0) return;
  for (std::size_t i = 0; i < m_particles.size(); ++i) {
    ParticleShape& p = m_particles[i];
    Rng rng(saltKey(m_options.seed, kSaltPores + 1000 * std::uint64_t(i)));
    // A hollow core in some large particles (spray-dried precursors), rough-walled.
    if (p.r > 13 && rng.uniform() < 0.22 * amount) {
      P3 off;
      rng.unitVector(off.x, off.y, off.z);
      p.pores.push_back({p.c + off * (0.1 * p.r * rng.uniform()), p.r * rng.uniform(0.22, 0.42), float(rng.uniform(0.2, 0.3))});
    }
    // Small voids and dark inclusions (as dark as cracks) scattered inside.
    const int count = int(amount * rng.uniform(0.0, 1.0) * p.r / 5.0);
    for (int k = 0; k < count; ++k) {
      const double r = std::min(rng.uniform(1.0, 3.2), 0.2 * p.r);
      P3 dir;
      rng.unitVector(dir.x, dir.y, dir.z);
      const double at = std::max(0.0, (0.75 * p.r - r) * std::cbrt(rng.uniform()));
      const bool inclusion = rng.uniform() < 0.35;
      p.pores.push_back({p.c + dir * at, r, float(inclusion ? rng.uniform(0.24, 0.34) : rng.uniform(0.12, 0.22))});
    }
  }
}

void Geometry::placeParticles() { m_particles = packParticles(m_options); }

void Geometry::makeCracks() {
  const auto& o = m_options;
  const double rmax = o.particleRadiusMax;
  int mainCracks = 0;
  for (std::size_t i = 0; i < m_particles.size(); ++i) {
    ParticleShape& p = m_particles[i];
    Rng rng(saltKey(o.seed, kSaltCracks + 1000 * std::uint64_t(i)));
    if (rng.uniform() >= o.crackedFraction) continue;
    // Damage varies a lot from particle to particle: a few are shattered, most have one or two.
    const double severity = rng.uniform();
    const int count = 1 + int(severity * 3.5 * std::sqrt(p.r / rmax) + 0.4 * rng.uniform());
    for (int m = 0; m < count; ++m) {
      CrackSheet c;
      c.n = crackNormal(rng);
      basis(c.n, c.u, c.v);
      P3 off;
      rng.unitVector(off.x, off.y, off.z);
      c.o = p.c + off * (0.25 * p.r * rng.uniform());
      c.extent = p.r * rng.uniform(0.6, 1.3);
      c.halfWidthMax = rng.uniform(0.7, 1.35);
      c.halfWidthMin = 0.5;
      c.intergranular = rng.uniform() < 0.6;
      c.waveAmp = rng.uniform(0.6, 1.8);
      c.waveScale = rng.uniform(5.0, 9.0);
      c.key = rng.next();
      c.particle = std::uint32_t(i + 1);
      p.cracks.push_back(int(m_cracks.size()));
      m_cracks.push_back(c);
      ++mainCracks;
      // Branches start on the parent sheet and run off to one side of it.
      const int branches = rng.uniform() < 0.55 ? 1 + int(rng.uniform() * 1.6) : 0;
      for (int b = 0; b < branches; ++b) {
        const CrackSheet& parent = m_cracks[std::size_t(p.cracks.back())];
        CrackSheet br = parent;
        const double phi = rng.uniform(0, 6.283185307179586), rho = parent.extent * rng.uniform(0.25, 0.65);
        br.o = parent.o + (parent.u * std::cos(phi) + parent.v * std::sin(phi)) * rho;
        const double side = rng.uniform() < 0.5 ? -1.0 : 1.0;
        const P3 w = parent.u * std::cos(phi + 1.5707963) + parent.v * std::sin(phi + 1.5707963);
        const double theta = rng.uniform(0.8, 1.5707963); // 45..90 degrees from the parent plane
        br.n = normalised(parent.n * std::cos(theta) + w * std::sin(theta));
        basis(br.n, br.u, br.v);
        br.extent = parent.extent * rng.uniform(0.3, 0.6);
        br.halfWidthMax = std::max(0.7, parent.halfWidthMax * 0.8);
        br.clipped = true;
        br.clipPoint = br.o;
        br.clipNormal = parent.n * side;
        br.key = rng.next();
        p.cracks.push_back(int(m_cracks.size()));
        m_cracks.push_back(br);
      }
    }
  }

  // Cracks between particles: a sheet through the gap between two neighbours, reaching into both.
  if (m_particles.size() < 2 || o.interParticleCracks <= 0) return;
  Rng rng(saltKey(o.seed, kSaltInter));
  const int wanted = int(std::lround(o.interParticleCracks / (1.0 - o.interParticleCracks) * mainCracks));
  for (int k = 0, tries = 0; k < wanted && tries < 20 * wanted + 20; ++tries) {
    const auto i = std::size_t(rng.uniform() * double(m_particles.size())) % m_particles.size();
    const ParticleShape& a = m_particles[i];
    // Probe just outside the particle: the grid there lists the particles whose surface is near.
    P3 dir;
    rng.unitVector(dir.x, dir.y, dir.z);
    const std::uint32_t* b0;
    const std::uint32_t* b1;
    particlesNear(a.c + dir * (a.r + 2.0), b0, b1);
    // The nearest neighbour whose surface is close.
    const ParticleShape* nb = nullptr;
    double best = std::numeric_limits<double>::max();
    for (const std::uint32_t* q = b0; q != b1; ++q) {
      if (*q == i) continue;
      const ParticleShape& b = m_particles[*q];
      const double gap = std::sqrt(norm2(b.c - a.c)) - a.r - b.r;
      if (gap < 0.4 * rmax && gap < best) {
        best = gap;
        nb = &b;
      }
    }
    if (!nb) continue;
    const P3 axis = normalised(nb->c - a.c);
    CrackSheet c;
    P3 r;
    rng.unitVector(r.x, r.y, r.z);
    c.n = normalised(r - axis * dot(r, axis)); // the sheet contains the line between the centres
    basis(c.n, c.u, c.v);
    const double dist = std::sqrt(norm2(nb->c - a.c));
    c.o = a.c + axis * (a.r + 0.5 * (dist - a.r - nb->r));
    c.extent = std::max(4.0, 0.5 * (dist - a.r - nb->r)) + rng.uniform(0.25, 0.6) * std::min(a.r, nb->r);
    c.halfWidthMax = rng.uniform(0.7, 1.2);
    c.halfWidthMin = 0.5;
    c.intergranular = false;
    c.waveAmp = rng.uniform(0.8, 2.0);
    c.waveScale = rng.uniform(6.0, 10.0);
    c.key = rng.next();
    c.particle = 0;
    m_cracks.push_back(c);
    ++k;
  }
}

void Geometry::buildGrid() {
  const auto& o = m_options;
  const double pad = 2.0 * o.grainSize + 2.0; // grain seeds just outside the volume are looked up too
  m_gridOrigin = {-pad, -pad, -pad};
  const double ex = double(o.size.x - 1) + 2 * pad, ey = double(o.size.y - 1) + 2 * pad, ez = double(o.size.z - 1) + 2 * pad;
  m_cell = std::max(6.0, 0.35 * (o.particleRadiusMax + m_margin));
  while ((ex / m_cell + 1) * (ey / m_cell + 1) * (ez / m_cell + 1) > 4.0e6) m_cell *= 1.25;
  m_invCell = 1.0 / m_cell;
  m_gx = std::int64_t(ex / m_cell) + 1;
  m_gy = std::int64_t(ey / m_cell) + 1;
  m_gz = std::int64_t(ez / m_cell) + 1;
  const auto cells = std::size_t(m_gx * m_gy * m_gz);

  // Calls f(cell) for every cell whose box comes within \p reach of \p c.
  auto forCells = [&](const P3& c, double reach, auto&& f) {
    auto lo = [&](double v, double orig, std::int64_t n) {
      return std::clamp<std::int64_t>(std::int64_t(std::floor((v - reach - orig) / m_cell)), 0, n - 1);
    };
    auto hi = [&](double v, double orig, std::int64_t n) {
      return std::clamp<std::int64_t>(std::int64_t(std::floor((v + reach - orig) / m_cell)), 0, n - 1);
    };
    for (std::int64_t k = lo(c.z, m_gridOrigin.z, m_gz); k <= hi(c.z, m_gridOrigin.z, m_gz); ++k)
      for (std::int64_t j = lo(c.y, m_gridOrigin.y, m_gy); j <= hi(c.y, m_gridOrigin.y, m_gy); ++j)
        for (std::int64_t i = lo(c.x, m_gridOrigin.x, m_gx); i <= hi(c.x, m_gridOrigin.x, m_gx); ++i) {
          const P3 b0{m_gridOrigin.x + double(i) * m_cell, m_gridOrigin.y + double(j) * m_cell, m_gridOrigin.z + double(k) * m_cell};
          const P3 q{std::clamp(c.x, b0.x, b0.x + m_cell), std::clamp(c.y, b0.y, b0.y + m_cell), std::clamp(c.z, b0.z, b0.z + m_cell)};
          if (norm2(q - c) <= reach * reach) f(std::size_t(i + m_gx * (j + m_gy * k)));
        }
  };
  auto build = [&](auto&& each, std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& items) {
    start.assign(cells + 1, 0);
    each([&](std::size_t cell, std::uint32_t) { ++start[cell + 1]; });
    for (std::size_t c = 0; c < cells; ++c) start[c + 1] += start[c];
    items.assign(start[cells], 0);
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    each([&](std::size_t cell, std::uint32_t item) { items[fill[cell]++] = item; });
  };
  build(
      [&](auto&& add) {
        for (std::size_t i = 0; i < m_particles.size(); ++i)
          forCells(m_particles[i].c, m_particles[i].r + m_margin, [&](std::size_t cell) { add(cell, std::uint32_t(i)); });
      },
      m_pStart, m_pItems);
  build(
      [&](auto&& add) {
        for (std::size_t i = 0; i < m_cracks.size(); ++i)
          if (m_cracks[i].particle == 0)
            forCells(m_cracks[i].o, m_cracks[i].reach(), [&](std::size_t cell) { add(cell, std::uint32_t(i)); });
      },
      m_cStart, m_cItems);
}

std::int64_t Geometry::cellOf(const P3& p) const {
  const double fx = std::floor((p.x - m_gridOrigin.x) * m_invCell), fy = std::floor((p.y - m_gridOrigin.y) * m_invCell),
               fz = std::floor((p.z - m_gridOrigin.z) * m_invCell);
  if (fx < 0 || fy < 0 || fz < 0 || fx >= double(m_gx) || fy >= double(m_gy) || fz >= double(m_gz)) return -1;
  return std::int64_t(fx) + m_gx * (std::int64_t(fy) + m_gy * std::int64_t(fz));
}

void Geometry::particlesNear(const P3& p, const std::uint32_t*& begin, const std::uint32_t*& end) const {
  const std::int64_t c = cellOf(p);
  if (c < 0 || m_pItems.empty()) {
    begin = end = nullptr;
    return;
  }
  begin = m_pItems.data() + m_pStart[std::size_t(c)];
  end = m_pItems.data() + m_pStart[std::size_t(c) + 1];
}

void Geometry::interCracksNear(const P3& p, const std::uint32_t*& begin, const std::uint32_t*& end) const {
  const std::int64_t c = cellOf(p);
  if (c < 0 || m_cItems.empty()) {
    begin = end = nullptr;
    return;
  }
  begin = m_cItems.data() + m_cStart[std::size_t(c)];
  end = m_cItems.data() + m_cStart[std::size_t(c) + 1];
}

double Geometry::surfaceDistance(const P3& p) const {
  const std::uint32_t* b;
  const std::uint32_t* e;
  particlesNear(p, b, e);
  double d = m_margin;
  for (; b != e; ++b) d = std::min(d, std::sqrt(norm2(p - m_particles[*b].c)) - m_particles[*b].r);
  return d;
}

double Geometry::cbdField(const P3& p, double surfaceDistance, double* fineOut) const {
  const std::uint64_t ka = saltKey(m_options.seed, kSaltCbdA), kb = saltKey(m_options.seed, kSaltCbdB);
  // A rotated frame hides the axis-aligned lattice of the value noise.
  const P3 q = rotated(p);
  const double coarse = valueNoise(q.x / 9.0, q.y / 9.0, q.z / 9.0, ka);
  const double fine = valueNoise(q.x / 3.5, q.y / 3.5, q.z / 3.5, kb);
  if (fineOut) *fineOut = fine;
  // Binder clings to the particles and bridges their contacts.
  const double near = 0.3 * std::exp(-std::max(surfaceDistance, 0.0) / 3.5);
  return 0.62 * coarse + 0.38 * fine + near;
}

void Geometry::calibrateCbd() {
  const auto& o = m_options;
  if (o.cbdFraction <= 0) {
    m_cbdThreshold = 10.0;
  } else if (o.cbdFraction >= 1) {
    m_cbdThreshold = -10.0;
  }
  // Monte-Carlo over the volume: the threshold that gives the wanted share of the space between
  // the particles; also the solid fraction of the spheres.
  Rng rng(saltKey(o.seed, kSaltCalib));
  constexpr int kSamples = 12000;
  std::vector<double> field;
  field.reserve(kSamples);
  int inside = 0;
  for (int s = 0; s < kSamples; ++s) {
    const P3 p{rng.uniform(0, double(o.size.x - 1)), rng.uniform(0, double(o.size.y - 1)), rng.uniform(0, double(o.size.z - 1))};
    const double d = surfaceDistance(p);
    if (d < 0) {
      ++inside;
      continue;
    }
    field.push_back(cbdField(p, d));
  }
  m_sphereFraction = double(inside) / kSamples;
  if (o.cbdFraction <= 0 || o.cbdFraction >= 1 || field.empty()) return;
  // Realistic: binder fills most of the space between particles (open pores are the rest).
  const double cbd = realistic() ? 1.0 - (1.0 - o.cbdFraction) * kRealOpenPores : o.cbdFraction;
  const auto k = std::size_t(std::clamp((1.0 - cbd) * double(field.size()), 0.0, double(field.size() - 1)));
  std::nth_element(field.begin(), field.begin() + std::ptrdiff_t(k), field.end());
  m_cbdThreshold = field[k];
}

} // namespace detail
} // namespace core::phantom
