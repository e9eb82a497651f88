// Crack evolution between scans (issue 19): the aged phantom, registration of B onto A, particle
// matching and growth, and the bad inputs (scans that do not overlap, different voxel sizes).
#include "EvolutionPair.h"

#include "core/analysis/Evolution.h"
#include "core/analysis/EvolutionMarkers.h"
#include "core/analysis/EvolutionScore.h"
#include "core/analysis/EvolutionSlabs.h"
#include "core/analysis/Registration.h"

#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>

using namespace core;
using namespace testevo;

namespace {
bool sameVoxels(const volume::Volume& a, const volume::Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}
volume::Volume everySecondVoxel(const volume::Volume& v) {
  const auto s = v.size();
  volume::Volume out({s.x / 2, s.y / 2, s.z / 2}, v.type(), {v.spacing().x * 2, v.spacing().y * 2, v.spacing().z * 2});
  for (std::int64_t z = 0; z < s.z / 2; ++z)
    for (std::int64_t y = 0; y < s.y / 2; ++y)
      for (std::int64_t x = 0; x < s.x / 2; ++x) out.setValueAt(x, y, z, v.valueAt(2 * x, 2 * y, 2 * z));
  return out;
}
} // namespace

class TestEvolution : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void agedPhantomIsDeterministicFromItsSeed() {
    const auto p = makePair(48, 3), q = makePair(48, 3), r = makePair(48, 4);
    QVERIFY(sameVoxels(p.scan.image, q.scan.image));
    QVERIFY(sameVoxels(p.scan.particles, q.scan.particles));
    QVERIFY(sameVoxels(p.scan.cracks, q.scan.cracks));
    QVERIFY(!sameVoxels(p.scan.image, r.scan.image));
  }

  void agedPhantomGrowsCracksFracturesAndShufflesIds() {
    const auto p = makePair(96, 5, 150);
    std::int64_t crackA = 0, crackB = 0, fractured = 0, sameId = 0, newCracks = 0;
    for (const auto& t : p.particles) {
      crackA += t.crackA;
      crackB += t.crackB;
      QVERIFY2(t.crackB >= t.crackA, "cracks only grow");
      if (t.fractured) {
        ++fractured;
        QCOMPARE(int(t.idsB.size()), 2);
      }
      if (!t.idsB.empty() && t.idsB[0] == t.idA) ++sameId;
      if (t.crackA == 0 && t.crackB > 0) ++newCracks;
    }
    QVERIFY2(crackB > crackA * 1.2, "cracks grew");
    QVERIFY(fractured >= 1);
    QVERIFY(newCracks >= 1);
    QVERIFY2(sameId * 4 < std::int64_t(p.particles.size()), "ids in B are shuffled");
    // No cycles: the cracks stay as they were.
    const auto still = makePair(48, 5, 0);
    for (const auto& t : still.particles) QCOMPARE(t.crackB, t.crackA);
  }

  void registrationRecoversTheMotionWithinHalfAVoxel() {
    const auto p = makePair(96, 7);
    const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b");
    std::vector<volume::Vec3> a, b;
    centroids(p, a, b);
    QVERIFY(a.size() >= 10);
    const auto map = r.indexMap(p.first.image.info(), p.scan.image.info());
    const double rms = analysis::registrationRms(map, a, b);
    analysis::AffineMap identity;
    const double before = analysis::registrationRms(identity, a, b);
    qInfo("registration RMS %.3f voxels (%.3f before), correlation %.3f", rms, before, r.correlation);
    QVERIFY(before > 2.0);
    QVERIFY(rms < 0.5);
    QVERIFY(r.correlation > 0.6);
    QVERIFY(!r.spacingDiffers);
  }

  void affineStageRegistersWithinHalfAVoxel() {
    core::phantom::AgingOptions aging;
    aging.strain = 0.03; // up to 3 %: about a voxel 40 voxels from the centre, beyond what a rigid map explains
    const auto p = makePair(96, 13, 100, aging);
    analysis::RegistrationOptions o;
    o.transform = analysis::TransformMode::Affine;
    const auto r = analysis::registerScans(p.first.image, p.scan.image, o, "a", "b");
    QVERIFY(r.affine);
    std::vector<volume::Vec3> a, b;
    centroids(p, a, b);
    const double rms = analysis::registrationRms(r.indexMap(p.first.image.info(), p.scan.image.info()), a, b);
    o.transform = analysis::TransformMode::Rigid;
    const auto rigid = analysis::registerScans(p.first.image, p.scan.image, o, "a", "b");
    QVERIFY(!rigid.affine);
    const double rigidRms = analysis::registrationRms(rigid.indexMap(p.first.image.info(), p.scan.image.info()), a, b);
    qInfo("affine registration RMS %.3f voxels, rigid %.3f", rms, rigidRms);
    QVERIFY(rms < 0.5);
    QVERIFY2(rms < 0.8 * rigidRms, "the affine stage takes up the strain");
  }

  void autoTransformPicksAffineForAStrainedPairAndRigidForARigidOne() {
    core::phantom::AgingOptions strained, rigidMotion;
    strained.strain = 0.03;
    rigidMotion.strain = 0;
    for (const bool strain : {true, false}) {
      const auto p = makePair(96, 13, 100, strain ? strained : rigidMotion);
      const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b"); // default: auto
      qInfo("%s pair: %s", strain ? "strained" : "rigid", r.choice.c_str());
      QCOMPARE(r.mode, analysis::TransformMode::Auto);
      QCOMPARE(r.affine, strain);
      QVERIFY(std::isfinite(r.affineCorrelation));
      QVERIFY2(QString::fromStdString(r.describe()).contains(strain ? "affine (auto" : "rigid (auto"), r.describe().c_str());
      std::vector<volume::Vec3> a, b;
      centroids(p, a, b);
      QVERIFY(analysis::registrationRms(r.indexMap(p.first.image.info(), p.scan.image.info()), a, b) < 0.5);
    }
  }

  void slabBySlabResamplingEqualsTheWholeAndReadsOnlyItsPart() {
    const auto p = makePair(64, 7);
    const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b");
    const auto& grid = p.first.image.info();
    for (const volume::Volume* b : {&p.scan.image, &p.scan.particles}) {
      volume::Volume inside;
      const volume::Volume whole = analysis::resampleOnto(*b, r, grid, &inside);
      volume::VolumeInfo info = grid;
      info.type = b->type();
      volume::Volume slabs(info), slabInside(grid.size, volume::VoxelType::UInt8, grid.spacing, grid.origin);
      std::int64_t largest = 0;
      for (std::int64_t z0 = 0; z0 < grid.size.z; z0 += 8) {
        const std::int64_t z1 = std::min(grid.size.z, z0 + 8);
        const volume::Region part = analysis::sourceRegion(r, grid, b->info(), z0, z1);
        largest = std::max(largest, part.size.z);
        analysis::resampleSlab(b->crop(part), part, b->info(), r, z0, z1, slabs, &slabInside,
                               b->type() == volume::VoxelType::UInt32);
      }
      QVERIFY(sameVoxels(whole, slabs));
      QVERIFY(sameVoxels(inside, slabInside));
      QVERIFY2(largest < grid.size.z / 2, "a slab of A needs a slab of B, not all of it");
    }
  }

  void slabBySlabComparisonGivesTheRowsOfTheWholeComparison() {
    const auto p = makePair(96, 11, 150);
    const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b");
    const analysis::TimePoint a{&p.first.image, &p.first.particles, &p.first.cracks}, b{&p.scan.image, &p.scan.particles, &p.scan.cracks};
    const auto& info = p.first.image.info();
    volume::Volume inside;
    const volume::Volume img = analysis::resampleOnto(p.scan.image, r, info, &inside);
    const volume::Volume lab = analysis::resampleOnto(p.scan.particles, r, info);
    const volume::Volume cr = analysis::resampleOnto(p.scan.cracks, r, info);
    const auto whole = analysis::compareTimePoints(a, {&img, &lab, &cr}, &inside);
    analysis::MemoryEvolutionSource source(a, b, r);
    const std::uint64_t slice = std::uint64_t(info.size.x * info.size.y) * analysis::evolutionBytesPerVoxel(info);
    analysis::EvolutionSlabPlan plan;
    // A limit the whole grid fits in: one slab, compareTimePoints itself.
    const auto one = analysis::compareInSlabs(source, {}, slice * std::uint64_t(info.size.z), &plan);
    QCOMPARE(plan.slabs, std::int64_t(1));
    // Too small for twice the halo: refused, naming the halo (which the plan receives).
    try {
      analysis::compareInSlabs(source, {}, slice * 4, &plan);
      QFAIL("a limit of 4 slices was accepted");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("halo of " + QString::number(plan.halo) + " slices"), e.what());
    }
    QVERIFY(plan.halo > 0);
    // A limit of twice the halo plus a few slices: at least 3 slabs.
    const auto slabs = analysis::compareInSlabs(source, {}, slice * std::uint64_t(2 * plan.halo + 4), &plan);
    qInfo("%lld slabs of %lld slices, halo %lld; %lld rows", (long long)plan.slabs, (long long)plan.slabSlices, (long long)plan.halo,
          (long long)slabs.particles.rowCount());
    QVERIFY(plan.slabs >= 3);
    QVERIFY(plan.halo > 0);
    for (const auto* e : {&one, &slabs}) {
      QCOMPARE(e->particles.rowCount(), whole.particles.rowCount());
      QCOMPARE(e->particles.columnCount(), whole.particles.columnCount());
      for (std::int64_t row = 0; row < whole.particles.rowCount(); ++row)
        for (int c = 0; c < whole.particles.columnCount(); ++c) {
          const double x = whole.particles.value(row, c), y = e->particles.value(row, c);
          QVERIFY2((std::isnan(x) && std::isnan(y)) || std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x)),
                   qPrintable(QString("row %1 (id %2), column %3: %4 against %5")
                                  .arg(row)
                                  .arg(whole.particles.value(row, 0))
                                  .arg(whole.particles.column(c).name.c_str())
                                  .arg(x, 0, 'g', 17)
                                  .arg(y, 0, 'g', 17)));
        }
      QCOMPARE(e->matched, whole.matched);
      QCOMPARE(e->fractured, whole.fractured);
      QCOMPARE(e->lost, whole.lost);
      QCOMPARE(e->outside, whole.outside);
      QCOMPARE(e->unmatchedB, whole.unmatchedB);
      QCOMPARE(e->depthProfile.rowCount(), whole.depthProfile.rowCount());
    }
    QVERIFY(whole.fractured >= 1);
  }

  void registrationFromCoarseCopiesAloneMatchesTheFullScans() {
    const auto p = makePair(96, 7);
    analysis::RegistrationOptions o;
    o.coarseSize = 48; // block size 2
    const auto full = analysis::registerScans(p.first.image, p.scan.image, o, "a", "b");
    const volume::Volume ca = analysis::coarseCopy(p.first.image, 2), cb = analysis::coarseCopy(p.scan.image, 2);
    const auto coarse = analysis::registerCoarse(ca, cb, p.first.image.info(), p.scan.image.info(), o, "a", "b");
    std::vector<volume::Vec3> a, b;
    centroids(p, a, b);
    const double rms = analysis::registrationRms(coarse.indexMap(p.first.image.info(), p.scan.image.info()), a, b);
    qInfo("registration from 2x coarse copies: RMS %.3f voxels", rms);
    QVERIFY(rms < 0.5);
    QCOMPARE(coarse.shrinkA, 2);
    QCOMPARE(coarse.correlation, full.correlation);
  }

  void scansThatDoNotOverlapAreRefusedWithTheQuality() {
    const auto p = makePair(64, 9), other = makePair(64, 31);
    try {
      analysis::registerScans(p.first.image, other.scan.image, {}, "a.nrrd", "other.nrrd");
      QFAIL("unrelated scans registered");
    } catch (const std::runtime_error& e) {
      const QString m = e.what();
      qInfo("%s", e.what());
      QVERIFY2(m.contains("a.nrrd") && m.contains("other.nrrd") && m.contains("correlation"), e.what());
    }
  }

  void differentVoxelSizesAreResampledOntoA() {
    const auto p = makePair(96, 7);
    const volume::Volume coarse = everySecondVoxel(p.scan.image);
    const auto r = analysis::registerScans(p.first.image, coarse, {}, "a", "b");
    QVERIFY(r.spacingDiffers);
    std::vector<volume::Vec3> a, b;
    centroids(p, a, b);
    for (auto& q : b) q = {q.x / 2, q.y / 2, q.z / 2}; // true place in the coarse scan's index
    const double rms = analysis::registrationRms(r.indexMap(p.first.image.info(), coarse.info()), a, b);
    qInfo("registration RMS %.3f voxels of the coarse scan", rms);
    QVERIFY(rms < 0.5);
    const volume::Volume back = analysis::resampleOnto(coarse, r, p.first.image.info());
    QCOMPARE(back.size(), p.first.image.size());
    QCOMPARE(back.spacing(), p.first.image.spacing());
  }

  void particlesMatchFracturesAreFoundAndGrowthIsMeasured() {
    const auto p = makePair(96, 11, 150);
    const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b");
    const auto& info = p.first.image.info();
    volume::Volume inside;
    const volume::Volume img = analysis::resampleOnto(p.scan.image, r, info, &inside);
    const volume::Volume lab = analysis::resampleOnto(p.scan.particles, r, info);
    const volume::Volume cr = analysis::resampleOnto(p.scan.cracks, r, info);
    const auto e = analysis::compareTimePoints({&p.first.image, &p.first.particles, &p.first.cracks}, {&img, &lab, &cr}, &inside);
    const auto s = analysis::scoreEvolution(e.particles, truthOf(p));
    qInfo("evaluated %lld, matched %.3f, fractured %lld/%lld (false %lld), median growth error %.4f", (long long)s.evaluated,
          s.matchedShare, (long long)s.fracturedFound, (long long)s.fracturedTruth, (long long)s.falseFractures,
          s.medianGrowthError);
    QVERIFY(s.evaluated >= 10);
    QVERIFY(s.matchedShare >= 0.95);
    QVERIFY(s.fracturedTruth >= 1);
    QVERIFY(s.fracturedRecall >= 0.8);
    QVERIFY(s.medianGrowthError < 0.01);
    QVERIFY(e.depthProfile.rowCount() >= 1);
    // Against itself: everything matches one to one and nothing grows.
    const auto same = analysis::compareTimePoints({&p.first.image, &p.first.particles, &p.first.cracks},
                                                  {&p.first.image, &p.first.particles, &p.first.cracks}, nullptr);
    const int g = same.particles.indexOf("crack_fraction_growth"), f = same.particles.indexOf("fractured");
    for (std::int64_t i = 0; i < same.particles.rowCount(); ++i) {
      QCOMPARE(same.particles.value(i, g), 0.0);
      QCOMPARE(same.particles.value(i, f), 0.0);
    }
  }

  void aParticleCutThroughByANewCrackIsFracturedEvenAsOneLabel() {
    // One ball labelled 1 in both scans (a segmentation that keeps cracked particles whole); in B a
    // crack plane x = 20 cuts it through, in C a crack disc of half its radius does not.
    const volume::Size3 s{40, 40, 40};
    volume::Volume img(s, volume::VoxelType::UInt8), lab(s, volume::VoxelType::UInt32), none(s, volume::VoxelType::UInt8),
        cut(s, volume::VoxelType::UInt8), notch(s, volume::VoxelType::UInt8);
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const double dx = double(x) - 19.5, dy = double(y) - 19.5, dz = double(z) - 19.5;
          if (dx * dx + dy * dy + dz * dz > 14.0 * 14.0) continue;
          lab.setValueAt(x, y, z, 1);
          img.setValueAt(x, y, z, 200);
          if (x == 19 || x == 20) {
            cut.setValueAt(x, y, z, 1);
            if (dy * dy + dz * dz < 7.0 * 7.0) notch.setValueAt(x, y, z, 1);
          }
        }
    const analysis::TimePoint a{&img, &lab, &none};
    const auto fr = analysis::compareTimePoints(a, {&img, &lab, &cut}, nullptr);
    const auto nf = analysis::compareTimePoints(a, {&img, &lab, &notch}, nullptr);
    const int f = fr.particles.indexOf("fractured"), pieces = fr.particles.indexOf("solid_pieces_b");
    QCOMPARE(fr.particles.value(0, f), 1.0);
    QCOMPARE(fr.particles.value(0, pieces), 2.0);
    QCOMPARE(nf.particles.value(0, f), 0.0);
    QCOMPARE(nf.particles.value(0, pieces), 1.0);
    // Already cut in A: no new fracture.
    const auto again = analysis::compareTimePoints({&img, &lab, &cut}, {&img, &lab, &cut}, nullptr);
    QCOMPARE(again.particles.value(0, f), 0.0);
  }

  void aHeavilyCrackedParticleCutInTwoIsFracturedAndAThinBridgeIsNot() {
    // A ball whose outer shell (radius 10 to 14, 64 % of it) is crack: in B a plane cuts its core
    // in two halves of about a fifth of the ball each, but half of its uncracked material each.
    // And a ball whose crack plane in A leaves a bridge under two voxels wide at its rim: B's full
    // cut is within what resampling does to such a bridge, so it is not called a fracture.
    const volume::Size3 s{40, 40, 40};
    volume::Volume img(s, volume::VoxelType::UInt8), lab(s, volume::VoxelType::UInt32), shell(s, volume::VoxelType::UInt8),
        shellCut(s, volume::VoxelType::UInt8), bridged(s, volume::VoxelType::UInt8), cut(s, volume::VoxelType::UInt8);
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const double dx = double(x) - 19.5, dy = double(y) - 19.5, dz = double(z) - 19.5, r2 = dx * dx + dy * dy + dz * dz;
          if (r2 > 14.0 * 14.0) continue;
          lab.setValueAt(x, y, z, 1);
          img.setValueAt(x, y, z, 200);
          const bool plane = x == 19 || x == 20;
          if (r2 > 10.0 * 10.0) shell.setValueAt(x, y, z, 1), shellCut.setValueAt(x, y, z, 1);
          if (plane) {
            shellCut.setValueAt(x, y, z, 1);
            cut.setValueAt(x, y, z, 1);
            if (dy * dy + dz * dz < 12.6 * 12.6) bridged.setValueAt(x, y, z, 1);
          }
        }
    const auto heavy = analysis::compareTimePoints({&img, &lab, &shell}, {&img, &lab, &shellCut}, nullptr);
    const int f = heavy.particles.indexOf("fractured"), pieces = heavy.particles.indexOf("solid_pieces_b");
    QCOMPARE(heavy.particles.value(0, pieces), 2.0);
    QCOMPARE(heavy.particles.value(0, f), 1.0);
    const auto thin = analysis::compareTimePoints({&img, &lab, &bridged}, {&img, &lab, &cut}, nullptr);
    QCOMPARE(thin.particles.value(0, f), 0.0);
  }

  void aPieceOfANewCracksCutInTwoIsFracturedThoughACountsAsManyPieces() {
    // A ball whose crack plane x = 19..20 in A leaves a thin bridge at its rim: one piece eroded by
    // a voxel, two (left, right) eroded by two. In B the right half is all crack and a new plane
    // y = 19..20 cuts the left half in two: B has two large pieces, as many as A counts, but both
    // lie in A's left piece. Without the new plane, B's one piece is no fracture.
    const volume::Size3 s{40, 40, 40};
    volume::Volume img(s, volume::VoxelType::UInt8), lab(s, volume::VoxelType::UInt32), bridged(s, volume::VoxelType::UInt8),
        cutLeft(s, volume::VoxelType::UInt8), rightGone(s, volume::VoxelType::UInt8);
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const double dx = double(x) - 19.5, dy = double(y) - 19.5, dz = double(z) - 19.5;
          if (dx * dx + dy * dy + dz * dz > 14.0 * 14.0) continue;
          lab.setValueAt(x, y, z, 1);
          img.setValueAt(x, y, z, 200);
          const bool plane = x == 19 || x == 20;
          if (plane && dy * dy + dz * dz < 12.6 * 12.6) bridged.setValueAt(x, y, z, 1);
          if (plane || x > 20) cutLeft.setValueAt(x, y, z, 1), rightGone.setValueAt(x, y, z, 1);
          if (x < 19 && (y == 19 || y == 20)) cutLeft.setValueAt(x, y, z, 1);
        }
    const analysis::TimePoint a{&img, &lab, &bridged};
    const auto cut = analysis::compareTimePoints(a, {&img, &lab, &cutLeft}, nullptr);
    const int f = cut.particles.indexOf("fractured"), pa = cut.particles.indexOf("solid_pieces_a"),
              pb = cut.particles.indexOf("solid_pieces_b");
    QCOMPARE(cut.particles.value(0, pa), 2.0);
    QCOMPARE(cut.particles.value(0, pb), 2.0);
    QCOMPARE(cut.particles.value(0, f), 1.0);
    const auto gone = analysis::compareTimePoints(a, {&img, &lab, &rightGone}, nullptr);
    QCOMPARE(gone.particles.value(0, pb), 1.0);
    QCOMPARE(gone.particles.value(0, f), 0.0);
  }

  void aPreCutParticleCutAgainIsFracturedAndAGrownOldCrackIsNot() {
    // A ball (radius 14) that an old crack plane x = 19..20 cuts in two halves in A; in B a new
    // plane through its centre, slanted 35 degrees from the old one, cuts it again: B's two large
    // pieces are still A's halves, the new cut leaves two wedges. A cube (5..34) with an old crack
    // plate x = 19..20, z = 10..29 in A, whole (5-voxel bridges above and below it): in B the plate
    // grew five voxels every way (6-neighbour steps, as the phantom grows cracks) and now cuts the
    // cube in two large pieces, which is growth, not a fracture; nor is the ball's old plane widened.
    const volume::Size3 s{40, 40, 40};
    volume::Volume img(s, volume::VoxelType::UInt8), lab(s, volume::VoxelType::UInt32), cube(s, volume::VoxelType::UInt32),
        oldCut(s, volume::VoxelType::UInt8), cutAgain(s, volume::VoxelType::UInt8), widened(s, volume::VoxelType::UInt8),
        plate(s, volume::VoxelType::UInt8), grown(s, volume::VoxelType::UInt8);
    const double slant = std::tan(35.0 * 3.14159265358979 / 180.0), norm = std::sqrt(1 + slant * slant);
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          img.setValueAt(x, y, z, 200);
          if (x >= 5 && x < 35 && y >= 5 && y < 35 && z >= 5 && z < 35) {
            cube.setValueAt(x, y, z, 1);
            // 6-neighbour steps from the plate: its x and z excess (it spans y).
            const std::int64_t steps = (x < 19 ? 19 - x : x > 20 ? x - 20 : 0) + (z < 10 ? 10 - z : z > 29 ? z - 29 : 0);
            if (steps == 0) plate.setValueAt(x, y, z, 1);
            if (steps <= 5) grown.setValueAt(x, y, z, 1);
          }
          const double dx = double(x) - 19.5, dy = double(y) - 19.5, dz = double(z) - 19.5;
          if (dx * dx + dy * dy + dz * dz > 14.0 * 14.0) continue;
          lab.setValueAt(x, y, z, 1);
          if (std::abs(dx) < 1) oldCut.setValueAt(x, y, z, 1), cutAgain.setValueAt(x, y, z, 1);
          if (std::abs(dx - slant * dy) / norm < 1) cutAgain.setValueAt(x, y, z, 1);
          if (std::abs(dx) < 3) widened.setValueAt(x, y, z, 1);
        }
    const auto again = analysis::compareTimePoints({&img, &lab, &oldCut}, {&img, &lab, &cutAgain}, nullptr);
    const int f = again.particles.indexOf("fractured"), cover = again.particles.indexOf("cut_coverage"),
              pa = again.particles.indexOf("solid_pieces_a"), pb = again.particles.indexOf("solid_pieces_b");
    qInfo("cut again: large pieces A %g, B %g, cut coverage %.3f", again.particles.value(0, pa), again.particles.value(0, pb),
          cover >= 0 ? again.particles.value(0, cover) : -1.0);
    QCOMPARE(again.particles.value(0, pb), again.particles.value(0, pa)); // as many large pieces as before
    QCOMPARE(again.particles.value(0, f), 1.0);
    const auto wide = analysis::compareTimePoints({&img, &lab, &oldCut}, {&img, &lab, &widened}, nullptr);
    QCOMPARE(wide.particles.value(0, f), 0.0);
    const auto grew = analysis::compareTimePoints({&img, &cube, &plate}, {&img, &cube, &grown}, nullptr);
    qInfo("grown: large pieces A %g, B %g, cut coverage %.3f", grew.particles.value(0, pa), grew.particles.value(0, pb),
          cover >= 0 ? grew.particles.value(0, cover) : -1.0);
    QCOMPARE(grew.particles.value(0, pa), 1.0);
    QCOMPARE(grew.particles.value(0, pb), 2.0); // the grown crack does cut it
    QCOMPARE(grew.particles.value(0, f), 0.0);
  }

  void segmentedIdsAreScoredAsTheTrueParticlesTheyHold() {
    // Eight voxels in a row. True A: particles 1, 2, 3; A's segmentation merged 2 and 3 (label 8).
    // True B: 1 fractured into 11 and 12, 2 is 21, 3 is 31; B's segmentation kept 11 and 12 as one
    // label (40), and in a second segmentation merged 21 and 31 (label 43).
    const volume::Size3 s{8, 1, 1};
    auto row = [&](std::initializer_list<std::uint32_t> v) {
      volume::Volume out(s, volume::VoxelType::UInt32);
      std::int64_t x = 0;
      for (const std::uint32_t id : v) out.setValueAt(x++, 0, 0, id);
      return out;
    };
    const volume::Volume trueA = row({1, 1, 2, 2, 3, 3, 0, 0}), segA = row({7, 7, 8, 8, 8, 8, 0, 0});
    const volume::Volume trueB = row({11, 12, 21, 21, 31, 31, 0, 0}), segB = row({40, 40, 41, 41, 42, 42, 0, 0}),
                         mergedB = row({40, 40, 43, 43, 43, 43, 0, 0});
    const double kNone = std::numeric_limits<double>::quiet_NaN();
    const std::vector<analysis::EvolutionTruth> truth = {{1, {11, 12}, true, 0.1}, {2, {21}, false, 0}, {3, {31}, false, 0}};
    auto table = [](double idB1, double idB2) {
      analysis::Table t = analysis::evolutionColumns();
      t.resizeRows(2);
      const double ids[2][2] = {{7, 40}, {8, idB1}};
      for (int r = 0; r < 2; ++r) {
        t.set(r, t.indexOf("id_a"), ids[r][0]);
        t.set(r, t.indexOf("id_b"), ids[r][1]);
        t.set(r, t.indexOf("border"), 0);
        t.set(r, t.indexOf("fractured"), r == 0 ? 1 : 0);
        t.set(r, t.indexOf("crack_fraction_growth"), r == 0 ? 0.1 : 0);
      }
      if (std::isfinite(idB2)) t.set(1, t.indexOf("fragment_id_b"), idB2);
      return t;
    };
    const auto mapA = analysis::representedIds(segA, trueA);
    QCOMPARE(mapA.at(8), (std::vector<std::uint32_t>{2, 3}));
    // The fractured particle kept whole is matched correctly; of the two merged in A, the one whose
    // particle of B its row found is, the other is not, and both are evaluated.
    const auto sc =
        analysis::scoreEvolution(analysis::inTrueIds(table(41, kNone), mapA, analysis::representedIds(segB, trueB)), truth);
    QCOMPARE(sc.evaluated, std::int64_t(3));
    QCOMPARE(sc.matchedCorrectly, std::int64_t(2));
    QCOMPARE(sc.fracturedFound, std::int64_t(1));
    // B's segmentation merged 2 and 3: neither is matched correctly.
    const auto merged =
        analysis::scoreEvolution(analysis::inTrueIds(table(43, kNone), mapA, analysis::representedIds(mergedB, trueB)), truth);
    QCOMPARE(merged.evaluated, std::int64_t(3));
    QCOMPARE(merged.matchedCorrectly, std::int64_t(1));
  }

  void inverseRegistrationMapsBackAndMarkersLandOnTheParticleInB() {
    analysis::RegistrationResult r;
    r.physical.m = {0.99, -0.05, 0.02, 0.05, 1.01, 0.0, -0.02, 0.01, 1.0};
    r.physical.t = {1.5, -2.0, 0.7};
    const analysis::RegistrationResult inv = analysis::inverseRegistration(r);
    const volume::Vec3 p{3.0, -4.0, 5.5}, back = inv.physical.apply(r.physical.apply(p));
    QVERIFY(std::abs(back.x - p.x) < 1e-9 && std::abs(back.y - p.y) < 1e-9 && std::abs(back.z - p.z) < 1e-9);
    analysis::RegistrationResult flat;
    flat.physical.m = {1, 0, 0, 0, 1, 0, 0, 0, 0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, analysis::inverseRegistration(flat));
    // A ball of radius 8 at x = 12 in A is at x = 17 in B (A's point p is B's p + 5 voxels of x):
    // its marker, eroded by two voxels, lies inside the ball's place in B and covers its core.
    const volume::Size3 s{32, 24, 24};
    volume::Volume labA(s, volume::VoxelType::UInt32);
    auto inBall = [](double x, double y, double z, double cx) { return (x - cx) * (x - cx) + (y - 11.5) * (y - 11.5) + (z - 11.5) * (z - 11.5) <= 64.0; };
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x)
          if (inBall(double(x), double(y), double(z), 12)) labA.setValueAt(x, y, z, 3);
    analysis::RegistrationResult shift;
    shift.physical.t = {5, 0, 0};
    const volume::Volume m = analysis::evolutionMarkers(labA, shift, labA.info(), 2);
    QCOMPARE(m.type(), volume::VoxelType::UInt32);
    std::int64_t marked = 0, outside = 0;
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x)
          if (m.valueAt(x, y, z) != 0) {
            QCOMPARE(m.valueAt(x, y, z), 3.0);
            ++marked;
            const double dx = double(x) - 17, dy = double(y) - 11.5, dz = double(z) - 11.5;
            if (dx * dx + dy * dy + dz * dz > 6.5 * 6.5) ++outside;
          }
    QCOMPARE(outside, std::int64_t(0));
    QVERIFY2(marked > 700, qPrintable(QString::number(marked))); // a ball of radius 6: about 900 voxels
  }

  void bSegmentedWithAsParticlesMatchesMoreThanItsOwnSegmentation() {
    // A's particles known (its true labels, as --labels-a gives them), B segmented by cdnet on its
    // own grid: seeded with A's particles, B's segmentation parts touching particles as A does and
    // matches clearly more of them than B's segmentation alone, which merges some A holds apart.
    const auto p = makePair(96, 3, 100);
    const auto r = analysis::registerScans(p.first.image, p.scan.image, {}, "a", "b");
    const auto& info = p.first.image.info();
    volume::Volume inside;
    const volume::Volume img = analysis::resampleOnto(p.scan.image, r, info, &inside);
    const volume::Volume cr = analysis::resampleOnto(p.scan.cracks, r, info);
    const volume::Volume trueB = analysis::resampleOnto(p.scan.particles, r, info);
    const auto mapA = analysis::representedIds(p.first.particles, p.first.particles);
    auto score = [&](const volume::Volume& labelsBOwn) {
      const volume::Volume lab = analysis::resampleOnto(labelsBOwn, r, info);
      const auto e = analysis::compareTimePoints({&p.first.image, &p.first.particles, &p.first.cracks}, {&img, &lab, &cr}, &inside);
      return analysis::scoreEvolution(analysis::inTrueIds(e.particles, mapA, analysis::representedIds(lab, trueB)), truthOf(p));
    };
    const auto own = score(analysis::segmentParticles(p.scan.image, p.scan.cracks).labels);
    const auto seeded = score(analysis::segmentWithMarkers(p.scan.image, p.scan.cracks, p.first.particles, r).labels);
    qInfo("matched: B's own segmentation %lld of %lld, seeded with A's %lld of %lld; fractured %lld/%lld (false %lld)",
          (long long)own.matchedCorrectly, (long long)own.evaluated, (long long)seeded.matchedCorrectly,
          (long long)seeded.evaluated, (long long)seeded.fracturedFound, (long long)seeded.fracturedTruth,
          (long long)seeded.falseFractures);
    QVERIFY(seeded.evaluated >= 20);
    // 28 of 31 against 22 of 31 here: what is left are particles of B that have no marker (outside
    // A's field) joined to a marked neighbour.
    QVERIFY(seeded.matchedShare >= 0.85);
    QVERIFY(seeded.matchedCorrectly >= own.matchedCorrectly + 3);
  }

  void timePointsOffAsGridAreRefused() {
    const auto p = makePair(48, 3);
    const volume::Volume small({8, 8, 8}, volume::VoxelType::UInt32);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             analysis::compareTimePoints({&p.first.image, &p.first.particles, &p.first.cracks},
                                                         {&p.scan.image, &small, &p.scan.cracks}, nullptr));
  }
};

QTEST_GUILESS_MAIN(TestEvolution)
#include "test_evolution.moc"
