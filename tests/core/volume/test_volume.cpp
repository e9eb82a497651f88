// The Volume type: allocation, typed access, crop/paste, conversion, statistics, memory refusal.
#include "core/volume/Downsample.h"
#include "core/volume/Volume.h"

#include <QtTest>
#include <cmath>
#include <limits>

using namespace core::volume;

class TestVolume : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void downsampleMeanAveragesBlocks() {
    Volume v({5, 4, 2}, VoxelType::UInt16, {0.5, 0.5, 1});
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) v.as<std::uint16_t>()[i] = std::uint16_t(i);
    const Volume d = downsampleMean(v, 2);
    QCOMPARE(d.size(), (Size3{3, 2, 1}));
    QCOMPARE(d.spacing(), (Vec3{1, 1, 2}));
    // Block (0,0,0): voxels x 0-1, y 0-1, z 0-1 -> indices 0,1,5,6,20,21,25,26 -> mean 13.
    QCOMPARE(d.valueAt(0, 0, 0), 13.0);
    // Partial block x = 4: indices 4,9,24,29 -> mean 16.5 -> 17 (rounded).
    QCOMPARE(d.valueAt(2, 0, 0), 17.0);
    QCOMPARE(downsampleFactorFor({1024, 300, 10}, 256), 4);
    QCOMPARE(downsampleFactorFor({64, 64, 64}, 256), 1);
  }

  void allocatesZeroed() {
    Volume v({4, 3, 2}, VoxelType::UInt16);
    QCOMPARE(v.voxelCount(), 24);
    QCOMPARE(v.bytes(), std::uint64_t(48));
    for (int i = 0; i < 24; ++i) QCOMPARE(v.as<std::uint16_t>()[i], std::uint16_t(0));
  }
  void indexIsXFastest() {
    Volume v({4, 3, 2}, VoxelType::Float32);
    v.setValueAt(1, 2, 1, 7.5);
    QCOMPARE(v.as<float>()[1 + 4 * (2 + 3 * 1)], 7.5f);
    QCOMPARE(v.valueAt(1, 2, 1), 7.5);
  }
  void wrongTypeThrows() {
    Volume v({2, 2, 2}, VoxelType::UInt8);
    QVERIFY_THROWS_EXCEPTION(std::logic_error, v.as<float>());
  }
  void cropAndPasteRoundTrip() {
    Volume v({5, 4, 3}, VoxelType::UInt8, {0.5, 0.5, 2.0});
    for (int z = 0; z < 3; ++z)
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 5; ++x) v.setValueAt(x, y, z, x + 10 * y + 100 * (z % 2));
    Volume c = v.crop({{1, 1, 1}, {3, 2, 2}});
    QCOMPARE(c.valueAt(0, 0, 0), v.valueAt(1, 1, 1));
    QCOMPARE(c.valueAt(2, 1, 1), v.valueAt(3, 2, 2));
    QCOMPARE(c.origin().z, 2.0);
    Volume w({5, 4, 3}, VoxelType::UInt8);
    w.paste(c, {1, 1, 1});
    QCOMPARE(w.valueAt(3, 2, 2), v.valueAt(3, 2, 2));
    QCOMPARE(w.valueAt(0, 0, 0), 0.0);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, v.crop({{3, 0, 0}, {3, 1, 1}}));
  }
  void convertClampsAndRounds() {
    Volume f({3, 1, 1}, VoxelType::Float32);
    f.as<float>()[0] = -5.f;
    f.as<float>()[1] = 300.4f;
    f.as<float>()[2] = 41.6f;
    Volume u = f.convertTo(VoxelType::UInt8);
    QCOMPARE(u.valueAt(0, 0, 0), 0.0);
    QCOMPARE(u.valueAt(1, 0, 0), 255.0);
    QCOMPARE(u.valueAt(2, 0, 0), 42.0);
  }
  void statsCountNanAndInf() {
    Volume f({4, 1, 1}, VoxelType::Float32);
    float* p = f.as<float>();
    p[0] = 1;
    p[1] = 3;
    p[2] = std::numeric_limits<float>::quiet_NaN();
    p[3] = std::numeric_limits<float>::infinity();
    ValueStats s = computeStats(f);
    QCOMPARE(s.finiteCount, 2);
    QCOMPARE(s.nanCount, 1);
    QCOMPARE(s.infCount, 1);
    QCOMPARE(s.min, 1.0);
    QCOMPARE(s.max, 3.0);
    QCOMPARE(s.mean, 2.0);
  }
  void refusesMoreThanMemoryBeforeAllocating() {
    setMemoryLimit(1024);
    try {
      Volume v({100, 100, 100}, VoxelType::UInt8);
      QFAIL("allocation over the limit was not refused");
    } catch (const std::runtime_error& e) {
      QVERIFY(QString(e.what()).contains("memory limit"));
    }
    setMemoryLimit(0);
    // A size whose byte count overflows 64 bits is refused too.
    QVERIFY_THROWS_EXCEPTION(std::overflow_error, (Volume({1ll << 40, 1ll << 20, 1ll << 10}, VoxelType::Float32)));
  }
  void parsesTypes() {
    QCOMPARE(parseVoxelType("UINT16"), VoxelType::UInt16);
    QCOMPARE(parseVoxelType("float"), VoxelType::Float32);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseVoxelType("int7"));
  }
};

QTEST_APPLESS_MAIN(TestVolume)
#include "test_volume.moc"
