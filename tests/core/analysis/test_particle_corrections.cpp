// Particle corrections without Qt's GUI (core::analysis::ParticleCorrections): merge, delete and
// split change only their particle's box, undo and redo restore the voxels exactly, a correction
// that changes nothing adds no step, and the undo history keeps to its byte budget.
#include "core/analysis/ParticleCorrections.h"

#include <QtTest>
#include <cstring>

using namespace core::analysis;
using core::volume::Region;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {

/// 40 x 20 x 10: particle 1 a bar along x (x 2..29, y 2..7, z 2..7), particle 2 a cube (x 32..37,
/// y 10..15, z 2..7), particle 3 a single voxel.
Volume particles() {
  Volume v({40, 20, 10}, VoxelType::UInt32);
  auto* p = v.as<std::uint32_t>();
  for (std::int64_t z = 2; z < 8; ++z)
    for (std::int64_t y = 2; y < 8; ++y)
      for (std::int64_t x = 2; x < 30; ++x) p[v.index(x, y, z)] = 1;
  for (std::int64_t z = 2; z < 8; ++z)
    for (std::int64_t y = 10; y < 16; ++y)
      for (std::int64_t x = 32; x < 38; ++x) p[v.index(x, y, z)] = 2;
  p[v.index(0, 19, 9)] = 3;
  return v;
}

bool sameVoxels(const Volume& a, const Volume& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), std::size_t(a.bytes())) == 0;
}

std::int64_t count(const Volume& v, std::uint32_t id) {
  std::int64_t n = 0;
  const auto* p = v.as<std::uint32_t>();
  for (std::int64_t i = 0; i < v.voxelCount(); ++i) n += p[i] == id;
  return n;
}

} // namespace

class TestParticleCorrections : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void boundingBoxIsTheParticlesExtent() {
    const Volume v = particles();
    const Region b = ParticleCorrections::boundingBox(v, 2);
    QCOMPARE(b.start.x, std::int64_t(32));
    QCOMPARE(b.start.y, std::int64_t(10));
    QCOMPARE(b.size.x, std::int64_t(6));
    QCOMPARE(b.size.z, std::int64_t(6));
    QVERIFY(ParticleCorrections::boundingBox(v, 7).empty());
    QVERIFY(ParticleCorrections::boundingBox(v, 0).empty());
  }

  void mergeRelabelsAndUndoRedoRestoreExactly() {
    Volume v = particles();
    const Volume original = v.clone();
    ParticleCorrections c;
    const Region r = c.merge(v, 1, 2, "merge");
    QVERIFY(!r.empty());
    QCOMPARE(r.start.x, std::int64_t(32)); // only particle 2's box changed
    QCOMPARE(count(v, 2), std::int64_t(0));
    QCOMPARE(count(v, 1), std::int64_t(28 * 36 + 216));
    const Volume merged = v.clone();
    QCOMPARE(c.undoName(), std::string("merge"));
    QVERIFY(!c.undo(v).empty());
    QVERIFY(sameVoxels(v, original));
    QVERIFY(c.canRedo());
    QVERIFY(!c.redo(v).empty());
    QVERIFY(sameVoxels(v, merged));
  }

  void deleteClearsOnlyThatParticle() {
    Volume v = particles();
    ParticleCorrections c;
    QVERIFY(!c.remove(v, 1, "delete").empty());
    QCOMPARE(count(v, 1), std::int64_t(0));
    QCOMPARE(count(v, 2), std::int64_t(216));
    QCOMPARE(count(v, 3), std::int64_t(1));
    c.undo(v);
    QVERIFY(sameVoxels(v, particles()));
  }

  void splitCutsALongParticleAcrossItsLongAxis() {
    Volume v = particles();
    ParticleCorrections c;
    QVERIFY(!c.split(v, 1, 9, "split").empty());
    // The bar is 28 voxels long in x: the cut is the plane x = 15.5, two halves of 14 x 6 x 6.
    QCOMPARE(count(v, 1), std::int64_t(14 * 36));
    QCOMPARE(count(v, 9), std::int64_t(14 * 36));
    const auto* p = v.as<std::uint32_t>();
    const std::uint32_t low = p[v.index(3, 4, 4)], high = p[v.index(28, 4, 4)];
    QVERIFY(low != high);
    QCOMPARE(p[v.index(15, 7, 7)], low);
    QCOMPARE(p[v.index(16, 2, 2)], high);
    // A single voxel cannot be split; a new id in use is refused.
    QVERIFY(c.split(v, 3, 10, "split").empty());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, c.split(v, 2, 9, "split"));
    QCOMPARE(c.undoCount(), std::size_t(1));
  }

  void aCorrectionThatChangesNothingAddsNoStep() {
    Volume v = particles();
    ParticleCorrections c;
    QVERIFY(c.merge(v, 2, 2, "same").empty());
    QVERIFY(c.merge(v, 1, 0, "zero").empty());
    QVERIFY(c.merge(v, 1, 42, "absent").empty());
    QVERIFY(c.remove(v, 42, "absent").empty());
    QVERIFY(!c.canUndo());
    QVERIFY(sameVoxels(v, particles()));
    QVERIFY(c.undo(v).empty());
  }

  void historyKeepsToItsByteBudget() {
    Volume v = particles();
    ParticleCorrections c;
    // Ten merge/undo-free steps: alternate deleting and restoring particle 2 by merging 1 into 2.
    for (int i = 0; i < 10; ++i) {
      QVERIFY(!c.merge(v, i % 2 ? 2u : 5u, i % 2 ? 5u : 2u, "step " + std::to_string(i)).empty());
    }
    QCOMPARE(c.undoCount(), std::size_t(10));
    const std::size_t perStep = c.bytesUsed() / 10;
    QVERIFY(perStep >= 2 * 216 * 4); // before and after of the 6^3 box
    c.setBudget(4 * perStep, 3);
    QVERIFY(c.bytesUsed() <= 4 * perStep);
    QVERIFY(c.droppedCount() >= 6);
    QCOMPARE(c.undoCount() + c.droppedCount(), std::size_t(10));
    // A budget below one step still keeps the newest three.
    c.setBudget(1, 3);
    QCOMPARE(c.undoCount(), std::size_t(3));
    QCOMPARE(c.undoName(), std::string("step 9"));
    // Undoing all that is kept restores the state after step 6: particle 5 (steps alternate).
    while (c.canUndo()) c.undo(v);
    QCOMPARE(count(v, 2), std::int64_t(0));
    QCOMPARE(count(v, 5), std::int64_t(216));
  }

  void nonParticleLabelsAreRefused() {
    Volume v({4, 4, 4}, VoxelType::UInt8);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ParticleCorrections::boundingBox(v, 1));
  }
};

QTEST_APPLESS_MAIN(TestParticleCorrections)
#include "test_particle_corrections.moc"
