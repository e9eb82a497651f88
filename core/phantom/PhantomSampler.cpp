#include "core/phantom/PhantomSampler.h"

#include "core/phantom/PhantomNoise.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace core::phantom::detail {

namespace {
constexpr std::uint64_t kSaltGrain = 501, kSaltTexture = 503, kSaltBinder = 504, kSaltReal = 505;
constexpr double kBinderPores = 0.25; // sponge texture below this is a small pore in the binder
constexpr double kCoreDepth = 0.25; // grains decide the surface between r - kCoreDepth g ...
constexpr double kBulge = 0.25;     // ... and r + kBulge g
constexpr double kRealBinderPores = 0.15; // realistic: fewer, smaller pores in the binder
constexpr double kRealSeam = 0.3;
constexpr double kRealBinderLevel = 0.34; // realistic: binder darker against the particles, as measured  // realistic: darkening of the seams between grains
constexpr double kRealTint = 0.12;  // realistic: spread of grain brightness
} // namespace

Sampler::Sampler(const Geometry& geometry)
    : m_geo(geometry), m_g(geometry.grainSize()), m_grainKey(saltKey(geometry.options().seed, kSaltGrain)),
      m_textureKey(saltKey(geometry.options().seed, kSaltTexture)),
      m_binderKey(saltKey(geometry.options().seed, kSaltBinder)), m_realKey(saltKey(geometry.options().seed, kSaltReal)),
      m_real(geometry.realistic()) {
  // Voxels lie in [0, size); their cells and one cell around them.
  const auto& size = geometry.options().size;
  m_cx0 = -1;
  m_cy0 = -1;
  m_ncx = std::int64_t(std::floor(double(size.x - 1) / m_g)) + 3;
  m_ncy = std::int64_t(std::floor(double(size.y - 1) / m_g)) + 3;
}

std::uint32_t Sampler::ownerOf(const P3& s) const {
  const std::uint32_t* b;
  const std::uint32_t* e;
  m_geo.particlesNear(s, b, e);
  std::uint32_t owner = 0;
  double best = 1.0;
  for (; b != e; ++b) {
    const ParticleShape& p = m_geo.particles()[*b];
    const double q = norm2(s - p.c) / (p.r * p.r);
    if (q < best) {
      best = q;
      owner = *b + 1;
    }
  }
  return owner;
}

// Grains are the Voronoi cells of one jittered seed per cubic cell of the grain size (Worley).
// Seeds are computed once per layer of cells and reused by every voxel near that layer.
const Sampler::Layer& Sampler::layer(std::int64_t cz) {
  Layer& l = m_layers[std::size_t(((cz % 4) + 4) % 4)];
  if (l.cz == cz) return l;
  l.seeds.resize(std::size_t(m_ncx * m_ncy));
  for (std::int64_t j = 0; j < m_ncy; ++j)
    for (std::int64_t i = 0; i < m_ncx; ++i) {
      const std::int64_t cx = m_cx0 + i, cy = m_cy0 + j;
      const std::uint64_t h = hash3(cx, cy, cz, m_grainKey);
      const double ux = double(h & 0x1fffff) / 2097152.0, uy = double((h >> 21) & 0x1fffff) / 2097152.0,
                   uz = double((h >> 42) & 0x1fffff) / 2097152.0;
      Seed& s = l.seeds[std::size_t(i + m_ncx * j)];
      s.p = {(double(cx) + ux) * m_g, (double(cy) + uy) * m_g, (double(cz) + uz) * m_g};
      s.tint = 2.0 * unitFromHash(mix64(h)) - 1.0;
      s.owner = ownerOf(s.p);
    }
  l.cz = cz;
  return l;
}

