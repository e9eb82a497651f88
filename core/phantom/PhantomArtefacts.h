#pragma once
/// \file PhantomArtefacts.h
/// Imaging artefacts of the realistic phantom (internal to core/phantom): rings around a rotation
/// axis, streaks across slices, slow intensity drift across the field and between slices. Each
/// is a pure function of (x, y, z, options), so slabs equal the same slices of the whole volume.
/// One object per thread; prepare(z) before the voxels of slice z.

#include "core/phantom/Phantom.h"
#include "core/phantom/PhantomNoise.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace core::phantom::detail {

class Artefacts {
public:
  explicit Artefacts(const PhantomOptions& o) : m_o(o), m_key(saltKey(o.seed, 801)) {
    const double nx = double(o.size.x), ny = double(o.size.y);
    // The rotation axis: near the middle of the field, not exactly on it.
    m_ax = nx * (0.5 + 0.3 * (unitFromHash(hash3(1, 0, 0, m_key)) - 0.5));
    m_ay = ny * (0.5 + 0.3 * (unitFromHash(hash3(2, 0, 0, m_key)) - 0.5));
    const double far = std::hypot(std::max(m_ax, nx - m_ax), std::max(m_ay, ny - m_ay)) + 2;
    // Rings: a detector pixel each, most faint, a few strong; brighter or darker.
    m_ring.resize(std::size_t(far) + 2);
    for (std::size_t k = 0; k < m_ring.size(); ++k) {
      const std::uint64_t h = hash3(std::int64_t(k), 3, 0, m_key);
      const double strong = unitFromHash(mix64(h)) < 0.12 ? 1.0 : 0.25;
      m_ring[k] = 0.03 * o.realism.rings * strong * gaussFromHash(h);
    }
  }

  bool active() const {
    const auto& r = m_o.realism;
    return m_o.preset == PhantomPreset::Realistic && (r.rings > 0 || r.streaks > 0 || r.drift > 0);
  }

  /// Per-slice parts: ring strength, slice gain, the streaks of this slice.
  void prepare(std::int64_t z) {
    const double dz = double(z);
    m_ringGain = 0.6 + 0.4 * valueNoise(dz / 40.0, 0.5, 0.5, m_key ^ 0x11ull);
    m_sliceGain = 1.0 + m_o.realism.drift * (0.05 * (2.0 * valueNoise(dz / 9.0, 0.5, 0.5, m_key ^ 0x22ull) - 1.0) +
                                            0.01 * gaussFromHash(hash3(z, 4, 0, m_key)));
    m_streaks.clear();
    if (m_o.realism.streaks <= 0) return;
    for (int k = 0; k < 2; ++k) {
      const std::uint64_t h = hash3(z, 5, k, m_key);
      if (unitFromHash(h) > 0.6) continue; // not every slice has every streak
      const double a = 3.141592653589793 * unitFromHash(mix64(h ^ 1));
      Streak s;
      s.nx = std::cos(a);
      s.ny = std::sin(a);
      s.d = s.nx * double(m_o.size.x) * unitFromHash(mix64(h ^ 2)) + s.ny * double(m_o.size.y) * unitFromHash(mix64(h ^ 3));
      s.w = 0.7 + 1.5 * unitFromHash(mix64(h ^ 4));
      s.a = 0.035 * m_o.realism.streaks * gaussFromHash(mix64(h ^ 5));
      m_streaks.push_back(s);
    }
  }

  /// \p v after the artefacts at (x, y) of the prepared slice, z again for the drift field.
  double apply(std::int64_t x, std::int64_t y, std::int64_t z, double v) const {
    const auto& r = m_o.realism;
    if (r.drift > 0) {
      const double field = valueNoise(double(x) / 170.0, double(y) / 170.0, double(z) / 150.0, m_key ^ 0x33ull);
      v *= m_sliceGain * (1.0 + r.drift * 0.07 * (2.0 * field - 1.0));
    }
    if (r.rings > 0) {
      const double rad = std::hypot(double(x) - m_ax, double(y) - m_ay);
      const auto k = std::size_t(rad);
      const double t = rad - double(k);
      v += m_ringGain * (m_ring[k] + (m_ring[k + 1] - m_ring[k]) * t);
    }
    for (const Streak& s : m_streaks) {
      const double d = (s.nx * double(x) + s.ny * double(y) - s.d) / s.w;
      if (d * d < 16.0) v += s.a * std::exp(-0.5 * d * d);
    }
    return v;
  }

private:
  struct Streak {
    double nx = 1, ny = 0, d = 0, w = 1, a = 0;
  };
  const PhantomOptions& m_o;
  std::uint64_t m_key;
  double m_ax = 0, m_ay = 0, m_ringGain = 1, m_sliceGain = 1;
  std::vector<double> m_ring;
  std::vector<Streak> m_streaks;
};

} // namespace core::phantom::detail
