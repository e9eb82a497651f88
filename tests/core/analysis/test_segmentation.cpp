// Particle segmentation: the distance transform and component labelling against brute force, a
// cracked sphere stays whole, touching spheres split, a random packing meets the targets.
#include "SyntheticVolumes.h"
#include "core/analysis/ConnectedComponents.h"
#include "core/analysis/ContactMerge.h"
#include "core/analysis/DistanceTransform.h"
#include "core/analysis/Evaluation.h"
#include "core/analysis/EvolutionMarkers.h"
#include "core/analysis/EvolutionScore.h"
#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleStatistics.h"

#include <QtTest>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace core::analysis;
using namespace testvol;

class TestSegmentation : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void distanceTransformMatchesBruteForce() {
    const Size3 size{13, 9, 11};
    const Vec3 sp{0.5, 0.7, 1.3};
    std::mt19937 rng(3);
    std::vector<std::uint8_t> mask(std::size_t(size.count()));
    for (auto& m : mask) m = (rng() % 10) < 8;
    std::vector<float> d(mask.size());
    squaredDistanceToZeros(mask.data(), size, sp, d.data());
    for (std::int64_t z = 0; z < size.z; ++z)
      for (std::int64_t y = 0; y < size.y; ++y)
        for (std::int64_t x = 0; x < size.x; ++x) {
          double best = INFINITY;
          for (std::int64_t k = 0; k < size.z; ++k)
            for (std::int64_t j = 0; j < size.y; ++j)
              for (std::int64_t i = 0; i < size.x; ++i)
                if (!mask[std::size_t(i + size.x * (j + size.y * k))]) {
                  const double dx = (i - x) * sp.x, dy = (j - y) * sp.y, dz = (k - z) * sp.z;
                  best = std::min(best, dx * dx + dy * dy + dz * dz);
                }
          QVERIFY(std::fabs(d[std::size_t(x + size.x * (y + size.y * z))] - best) < 1e-4 * (1 + best));
        }
    // No zero at all: infinite everywhere.
    std::fill(mask.begin(), mask.end(), 1);
    squaredDistanceToZeros(mask.data(), size, sp, d.data());
    QVERIFY(std::isinf(d[0]) && std::isinf(d.back()));
  }

  void componentsMatchFloodFill() {
    const Size3 size{17, 15, 19};
    std::mt19937 rng(5);
    std::vector<std::uint8_t> m(std::size_t(size.count()));
    for (auto& v : m) v = (rng() % 100) < 35;
    for (int conn : {6, 26}) {
      std::vector<std::uint32_t> lab(m.size());
      const std::uint32_t n = labelComponents(size, conn, [&](std::int64_t i) { return m[std::size_t(i)] != 0; },
                                              [](std::int64_t, std::int64_t) { return true; }, lab.data());
      // Reference: breadth-first flood fill.
      std::vector<std::int32_t> ref(m.size(), 0);
      std::int32_t count = 0;
      for (std::int64_t s = 0; s < size.count(); ++s) {
        if (!m[std::size_t(s)] || ref[std::size_t(s)]) continue;
        ref[std::size_t(s)] = ++count;
        std::vector<std::int64_t> stack{s};
        while (!stack.empty()) {
          const std::int64_t i = stack.back();
          stack.pop_back();
          const std::int64_t x = i % size.x, y = (i / size.x) % size.y, z = i / (size.x * size.y);
          for (int dz = -1; dz <= 1; ++dz)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                if (std::abs(dx) + std::abs(dy) + std::abs(dz) == 0) continue;
                if (conn == 6 && std::abs(dx) + std::abs(dy) + std::abs(dz) != 1) continue;
                const std::int64_t xx = x + dx, yy = y + dy, zz = z + dz;
                if (xx < 0 || yy < 0 || zz < 0 || xx >= size.x || yy >= size.y || zz >= size.z) continue;
                const std::int64_t j = xx + size.x * (yy + size.y * zz);
                if (m[std::size_t(j)] && !ref[std::size_t(j)]) ref[std::size_t(j)] = count, stack.push_back(j);
              }
        }
      }
      QCOMPARE(std::int64_t(n), std::int64_t(count));
      // Same partition, same numbering (raster order of the first voxel).
      for (std::size_t i = 0; i < m.size(); ++i) QCOMPARE(std::int64_t(lab[i]), std::int64_t(ref[i]));
    }
  }

  void crackedSphereStaysOneParticle() {
    // A crack 2 voxels thick cuts the sphere right through its centre into two halves.
    Synthetic s = makeSpheres({64, 64, 64}, {0.1, 0.1, 0.1}, {{32, 32, 32, 20, 2.0, 0.6, 0.8, 0.0, 0.0}});
    const CrackMask cm = makeCrackMask(s.cracks);
    QCOMPARE(cm.crackVoxels, s.truthCrackVoxels[1]);
    const Segmentation seg = segmentParticles(s.image, cm.mask);
    QCOMPARE(int(seg.stats.particleCount), 1);
    const auto t = measureParticles(s.image, seg.labels, seg.phases);
    QCOMPARE(t.rowCount(), std::int64_t(1));
    const double truthFraction = s.truthList[0].crackFraction;
    QVERIFY(truthFraction > 0.05);
    QVERIFY2(std::fabs(t.column("crack_fraction").values[0] - truthFraction) < 0.01,
             qPrintable(QString("crack fraction %1, truth %2").arg(t.column("crack_fraction").values[0]).arg(truthFraction)));
    QCOMPARE(t.column("crack_pieces").values[0], 1.0);
    QVERIFY(std::fabs(t.column("filled_voxels").values[0] - double(s.truthVoxels[1])) < 0.02 * double(s.truthVoxels[1]));

    // Without the crack mask the same image gives two halves: the mask is what keeps it whole.
    const Segmentation plain = segmentParticles(s.image, Volume());
    QCOMPARE(int(plain.stats.particleCount), 2);
  }

  void touchingSpheresSplit() {
    // Two spheres of radius 14 whose centres are 24 voxels apart: a neck of radius 7.
    Synthetic s = makeSpheres({72, 48, 48}, {0.2, 0.2, 0.2}, {{23, 24, 24, 14}, {47, 24, 24, 14}});
    const Segmentation seg = segmentParticles(s.image, Volume());
    QCOMPARE(int(seg.stats.particleCount), 2);
    const auto t = measureParticles(s.image, seg.labels, seg.phases);
    const double v0 = t.column("filled_voxels").values[0], v1 = t.column("filled_voxels").values[1];
    QVERIFY2(std::fabs(v0 - v1) < 0.05 * v0, qPrintable(QString("%1 vs %2").arg(v0).arg(v1)));
    QCOMPARE(t.column("touching_neighbours").values[0], 1.0);
    QVERIFY(std::fabs(v0 - double(s.truthVoxels[1])) < 0.05 * double(s.truthVoxels[1]));
  }

  void aNarrowContactThatTheHeightRuleJoinsStaysCutAndACrackedSphereStaysWhole() {
    // Sphere 2 (radius 10) overlaps sphere 1 (radius 16) by 5 voxels: blurred and smoothed, the
    // neck (radius 7.4 unblurred) is high enough against sphere 2's distance-map peak for the
    // split-height rule alone to join them (the premise; overlaps of 4 to 6 voxels do). The
    // contact is narrower than sphere 2 (contact ratio about 0.8), so step 3b keeps it apart.
    // Sphere 3, cut through its middle by a crack, meets its other half over its whole
    // cross-section and stays one particle.
    std::vector<Sphere> spheres{{24, 26, 26, 16}, {45, 26, 26, 10}, {24, 26, 66, 14, 2, 1, 0, 0}};
    Synthetic s = makeSpheres({60, 52, 88}, {0.2, 0.2, 0.2}, spheres);
    const CrackMask cm = makeCrackMask(s.cracks);
    SegmentationOptions heightOnly;
    heightOnly.contactRatio = 0;
    const Segmentation old = segmentParticles(s.image, cm.mask, heightOnly);
    QCOMPARE(int(old.stats.particleCount), 2);
    const Segmentation seg = segmentParticles(s.image, cm.mask);
    QCOMPARE(int(seg.stats.particleCount), 3);
    // Each true sphere is one segmented particle holding at least 95 % of it, none holds two.
    const auto held = representedIds(seg.labels, s.truth);
    QCOMPARE(int(held.size()), 3);
    for (const auto& [id, truths] : held) QCOMPARE(int(truths.size()), 1);
    // The halves of a ball meet at a contact ratio of 2^(1/3) = 1.26 (a disc of its radius against
    // half its volume).
    QVERIFY(std::fabs(contactRatio(M_PI * 10 * 10, 2.0 / 3.0 * M_PI * 1000) - std::cbrt(2.0)) < 1e-9);
    SegmentationOptions bad;
    bad.contactRatio = -1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, segmentParticles(s.image, cm.mask, bad));
  }

  void markersPartTouchingSpheresWhereTheyGoAndKeepACrackedOneWhole() {
    // Spheres 1 and 2 (radius 14, centres 16 apart: a neck of radius 11.5) are one particle to the
    // watershed's split-height rule alone (step 3b, off here, would cut them). Seeded with the
    // truth eroded by two voxels they part where the truth does;
    // sphere 3, cut through by a crack plane, stays one particle with its one marker; sphere 4
    // has no marker and is still a particle of its own.
    std::vector<Sphere> spheres{{22, 24, 24, 14}, {38, 24, 24, 14}, {22, 24, 62, 12, 2, 1, 0, 0}, {56, 24, 62, 10}};
    Synthetic s = makeSpheres({76, 48, 80}, {0.2, 0.2, 0.2}, spheres);
    const CrackMask cm = makeCrackMask(s.cracks);
    SegmentationOptions heightOnly;
    heightOnly.contactRatio = 0;
    const Segmentation alone = segmentParticles(s.image, cm.mask, heightOnly);
    QCOMPARE(int(alone.stats.particleCount), 3); // the premise: 1 and 2 merge without markers
    Volume markers = s.truth.clone();
    auto* m = markers.as<std::uint32_t>();
    for (std::int64_t i = 0; i < markers.voxelCount(); ++i)
      if (m[i] == 4) m[i] = 0;
    erodeLabels(markers, 2);
    const Segmentation seeded = segmentParticles(s.image, cm.mask, markers, SegmentationOptions{});
    QCOMPARE(int(seeded.stats.particleCount), 4);
    // Each true sphere is one segmented particle holding at least 95 % of it, none holds two.
    const auto held = representedIds(seeded.labels, s.truth);
    QCOMPARE(int(held.size()), 4);
    for (const auto& [id, truths] : held) QCOMPARE(int(truths.size()), 1);
    const auto* l = seeded.labels.as<std::uint32_t>();
    const auto* t = s.truth.as<std::uint32_t>();
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> pairs;
    for (std::int64_t i = 0; i < s.truth.voxelCount(); ++i)
      if (t[i]) ++pairs[{t[i], l[i]}];
    for (std::uint32_t k = 1; k <= 4; ++k) {
      std::int64_t best = 0;
      for (const auto& [key, n] : pairs)
        if (key.first == k && key.second) best = std::max(best, n);
      QVERIFY2(double(best) >= 0.95 * double(s.truthVoxels[k]), qPrintable(QString("sphere %1: %2 of %3").arg(k).arg(best).arg(s.truthVoxels[k])));
    }
    // Markers that are not uint32 of the image's size are refused.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, segmentParticles(s.image, cm.mask, Volume({4, 4, 4}, VoxelType::UInt32), SegmentationOptions{}));
  }

  void randomPackingMeetsTargets() {
    const Size3 size{96, 96, 96};
    const auto spheres = randomSpheres(size, 7, 15, 0.4, 0.6, 11);
    Synthetic s = makeSpheres(size, {0.05, 0.05, 0.05}, spheres, 80, 3);
    const CrackMask cm = makeCrackMask(s.cracks);
    SegmentationOptions opt;
    const Segmentation seg = segmentParticles(s.image, cm.mask, opt);
    const auto t = measureParticles(s.image, seg.labels, seg.phases);
    const AccuracyReport r = compareToTruth(seg.labels, t, s.truth, s.truthList, opt.minVolume);
    const QString msg = QString("truth %1 found %2, one-to-one %3, splits %4, merges %5, unmatched %6, spurious %7, "
                                "broken %8 of %9 cracked, median error %10")
                            .arg(r.truthCount).arg(r.foundCount).arg(r.oneToOne).arg(r.splitTruth).arg(r.merges)
                            .arg(r.unmatchedTruth).arg(r.spuriousFound).arg(r.crackedSplit).arg(r.crackedTruth)
                            .arg(r.medianAbsCrackFractionError);
    qInfo("%s", qPrintable(msg));
    QVERIFY(r.truthCount > 30);
    QVERIFY2(std::fabs(r.countError) <= 0.05, qPrintable(msg));
    QVERIFY2(r.oneToOneFraction >= 0.9, qPrintable(msg)); // not splits and merges that cancel out
    QVERIFY2(r.splitFraction < 0.05, qPrintable(msg));
    QVERIFY2(r.medianAbsCrackFractionError < 0.02, qPrintable(msg));
  }

  void solidThresholdCutsHalfWayBetweenBinderAndParticles() {
    // Pores (30) and binder (60) blur into one broad dark mode (no dip between them); particles
    // (130) are a mode of their own. The particles border the binder, so the edge is cut half-way
    // between binder and particles (95), not half-way between the whole dark mode and them.
    Volume v({128, 128, 16}, VoxelType::Float32, {1, 1, 1});
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> g(0, 10);
    float* p = v.as<float>();
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) {
      const double r = u(rng);
      p[i] = float((r < 0.4 ? 30 : r < 0.6 ? 60 : 130) + g(rng));
    }
    const ThresholdResult t = automaticThreshold(v);
    QCOMPARE(QString::fromStdString(t.method), QString("multi-otsu"));
    // Gathered slab by slab (how cdnet analyze --slices reads a large file), the same threshold.
    ThresholdHistogram slabs;
    const Volume top = v.crop({{0, 0, 0}, {128, 128, 5}}), bottom = v.crop({{0, 0, 5}, {128, 128, 11}});
    slabs.addRange(top), slabs.addRange(bottom), slabs.addCounts(top), slabs.addCounts(bottom);
    QCOMPARE(slabs.threshold().value, t.value);
    QVERIFY2(std::fabs(t.value - 95) < 5, qPrintable(QString("threshold %1, expected about 95").arg(t.value)));
    // One dark and one bright mode, three-class Otsu halving the (wider) bright one: no dip
    // between the halves, so two classes, cut half-way. (Were the dark mode halved, the cut would
    // sit half-way between its upper half and the particles: a few grey values higher.)
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) p[i] = float(u(rng) < 0.4 ? 40 + 0.6 * g(rng) : 130 + 1.5 * g(rng));
    const ThresholdResult two = automaticThreshold(v);
    QCOMPARE(QString::fromStdString(two.method), QString("otsu"));
    QVERIFY2(std::fabs(two.value - 85) < 3, qPrintable(QString("threshold %1, expected about 85").arg(two.value)));
  }

  void contactGapCracksStayOutOfParticles() {
    // Two spheres of radius 14, 31 voxels apart: a 3-voxel gap where they nearly touch, marked
    // crack as the paper's masks mark such gaps. Sphere 1 also has a real crack 6 voxels from the
    // contact. The gap is neither particle's crack: sphere 2 stays uncracked, sphere 1 keeps its
    // own crack fraction.
    Synthetic s = makeSpheres({80, 48, 48}, {0.1, 0.1, 0.1}, {{24, 24, 24, 14, 2.0, 0, 0, 1, 6}, {55, 24, 24, 14}});
    auto* cr = s.cracks.as<std::uint8_t>();
    auto* img = s.image.as<std::uint16_t>();
    const auto* tr = s.truth.as<std::uint32_t>();
    std::int64_t gap = 0;
    for (std::int64_t z = 0; z < 48; ++z)
      for (std::int64_t y = 0; y < 48; ++y)
        for (std::int64_t x = 0; x < 80; ++x) {
          const std::int64_t i = x + 80 * (y + 48 * z);
          const double d1 = std::hypot(x - 24.0, y - 24.0, z - 24.0) - 14, d2 = std::hypot(x - 55.0, y - 24.0, z - 24.0) - 14;
          if (!tr[i] && d1 < 3.5 && d2 < 3.5) cr[i] = 1, img[i] = 400, ++gap;
        }
    QVERIFY(gap > 20);
    const Segmentation seg = segmentParticles(s.image, makeCrackMask(s.cracks).mask);
    QCOMPARE(int(seg.stats.particleCount), 2);
    QVERIFY(seg.stats.contactGapVoxelsReleased > 0);
    const auto t = measureParticles(s.image, seg.labels, seg.phases);
    const auto& cf = t.column("crack_fraction").values;
    QVERIFY2(cf[1] < 0.002, qPrintable(QString("uncracked sphere has crack fraction %1").arg(cf[1])));
    QVERIFY2(std::fabs(cf[0] - s.truthList[0].crackFraction) < 0.01,
             qPrintable(QString("cracked sphere %1, truth %2").arg(cf[0]).arg(s.truthList[0].crackFraction)));
  }

  void cancelStops() {
    Synthetic s = makeSpheres({32, 32, 32}, {1, 1, 1}, {{16, 16, 16, 10}});
    core::jobs::CancelToken token;
    token.cancel();
    QVERIFY_THROWS_EXCEPTION(core::jobs::Cancelled, segmentParticles(s.image, Volume(), {}, core::jobs::nullProgress(), token));
  }
};

QTEST_GUILESS_MAIN(TestSegmentation)
#include "test_segmentation.moc"