void Sampler::loadCell(std::int64_t cx, std::int64_t cy, std::int64_t cz) {
  Cell& c = m_cell;
  if (c.valid && cx == c.cx && cy == c.cy && cz == c.cz) return;
  c.corner = {double(cx) * m_g, double(cy) * m_g, double(cz) * m_g};
  int n = 0;
  for (std::int64_t k = -1; k <= 1; ++k) {
    const Layer& l = layer(cz + k);
    for (std::int64_t j = -1; j <= 1; ++j)
      for (std::int64_t i = -1; i <= 1; ++i, ++n) {
        const Seed& s = l.seeds[std::size_t((cx + i - m_cx0) + m_ncx * (cy + j - m_cy0))];
        c.x[n] = float(s.p.x - c.corner.x);
        c.y[n] = float(s.p.y - c.corner.y);
        c.z[n] = float(s.p.z - c.corner.z);
        c.tint[n] = float(s.tint);
        c.owner[n] = s.owner;
      }
  }
  for (; n < Cell::kPadded; ++n) c.x[n] = c.y[n] = c.z[n] = 1.0e4f;
  c.cx = cx;
  c.cy = cy;
  c.cz = cz;
  c.valid = true;
}

bool Sampler::crackHit(const CrackSheet& c, const P3& p, std::uint32_t particle, int s1, const float* d2, float* dark) const {
  const P3 q = p - c.o;
  const double sp = dot(q, c.n);
  const double pv = c.partialVolume ? 1.0 : 0.0; // partial-volume sheets darken half a voxel beyond
  const double band = (c.intergranular ? 1.7 * m_g + c.halfWidthMax : c.waveAmp + c.halfWidthMax + 0.5) + pv;
  if (std::abs(sp) > band) return false;
  if (c.clipped && dot(p - c.clipPoint, c.clipNormal) < 0) return false;
  const double rho2 = std::max(0.0, norm2(q) - sp * sp);
  if (rho2 > 1.5625 * c.extent * c.extent) return false;
  // The largest half width anywhere on this crack (with partial volume: where it darkens).
  const double hMax = c.partialVolume ? std::max(1.15 * c.halfWidthMax, 0.5) + 0.5 : 1.15 * c.halfWidthMax;

  // Distance to the crack surface.
  double dist;
  if (!c.intergranular) {
    const double w = c.waveAmp * (2.0 * valueNoise(p.x / c.waveScale, p.y / c.waveScale, p.z / c.waveScale, c.key ^ 0x73ull) - 1.0);
    dist = std::abs(sp - w);
  } else {
    // The boundary between the grains whose seeds lie on either side of the plane.
    if (s1 < 0) return false;
    const Cell& cell = m_cell;
    const double base = dot(cell.corner - c.o, c.n); // seed side: base + dot(local seed, n)
    auto side = [&](int j) { return base + double(cell.x[j]) * c.n.x + double(cell.y[j]) * c.n.y + double(cell.z[j]) * c.n.z >= 0; };
    const bool side1 = side(s1);
    const float d1 = std::sqrt(d2[s1]);
    const float reject = (d1 + 2.0f * float(hMax)) * (d1 + 2.0f * float(hMax));
    float best = 1.0e9f;
    for (int j = 0; j < Cell::kSeeds; ++j) {
      if (j == s1 || d2[j] > reject || cell.owner[j] != particle || side(j) == side1) continue;
      const float dx = cell.x[j] - cell.x[s1], dy = cell.y[j] - cell.y[s1], dz = cell.z[j] - cell.z[s1];
      best = std::min(best, (d2[j] - d2[s1]) / (2.0f * std::sqrt(dx * dx + dy * dy + dz * dz)));
    }
    dist = double(best);
  }
  if (dist >= hMax) return false;
  // A ragged rim; thinner towards it, and a little uneven along the crack.
  const double rim = c.extent * (0.75 + 0.5 * valueNoise(p.x / 6.0, p.y / 6.0, p.z / 6.0, c.key));
  const double rho = std::sqrt(rho2);
  if (rho >= rim) return false;
  double h = c.halfWidthMin + (c.halfWidthMax - c.halfWidthMin) * std::sqrt(1.0 - rho / rim);
  h *= 0.85 + 0.3 * valueNoise(p.x / 4.0, p.y / 4.0, p.z / 4.0, c.key ^ 0x51ull);
  if (!c.partialVolume) return dist < h;
  // The truth is the voxels whose centre lies in the sheet, at least a one-voxel line; the grey
  // darkening is the share of the voxel the sheet covers (faint for sub-voxel cracks) times a
  // contrast that varies along the crack and drops where stretches are partly filled.
  if (dark) {
    const double cover = std::clamp(std::min(h, dist + 0.5) - std::max(-h, dist - 0.5), 0.0, 1.0);
    if (cover > 0) {
      double contrast = 0.7 + 0.3 * valueNoise(p.x / 7.0, p.y / 7.0, p.z / 7.0, c.key ^ 0x99ull);
      const double filled = valueNoise(p.x / 11.0, p.y / 11.0, p.z / 11.0, c.key ^ 0x3cull);
      if (filled > 0.65) contrast *= std::max(0.3, 1.0 - 6.0 * (filled - 0.65));
      *dark = float(cover * contrast);
    }
  }
  return dist < std::max(h, 0.5);
}

