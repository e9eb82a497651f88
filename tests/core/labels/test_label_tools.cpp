// The label tools on small volumes built in code: brush shapes and orientations, paint-over modes,
// threshold brush, gap-free strokes, polygon fill, flood fill, exact distance maps, shape-based
// interpolation between discs, accepting the prediction and deleting components.
#include "core/labels/Brush.h"
#include "core/labels/LabelVolume.h"
#include "core/labels/PredictionTools.h"
#include "core/labels/SliceInterpolation.h"
#include "core/labels/SliceTools.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace core::labels;
using core::volume::Index3;
using core::volume::Orientation;
using core::volume::Point2;
using core::volume::sliceRegion;
using core::volume::Region;
using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VolumeInfo;
using core::volume::VoxelType;

namespace {

VolumeInfo info(Size3 s) {
  VolumeInfo i;
  i.size = s;
  return i;
}

std::int64_t countValue(const Volume& v, std::uint8_t value, const Region& r) {
  std::int64_t n = 0;
  for (std::int64_t z = r.start.z; z < r.end().z; ++z)
    for (std::int64_t y = r.start.y; y < r.end().y; ++y)
      for (std::int64_t x = r.start.x; x < r.end().x; ++x) n += v.as<std::uint8_t>()[v.index(x, y, z)] == value;
  return n;
}
std::int64_t countValue(const Volume& v, std::uint8_t value) { return countValue(v, value, Region::whole(v.size())); }

/// Voxels of value \p value on slice z.
std::int64_t countOnSlice(const Volume& v, std::uint8_t value, std::int64_t z) {
  return countValue(v, value, Region::slab(v.size(), z, z + 1));
}

EditSummary dab(LabelVolume& labels, const BrushSettings& s, Vec3 c) {
  return labels.edit("Dab", [&](LabelEdit& e) { paintDab(e, s, c); });
}

} // namespace

