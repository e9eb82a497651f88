// Splitting a z range into slab ranges: near-equal sizes, exact tiling, halos clipped at the
// borders, chunk alignment, and clear errors on bad requests.
#include "core/cluster/SlabPlan.h"

#include <QtTest>

using namespace core::cluster;

class TestSlabPlan : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void byTaskCount() {
    const auto s = splitSlabs({0, 10, 4, 0, 0});
    QCOMPARE(int(s.size()), 4);
    // Borders at round(i * 10 / 4): 0, 3, 5, 8, 10 (sizes 3, 2, 3, 2).
    const std::int64_t z0[] = {0, 3, 5, 8}, z1[] = {3, 5, 8, 10};
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(s[std::size_t(i)].z0, z0[i]);
      QCOMPARE(s[std::size_t(i)].z1, z1[i]);
      QCOMPARE(s[std::size_t(i)].readZ0, z0[i]); // no halo: reads what it owns
      QCOMPARE(s[std::size_t(i)].readZ1, z1[i]);
    }
    QVERIFY(checkTiling(s, 0, 10).empty());
  }

  void moreTasksThanSlices() {
    const auto s = splitSlabs({5, 8, 10, 0, 0});
    QCOMPARE(int(s.size()), 3);
    for (int i = 0; i < 3; ++i) QCOMPARE(s[std::size_t(i)].owned(), std::int64_t(1));
    QCOMPARE(s.front().z0, std::int64_t(5));
    QCOMPARE(s.back().z1, std::int64_t(8));
  }

  void byMaxSlabSize() {
    for (std::int64_t depth : {1, 7, 64, 100, 101, 1000}) {
      for (std::int64_t max : {1, 3, 16, 33, 2000}) {
        const auto s = splitSlabs({0, depth, 0, max, 0});
        QVERIFY2(checkTiling(s, 0, depth).empty(), qPrintable(QString("depth %1 max %2").arg(depth).arg(max)));
        QCOMPARE(std::int64_t(s.size()), (depth + max - 1) / max); // as few slabs as the limit allows
        std::int64_t lo = depth, hi = 0;
        for (const auto& r : s) {
          QVERIFY(r.owned() <= max);
          lo = std::min(lo, r.owned());
          hi = std::max(hi, r.owned());
        }
        QVERIFY(hi - lo <= 1); // near-equal
      }
    }
  }

  void haloIsClippedToTheRange() {
    const auto s = splitSlabs({10, 40, 3, 0, 4});
    QCOMPARE(int(s.size()), 3);
    QCOMPARE(s[0].z0, std::int64_t(10));
    QCOMPARE(s[0].z1, std::int64_t(20));
    QCOMPARE(s[0].readZ0, std::int64_t(10)); // clipped at begin
    QCOMPARE(s[0].readZ1, std::int64_t(24));
    QCOMPARE(s[1].readZ0, std::int64_t(16));
    QCOMPARE(s[1].readZ1, std::int64_t(34));
    QCOMPARE(s[2].readZ0, std::int64_t(26));
    QCOMPARE(s[2].readZ1, std::int64_t(40)); // clipped at end
    // A halo larger than the whole range reads everything, owns only its share.
    const auto big = splitSlabs({0, 9, 3, 0, 100});
    for (const auto& r : big) {
      QCOMPARE(r.readZ0, std::int64_t(0));
      QCOMPARE(r.readZ1, std::int64_t(9));
      QCOMPARE(r.owned(), std::int64_t(3));
    }
  }

  void alignedBordersFallOnChunks() {
    SlabSplit sp{3, 100, 4, 0, 2};
    sp.align = 16;
    const auto s = splitSlabs(sp);
    QVERIFY(checkTiling(s, 3, 100).empty());
    QCOMPARE(int(s.size()), 4);
    for (std::size_t i = 1; i < s.size(); ++i) QCOMPARE(s[i].z0 % 16, std::int64_t(0));
    SlabSplit bySize{0, 100, 0, 30, 0};
    bySize.align = 16;
    const auto t = splitSlabs(bySize);
    QVERIFY(checkTiling(t, 0, 100).empty());
    for (const auto& r : t) {
      QVERIFY(r.owned() <= 30);
      if (r.z0 > 0) QCOMPARE(r.z0 % 16, std::int64_t(0));
    }
  }

  void badRequestsAreRefused() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitSlabs({5, 5, 2, 0, 0}));  // empty range
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitSlabs({0, 10, 0, 0, 0})); // neither
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitSlabs({0, 10, 2, 5, 0})); // both
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitSlabs({0, 10, 2, 0, -1})); // negative halo
    SlabSplit sp{0, 100, 0, 8, 0};
    sp.align = 16;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, splitSlabs(sp)); // alignment beyond the slab size
  }

  void tilingCheckNamesTheProblem() {
    std::vector<SlabRange> gap{{0, 4, 0, 4}, {5, 10, 5, 10}};
    QVERIFY(QString::fromStdString(checkTiling(gap, 0, 10)).contains("[4, 5) are missing"));
    std::vector<SlabRange> overlap{{0, 6, 0, 6}, {5, 10, 5, 10}};
    QVERIFY(QString::fromStdString(checkTiling(overlap, 0, 10)).contains("overlaps"));
    std::vector<SlabRange> shortEnd{{0, 6, 0, 6}};
    QVERIFY(QString::fromStdString(checkTiling(shortEnd, 0, 10)).contains("missing at the end"));
    QVERIFY(!checkTiling({}, 0, 10).empty());
  }
};

QTEST_GUILESS_MAIN(TestSlabPlan)
#include "test_slab_plan.moc"