bool Sampler::contactGap(const P3& p, const std::uint32_t* begin, const std::uint32_t* end) const {
  const double strength = m_geo.options().realism.contactGaps;
  if (strength <= 0) return false;
  const double widest = 7.5 * strength;
  // The two nearest sphere surfaces; then their lobed surfaces, and a gap of varying width.
  double d1 = 1e9, d2 = 1e9;
  std::uint32_t i1 = 0, i2 = 0;
  const auto& particles = m_geo.particles();
  for (const std::uint32_t* b = begin; b != end; ++b) {
    const double d = std::sqrt(norm2(p - particles[*b].c)) - particles[*b].r;
    if (d < d1) {
      d2 = d1, i2 = i1;
      d1 = d, i1 = *b;
    } else if (d < d2) {
      d2 = d, i2 = *b;
    }
  }
  if (d2 > widest || d1 + d2 > widest) return false;
  const double e1 = std::sqrt(norm2(p - particles[i1].c)) - m_geo.lobedRadius(i1, p);
  const double e2 = std::sqrt(norm2(p - particles[i2].c)) - m_geo.lobedRadius(i2, p);
  // Narrower between small particles.
  const double scale = std::clamp(std::min(particles[i1].r, particles[i2].r) / 14.0, 0.35, 1.0);
  const double w = strength * scale * (2.5 + 5.0 * valueNoise(p.x / 5.0, p.y / 5.0, p.z / 5.0, m_realKey));
  return e1 > -0.5 && e2 > -0.5 && e1 + e2 < w;
}

double Sampler::poreLevel(std::uint32_t id, const P3& p) const {
  for (const PoreShape& pore : m_geo.particles()[id - 1].pores) {
    const double d2 = norm2(p - pore.c), rmax = 1.25 * pore.r;
    if (d2 >= rmax * rmax) continue;
    const P3 q = rotated(p) * (1.0 / 2.2);
    const double r = pore.r * (0.75 + 0.5 * valueNoise(q.x, q.y, q.z, m_realKey ^ 0x77ull));
    if (d2 < r * r) return pore.level;
  }
  return -1.0;
}

int Sampler::coreParticle(const P3& p, const std::uint32_t* b, const std::uint32_t* e, bool& near) const {
  const auto& particles = m_geo.particles();
  const double g = m_g, lobeDepth = m_geo.lobeDepth();
  double coreDepth = 0;
  int core = -1;
  near = false;
  for (; b != e; ++b) {
    const ParticleShape& ps = particles[*b];
    const double d2c = norm2(p - ps.c);
    double rc = ps.r - kCoreDepth * g, rb = ps.r + kBulge * g;
    const double reach = ps.r * (1.0 + m_geo.lobeBulge()) + kBulge * g;
    if (lobeDepth > 0 && d2c < reach * reach) {
      const double inner = std::max(0.0, ps.r * (1.0 - lobeDepth) - kCoreDepth * g);
      if (d2c >= inner * inner) {
        const double re = m_geo.lobedRadius(*b, p);
        rc = re - kCoreDepth * g;
        rb = re + kBulge * g;
      }
    }
    if (d2c < rc * rc) {
      const double depth = std::sqrt(d2c) - ps.r; // rarely more than one core: touching particles
      if (core < 0 || depth < coreDepth) {
        coreDepth = depth;
        core = int(*b);
      }
    }
    if (d2c < rb * rb) near = true;
  }
  return core;
}

