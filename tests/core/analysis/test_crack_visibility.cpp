// Crack visibility (CrackVisibility.h): on a slice with a clearly dark crack line and a faint one,
// each true crack voxel lands in the darkening class of its grey against the solid around it, the
// recall per class counts what the prediction found there, the medians and the noise are measured,
// and inputs of different sizes are refused.
#include "core/analysis/CrackVisibility.h"

#include <QtTest>

using namespace core;
using core::analysis::crackVisibility;

namespace {

struct Scene {
  volume::Volume image{{64, 64, 2}, volume::VoxelType::UInt16};
  volume::Volume truth{{64, 64, 2}, volume::VoxelType::UInt8};
  volume::Volume particles{{64, 64, 2}, volume::VoxelType::UInt32};
  volume::Volume predicted{{64, 64, 2}, volume::VoxelType::Float32};
};

/// A particle (grey 1000, id 1) over x, y in [8, 56); pores (grey 200) around it; a dark crack line
/// (grey 600: darkening 0.5) at x = 20 and a faint one (grey 960: darkening 0.05) at x = 40, both
/// for y in [16, 48); the prediction finds the dark line only.
Scene scene() {
  Scene s;
  for (std::int64_t z = 0; z < 2; ++z)
    for (std::int64_t y = 0; y < 64; ++y)
      for (std::int64_t x = 0; x < 64; ++x) {
        const bool inside = x >= 8 && x < 56 && y >= 8 && y < 56;
        const bool line = y >= 16 && y < 48 && (x == 20 || x == 40);
        std::uint16_t grey = inside ? 1000 : 200;
        if (line) grey = x == 20 ? 600 : 960;
        s.image.as<std::uint16_t>()[s.image.index(x, y, z)] = grey;
        s.particles.as<std::uint32_t>()[s.particles.index(x, y, z)] = inside ? 1 : 0;
        s.truth.as<std::uint8_t>()[s.truth.index(x, y, z)] = line ? 1 : 0;
        s.predicted.as<float>()[s.predicted.index(x, y, z)] = line && x == 20 ? 0.9f : 0.1f;
      }
  return s;
}

} // namespace

class TestCrackVisibility : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void classesAndRecall() {
    const Scene s = scene();
    const analysis::CrackVisibility v = crackVisibility(s.image, s.truth, s.particles, s.predicted);
    QCOMPARE(v.particleGrey, 1000.0);
    QCOMPARE(v.poreGrey, 200.0);
    QCOMPARE(v.truthVoxels, std::int64_t(2 * 2 * 32));
    QVERIFY(v.noise < 1e-9); // a flat particle: no grey noise around the local mean
    QCOMPARE(int(v.bins.size()), 6);
    for (const analysis::VisibilityBin& b : v.bins) {
      if (b.low == 0.5) {
        QCOMPARE(b.truthVoxels, std::int64_t(64)); // the dark line
        QCOMPARE(b.found, std::int64_t(64));
      } else if (b.high == 0.1) {
        QCOMPARE(b.truthVoxels, std::int64_t(64)); // the faint line
        QCOMPARE(b.found, std::int64_t(0));
      } else {
        QCOMPARE(b.truthVoxels, std::int64_t(0));
      }
    }
    QCOMPARE(v.shareBelow(0.2), 0.5);
    QCOMPARE(v.recallBelow(0.2), 0.0);
    QCOMPARE(v.recallFrom(0.3), 1.0);
  }

  void noiseIsMeasured() {
    Scene s = scene();
    // Alternate particle greys by +-50 (0.0625 of the 800 contrast): the noise is about that.
    for (std::int64_t y = 8; y < 56; ++y)
      for (std::int64_t x = 8; x < 56; ++x)
        if (!s.truth.as<std::uint8_t>()[s.truth.index(x, y, 0)]) s.image.as<std::uint16_t>()[s.image.index(x, y, 0)] = (x + y) % 2 ? 1050 : 950;
    const analysis::CrackVisibility v = crackVisibility(s.image, s.truth, s.particles, s.predicted);
    QVERIFY2(v.noise > 0.03 && v.noise < 0.07, qPrintable(QString::number(v.noise)));
  }

  void differentSizesAreRefused() {
    const Scene s = scene();
    const volume::Volume small({32, 64, 2}, volume::VoxelType::Float32);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, crackVisibility(s.image, s.truth, s.particles, small));
    const volume::Volume noPores({64, 64, 2}, volume::VoxelType::UInt32);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, crackVisibility(s.image, s.truth, noPores, s.predicted));
  }
};

QTEST_APPLESS_MAIN(TestCrackVisibility)
#include "test_crack_visibility.moc"
