// Ageing a phantom (issue 19): crack growth, new cracks and fractures in the first scan's frame,
// then a rigid motion, a slight strain and warp, fresh noise, and a shuffle of the particle ids.
#include "core/phantom/PhantomAging.h"

#include "core/phantom/PhantomNoise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace core::phantom {

namespace {
using namespace detail;
using volume::Size3;
using volume::Vec3;

constexpr double kPi = 3.14159265358979323846;
constexpr std::uint64_t kSaltParticle = 901, kSaltMotion = 902, kSaltShuffle = 903, kSaltNoise = 904;

/// Grey units of one unit of the phantom's clean scale (Phantom.cpp's convertGrey).
double greyScale(volume::VoxelType t) {
  switch (t) {
  case volume::VoxelType::UInt8: return 200.0;
  case volume::VoxelType::UInt16: return 52000.0;
  default: return 1.0;
  }
}

struct Box {
  std::int64_t lo[3] = {INT64_MAX, INT64_MAX, INT64_MAX}, hi[3] = {-1, -1, -1};
  double sum[3] = {0, 0, 0};
  std::int64_t n = 0, crack = 0;
};

double unit(std::uint64_t key, std::uint64_t id, std::uint64_t k) { return unitFromHash(mix64(key ^ mix64(id * 131 + k))); }

Vec3 randomDirection(std::uint64_t key, std::uint64_t id) {
  const double z = 2.0 * unit(key, id, 11) - 1.0, phi = 2.0 * kPi * unit(key, id, 12);
  const double r = std::sqrt(std::max(0.0, 1.0 - z * z));
  return {r * std::cos(phi), r * std::sin(phi), z};
}

/// One pass of 6-neighbour dilation of the crack inside particle \p id within box \p b.
void growCrack(std::vector<std::uint8_t>& crack, const std::vector<std::uint32_t>& ids, const Size3& s, const Box& b,
               std::uint32_t id) {
  std::vector<std::int64_t> add;
  for (std::int64_t z = b.lo[2]; z <= b.hi[2]; ++z)
    for (std::int64_t y = b.lo[1]; y <= b.hi[1]; ++y)
      for (std::int64_t x = b.lo[0]; x <= b.hi[0]; ++x) {
        const std::int64_t i = x + s.x * (y + s.y * z);
        if (ids[std::size_t(i)] != id || crack[std::size_t(i)]) continue;
        const bool near = (x > 0 && crack[std::size_t(i - 1)] && ids[std::size_t(i - 1)] == id) ||
                          (x + 1 < s.x && crack[std::size_t(i + 1)] && ids[std::size_t(i + 1)] == id) ||
                          (y > 0 && crack[std::size_t(i - s.x)] && ids[std::size_t(i - s.x)] == id) ||
                          (y + 1 < s.y && crack[std::size_t(i + s.x)] && ids[std::size_t(i + s.x)] == id) ||
                          (z > 0 && crack[std::size_t(i - s.x * s.y)] && ids[std::size_t(i - s.x * s.y)] == id) ||
                          (z + 1 < s.z && crack[std::size_t(i + s.x * s.y)] && ids[std::size_t(i + s.x * s.y)] == id);
        if (near) add.push_back(i);
      }
  for (std::int64_t i : add) crack[std::size_t(i)] = 1;
}

/// Rotation about \p axis (unit) by \p angle radians, row-major.
std::array<double, 9> rotation(const Vec3& a, double angle) {
  const double c = std::cos(angle), s = std::sin(angle), t = 1 - c;
  return {t * a.x * a.x + c,       t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y,
          t * a.x * a.y + s * a.z, t * a.y * a.y + c,       t * a.y * a.z - s * a.x,
          t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c};
}

std::array<double, 9> multiply(const std::array<double, 9>& a, const std::array<double, 9>& b) {
  std::array<double, 9> r{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) r[std::size_t(3 * i + j)] += a[std::size_t(3 * i + k)] * b[std::size_t(3 * k + j)];
  return r;
}

IndexAffine inverse(const IndexAffine& f) {
  const auto& m = f.m;
  const double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  IndexAffine r;
  r.m = {(m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
         (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
         (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
  const Vec3 t = r.apply({-f.t[0], -f.t[1], -f.t[2]});
  r.t = {t.x, t.y, t.z};
  return r;
}

/// The smooth warp (voxels) at B's index \p q: added to the affine pre-image in A.
Vec3 warpAt(const Vec3& q, double amp, const Size3& s) {
  if (amp == 0) return {};
  return {amp * std::sin(2 * kPi * q.y / double(s.y)), amp * std::sin(2 * kPi * q.z / double(s.z)),
          amp * std::sin(2 * kPi * q.x / double(s.x))};
}

} // namespace

std::int64_t agingMargin(const volume::Size3& size, const AgingOptions& o) {
  const double half = 0.5 * std::sqrt(double(size.x * size.x + size.y * size.y + size.z * size.z));
  return std::int64_t(std::ceil(o.shift + half * (std::sin(o.rotationDeg * kPi / 180) + 3 * o.strain) + o.warp + 3));
}

Vec3 AgedPhantom::mapAToB(const Vec3& p) const {
  Vec3 q = aToB.apply(p);
  for (int k = 0; k < 8; ++k) { // q = aToB(p - warp(q)): a contraction for a small, smooth warp
    const Vec3 w = warpAt(q, warp, size);
    q = aToB.apply({p.x - w.x, p.y - w.y, p.z - w.z});
  }
  return q;
}

void AgedPhantom::interiorCentroids(std::int64_t minVoxels, std::vector<Vec3>& a, std::vector<Vec3>& b) const {
  const auto s = first.particles.size();
  std::vector<double> sx, sy, sz, n;
  std::vector<char> border;
  const std::uint32_t* v = first.particles.as<std::uint32_t>();
  for (std::int64_t z = 0, i = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x, ++i) {
        const std::uint32_t id = v[i];
        if (!id) continue;
        if (id >= n.size()) sx.resize(id + 1), sy.resize(id + 1), sz.resize(id + 1), n.resize(id + 1), border.resize(id + 1);
        sx[id] += double(x), sy[id] += double(y), sz[id] += double(z), n[id] += 1;
        if (x == 0 || y == 0 || z == 0 || x == s.x - 1 || y == s.y - 1 || z == s.z - 1) border[id] = 1;
      }
  for (std::size_t id = 1; id < n.size(); ++id) {
    if (n[id] < double(std::max<std::int64_t>(minVoxels, 1)) || border[id]) continue;
    a.push_back({sx[id] / n[id], sy[id] / n[id], sz[id] / n[id]});
    b.push_back(mapAToB(a.back()));
  }
}

namespace {

void checkAging(const Phantom& a, const AgingOptions& o) {
  if (a.particles.empty() || a.cracks.empty() || a.image.empty()) throw std::invalid_argument("agePhantom: empty phantom");
  if (o.cycles < 0) throw std::invalid_argument("agePhantom: cycles must not be negative");
  if (!(std::abs(o.rotationDeg) <= 45)) throw std::invalid_argument("agePhantom: rotation over 45 degrees");
  if (!(std::abs(o.strain) <= 0.1) || !(std::abs(o.warp) <= 5) || !(std::abs(o.shift) <= 1e4))
    throw std::invalid_argument("agePhantom: strain, warp or shift out of range");
}

/// Bounding box, centroid sums, voxel and crack counts of every particle id (index = id).
std::vector<Box> particleBoxes(const std::vector<std::uint32_t>& ids, const std::vector<std::uint8_t>& crack,
                               const Size3& big, std::uint32_t maxId) {
  std::vector<Box> boxes(std::size_t(maxId) + 1);
  for (std::int64_t z = 0, i = 0; z < big.z; ++z)
    for (std::int64_t y = 0; y < big.y; ++y)
      for (std::int64_t x = 0; x < big.x; ++x, ++i) {
        const std::uint32_t id = ids[std::size_t(i)];
        if (!id) continue;
        Box& b = boxes[id];
        const std::int64_t c[3] = {x, y, z};
        for (int k = 0; k < 3; ++k) b.lo[k] = std::min(b.lo[k], c[k]), b.hi[k] = std::max(b.hi[k], c[k]), b.sum[k] += double(c[k]);
        ++b.n;
        if (crack[std::size_t(i)]) ++b.crack;
      }
  return boxes;
}

/// Growth, new cracks and fractures, particle by particle, in A's frame. \p ids and \p crack are
/// changed in place; returns, per A id, the id of its second half (0: not fractured), and the
/// largest id in use in \p nextId.
std::vector<std::uint32_t> ageParticles(std::vector<std::uint32_t>& ids, std::vector<std::uint8_t>& crack,
                                        const std::vector<Box>& boxes, const Size3& big, const AgingOptions& o,
                                        std::uint32_t& nextId) {
  const std::uint64_t key = saltKey(o.seed, kSaltParticle);
  const double amount = double(o.cycles) / 100.0;
  const std::uint32_t maxId = std::uint32_t(boxes.size() - 1);
  std::vector<std::uint32_t> fragmentOf(boxes.size(), 0);
  nextId = maxId;
  for (std::uint32_t id = 1; id <= maxId; ++id) {
    const Box& b = boxes[id];
    if (b.n == 0) continue;
    const Vec3 c{b.sum[0] / double(b.n), b.sum[1] / double(b.n), b.sum[2] / double(b.n)};
    const double r = std::cbrt(3.0 * double(b.n) / (4.0 * kPi));
    // Every voxel of particle id in its box: f(index, offset from the centroid).
    auto forEachVoxel = [&](auto f) {
      for (std::int64_t z = b.lo[2]; z <= b.hi[2]; ++z)
        for (std::int64_t y = b.lo[1]; y <= b.hi[1]; ++y)
          for (std::int64_t x = b.lo[0]; x <= b.hi[0]; ++x) {
            const std::int64_t i = x + big.x * (y + big.y * z);
            if (ids[std::size_t(i)] == id) f(std::size_t(i), Vec3{double(x) - c.x, double(y) - c.y, double(z) - c.z});
          }
    };
    if (b.crack > 0) {
      const int steps = int(std::lround(amount * 2.5 * unit(key, id, 1)));
      for (int k = 0; k < steps; ++k) growCrack(crack, ids, big, b, id);
    } else if (unit(key, id, 2) < o.newCrackShare * std::min(1.0, amount)) {
      const Vec3 nrm = randomDirection(key, id * 7 + 1);
      forEachVoxel([&](std::size_t i, const Vec3& d) {
        const double sp = d.x * nrm.x + d.y * nrm.y + d.z * nrm.z;
        const double rho2 = d.x * d.x + d.y * d.y + d.z * d.z - sp * sp;
        if (std::abs(sp) < 0.6 && rho2 < 0.5 * r * r) crack[i] = 1;
      });
    }
    if (r >= 9.0 && unit(key, id, 3) < o.fractureShare * std::min(1.0, amount)) {
      const Vec3 nrm = randomDirection(key, id * 7 + 2);
      const std::uint32_t half = ++nextId;
      fragmentOf[id] = half;
      forEachVoxel([&](std::size_t i, const Vec3& d) {
        const double sp = d.x * nrm.x + d.y * nrm.y + d.z * nrm.z;
        if (std::abs(sp) < 1.0) crack[i] = 1;
        if (sp > 0) ids[i] = half;
      });
    }
  }
  return fragmentOf;
}

/// Ids of B shuffled (Fisher-Yates from the seed): index = id in A's frame, value = id in B.
std::vector<std::uint32_t> shuffledIds(std::uint32_t nextId, std::uint64_t seed) {
  std::vector<std::uint32_t> shuffled(std::size_t(nextId) + 1);
  for (std::uint32_t i = 0; i <= nextId; ++i) shuffled[i] = i;
  const std::uint64_t skey = saltKey(seed, kSaltShuffle);
  for (std::uint32_t i = nextId; i > 1; --i) std::swap(shuffled[i], shuffled[1 + std::uint32_t(mix64(skey + i) % i)]);
  return shuffled;
}

/// The truth of every particle present in scan A (the centre window of \p a, margin \p m).
std::vector<AgedParticleTruth> agedTruth(const Phantom& a, std::int64_t m, const Size3& s,
                                         const std::vector<std::uint32_t>& ids, const std::vector<std::uint8_t>& crack,
                                         const std::vector<Box>& boxes, const std::vector<std::uint32_t>& fragmentOf,
                                         const std::vector<std::uint32_t>& shuffled) {
  const Size3 big = a.particles.size();
  const std::size_t nextId = shuffled.size() - 1, maxId = boxes.size() - 1;
  // Counts in A's frame (whole particles of the input).
  std::vector<std::int64_t> filledB(nextId + 1, 0), crackB(nextId + 1, 0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ++filledB[ids[i]];
    if (crack[i]) ++crackB[ids[i]];
  }
  std::vector<char> inA(maxId + 1, 0);
  for (std::int64_t z = m; z < m + s.z; ++z)
    for (std::int64_t y = m; y < m + s.y; ++y)
      for (std::int64_t x = m; x < m + s.x; ++x) inA[a.particles.as<std::uint32_t>()[x + big.x * (y + big.y * z)]] = 1;
  std::vector<AgedParticleTruth> out;
  for (std::uint32_t id = 1; id <= maxId; ++id) {
    if (!inA[id] || boxes[id].n == 0) continue;
    AgedParticleTruth t;
    t.idA = id;
    t.filledA = boxes[id].n;
    t.crackA = boxes[id].crack;
    t.filledB = filledB[id];
    t.crackB = crackB[id];
    if (filledB[id] > 0) t.idsB.push_back(shuffled[id]);
    if (const std::uint32_t h = fragmentOf[id]) {
      t.fractured = true;
      t.filledB += filledB[h];
      t.crackB += crackB[h];
      if (filledB[h] > filledB[id]) t.idsB.insert(t.idsB.begin(), shuffled[h]);
      else t.idsB.push_back(shuffled[h]);
    }
    out.push_back(std::move(t));
  }
  return out;
}

/// The aged image in A's frame (float): new crack voxels darkened, softened by a 3-tap blur per axis.
std::vector<float> agedImage(const Phantom& a, const std::vector<std::uint8_t>& crack) {
  const Size3 big = a.particles.size();
  const std::int64_t n = big.count();
  std::vector<float> img(static_cast<std::size_t>(n)), dark(static_cast<std::size_t>(n), 0.0f), tmp(static_cast<std::size_t>(n));
  volume::dispatch(a.image.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = a.image.as<T>();
    for (std::int64_t i = 0; i < n; ++i) img[std::size_t(i)] = float(p[i]);
  });
  const std::uint8_t* oldCrack = a.cracks.as<std::uint8_t>();
  for (std::int64_t i = 0; i < n; ++i) dark[std::size_t(i)] = crack[std::size_t(i)] && !oldCrack[i] ? 1.0f : 0.0f;
  const std::int64_t strides[3] = {1, big.x, big.x * big.y}, dims[3] = {big.x, big.y, big.z};
  for (int axis = 0; axis < 3; ++axis) {
    for (std::int64_t z = 0, i = 0; z < big.z; ++z)
      for (std::int64_t y = 0; y < big.y; ++y)
        for (std::int64_t x = 0; x < big.x; ++x, ++i) {
          const std::int64_t c[3] = {x, y, z}, st = strides[axis];
          const float lo = c[axis] > 0 ? dark[std::size_t(i - st)] : dark[std::size_t(i)];
          const float hi = c[axis] + 1 < dims[axis] ? dark[std::size_t(i + st)] : dark[std::size_t(i)];
          tmp[std::size_t(i)] = 0.25f * lo + 0.5f * dark[std::size_t(i)] + 0.25f * hi;
        }
    dark.swap(tmp);
  }
  const float depth = float(greyScale(a.image.type()) * (0.80 - 0.15) * 1.6);
  for (std::int64_t i = 0; i < n; ++i) img[std::size_t(i)] -= depth * std::min(1.0f, dark[std::size_t(i)]);
  return img;
}

/// The motion between the scans: B index q = S R (p - c) + c + shift, p in A's index (the centre
/// window of size \p s).
IndexAffine scanMotion(const AgingOptions& o, const Size3& s) {
  const std::uint64_t mkey = saltKey(o.seed, kSaltMotion);
  const Vec3 axis = randomDirection(mkey, 1), dir = randomDirection(mkey, 2);
  std::array<double, 9> strain{1, 0, 0, 0, 1, 0, 0, 0, 1};
  for (int i = 0; i < 3; ++i)
    for (int j = i; j < 3; ++j) {
      const double e = o.strain * (2 * unit(mkey, 3, std::uint64_t(3 * i + j)) - 1) * (i == j ? 1.0 : 0.5);
      strain[std::size_t(3 * i + j)] += e;
      if (i != j) strain[std::size_t(3 * j + i)] += e;
    }
  IndexAffine f;
  f.m = multiply(strain, rotation(axis, o.rotationDeg * kPi / 180));
  const Vec3 c{0.5 * double(s.x - 1), 0.5 * double(s.y - 1), 0.5 * double(s.z - 1)};
  const Vec3 mc = IndexAffine{f.m, {0, 0, 0}}.apply(c);
  f.t = {c.x - mc.x + o.shift * dir.x, c.y - mc.y + o.shift * dir.y, c.z - mc.z + o.shift * dir.z};
  return f;
}

/// Scan B: every voxel of its window mapped back into A's frame (inverse motion, then the warp):
/// cracks and shuffled ids by nearest neighbour, the image trilinear plus noise.
void resampleScanB(AgedPhantom& out, const Phantom& a, std::int64_t m, const std::vector<std::uint32_t>& ids,
                   const std::vector<std::uint8_t>& crack, const std::vector<std::uint32_t>& shuffled,
                   const std::vector<float>& img, const AgingOptions& o) {
  const Size3 big = a.particles.size(), s = out.size;
  const IndexAffine g = inverse(out.aToB);
  const double scale = greyScale(a.image.type());
  const std::uint64_t nkey = saltKey(o.seed, kSaltNoise);
  std::uint8_t* outCrack = out.scan.cracks.as<std::uint8_t>();
  std::uint32_t* outIds = out.scan.particles.as<std::uint32_t>();
  std::vector<float> bImg(std::size_t(s.count()));
  auto at = [&](std::int64_t x, std::int64_t y, std::int64_t z) {
    x = std::clamp<std::int64_t>(x, 0, big.x - 1), y = std::clamp<std::int64_t>(y, 0, big.y - 1),
    z = std::clamp<std::int64_t>(z, 0, big.z - 1);
    return x + big.x * (y + big.y * z);
  };
  for (std::int64_t z = 0, i = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x, ++i) {
        const Vec3 q{double(x), double(y), double(z)};
        const Vec3 w = warpAt(q, o.warp, s);
        Vec3 p = g.apply(q);
        p = {p.x + w.x + double(m), p.y + w.y + double(m), p.z + w.z + double(m)}; // in the input's index
        const std::int64_t nx = std::lround(p.x), ny = std::lround(p.y), nz = std::lround(p.z);
        const std::int64_t ni = at(nx, ny, nz);
        outCrack[i] = crack[std::size_t(ni)];
        outIds[i] = shuffled[ids[std::size_t(ni)]];
        const std::int64_t x0 = std::int64_t(std::floor(p.x)), y0 = std::int64_t(std::floor(p.y)), z0 = std::int64_t(std::floor(p.z));
        const double fx = p.x - double(x0), fy = p.y - double(y0), fz = p.z - double(z0);
        double v = 0;
        for (int k = 0; k < 8; ++k) {
          const double wgt = ((k & 1) ? fx : 1 - fx) * ((k & 2) ? fy : 1 - fy) * ((k & 4) ? fz : 1 - fz);
          v += wgt * img[std::size_t(at(x0 + (k & 1), y0 + ((k >> 1) & 1), z0 + ((k >> 2) & 1)))];
        }
        bImg[std::size_t(i)] = float(v + o.noise * scale * 0.65 * gaussFromHash(voxelHash(x, y, z, nkey)));
      }
  volume::dispatch(a.image.type(), [&](auto tag) {
    using T = decltype(tag);
    T* p = out.scan.image.as<T>();
    for (std::int64_t i = 0, cnt = s.count(); i < cnt; ++i) {
      const double v = bImg[std::size_t(i)];
      if constexpr (std::is_same_v<T, float>) p[i] = float(v);
      else p[i] = T(std::clamp(std::lround(v), 0L, long(std::numeric_limits<T>::max())));
    }
  });
}

} // namespace

AgedPhantom agePhantom(const Phantom& a, const AgingOptions& o) {
  checkAging(a, o);
  const Size3 big = a.particles.size();
  const std::int64_t m = o.margin;
  const Size3 s{big.x - 2 * m, big.y - 2 * m, big.z - 2 * m};
  if (m < 0 || s.empty()) throw std::invalid_argument("agePhantom: the margin leaves no scan");
  const std::int64_t n = big.count();

  std::vector<std::uint32_t> ids(a.particles.as<std::uint32_t>(), a.particles.as<std::uint32_t>() + n);
  std::vector<std::uint8_t> crack(a.cracks.as<std::uint8_t>(), a.cracks.as<std::uint8_t>() + n);
  std::uint32_t maxId = 0;
  for (std::uint32_t v : ids) maxId = std::max(maxId, v);
  const std::vector<Box> boxes = particleBoxes(ids, crack, big, maxId);
  std::uint32_t nextId = maxId;
  const std::vector<std::uint32_t> fragmentOf = ageParticles(ids, crack, boxes, big, o, nextId);
  const std::vector<std::uint32_t> shuffled = shuffledIds(nextId, o.seed);

  AgedPhantom out;
  out.particles = agedTruth(a, m, s, ids, crack, boxes, fragmentOf, shuffled);
  const std::vector<float> img = agedImage(a, crack);
  out.aToB = scanMotion(o, s);
  out.warp = o.warp;
  out.size = s;

  const volume::Vec3 sp = a.image.spacing();
  auto make = [&](volume::VoxelType t) { return volume::Volume(s, t, sp, {}); };
  out.first.image = make(a.image.type());
  out.first.cracks = make(volume::VoxelType::UInt8);
  out.first.particles = make(volume::VoxelType::UInt32);
  out.scan.image = make(a.image.type());
  out.scan.cracks = make(volume::VoxelType::UInt8);
  out.scan.particles = make(volume::VoxelType::UInt32);
  out.first.image.paste(a.image.crop({{m, m, m}, s}), {0, 0, 0});
  out.first.cracks.paste(a.cracks.crop({{m, m, m}, s}), {0, 0, 0});
  out.first.particles.paste(a.particles.crop({{m, m, m}, s}), {0, 0, 0});
  resampleScanB(out, a, m, ids, crack, shuffled, img, o);
  return out;
}

} // namespace core::phantom
