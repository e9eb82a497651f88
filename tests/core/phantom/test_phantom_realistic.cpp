// The realistic phantom preset: pores and inclusions inside particles as dark as cracks and not
// crack in the truth; crack widths from faint sub-voxel lines to >= 4 voxels; thin gaps between
// touching particles marked as crack; blur wider in z than in x-y; rings, streaks and drift that
// are structured (not noise) and never move the truth; the low-signal option.
#include "PhantomTestUtil.h"

#include "core/phantom/Phantom.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

using namespace core;
using namespace core::phantom;
using volume::VoxelType;

namespace {

PhantomOptions realistic(std::int64_t n, std::uint64_t seed = 7) {
  PhantomOptions o = presetOptions(PhantomPreset::Realistic);
  o.size = {n, n, n};
  o.seed = seed;
  o.imageType = VoxelType::Float32;
  o.withPhases = true;
  return o;
}

/// Mean image value over the voxels where \p pick(i) holds; count in \p n.
template <class F> double meanWhere(const Phantom& p, F&& pick, std::int64_t& n) {
  const float* img = p.image.as<float>();
  double sum = 0;
  n = 0;
  for (std::int64_t i = 0; i < p.image.voxelCount(); ++i)
    if (pick(i)) {
      sum += img[i];
      ++n;
    }
  return n ? sum / double(n) : 0.0;
}

/// Whether every voxel within Euclidean distance \p r of (x, y, z) is crack (false at the border).
bool ballIsCrack(const Phantom& p, std::int64_t x, std::int64_t y, std::int64_t z, double r) {
  const auto s = p.cracks.size();
  const int k = int(std::floor(r));
  if (x < k || y < k || z < k || x >= s.x - k || y >= s.y - k || z >= s.z - k) return false;
  const auto* cr = p.cracks.as<std::uint8_t>();
  for (int dz = -k; dz <= k; ++dz)
    for (int dy = -k; dy <= k; ++dy)
      for (int dx = -k; dx <= k; ++dx)
        if (dx * dx + dy * dy + dz * dz <= r * r && !cr[p.cracks.index(x + dx, y + dy, z + dz)]) return false;
  return true;
}

struct Widths {
  /// thin: a one-voxel line along x or y; wide: a ball of radius 1.5 inside (4 voxels across);
  /// wider: a ball of radius 2 (5 voxels)
  std::int64_t crack = 0, thin = 0, wide = 0, wider = 0;
  double thinMean = 0, wideMean = 0;          ///< mean image value of those
};

Widths widths(const Phantom& p) {
  Widths w;
  const auto s = p.cracks.size();
  const auto* cr = p.cracks.as<std::uint8_t>();
  const float* img = p.image.as<float>();
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 1; y < s.y - 1; ++y)
      for (std::int64_t x = 1; x < s.x - 1; ++x) {
        const std::int64_t i = p.cracks.index(x, y, z);
        if (!cr[i]) continue;
        ++w.crack;
        const bool lineX = !cr[i - 1] && !cr[i + 1], lineY = !cr[i - s.x] && !cr[i + s.x];
        if (lineX || lineY) {
          ++w.thin;
          w.thinMean += img[i];
        }
        if (ballIsCrack(p, x, y, z, 1.5)) {
          ++w.wide;
          w.wideMean += img[i];
          w.wider += ballIsCrack(p, x, y, z, 2.0);
        }
      }
  if (w.thin) w.thinMean /= double(w.thin);
  if (w.wide) w.wideMean /= double(w.wide);
  return w;
}

/// Root mean square difference of neighbours along axis (0 x, 1 y, 2 z) of a float image.
double steps(const Phantom& p, int axis) {
  const auto s = p.image.size();
  const float* v = p.image.as<float>();
  const std::int64_t step = axis == 0 ? 1 : axis == 1 ? s.x : s.x * s.y;
  double sum = 0;
  std::int64_t n = 0;
  for (std::int64_t z = 0; z < s.z - (axis == 2); ++z)
    for (std::int64_t y = 0; y < s.y - (axis == 1); ++y)
      for (std::int64_t x = 0; x < s.x - (axis == 0); ++x, ++n) {
        const std::int64_t i = x + s.x * (y + s.y * z);
        sum += (double(v[i + step]) - v[i]) * (double(v[i + step]) - v[i]);
      }
  return std::sqrt(sum / double(n));
}

} // namespace