bool Sampler::binderAt(const P3& p, const std::uint32_t* candBegin, const std::uint32_t* candEnd, double& sponge) const {
  const auto& particles = m_geo.particles();
  double fine = 0;
  double surface = m_geo.margin();
  for (const std::uint32_t* c = candBegin; c != candEnd; ++c)
    surface = std::min(surface, std::sqrt(norm2(p - particles[*c].c)) - particles[*c].r);
  if (!(m_geo.cbdField(p, surface, &fine) > m_geo.cbdThreshold())) return false;
  // Spongy, nano-porous carbon-binder: its texture, and small pores where the texture is lowest.
  const P3 q = rotated(p);
  sponge = 0.6 * valueNoise(q.x / 1.6, q.y / 1.6, q.z / 1.6, m_binderKey) + 0.4 * fine;
  return !(sponge < (m_real ? kRealBinderPores : kBinderPores));
}

double Sampler::particleGrey(std::uint32_t particle, int s1, const float* d2) const {
  // Grains of slightly different brightness, darker boundaries between them.
  const Cell& c = m_cell;
  float gb = 10.0f;
  const float d1 = std::sqrt(d2[s1]);
  const float reject = (d1 + 3.0f) * (d1 + 3.0f);
  for (int j = 0; j < Cell::kSeeds; ++j) {
    if (j == s1 || d2[j] > reject || c.owner[j] != c.owner[s1]) continue;
    const float dx = c.x[j] - c.x[s1], dy = c.y[j] - c.y[s1], dz = c.z[j] - c.z[s1];
    gb = std::min(gb, (d2[j] - d2[s1]) / (2.0f * std::sqrt(dx * dx + dy * dy + dz * dz)));
  }
  // Particles differ a little in density too.
  const double density = 0.05 * (unitFromHash(mix64(m_textureKey ^ particle)) - 0.5);
  if (m_real) {
    // Many bright grains with dark seams between them (the cauliflower look of real NMC).
    const double boundary = kRealSeam * std::exp(-double(gb) * double(gb) / (0.7 * 0.7));
    return kParticleLevel * (1.0 + kRealTint * double(c.tint[s1]) + 2.0 * density) * (1.0 - boundary);
  } else {
    const double boundary = 0.17 * std::exp(-double(gb) * double(gb) / (0.55 * 0.55));
    return kParticleLevel * (1.0 + 0.08 * double(c.tint[s1]) + density) * (1.0 - boundary);
  }
}

