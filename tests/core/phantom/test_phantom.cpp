// The synthetic cathode phantom: determinism, slabs equal to the whole (both presets), the simple
// preset equal to the first release, thin cracks mostly in particles, truth equal to the label
// maps, grey levels, noise, the Otsu trap, bad options, progress and cancel. What only the
// realistic preset has is tested in test_phantom_realistic.
#include "PhantomTestUtil.h"

#include "core/phantom/Phantom.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <vector>

using namespace core;
using namespace core::phantom;
using volume::VoxelType;

namespace {

PhantomOptions small(std::int64_t n = 64, std::uint64_t seed = 7, PhantomPreset preset = PhantomPreset::Realistic) {
  PhantomOptions o = presetOptions(preset);
  o.size = {n, n, n};
  o.seed = seed;
  return o;
}

using phantomtest::sameBytes;
using phantomtest::sameSlices;

/// Otsu's threshold of a uint16 volume.
double otsu(const volume::Volume& image) {
  std::vector<double> hist(65536, 0.0);
  const auto* p = image.as<std::uint16_t>();
  const std::int64_t n = image.voxelCount();
  for (std::int64_t i = 0; i < n; ++i) hist[p[i]] += 1;
  double sumAll = 0;
  for (int v = 0; v < 65536; ++v) sumAll += v * hist[std::size_t(v)];
  double w0 = 0, sum0 = 0, best = -1, threshold = 0;
  for (int t = 0; t < 65536; ++t) {
    w0 += hist[std::size_t(t)];
    sum0 += t * hist[std::size_t(t)];
    const double w1 = double(n) - w0;
    if (w0 == 0 || w1 == 0) continue;
    const double m0 = sum0 / w0, m1 = (sumAll - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

class RecordingProgress : public jobs::ProgressSink {
public:
  void setProgress(double f, const std::string&) override { values.push_back(f); }
  std::vector<double> values;
};

class CancellingProgress : public jobs::ProgressSink {
public:
  explicit CancellingProgress(jobs::CancelToken& t) : token(t) {}
  void setProgress(double f, const std::string&) override {
    if (f > 0.3) token.cancel();
  }
  jobs::CancelToken& token;
};

} // namespace

class TestPhantom : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void deterministic_data() {
    QTest::addColumn<int>("preset");
    QTest::newRow("realistic") << int(PhantomPreset::Realistic);
    QTest::newRow("simple") << int(PhantomPreset::Simple);
  }

  void deterministic() {
    QFETCH(int, preset);
    PhantomOptions o = small(64, 7, PhantomPreset(preset));
    o.threads = 1;
    const Phantom a = generatePhantom(o);
    o.threads = 3;
    const Phantom b = generatePhantom(o);
    QVERIFY(sameBytes(a.image, b.image));
    QVERIFY(sameBytes(a.cracks, b.cracks));
    QVERIFY(sameBytes(a.particles, b.particles));
    QCOMPARE(a.truth.size(), b.truth.size());
    for (std::size_t i = 0; i < a.truth.size(); ++i) {
      QCOMPARE(a.truth[i].id, b.truth[i].id);
      QCOMPARE(a.truth[i].filledVoxels, b.truth[i].filledVoxels);
      QCOMPARE(a.truth[i].crackVoxels, b.truth[i].crackVoxels);
    }
    o.seed = 8;
    const Phantom c = generatePhantom(o);
    QVERIFY(!sameBytes(a.image, c.image));
    QVERIFY(!sameBytes(a.particles, c.particles));
  }

  /// The simple preset is the phantom of the first release, bit for bit: checksums of the image,
  /// labels and phases computed with the code before the realistic preset existed.
  void simplePresetMatchesFirstRelease() {
    PhantomOptions o = presetOptions(PhantomPreset::Simple);
    o.size = {56, 52, 40};
    o.seed = 3;
    o.withPhases = true;
    o.threads = 1;
    const Phantom p = generatePhantom(o);
    std::uint64_t h = phantomtest::fnv1a(p.image);
    h = phantomtest::fnv1a(p.cracks, h);
    h = phantomtest::fnv1a(p.particles, h);
    h = phantomtest::fnv1a(p.phases, h);
    std::int64_t filled = 0, cracked = 0;
    for (const auto& t : p.truth) {
      filled += t.filledVoxels;
      cracked += t.crackVoxels;
    }
    QCOMPARE(p.truth.size(), std::size_t(4));
    QCOMPARE(filled, std::int64_t(54294));
    QCOMPARE(cracked, std::int64_t(8573));
    QCOMPARE(h, std::uint64_t(0xd27c5a266039c928ull));
    o.imageType = VoxelType::Float32;
    o.size = {32, 32, 32};
    o.seed = 9;
    o.withPhases = false;
    o.threads = 2;
    const Phantom f = generatePhantom(o);
    QCOMPARE(phantomtest::fnv1a(f.cracks, phantomtest::fnv1a(f.image)), std::uint64_t(0x0992252e76501c81ull));
    // The realistic preset is another phantom.
    o.preset = PhantomPreset::Realistic;
    QVERIFY(!sameBytes(generatePhantom(o).image, f.image));
  }

  void slabEqualsWhole_data() {
    QTest::addColumn<int>("preset");
    QTest::addColumn<bool>("lowSignal");
    QTest::newRow("realistic") << int(PhantomPreset::Realistic) << false;
    QTest::newRow("realistic, low signal") << int(PhantomPreset::Realistic) << true;
    QTest::newRow("simple") << int(PhantomPreset::Simple) << false;
  }

  void slabEqualsWhole() {
    QFETCH(int, preset);
    QFETCH(bool, lowSignal);
    PhantomOptions o = small(64, 7, PhantomPreset(preset));
    o.lowSignal = lowSignal;
    o.size = {72, 60, 66};
    o.withPhases = true;
    const Phantom whole = generatePhantom(o);
    std::map<std::uint32_t, ParticleTruth> truth;
    for (const auto& t : whole.truth) truth[t.id] = t;
    const std::int64_t cuts[][2] = {{0, 9}, {9, 40}, {40, 41}, {41, 66}};
    for (const auto& c : cuts) {
      const Phantom slab = generatePhantomSlab(o, c[0], c[1]);
      QCOMPARE(slab.image.size().z, c[1] - c[0]);
      QCOMPARE(slab.image.origin().z, double(c[0]) * o.spacing.z);
      QVERIFY2(sameSlices(whole.image, slab.image, c[0]), "image slab differs from the whole");
      QVERIFY(sameSlices(whole.cracks, slab.cracks, c[0]));
      QVERIFY(sameSlices(whole.particles, slab.particles, c[0]));
      QVERIFY(sameSlices(whole.phases, slab.phases, c[0]));
      // Truth: the particles in the slab, with whole-volume counts.
      std::map<std::uint32_t, int> present;
      const auto* ids = slab.particles.as<std::uint32_t>();
      for (std::int64_t i = 0; i < slab.particles.voxelCount(); ++i)
        if (ids[i]) present[ids[i]] = 1;
      QCOMPARE(slab.truth.size(), present.size());
      for (const auto& t : slab.truth) {
        QVERIFY(present.count(t.id));
        QCOMPARE(t.filledVoxels, truth.at(t.id).filledVoxels);
        QCOMPARE(t.crackVoxels, truth.at(t.id).crackVoxels);
      }
    }
  }

  void streamedSlabsEqualWhole() {
    PhantomOptions o = small();
    o.size = {50, 44, 40};
    const Phantom whole = generatePhantom(o);
    std::int64_t next = 0;
    const auto truth = generatePhantomSlabs(o, 16, [&](Phantom& slab, std::int64_t z0) {
      QCOMPARE(z0, next);
      QVERIFY(slab.truth.empty());
      QVERIFY(sameSlices(whole.image, slab.image, z0));
      QVERIFY(sameSlices(whole.cracks, slab.cracks, z0));
      QVERIFY(sameSlices(whole.particles, slab.particles, z0));
      next = z0 + slab.image.size().z;
    });
    QCOMPARE(next, std::int64_t(40));
    QCOMPARE(truth.size(), whole.truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) {
      QCOMPARE(truth[i].id, whole.truth[i].id);
      QCOMPARE(truth[i].filledVoxels, whole.truth[i].filledVoxels);
      QCOMPARE(truth[i].crackVoxels, whole.truth[i].crackVoxels);
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantomSlabs(o, 0, [](Phantom&, std::int64_t) {}));
  }

  void truthMatchesLabels() {
    const Phantom p = generatePhantom(small(80));
    std::map<std::uint32_t, std::pair<std::int64_t, std::int64_t>> count;
    const auto* ids = p.particles.as<std::uint32_t>();
    const auto* cr = p.cracks.as<std::uint8_t>();
    for (std::int64_t i = 0; i < p.particles.voxelCount(); ++i) {
      QVERIFY(cr[i] <= 1);
      if (!ids[i]) continue;
      ++count[ids[i]].first;
      if (cr[i]) ++count[ids[i]].second;
    }
    QVERIFY(count.size() >= 8);
    QCOMPARE(p.truth.size(), count.size());
    int cracked = 0;
    for (const auto& t : p.truth) {
      QVERIFY(count.count(t.id));
      QCOMPARE(t.filledVoxels, count[t.id].first);
      QCOMPARE(t.crackVoxels, count[t.id].second);
      QVERIFY(t.radius >= 10 && t.radius <= 28);
      QVERIFY(t.crackFraction() >= 0 && t.crackFraction() < 0.5);
      if (t.cracked()) ++cracked;
    }
    // Ids are 1..n without gaps; some particles are cracked, some are not.
    QCOMPARE(count.rbegin()->first, std::uint32_t(count.size()));
    QVERIFY(cracked > 0 && cracked < int(p.truth.size()));
  }

  void cracksThinAndMostlyInParticles() {
    // The simple preset's cracks are all thin (1-3 voxels); the realistic ones run from sub-voxel
    // to 6 voxels wide and are tested in test_phantom_realistic.
    PhantomOptions o = small(96, 7, PhantomPreset::Simple);
    const Phantom p = generatePhantom(o);
    const auto s = p.cracks.size();
    const auto* cr = p.cracks.as<std::uint8_t>();
    const auto* ids = p.particles.as<std::uint32_t>();
    std::int64_t crack = 0, inside = 0, interior = 0, solid = 0;
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const std::int64_t i = p.cracks.index(x, y, z);
          if (ids[i]) ++solid;
          if (!cr[i]) continue;
          ++crack;
          if (ids[i]) ++inside;
          if (x == 0 || y == 0 || z == 0 || x == s.x - 1 || y == s.y - 1 || z == s.z - 1) continue;
          bool all = true;
          for (int dz = -1; dz <= 1 && all; ++dz)
            for (int dy = -1; dy <= 1 && all; ++dy)
              for (int dx = -1; dx <= 1 && all; ++dx) all = cr[p.cracks.index(x + dx, y + dy, z + dz)] != 0;
          if (all) ++interior;
        }
    const double n = double(s.count());
    qInfo("solid %.3f, crack %.4f of the volume, %.3f inside particles, %.4f with a full 3x3x3 crack neighbourhood",
          double(solid) / n, double(crack) / n, double(inside) / double(crack), double(interior) / double(crack));
    QVERIFY(double(solid) / n > 0.35 && double(solid) / n < 0.6);
    QVERIFY(double(crack) / n > 0.005 && double(crack) / n < 0.08);
    QVERIFY(double(inside) / double(crack) > 0.7);
    QVERIFY(inside < crack); // some run between particles
    QVERIFY(double(interior) / double(crack) < 0.05);
  }

  void greyLevelsAndTypes() {
    // The simple preset's phase levels: every crack as dark as a pore. (In the realistic preset
    // sub-voxel and partly filled cracks are faint on purpose: test_phantom_realistic.)
    for (VoxelType type : {VoxelType::UInt16, VoxelType::UInt8, VoxelType::Float32}) {
      PhantomOptions o = small(80, 7, PhantomPreset::Simple);
      o.imageType = type;
      o.withPhases = true;
      const Phantom p = generatePhantom(o);
      QCOMPARE(p.image.type(), type);
      double sum[4] = {0, 0, 0, 0};
      std::int64_t count[4] = {0, 0, 0, 0};
      const auto* ph = p.phases.as<std::uint8_t>();
      const auto s = p.image.size();
      for (std::int64_t z = 0; z < s.z; ++z)
        for (std::int64_t y = 0; y < s.y; ++y)
          for (std::int64_t x = 0; x < s.x; ++x) {
            const int k = ph[p.image.index(x, y, z)];
            sum[k] += p.image.valueAt(x, y, z);
            ++count[k];
          }
      for (int k = 0; k < 4; ++k) QVERIFY(count[k] > 0);
      const double pore = sum[0] / double(count[0]), binder = sum[1] / double(count[1]),
                   particle = sum[2] / double(count[2]), crack = sum[3] / double(count[3]);
      qInfo("%s: pore %.3f binder %.3f particle %.3f crack %.3f", volume::toString(type), pore, binder, particle, crack);
      QVERIFY(particle > binder);
      QVERIFY(binder > crack);
      QVERIFY(binder > pore);
      QVERIFY(std::abs(crack - pore) < 0.3 * (binder - pore)); // cracks as dark as pores
      if (type == VoxelType::UInt16) {
        const auto st = volume::computeStats(p.image);
        QVERIFY(st.max - st.min > 30000); // a good part of the 16-bit range
      }
    }
  }

  void noisePresent_data() {
    QTest::addColumn<int>("preset");
    QTest::addColumn<double>("low");
    // The realistic preset adds less white noise after its wider blur (closer to the real sample).
    QTest::newRow("realistic") << int(PhantomPreset::Realistic) << 0.01;
    QTest::newRow("simple") << int(PhantomPreset::Simple) << 0.02;
  }

  void noisePresent() {
    QFETCH(int, preset);
    QFETCH(double, low);
    PhantomOptions o = small(64, 7, PhantomPreset(preset));
    o.withPhases = true;
    o.imageType = VoxelType::Float32;
    // Rings, streaks and drift are structured, not noise (test_phantom_realistic checks them).
    o.realism.rings = o.realism.streaks = o.realism.drift = 0;
    const Phantom noisy = generatePhantom(o);
    o.noise = 0;
    const Phantom clean = generatePhantom(o);
    // Deep in the pores (every neighbour within 2 voxels is pore) the clean image is flat and
    // the noisy one is not.
    auto poreStd = [&](const Phantom& p) {
      const auto s = p.image.size();
      const auto* ph = p.phases.as<std::uint8_t>();
      double sum = 0, sum2 = 0;
      std::int64_t n = 0;
      for (std::int64_t z = 2; z < s.z - 2; ++z)
        for (std::int64_t y = 2; y < s.y - 2; ++y)
          for (std::int64_t x = 2; x < s.x - 2; ++x) {
            bool deep = true;
            for (int d = -2; d <= 2 && deep; ++d)
              deep = ph[p.image.index(x + d, y, z)] == 0 && ph[p.image.index(x, y + d, z)] == 0 && ph[p.image.index(x, y, z + d)] == 0;
            if (!deep) continue;
            const double v = p.image.valueAt(x, y, z);
            sum += v;
            sum2 += v * v;
            ++n;
          }
      const double m = sum / double(std::max<std::int64_t>(n, 1));
      return std::sqrt(std::max(0.0, sum2 / double(std::max<std::int64_t>(n, 1)) - m * m));
    };
    const double sn = poreStd(noisy), sc = poreStd(clean);
    // The noise itself: the difference of the two images (same geometry, same blur).
    double sum = 0, sum2 = 0;
    const auto* a = noisy.image.as<float>();
    const auto* b = clean.image.as<float>();
    const std::int64_t n = noisy.image.voxelCount();
    for (std::int64_t i = 0; i < n; ++i) {
      const double d = double(a[i]) - double(b[i]);
      sum += d;
      sum2 += d * d;
    }
    const double noiseStd = std::sqrt(sum2 / double(n) - (sum / double(n)) * (sum / double(n)));
    qInfo("pore std: noisy %.4f, clean %.4f; noise std %.4f (grey range pore..particle about 0.1..0.8)", sn, sc, noiseStd);
    QVERIFY(noiseStd > low && noiseStd < 0.15);
    QVERIFY(std::abs(sum / double(n)) < 0.01); // zero mean
    QVERIFY(sn > 1.5 * sc);
    QVERIFY(sameBytes(clean.particles, noisy.particles)); // noise never moves the truth
  }

  void otsuMarksPoresNotCracks_data() {
    QTest::addColumn<int>("preset");
    QTest::newRow("realistic") << int(PhantomPreset::Realistic);
    QTest::newRow("simple") << int(PhantomPreset::Simple);
  }

  void otsuMarksPoresNotCracks() {
    QFETCH(int, preset);
    PhantomOptions o = small(96, 7, PhantomPreset(preset));
    o.withPhases = true;
    const Phantom p = generatePhantom(o);
    const double t = otsu(p.image);
    const auto* img = p.image.as<std::uint16_t>();
    const auto* cr = p.cracks.as<std::uint8_t>();
    const auto* ph = p.phases.as<std::uint8_t>();
    std::int64_t marked = 0, truth = 0, both = 0, markedPore = 0;
    for (std::int64_t i = 0; i < p.image.voxelCount(); ++i) {
      const bool m = img[i] <= t;
      marked += m;
      truth += cr[i];
      both += m && cr[i];
      markedPore += m && ph[i] == std::uint8_t(Phase::Pore);
    }
    const double dice = 2.0 * double(both) / double(marked + truth);
    qInfo("Otsu threshold %.0f: Dice against the crack truth %.3f; %.2f of the marked voxels are pores, recall %.2f", t,
          dice, double(markedPore) / double(marked), double(both) / double(truth));
    QVERIFY(dice < 0.5);
    // In the simple preset Otsu's dark class is mostly open pores; in the realistic one mostly
    // binder (it fills most of the space between particles), so only the Dice bounds apply there.
    if (PhantomPreset(preset) == PhantomPreset::Simple) QVERIFY(double(markedPore) / double(marked) > 0.5);
    // No grey threshold at all does well: pores are as dark as cracks.
    std::vector<std::int64_t> all(65536, 0), onCrack(65536, 0);
    for (std::int64_t i = 0; i < p.image.voxelCount(); ++i) {
      ++all[img[i]];
      if (cr[i]) ++onCrack[img[i]];
    }
    std::int64_t below = 0, crackBelow = 0;
    double bestDice = 0, bestAt = 0;
    for (int v = 0; v < 65536; ++v) {
      below += all[std::size_t(v)];
      crackBelow += onCrack[std::size_t(v)];
      const double d = 2.0 * double(crackBelow) / double(below + truth);
      if (d > bestDice) {
        bestDice = d;
        bestAt = v;
      }
    }
    qInfo("best of all grey thresholds: Dice %.3f at %.0f", bestDice, bestAt);
    QVERIFY(bestDice < 0.5);
  }

  void badOptionsRejected() {
    PhantomOptions o = small();
    o.size = {0, 64, 64};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantom(o));
    o = small();
    o.particleRadiusMin = 30;
    o.particleRadiusMax = 20;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantom(o));
    o = small();
    o.imageType = VoxelType::UInt32;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantom(o));
    o = small();
    o.noise = -1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantom(o));
    o = small();
    o.solidFraction = 0.95;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantom(o));
    o = small();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantomSlab(o, 10, 10));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantomSlab(o, 60, 65));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generatePhantomSlab(o, -1, 5));
    // Too big for memory: refused at once, before any geometry work.
    o.size = {1 << 20, 1 << 20, 1 << 20};
    QElapsedTimer timer;
    timer.start();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, generatePhantom(o));
    QVERIFY(timer.elapsed() < 1000);
    try {
      o = small();
      o.particleRadiusMin = 30;
      o.particleRadiusMax = 20;
      generatePhantom(o);
    } catch (const std::invalid_argument& e) {
      QVERIFY(std::string(e.what()).find("radius") != std::string::npos);
    }
  }

  void progressAndCancel() {
    RecordingProgress rec;
    generatePhantom(small(48), rec);
    QVERIFY(rec.values.size() > 10);
    QVERIFY(std::is_sorted(rec.values.begin(), rec.values.end()));
    QCOMPARE(rec.values.back(), 1.0);

    jobs::CancelToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled, generatePhantom(small(48), jobs::nullProgress(), token));
    jobs::CancelToken midway;
    CancellingProgress canceller(midway);
    PhantomOptions o = small(48);
    o.threads = 2;
    QVERIFY_THROWS_EXCEPTION(jobs::Cancelled, generatePhantom(o, canceller, midway));
  }

  void nonCubicAndThinVolumes() {
    PhantomOptions o = small();
    o.size = {100, 40, 3};
    const Phantom p = generatePhantom(o);
    QCOMPARE(p.image.size(), (volume::Size3{100, 40, 3}));
    QVERIFY(!p.truth.empty());
    o.size = {1, 1, 1};
    const Phantom one = generatePhantom(o);
    QCOMPARE(one.image.voxelCount(), std::int64_t(1));
  }
};

QTEST_APPLESS_MAIN(TestPhantom)
#include "test_phantom.moc"
