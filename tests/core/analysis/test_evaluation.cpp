// compareToTruth on small synthetic label volumes whose answer is known by construction: one-to-one
// matches need IoU >= 0.5, and splits and merges are reported apart instead of cancelling out in
// the particle count (issue 13).
#include "core/analysis/Evaluation.h"

#include <QtTest>

using namespace core::analysis;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {

constexpr std::int64_t kMinVoxels = 50;

/// Writes \p id into the box [x0, x1) x [y0, y1) x [z0, z1) of a uint32 label volume.
void box(Volume& v, std::uint32_t id, int x0, int x1, int y0, int y1, int z0, int z1) {
  for (int z = z0; z < z1; ++z)
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) v.as<std::uint32_t>()[v.index(x, y, z)] = id;
}

Volume labels() { return Volume({40, 12, 12}, VoxelType::UInt32); }

/// The particle table of a segmentation: ids and crack fractions.
Table table(const std::vector<std::pair<std::uint32_t, double>>& rows) {
  Table t;
  const int id = t.addColumn("id", "", ColumnKind::Integer, "id");
  const int cf = t.addColumn("crack_fraction", "", ColumnKind::Real, "crack fraction");
  t.resizeRows(std::int64_t(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    t.set(std::int64_t(r), id, rows[r].first);
    t.set(std::int64_t(r), cf, rows[r].second);
  }
  return t;
}

QString describe(const AccuracyReport& r) {
  return QString("truth %1 found %2: one-to-one %3, split %4 (pieces %5), merges %6 (covering %7), unmatched %8, "
                 "spurious %9")
      .arg(r.truthCount).arg(r.foundCount).arg(r.oneToOne).arg(r.splitTruth).arg(r.splitPieces).arg(r.merges)
      .arg(r.mergedTruth).arg(r.unmatchedTruth).arg(r.spuriousFound);
}

} // namespace