class TestPhantomRealistic : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void poresInsideParticlesAreDarkAndNotCrack() {
    const Phantom p = generatePhantom(realistic(96));
    const auto* ph = p.phases.as<std::uint8_t>();
    const auto* ids = p.particles.as<std::uint32_t>();
    const auto* cr = p.cracks.as<std::uint8_t>();
    const auto s = p.image.size();
    auto inPore = [&](std::int64_t i) { return ids[i] != 0 && ph[i] == std::uint8_t(Phase::Pore); };
    std::int64_t poreVoxels = 0, poreCrack = 0;
    std::set<std::uint32_t> porous;
    for (std::int64_t i = 0; i < p.image.voxelCount(); ++i)
      if (inPore(i)) {
        ++poreVoxels;
        poreCrack += cr[i];
        porous.insert(ids[i]);
      }
    // Deep in a pore (its 6 neighbours too) against deep in a crack: the same darkness.
    auto deep = [&](std::int64_t i, auto&& same) {
      const std::int64_t x = i % s.x, y = (i / s.x) % s.y, z = i / (s.x * s.y);
      if (x == 0 || y == 0 || z == 0 || x == s.x - 1 || y == s.y - 1 || z == s.z - 1) return false;
      for (std::int64_t d : {std::int64_t(1), s.x, s.x * s.y})
        if (!same(i - d) || !same(i + d)) return false;
      return same(i);
    };
    std::int64_t nPore = 0, nCrack = 0, nParticle = 0;
    const double pore = meanWhere(p, [&](std::int64_t i) { return deep(i, inPore); }, nPore);
    // Cracks vary in contrast along their length (partly filled stretches): their open half.
    std::vector<float> deepCrack;
    for (std::int64_t i = 0; i < p.image.voxelCount(); ++i)
      if (deep(i, [&](std::int64_t j) { return cr[j] != 0; })) deepCrack.push_back(p.image.as<float>()[i]);
    std::sort(deepCrack.begin(), deepCrack.end());
    nCrack = std::int64_t(deepCrack.size());
    auto crackAt = [&](double q) { return nCrack ? double(deepCrack[std::size_t(q * double(nCrack - 1))]) : 0.0; };
    const double crack = crackAt(0.5);
    const double particle = meanWhere(p, [&](std::int64_t i) { return ph[i] == std::uint8_t(Phase::Particle); }, nParticle);
    qInfo("%lld voxels of pores inside %zu particles (%lld of them crack); deep pore %.3f (%lld), deep crack median %.3f (%lld, 10-90 %% %.3f-%.3f), "
          "particle %.3f", static_cast<long long>(poreVoxels), porous.size(), static_cast<long long>(poreCrack), pore,
          static_cast<long long>(nPore), crack, static_cast<long long>(nCrack), crackAt(0.1), crackAt(0.9), particle);
    QVERIFY(poreVoxels > 2000);
    QVERIFY(porous.size() >= 5);
    QCOMPARE(poreCrack, std::int64_t(0));
    QVERIFY(nPore > 100 && nCrack > 100);
    QVERIFY(pore > crackAt(0.1) && pore < crackAt(0.75)); // as dark as cracks: no darker, no brighter
    QVERIFY(pore < particle - 0.5 * (particle - crack));