VoxelSample Sampler::sample(std::int64_t x, std::int64_t y, std::int64_t z, bool full) {
  const P3 p{double(x), double(y), double(z)};
  const auto& particles = m_geo.particles();
  const std::uint32_t* b;
  const std::uint32_t* e;
  m_geo.particlesNear(p, b, e);

  // Which particle: inside the core of a sphere for sure; near its surface, where the nearest
  // grain seed belongs to it (a surface faceted by grains), within a bulge limit. Realistic
  // particles are lobed: their sphere is replaced by the lobed radius in the shell it can reach.
  const double g = m_g;
  const std::uint32_t* const candBegin = b;
  const std::uint32_t* const candEnd = e;
  const double lobeDepth = m_geo.lobeDepth();
  bool near = false;
  const int core = coreParticle(p, b, e, near);
  VoxelSample out;
  int s1 = -1;
  alignas(32) float d2[Cell::kPadded];
  if (near) {
    loadCell(std::int64_t(std::floor(p.x / g)), std::int64_t(std::floor(p.y / g)), std::int64_t(std::floor(p.z / g)));
    const Cell& c = m_cell;
    const float lx = float(p.x - c.corner.x), ly = float(p.y - c.corner.y), lz = float(p.z - c.corner.z);
    for (int j = 0; j < Cell::kPadded; ++j) {
      const float dx = lx - c.x[j], dy = ly - c.y[j], dz = lz - c.z[j];
      d2[j] = dx * dx + dy * dy + dz * dz;
    }
    // The nearest seed: the minimum first (vectorises), then its first index.
    float best = d2[0];
    for (int j = 1; j < Cell::kSeeds; ++j) best = std::min(best, d2[j]);
    s1 = 0;
    while (d2[s1] != best) ++s1;
    if (core >= 0) {
      out.particle = std::uint32_t(core + 1);
    } else if (const std::uint32_t o = c.owner[s1]) {
      const ParticleShape& ps = particles[o - 1];
      const double rb = (lobeDepth > 0 ? m_geo.lobedRadius(o - 1, p) : ps.r) + kBulge * g;
      if (norm2(p - ps.c) < rb * rb) out.particle = o;
    }
  }
  // Cracks: the simple preset stops at the first hit; the realistic one also gathers how dark
  // the nearby sheets make the voxel (partial volume), so it looks at every sheet.
  float dark = 0;
  auto hit = [&](const CrackSheet& sheet) {
    if (!m_real || !full) return crackHit(sheet, p, out.particle, s1, d2);
    float dk = 0;
    const bool h = crackHit(sheet, p, out.particle, s1, d2, &dk);
    dark = std::max(dark, dk);
    return h;
  };
  const bool gather = m_real && full;
  if (out.particle)
    for (int k : particles[out.particle - 1].cracks)
      if (hit(m_geo.cracks()[std::size_t(k)])) {
        out.crack = true;
        if (!gather) break;
      }
  if (!full) {
    if (out.particle && !out.crack) {
      m_geo.interCracksNear(p, b, e);
      for (; b != e && !out.crack; ++b) out.crack = crackHit(m_geo.cracks()[*b], p, out.particle, s1, d2);
    }
    return out;
  }

  // The space between particles: carbon-binder where its field is high, with small pores in it.
  double sponge = 0;
  const bool binder = !out.particle && binderAt(p, candBegin, candEnd, sponge);
  if (gather) {
    if (out.particle || binder) {
      m_geo.interCracksNear(p, b, e);
      for (; b != e; ++b) out.crack = hit(m_geo.cracks()[*b]) || out.crack;
    }
  } else if (!out.crack && (out.particle || binder)) {
    m_geo.interCracksNear(p, b, e);
    for (; b != e && !out.crack; ++b) out.crack = crackHit(m_geo.cracks()[*b], p, out.particle, s1, d2);
  }
  // Realistic: thin gaps between touching particles are crack (the paper's masks mark them).
  if (m_real && !out.particle && !out.crack && candEnd - candBegin >= 2 && contactGap(p, candBegin, candEnd)) {
    out.crack = true;
    dark = 1.0f;
  }
  // Realistic: pores, hollow cores and inclusions inside particles, as dark as cracks, not crack.
  const double pore = m_real && out.particle ? poreLevel(out.particle, p) : -1.0;

  out.phase = out.crack ? Phase::Crack : pore >= 0 ? Phase::Pore : out.particle ? Phase::Particle : binder ? Phase::Binder : Phase::Pore;
  double v;
  if (out.crack && !m_real) {
    v = kCrackLevel;
  } else if (pore >= 0) {
    v = pore;
  } else if (out.particle) {
    v = particleGrey(out.particle, s1, d2);
  } else if (binder) {
    v = (m_real ? kRealBinderLevel : kBinderLevel) * (0.65 + 0.7 * sponge);
  } else {
    v = kPoreLevel;
  }
  if (m_real && dark > 0) v += (kCrackLevel - v) * double(dark);
  out.value = float(v);
  return out;
}

} // namespace core::phantom::detail