class TestEvaluation : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void exactSegmentationIsAllOneToOne() {
    // Three 10^3 boxes (and a 2^3 one under the minimum, ignored); found: the same boxes under
    // other ids, crack fractions off by 0.01, 0.02 and 0.05.
    Volume truth = labels(), found = labels();
    box(truth, 1, 1, 11, 1, 11, 1, 11);
    box(truth, 2, 11, 21, 1, 11, 1, 11);
    box(truth, 3, 25, 35, 1, 11, 1, 11);
    box(truth, 4, 37, 39, 1, 3, 1, 3);
    box(found, 9, 1, 11, 1, 11, 1, 11);
    box(found, 7, 11, 21, 1, 11, 1, 11);
    box(found, 8, 25, 35, 1, 11, 1, 11);
    const AccuracyReport r = compareToTruth(found, table({{7, 0.0}, {8, 0.35}, {9, 0.11}}), truth,
                                            {{1, 0.1}, {2, 0.02}, {3, 0.3}, {4, 0.5}}, kMinVoxels);
    QVERIFY2(r.truthCount == 3 && r.foundCount == 3 && r.oneToOne == 3, qPrintable(describe(r)));
    QCOMPARE(r.oneToOneFraction, 1.0);
    QCOMPARE(r.splitTruth + r.splitPieces + r.merges + r.mergedTruth + r.unmatchedTruth + r.spuriousFound, std::int64_t(0));
    QCOMPARE(r.crackedTruth, std::int64_t(3));
    QCOMPARE(r.crackedSplit, std::int64_t(0));
    QVERIFY(std::fabs(r.medianAbsCrackFractionError - 0.02) < 1e-12);
    QVERIFY(std::fabs(r.meanAbsCrackFractionError - 0.08 / 3) < 1e-12);
  }

  void splitPlusMergeAreNotTwoCorrectParticles() {
    // Truth: A, and B and C touching. Found: A cut in two halves that each reach one voxel beyond
    // it (IoU 500 / 1100 each), and one particle over B and C. Three true, three found: the count
    // is right, and nothing is correct.
    Volume truth = labels(), found = labels();
    box(truth, 1, 1, 11, 1, 11, 1, 11);
    box(truth, 2, 14, 24, 1, 11, 1, 11);
    box(truth, 3, 24, 34, 1, 11, 1, 11);
    box(found, 1, 0, 6, 1, 11, 1, 11);
    box(found, 2, 6, 12, 1, 11, 1, 11);
    box(found, 3, 14, 34, 1, 11, 1, 11);
    const AccuracyReport r = compareToTruth(found, table({{1, 0.05}, {2, 0.05}, {3, 0.0}}), truth,
                                            {{1, 0.1}, {2, 0.0}, {3, 0.0}}, kMinVoxels);
    QCOMPARE(r.countError, 0.0);
    QVERIFY2(r.oneToOne == 0, qPrintable(describe(r)));
    QVERIFY2(r.splitTruth == 1 && r.splitPieces == 2, qPrintable(describe(r)));
    QVERIFY2(r.merges == 1 && r.mergedTruth == 2, qPrintable(describe(r)));
    QVERIFY2(r.unmatchedTruth == 0 && r.spuriousFound == 0, qPrintable(describe(r)));
    QCOMPARE(r.crackedSplit, std::int64_t(1));
    QCOMPARE(r.splitFraction, 1.0);
  }

  void mergeIsNoMatchEvenAtHighIoU() {
    // A found particle over a 1000-voxel and a 200-voxel true particle: IoU 0.83 with the larger,
    // but it covers two true particles.
    Volume truth = labels(), found = labels();
    box(truth, 1, 1, 11, 1, 11, 1, 11);
    box(truth, 2, 11, 13, 1, 11, 1, 11);
    box(found, 5, 1, 13, 1, 11, 1, 11);
    const AccuracyReport r = compareToTruth(found, table({{5, 0.0}}), truth, {{1, 0.0}, {2, 0.0}}, kMinVoxels);
    QVERIFY2(r.oneToOne == 0 && r.merges == 1 && r.mergedTruth == 2, qPrintable(describe(r)));
    // Half of the small one is not "covering" it: then the larger is a one-to-one match.
    Volume bleed = labels();
    box(bleed, 5, 1, 12, 1, 11, 1, 11);
    const AccuracyReport b = compareToTruth(bleed, table({{5, 0.0}}), truth, {{1, 0.0}, {2, 0.0}}, kMinVoxels);
    QVERIFY2(b.oneToOne == 1 && b.merges == 0 && b.unmatchedTruth == 1, qPrintable(describe(b)));
  }

  void iouBelowHalfIsNotAMatch_data() {
    QTest::addColumn<int>("shift");
    QTest::addColumn<bool>("match");
    // A 10^3 box against the same box shifted along x: IoU (10 - s) / (10 + s).
    QTest::newRow("shift 3, IoU 0.54") << 3 << true;
    QTest::newRow("shift 4, IoU 0.43") << 4 << false;
    QTest::newRow("shift 8, IoU 0.11") << 8 << false;
  }
  void iouBelowHalfIsNotAMatch() {
    QFETCH(int, shift);
    QFETCH(bool, match);
    Volume truth = labels(), found = labels();
    box(truth, 1, 1, 11, 1, 11, 1, 11);
    box(found, 6, 1 + shift, 11 + shift, 1, 11, 1, 11);
    const AccuracyReport r = compareToTruth(found, table({{6, 0.0}}), truth, {{1, 0.0}}, kMinVoxels);
    QVERIFY2(r.oneToOne == (match ? 1 : 0), qPrintable(describe(r)));
    QVERIFY2(r.unmatchedTruth == (match ? 0 : 1) && r.spuriousFound == (match ? 0 : 1), qPrintable(describe(r)));
    QCOMPARE(r.splitTruth + r.merges, std::int64_t(0));
  }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
