#pragma once
/// \file PhantomNoise.h
/// Deterministic hashing, random numbers and value noise for the phantom (internal to
/// core/phantom). Everything here is a pure function of its arguments, bit-exact on every
/// platform and independent of evaluation order, so any voxel can be computed alone.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace core::phantom::detail {

/// The splitmix64 finaliser: a good 64-bit mixer.
inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

/// Hash of an integer lattice point and a key (seed combined with a purpose salt).
inline std::uint64_t hash3(std::int64_t x, std::int64_t y, std::int64_t z, std::uint64_t key) {
  std::uint64_t h = mix64(key ^ 0x9e3779b97f4a7c15ull);
  h = mix64(h ^ (std::uint64_t(x) * 0xd6e8feb86659fd93ull));
  h = mix64(h ^ (std::uint64_t(y) * 0xa0761d6478bd642full));
  h = mix64(h ^ (std::uint64_t(z) * 0xe7037ed1a0b428dbull));
  return h;
}

/// Combines a seed with a purpose, so different features draw independent numbers.
inline std::uint64_t saltKey(std::uint64_t seed, std::uint64_t salt) { return mix64(seed * 0x2545f4914f6cdd1dull + salt); }

/// 53-bit uniform in [0, 1) from a hash.
inline double unitFromHash(std::uint64_t h) { return double(h >> 11) * (1.0 / 9007199254740992.0); }

/// An approximately standard normal number from one hash (sum of four 16-bit uniforms).
inline double gaussFromHash(std::uint64_t h) {
  const double s = double(h & 0xffff) + double((h >> 16) & 0xffff) + double((h >> 32) & 0xffff) + double(h >> 48);
  // mean 2 * 65535, variance 4 * 65536^2 / 12
  return (s - 2.0 * 65535.0) * (1.7320508075688772 / 65536.0);
}

/// A small deterministic random stream (splitmix64). Used only for the analytic geometry.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    m_state += 0x9e3779b97f4a7c15ull;
    return mix64(m_state);
  }
  double uniform() { return unitFromHash(next()); }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  /// A uniformly distributed unit vector.
  void unitVector(double& x, double& y, double& z) {
    const double cz = uniform(-1.0, 1.0), phi = uniform(0.0, 6.283185307179586);
    const double s = std::sqrt(std::max(0.0, 1.0 - cz * cz));
    x = s * std::cos(phi);
    y = s * std::sin(phi);
    z = cz;
  }

private:
  std::uint64_t m_state;
};

inline double smooth(double t) { return t * t * (3.0 - 2.0 * t); }

/// Lattice tables of the value noise: a permutation and values, built once from a fixed seed,
/// so the noise is the same on every platform and every run. The lattice repeats every
/// kNoisePeriod cells (over 6000 voxels even at the finest scale used).
constexpr int kNoisePeriod = 4096;
struct NoiseTables {
  std::uint16_t perm[kNoisePeriod];
  float value[kNoisePeriod];
  NoiseTables() {
    Rng rng(0x5eedf00dcafe1234ull);
    for (int i = 0; i < kNoisePeriod; ++i) {
      perm[i] = std::uint16_t(i);
      value[i] = float(rng.uniform());
    }
    for (int i = kNoisePeriod - 1; i > 0; --i) std::swap(perm[i], perm[rng.next() % std::uint64_t(i + 1)]);
  }
};
inline const NoiseTables& noiseTables() {
  static const NoiseTables tables;
  return tables;
}

/// Value noise in [0, 1] at a continuous point (lattice spacing 1), smoothly interpolated.
/// \p key shifts the lattice, so different keys give independent-looking fields.
inline double valueNoise(double x, double y, double z, std::uint64_t key) {
  constexpr int m = kNoisePeriod - 1;
  const NoiseTables& t = noiseTables();
  const double fx = std::floor(x), fy = std::floor(y), fz = std::floor(z);
  const int ix = int(std::int64_t(fx) + std::int64_t(key & m)) & m;
  const int iy = int(std::int64_t(fy) + std::int64_t((key >> 12) & m)) & m;
  const int iz = int(std::int64_t(fz) + std::int64_t((key >> 24) & m)) & m;
  const int kv = int((key >> 36) & m);
  const double tx = smooth(x - fx), ty = smooth(y - fy), tz = smooth(z - fz);
  double c[2][2][2];
  for (int i = 0; i < 2; ++i) {
    const int a = t.perm[(ix + i) & m];
    for (int j = 0; j < 2; ++j) {
      const int b = t.perm[(a + iy + j) & m];
      for (int k = 0; k < 2; ++k) c[k][j][i] = t.value[(t.perm[(b + iz + k) & m] ^ kv) & m];
    }
  }
  auto lerp = [](double a, double b, double u) { return a + (b - a) * u; };
  const double y0 = lerp(lerp(c[0][0][0], c[0][0][1], tx), lerp(c[0][1][0], c[0][1][1], tx), ty);
  const double y1 = lerp(lerp(c[1][0][0], c[1][0][1], tx), lerp(c[1][1][0], c[1][1][1], tx), ty);
  return lerp(y0, y1, tz);
}

/// A hash of one voxel (coordinates below 2^21) and a key: for white noise.
inline std::uint64_t voxelHash(std::int64_t x, std::int64_t y, std::int64_t z, std::uint64_t key) {
  const std::uint64_t packed = std::uint64_t(x) | (std::uint64_t(y) << 21) | (std::uint64_t(z) << 42);
  return mix64(packed * 0x9e3779b97f4a7c15ull + key);
}

} // namespace core::phantom::detail