    // Without the feature there are none: the pores come from it.
    PhantomOptions o = realistic(96);
    o.realism.pores = 0;
    const Phantom none = generatePhantom(o);
    std::int64_t left = 0;
    for (std::int64_t i = 0; i < none.image.voxelCount(); ++i)
      left += none.particles.as<std::uint32_t>()[i] != 0 && none.phases.as<std::uint8_t>()[i] == std::uint8_t(Phase::Pore);
    QCOMPARE(left, std::int64_t(0));
  }

  void crackWidthsFromFaintToWide() {
    const Phantom p = generatePhantom(realistic(112, 5));
    const Widths w = widths(p);
    PhantomOptions so = realistic(112, 5);
    so.preset = PhantomPreset::Simple;
    const Widths simple = widths(generatePhantom(so));
    std::int64_t nParticle = 0;
    const double particle = meanWhere(p, [&](std::int64_t i) { return p.phases.as<std::uint8_t>()[i] == std::uint8_t(Phase::Particle); }, nParticle);
    auto share = [](const Widths& x, std::int64_t n) { return double(n) / double(std::max<std::int64_t>(x.crack, 1)); };
    qInfo("realistic: %lld crack voxels, %.3f one voxel thin (mean %.3f), %.4f with a ball of radius 1.5 inside (mean %.3f), "
          "%.4f of radius 2, particle %.3f; simple: %.3f thin, %.4f radius 1.5, %.4f radius 2", static_cast<long long>(w.crack),
          share(w, w.thin), w.thinMean, share(w, w.wide), w.wideMean, share(w, w.wider), particle, share(simple, simple.thin),
          share(simple, simple.wide), share(simple, simple.wider));
    // Faint lines of one voxel ... to cracks of 4 voxels and more (some of 5), most of them open
    // as in the real sample (its cracks are about 0.12 of a particle chord wide; bench phantom --real).
    QVERIFY(share(w, w.thin) > 0.10);
    QVERIFY(share(w, w.wide) > 0.10);
    QVERIFY(share(w, w.wider) > 0.03);
    // The simple preset's cracks are 1-3 voxels: only their crossings hold such balls.
    QVERIFY(share(w, w.wide) > 2.0 * share(simple, simple.wide));
    QVERIFY(share(w, w.wider) > 2.0 * share(simple, simple.wider));
    // Partial volume: thin cracks are fainter than open ones.
    QVERIFY(particle - w.thinMean < 0.7 * (particle - w.wideMean));
  }

  void gapsBetweenTouchingParticlesAreCrack() {
    PhantomOptions o = realistic(96);
    o.crackedFraction = 0;
    o.interParticleCracks = 0;
    const Phantom p = generatePhantom(o);
    const auto* cr = p.cracks.as<std::uint8_t>();
    const auto* ids = p.particles.as<std::uint32_t>();
    const auto s = p.cracks.size();
    std::int64_t gap = 0, between = 0, binderN = 0;
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const std::int64_t i = p.cracks.index(x, y, z);
          if (!cr[i]) continue;
          ++gap;
          QVERIFY(ids[i] == 0); // no other cracks in this phantom
          std::set<std::uint32_t> near;
          for (std::int64_t dz = -4; dz <= 4; ++dz)
            for (std::int64_t dy = -4; dy <= 4; ++dy)
              for (std::int64_t dx = -4; dx <= 4; ++dx) {
                const std::int64_t a = x + dx, b = y + dy, c = z + dz;
                if (a < 0 || b < 0 || c < 0 || a >= s.x || b >= s.y || c >= s.z) continue;
                if (const std::uint32_t id = ids[p.cracks.index(a, b, c)]) near.insert(id);
              }
          between += near.size() >= 2;
        }
    std::int64_t nGap = 0;
    const double gapMean = meanWhere(p, [&](std::int64_t i) { return cr[i] != 0; }, nGap);
    const double binder = meanWhere(p, [&](std::int64_t i) { return p.phases.as<std::uint8_t>()[i] == std::uint8_t(Phase::Binder); }, binderN);
    qInfo("%lld gap voxels, %.3f of them within 4 voxels of two particles; gap %.3f, binder %.3f", static_cast<long long>(gap),
          double(between) / double(std::max<std::int64_t>(gap, 1)), gapMean, binder);
    QVERIFY(gap > 300);
    QVERIFY(double(between) / double(gap) > 0.9);
    std::int64_t nParticle = 0;
    const double particle = meanWhere(p, [&](std::int64_t i) { return p.phases.as<std::uint8_t>()[i] == std::uint8_t(Phase::Particle); }, nParticle);
    QVERIFY(gapMean < 0.5 * (particle + binder)); // dark: nearer the binder than the particles beside them
    o.realism.contactGaps = 0;
    const Phantom none = generatePhantom(o);
    std::int64_t left = 0;
    for (std::int64_t i = 0; i < none.cracks.voxelCount(); ++i) left += none.cracks.as<std::uint8_t>()[i];
    QCOMPARE(left, std::int64_t(0));
  }

  void blurWiderInZ() {
    // Steps between neighbours along z against along x in the clean image (no noise, fringes or
    // artefacts): the z blur makes them smaller in z than the same phantom blurred isotropically.
    PhantomOptions o = realistic(64);
    o.noise = 0;
    o.phaseContrast = 0;
    o.realism.rings = o.realism.streaks = o.realism.drift = 0;
    auto ratio = [](const Phantom& p) { return steps(p, 2) / steps(p, 0); };
    const double anisotropic = ratio(generatePhantom(o));
    o.realism.zBlur = 1.0;
    const double isotropic = ratio(generatePhantom(o));
    qInfo("z steps over x steps: %.3f with the z blur, %.3f without", anisotropic, isotropic);
    QVERIFY(anisotropic < 0.85 * isotropic);
  }

  void artefactsStructuredAndTruthUnmoved() {
    PhantomOptions o = realistic(64);
    o.noise = 0;
    const Phantom with = generatePhantom(o);
    o.realism.rings = o.realism.streaks = o.realism.drift = 0;
    const Phantom without = generatePhantom(o);
    QVERIFY(phantomtest::sameBytes(with.cracks, without.cracks));
    QVERIFY(phantomtest::sameBytes(with.particles, without.particles));
    // Rings and drift change slowly from slice to slice: the artefact image of one slice is
    // strongly correlated with that of the next.
    const auto s = with.image.size();
    const std::int64_t xy = s.x * s.y;
    std::vector<double> d(std::size_t(with.image.voxelCount()));
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = double(with.image.as<float>()[i]) - double(without.image.as<float>()[i]);
    double sab = 0, saa = 0, sbb = 0, sum2 = 0;
    for (std::int64_t i = 0; i < xy * (s.z - 1); ++i) {
      sab += d[std::size_t(i)] * d[std::size_t(i + xy)];
      saa += d[std::size_t(i)] * d[std::size_t(i)];
      sbb += d[std::size_t(i + xy)] * d[std::size_t(i + xy)];
      sum2 += d[std::size_t(i)] * d[std::size_t(i)];
    }
    const double rms = std::sqrt(sum2 / double(xy * (s.z - 1))), corr = sab / std::sqrt(saa * sbb);
    qInfo("artefacts: rms %.4f, slice-to-slice correlation %.3f", rms, corr);
    QVERIFY(rms > 0.01);
    QVERIFY(corr > 0.5);
  }

  void lowSignalHasLessContrastMoreNoise() {
    PhantomOptions o = realistic(64);
    const Phantom normal = generatePhantom(o);
    o.lowSignal = true;
    const Phantom low = generatePhantom(o);
    QVERIFY(phantomtest::sameBytes(normal.cracks, low.cracks));
    auto contrast = [](const Phantom& p) {
      std::int64_t n = 0;
      const auto* ph = p.phases.as<std::uint8_t>();
      return meanWhere(p, [&](std::int64_t i) { return ph[i] == std::uint8_t(Phase::Particle); }, n) -
             meanWhere(p, [&](std::int64_t i) { return ph[i] == std::uint8_t(Phase::Binder); }, n);
    };
    // Noise: the difference of neighbours in x, which the slow structure hardly changes.
    auto roughness = [](const Phantom& p) {
      const float* v = p.image.as<float>();
      double s = 0;
      for (std::int64_t i = 0; i + 1 < p.image.voxelCount(); ++i) s += (double(v[i + 1]) - v[i]) * (double(v[i + 1]) - v[i]);
      return std::sqrt(s / double(p.image.voxelCount()));
    };
    qInfo("contrast %.3f -> %.3f, roughness %.4f -> %.4f", contrast(normal), contrast(low), roughness(normal), roughness(low));
    QVERIFY(contrast(low) < 0.8 * contrast(normal));
    QVERIFY(roughness(low) / contrast(low) > 1.5 * roughness(normal) / contrast(normal));
  }
};

QTEST_APPLESS_MAIN(TestPhantomRealistic)
#include "test_phantom_realistic.moc"