class TestLabelTools : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void discSizesAndOrientations() {
    LabelVolume labels(info({64, 64, 64}));
    BrushSettings s;
    s.size = 1;
    dab(labels, s, {10.2, 10.4, 5.4});
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(1));
    QCOMPARE(labels.at(10, 10, 5), kCrack);
    labels.undo();
    s.size = 3; // the 3x3 square (corners at distance sqrt(2) <= 1.5)
    dab(labels, s, {20, 20, 5});
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(9));
    labels.undo();
    s.size = 2; // even sizes centre on a corner: 2x2
    dab(labels, s, {20.7, 20.2, 5});
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(4));
    QCOMPARE(labels.at(20, 20, 5), kCrack);
    QCOMPARE(labels.at(21, 21, 5), kCrack);
    labels.undo();
    // A big disc in each orientation: area close to pi r^2, flat along its normal.
    s.size = 31;
    for (Orientation o : {Orientation::XY, Orientation::XZ, Orientation::YZ}) {
      s.orientation = o;
      const auto sum = dab(labels, s, {32, 32, 32});
      const double area = double(countValue(labels.volume(), kCrack));
      QVERIFY2(std::abs(area - M_PI * 15.5 * 15.5) < 0.03 * M_PI * 15.5 * 15.5, qPrintable(QString::number(area)));
      const Size3 flat = o == Orientation::XY ? Size3{31, 31, 1} : (o == Orientation::XZ ? Size3{31, 1, 31} : Size3{1, 31, 31});
      QCOMPARE(sum.changed.size, flat);
      QCOMPARE(sliceIndexOf(o, sum.changed.start), std::int64_t(32));
      labels.undo();
    }
  }

  void sphereBrush() {
    LabelVolume labels(info({64, 64, 64}));
    BrushSettings s;
    s.size = 21;
    s.shape = BrushShape::Sphere;
    const auto sum = dab(labels, s, {30, 31, 32});
    const double r = 10.5, expected = 4.0 / 3.0 * M_PI * r * r * r;
    const double n = double(countValue(labels.volume(), kCrack));
    qInfo("sphere of size 21: %.0f voxels, 4/3 pi r^3 = %.0f", n, expected);
    QVERIFY(std::abs(n - expected) < 0.03 * expected);
    QCOMPARE(sum.changed, (Region{{20, 21, 22}, {21, 21, 21}}));
    // Symmetric: the same count on the slices at equal distance from the centre.
    QCOMPARE(countOnSlice(labels.volume(), kCrack, 27), countOnSlice(labels.volume(), kCrack, 37));
    // Clipped at the volume border without harm.
    const auto edge = dab(labels, s, {1, 1, 1});
    QCOMPARE(edge.changed.start, (Index3{0, 0, 0}));
  }

  void paintOverModes() {
    LabelVolume labels(info({30, 30, 1}));
    // Left third not crack, middle third crack, right third unlabelled.
    labels.edit("Setup", [](LabelEdit& e) {
      e.fill({{0, 0, 0}, {10, 30, 1}}, kNotCrack);
      e.fill({{10, 0, 0}, {10, 30, 1}}, kCrack);
    });
    BrushSettings s;
    s.size = 30;
    s.value = 3; // a third class, to see what was overwritten
    s.rule = PaintRule::onlyUnlabelled();
    dab(labels, s, {15, 15, 0});
    QCOMPARE(countValue(labels.volume(), kNotCrack), std::int64_t(300));
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(300));
    QVERIFY(countValue(labels.volume(), 3) > 200);
    QCOMPARE(countValue(labels.volume(), 3, {{0, 0, 0}, {20, 30, 1}}), std::int64_t(0));
    labels.undo();
    s.rule = PaintRule::onlyClass(kNotCrack);
    dab(labels, s, {15, 15, 0});
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(300));
    QCOMPARE(countValue(labels.volume(), 3, {{10, 0, 0}, {20, 30, 1}}), std::int64_t(0));
    QVERIFY(countValue(labels.volume(), 3, {{0, 0, 0}, {10, 30, 1}}) > 150);
    labels.undo();
    s.rule = PaintRule::everything();
    dab(labels, s, {15, 15, 0});
    QVERIFY(countValue(labels.volume(), 3, {{0, 0, 0}, {10, 30, 1}}) > 150);
    QVERIFY(countValue(labels.volume(), 3, {{10, 0, 0}, {10, 30, 1}}) > 250);
    labels.undo();
    // The eraser with "only crack" erases crack and leaves not-crack alone.
    BrushSettings eraser = BrushSettings::eraser(30);
    eraser.rule = PaintRule::onlyClass(kCrack);
    BrushStroke stroke(labels, eraser);
    stroke.moveTo({15, 15, 0});
    QCOMPARE(stroke.finish().name, std::string("Erase stroke"));
    QCOMPARE(countValue(labels.volume(), kNotCrack), std::int64_t(300));
    QVERIFY(countValue(labels.volume(), kCrack) < 50);
  }

  void thresholdBrushPaintsOnlyInsideTheWindow() {
    const Size3 size{40, 40, 3};
    Volume image(size, VoxelType::UInt16);
    for (std::int64_t z = 0; z < size.z; ++z)
      for (std::int64_t y = 0; y < size.y; ++y)
        for (std::int64_t x = 0; x < size.x; ++x) image.setValueAt(x, y, z, double(x * 100)); // ramp along x
    LabelVolume labels(image.info());
    BrushSettings s;
    s.size = 40;
    s.rule = PaintRule::everything().withThreshold(image, 1000, 1900); // x in [10, 19]
    dab(labels, s, {20, 20, 1});
    const auto& v = labels.volume();
    std::int64_t inside = 0;
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const bool painted = labels.at(x, y, 1) == kCrack;
        if (painted) QVERIFY2(x >= 10 && x <= 19, qPrintable(QString("x=%1").arg(x)));
        inside += painted;
      }
    QVERIFY(inside > 250);
    QCOMPARE(countValue(v, kCrack, Region::slab(size, 0, 1)), std::int64_t(0));
    // A float image works the same, and a wrong-sized image is refused.
    Volume f = image.convertTo(VoxelType::Float32);
    labels.undo();
    s.rule = PaintRule::onlyUnlabelled().withThreshold(f, 1000, 1900);
    dab(labels, s, {20, 20, 1});
    QCOMPARE(countValue(labels.volume(), kCrack), inside);
    Volume small({4, 4, 4}, VoxelType::UInt8);
    s.rule = PaintRule::everything().withThreshold(small, 0, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BrushStroke(labels, s));
  }

  void fastStrokeLeavesNoGaps() {
    LabelVolume labels(info({200, 200, 2}));
    for (int size : {1, 2, 5, 12}) {
      BrushSettings s;
      s.size = size;
      BrushStroke stroke(labels, s);
      stroke.moveTo({3, 7, 1});
      stroke.moveTo({190, 150, 1}); // one big jump
      stroke.moveTo({20, 190, 1});
      stroke.finish();
      // The painted voxels form one 8-connected piece that joins the three mouse positions...
      std::vector<std::uint8_t> seen(200 * 200, 0);
      std::vector<std::pair<int, int>> stack{{3, 7}};
      seen[7 * 200 + 3] = 1;
      while (!stack.empty()) {
        const auto [x, y] = stack.back();
        stack.pop_back();
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int u = x + dx, v = y + dy;
            if (u < 0 || v < 0 || u >= 200 || v >= 200 || seen[std::size_t(v * 200 + u)] || labels.at(u, v, 1) != kCrack) continue;
            seen[std::size_t(v * 200 + u)] = 1;
            stack.push_back({u, v});
          }
      }
      QVERIFY(seen[150 * 200 + 190] && seen[190 * 200 + 20]);
      // ...and, for brushes wider than a voxel, covers every voxel along both segments.
      for (int i = 0; i <= 1000 && size >= 5; ++i) {
        const double t = i / 1000.0;
        const auto x1 = std::lround(3 + t * 187), y1 = std::lround(7 + t * 143);
        QVERIFY2(labels.at(x1, y1, 1) == kCrack, qPrintable(QString("size %1 gap at %2,%3").arg(size).arg(x1).arg(y1)));
        const auto x2 = std::lround(190 - t * 170), y2 = std::lround(150 + t * 40);
        QVERIFY2(labels.at(x2, y2, 1) == kCrack, qPrintable(QString("size %1 gap at %2,%3").arg(size).arg(x2).arg(y2)));
      }
      QCOMPARE(labels.undoStack().undoName(), std::string("Paint stroke"));
      labels.undo();
      QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(0));
    }
  }

  void polygonFillAndErase() {
    LabelVolume labels(info({50, 40, 30}));
    // An axis-aligned square with vertices on voxel centres: 11 x 11 voxels, edges included.
    const std::vector<Point2> square{{10, 10}, {20, 10}, {20, 20}, {10, 20}};
    for (Orientation o : {Orientation::XY, Orientation::XZ, Orientation::YZ}) {
      const auto sum = labels.edit("Polygon fill", [&](LabelEdit& e) { fillPolygon(e, o, 5, square, kCrack); });
      QCOMPARE(sum.changedVoxels, std::int64_t(121));
      QCOMPARE(sum.changed, sliceRegion(o, 5, 10, 10, 11, 11));
      labels.undo();
    }
    // A right triangle: about half the square (the diagonal included).
    const std::vector<Point2> triangle{{0, 0}, {20, 0}, {0, 20}};
    auto tri = labels.edit("Polygon fill", [&](LabelEdit& e) { fillPolygon(e, Orientation::XY, 3, triangle, kCrack); });
    QCOMPARE(tri.changedVoxels, std::int64_t(21 * 22 / 2));
    QCOMPARE(labels.at(0, 20, 3), kCrack);
    QCOMPARE(labels.at(20, 20, 3), kUnlabelled);
    // Erase with a lasso inside it.
    const std::vector<Point2> lasso{{1, 1}, {5.4, 1}, {5.4, 5.4}, {1, 5.4}};
    labels.edit("Polygon erase", [&](LabelEdit& e) { fillPolygon(e, Orientation::XY, 3, lasso, kUnlabelled); });
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(231 - 25));
    QCOMPARE(labels.at(3, 3, 3), kUnlabelled);
    // Clipped at the border; degenerate input changes nothing.
    const auto big = labels.edit("Polygon fill", [&](LabelEdit& e) {
      fillPolygon(e, Orientation::XY, 0, {{-10, -10}, {100, -10}, {100, 100}, {-10, 100}}, kNotCrack);
    });
    QCOMPARE(big.changedVoxels, std::int64_t(50 * 40));
    const auto none = labels.edit("Polygon fill", [&](LabelEdit& e) { fillPolygon(e, Orientation::XY, 0, {{1, 1}, {2, 2}}, kCrack); });
    QVERIFY(!none.committed);
  }

  void floodFillWithinTolerance() {
    const Size3 size{60, 50, 4};
    Volume image(size, VoxelType::Float32);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> noise(-3, 3);
    std::int64_t discVoxels = 0;
    for (std::int64_t z = 0; z < size.z; ++z)
      for (std::int64_t y = 0; y < size.y; ++y)
        for (std::int64_t x = 0; x < size.x; ++x) {
          const bool disc = (x - 20) * (x - 20) + (y - 25) * (y - 25) <= 100;
          const bool other = (x - 48) * (x - 48) + (y - 25) * (y - 25) <= 25; // same grey, not connected
          image.setValueAt(x, y, z, (disc || other ? 100.0 : 20.0) + noise(rng));
          if (z == 2 && disc) ++discVoxels;
        }
    LabelVolume labels(image.info());
    const auto sum = labels.edit("Flood fill", [&](LabelEdit& e) {
      floodFill2D(e, image, Orientation::XY, {20, 25, 2}, 10.0, kCrack);
    });
    QCOMPARE(sum.changedVoxels, discVoxels);
    QCOMPARE(labels.at(48, 25, 2), kUnlabelled);
    QCOMPARE(countOnSlice(labels.volume(), kCrack, 1), std::int64_t(0));
    labels.undo();
    // In an XZ slice the disc is a 21-voxel line at each z (y = 25 column through the centre).
    const auto xz = labels.edit("Flood fill", [&](LabelEdit& e) {
      floodFill2D(e, image, Orientation::XZ, {20, 25, 2}, 10.0, kCrack);
    });
    QCOMPARE(xz.changedVoxels, std::int64_t(21 * 4));
    // A tolerance that covers both grey levels floods the whole slice.
    labels.undo();
    const auto all = labels.edit("Flood fill", [&](LabelEdit& e) {
      floodFill2D(e, image, Orientation::XY, {1, 1, 0}, 100.0, kNotCrack);
    });
    QCOMPARE(all.changedVoxels, size.x * size.y);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labels.edit("Flood fill", [&](LabelEdit& e) {
      floodFill2D(e, image, Orientation::XY, {70, 1, 0}, 1.0, kCrack);
    }));
  }

  void signedDistanceIsExact() {
    const std::int64_t w = 37, h = 29;
    std::mt19937 rng(9);
    std::vector<std::uint8_t> mask(std::size_t(w * h));
    for (auto& m : mask) m = (rng() % 7) == 0;
    const auto sd = signedDistanceMap(mask.data(), w, h);
    for (std::int64_t v = 0; v < h; ++v)
      for (std::int64_t u = 0; u < w; ++u) {
        const bool in = mask[std::size_t(v * w + u)] != 0;
        double best = 1e9;
        for (std::int64_t j = 0; j < h; ++j)
          for (std::int64_t i = 0; i < w; ++i)
            if ((mask[std::size_t(j * w + i)] != 0) != in) best = std::min(best, std::hypot(double(i - u), double(j - v)));
        const double expected = in ? -(best - 0.5) : best - 0.5;
        QVERIFY2(std::abs(sd[std::size_t(v * w + u)] - expected) < 1e-3,
                 qPrintable(QString("at %1,%2: %3 vs %4").arg(u).arg(v).arg(sd[std::size_t(v * w + u)]).arg(expected)));
      }
  }

  void interpolationBetweenDiscsGivesInBetweenDiscs() {
    const Size3 size{80, 80, 13};
    LabelVolume labels(info(size));
    const double r0 = 8, r1 = 24;
    labels.edit("Setup", [&](LabelEdit& e) {
      BrushSettings s;
      s.size = int(2 * r0 + 1);
      paintDab(e, s, {40, 40, 0});
      s.size = int(2 * r1 + 1);
      paintDab(e, s, {40, 40, 12});
      e.setSliceAnnotated(0, true);
      e.setSliceAnnotated(12, true);
    });
    QCOMPARE(labelledSlices(labels.volume(), Orientation::XY), (std::vector<std::int64_t>{0, 12}));
    const auto sum = labels.edit("Interpolate slices", [](LabelEdit& e) { interpolateAllGaps(e, Orientation::XY); });
    QVERIFY(sum.committed);
    QCOMPARE(sum.changed.start.z, std::int64_t(1));
    QCOMPARE(sum.changed.size.z, std::int64_t(11));
    for (std::int64_t z = 1; z < 12; ++z) {
      const double expected = r0 + (r1 - r0) * double(z) / 12.0;
      const double area = double(countOnSlice(labels.volume(), kCrack, z));
      const double radius = std::sqrt(area / M_PI) - 0.5; // a digital disc of radius r has area ~ pi (r + 0.5)^2
      qInfo("z=%lld: radius %.2f, linear %.2f", static_cast<long long>(z), radius, expected);
      QVERIFY2(std::abs(radius - expected) < 1.0, qPrintable(QString("z=%1 radius %2 expected %3").arg(z).arg(radius).arg(expected)));
      // Centred and round: symmetric about the centre, filled at the centre, empty outside.
      QCOMPARE(labels.at(40, 40, z), kCrack);
      QCOMPARE(labels.at(40 + std::int64_t(expected) - 1, 40, z), kCrack);
      QCOMPARE(labels.at(40 + std::int64_t(expected) + 2, 40, z), kUnlabelled);
      QCOMPARE(labels.at(40 - std::int64_t(expected) + 1, 40, z), kCrack);
    }
    // One undo step removes it all again.
    labels.undo();
    QCOMPARE(labelledSlices(labels.volume(), Orientation::XY), (std::vector<std::int64_t>{0, 12}));
  }

  void interpolationKeepsHandLabelsAndClasses() {
    LabelVolume labels(info({40, 30, 20}));
    // Two classes on XZ slices y=2 and y=10: a crack square inside a not-crack rectangle.
    labels.edit("Setup", [](LabelEdit& e) {
      for (std::int64_t y : {2, 10}) {
        fillPolygon(e, Orientation::XZ, y, {{5, 5}, {30, 5}, {30, 15}, {5, 15}}, kNotCrack);
        fillPolygon(e, Orientation::XZ, y, {{15, 8}, {20, 8}, {20, 12}, {15, 12}}, kCrack);
      }
      e.fill({{0, 6, 0}, {40, 1, 20}}, 4); // a hand-labelled slice in between, class 4
    });
    const auto before = countValue(labels.volume(), 4);
    labels.edit("Interpolate slices", [](LabelEdit& e) { interpolateSlices(e, Orientation::XZ, 2, 10); });
    QCOMPARE(countValue(labels.volume(), 4), before); // only unlabelled voxels were filled
    for (std::int64_t y = 3; y < 10; ++y) {
      if (y == 6) continue;
      QCOMPARE(countValue(labels.volume(), kCrack, {{0, y, 0}, {40, 1, 20}}), std::int64_t(6 * 5));
      QCOMPARE(countValue(labels.volume(), kNotCrack, {{0, y, 0}, {40, 1, 20}}), std::int64_t(26 * 11 - 30));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labels.edit("Interpolate slices", [](LabelEdit& e) {
      interpolateSlices(e, Orientation::XZ, 2, 30);
    }));
  }

  void acceptPredictionWholeSliceAndComponent() {
    const Size3 size{40, 40, 20};
    Volume pred(size, VoxelType::Float32);
    float* p = pred.as<float>();
    for (std::int64_t i = 0; i < pred.voxelCount(); ++i) p[i] = 0.1f;
    // Two crack blobs: a bar at y=10 (p=0.9) and a diagonal chain at p=0.6 (26-connected only).
    for (std::int64_t z = 2; z < 18; ++z)
      for (std::int64_t x = 5; x < 35; ++x) p[pred.index(x, 10, z)] = 0.9f;
    for (std::int64_t k = 0; k < 15; ++k) p[pred.index(5 + k, 20 + k, 5 + k)] = 0.6f;
    const std::int64_t bar = 30 * 16, chain = 15;
    LabelVolume labels(info(size));
    labels.edit("Hand label", [](LabelEdit& e) { e.fill({{0, 0, 0}, {40, 40, 1}}, kNotCrack); });
    labels.edit("Hand label", [](LabelEdit& e) { e.fill({{10, 10, 5}, {1, 1, 1}}, kNotCrack); });

    // Whole prediction, only unlabelled voxels: hand labels stay.
    auto whole = labels.edit("Accept prediction", [&](LabelEdit& e) { acceptPrediction(e, pred, {}); });
    QCOMPARE(countValue(labels.volume(), kCrack), bar + chain - 1);
    QCOMPARE(labels.at(10, 10, 5), kNotCrack);
    QCOMPARE(countValue(labels.volume(), kUnlabelled), std::int64_t(0));
    QCOMPARE(whole.changedVoxels, size.count() - 40 * 40 - 1);
    labels.undo();
    // Threshold 0.7 drops the chain.
    AcceptOptions strict;
    strict.threshold = 0.7;
    labels.edit("Accept prediction", [&](LabelEdit& e) { acceptPrediction(e, pred, strict); });
    QCOMPARE(countValue(labels.volume(), kCrack), bar - 1);
    labels.undo();
    // One slice.
    labels.edit("Accept prediction (slice)", [&](LabelEdit& e) { acceptPredictionSlice(e, pred, Orientation::XY, 7, {}); });
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(30 + 1));
    QCOMPARE(countValue(labels.volume(), kNotCrack), std::int64_t(40 * 40 + 1 + 40 * 40 - 31));
    labels.undo();
    // The component under the cursor (26-connected chain; 6-connectivity keeps one voxel).
    auto comp = labels.edit("Accept crack component", [&](LabelEdit& e) {
      acceptPredictionComponent(e, pred, {5 + 7, 20 + 7, 5 + 7}, {});
    });
    QCOMPARE(comp.changedVoxels, chain);
    QCOMPARE(countValue(labels.volume(), kCrack), chain);
    labels.undo();
    AcceptOptions over;
    over.rule = PaintRule::everything();
    labels.edit("Accept crack component", [&](LabelEdit& e) {
      acceptPredictionComponent(e, pred, {5 + 7, 20 + 7, 5 + 7}, over, Connectivity::Faces);
    });
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(1));
    labels.undo();
    labels.edit("Accept crack component", [&](LabelEdit& e) { acceptPredictionComponent(e, pred, {20, 10, 10}, over); });
    QCOMPARE(countValue(labels.volume(), kCrack), bar); // "everything" overwrote the hand label too
    // Clicking where nothing is predicted changes nothing.
    const auto nothing = labels.edit("Accept crack component", [&](LabelEdit& e) { acceptPredictionComponent(e, pred, {30, 30, 10}, {}); });
    QVERIFY(!nothing.committed);
    labels.undo();

    // uint8 predictions: 128/255 >= 0.5, 127/255 < 0.5.
    Volume pred8(size, VoxelType::UInt8);
    pred8.setValueAt(1, 1, 1, 128);
    pred8.setValueAt(2, 2, 2, 127);
    QVERIFY(isPredictedCrack(pred8, {1, 1, 1}, 0.5));
    QVERIFY(!isPredictedCrack(pred8, {2, 2, 2}, 0.5));
    labels.edit("Accept prediction", [&](LabelEdit& e) { acceptPrediction(e, pred8, {}); });
    QCOMPARE(labels.at(1, 1, 1), kCrack);
    QCOMPARE(labels.at(2, 2, 2), kNotCrack);
    labels.undo();
    // Bad predictions are refused with a clear error.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labels.edit("Accept prediction", [&](LabelEdit& e) {
      acceptPrediction(e, Volume({4, 4, 4}, VoxelType::Float32), {});
    }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labels.edit("Accept prediction", [&](LabelEdit& e) {
      acceptPrediction(e, Volume(size, VoxelType::UInt16), {});
    }));
  }

  void deleteComponentWithOneClick() {
    LabelVolume labels(info({30, 30, 30}));
    labels.edit("Setup", [](LabelEdit& e) {
      e.fill({{2, 2, 2}, {5, 5, 5}}, kCrack);     // blob A
      e.fill({{7, 7, 7}, {3, 3, 3}}, kCrack);     // touches A at a corner only
      e.fill({{20, 20, 20}, {4, 4, 4}}, kCrack);  // blob B, separate
      e.fill({{2, 2, 8}, {5, 5, 1}}, kNotCrack);  // another class next to A
    });
    const auto full = labels.edit("Delete component", [](LabelEdit& e) { deleteComponent(e, {3, 3, 3}); });
    QCOMPARE(full.changedVoxels, std::int64_t(125 + 27));
    QCOMPARE(countValue(labels.volume(), kCrack), std::int64_t(64));
    QCOMPARE(countValue(labels.volume(), kNotCrack), std::int64_t(25));
    labels.undo();
    const auto faces = labels.edit("Delete component", [](LabelEdit& e) {
      deleteComponent(e, {3, 3, 3}, kNotCrack, Connectivity::Faces);
    });
    QCOMPARE(faces.changedVoxels, std::int64_t(125));
    QCOMPARE(labels.at(3, 3, 3), kNotCrack);
    QCOMPARE(labels.at(8, 8, 8), kCrack);
    const auto none = labels.edit("Delete component", [](LabelEdit& e) { deleteComponent(e, {15, 15, 15}); });
    QVERIFY(!none.committed);
  }
};

QTEST_GUILESS_MAIN(TestLabelTools)
#include "test_label_tools.moc"
