// Per-particle statistics on shapes with known answers: spheres, an ellipsoid, anisotropic voxels,
// depth, packing density, neighbours, and the summaries.
#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleStatistics.h"
#include "core/analysis/Summaries.h"

#include <QtTest>
#include <cmath>
#include <functional>

using namespace core::analysis;
using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {

struct Shapes {
  Volume image, labels, phases;
};

/// Labels voxel centres p (micrometres) with label(p) (0 = none); every labelled voxel is solid.
Shapes paint(Size3 size, Vec3 sp, const std::function<std::uint32_t(double, double, double)>& label) {
  Shapes s{Volume(size, VoxelType::UInt8, sp), Volume(size, VoxelType::UInt32, sp), Volume(size, VoxelType::UInt8, sp)};
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const std::uint32_t l = label(x * sp.x, y * sp.y, z * sp.z);
        const std::int64_t i = x + size.x * (y + size.y * z);
        s.labels.as<std::uint32_t>()[i] = l;
        s.phases.as<std::uint8_t>()[i] = l ? (kPhaseSolid | kPhaseFilled) : 0;
        s.image.as<std::uint8_t>()[i] = l ? 200 : 50;
      }
  return s;
}

double col(const core::analysis::Table& t, const char* name, int row = 0) { return t.column(name).values[std::size_t(row)]; }

#define NEAR(value, expected, relTol)                                                                            \
  QVERIFY2(std::fabs((value) - (expected)) <= (relTol)*std::fabs(expected),                                      \
           qPrintable(QString("%1 = %2, expected %3").arg(#value).arg(value).arg(expected)))

} // namespace

class TestStatistics : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sphereHasKnownMeasures() {
    const double R = 7.5; // micrometres, 15 voxels of 0.5
    Shapes s = paint({64, 64, 64}, {0.5, 0.5, 0.5}, [&](double x, double y, double z) {
      return std::uint32_t((x - 16) * (x - 16) + (y - 16) * (y - 16) + (z - 10) * (z - 10) <= R * R ? 1 : 0);
    });
    StatisticsOptions o;
    o.packingRadiusFactor = 0.6; // a sphere of radius 9 um, inside the volume
    const auto t = measureParticles(s.image, s.labels, s.phases, o);
    QCOMPARE(t.rowCount(), std::int64_t(1));
    const double V = 4.0 / 3.0 * M_PI * R * R * R, S = 4 * M_PI * R * R;
    NEAR(col(t, "filled_volume"), V, 0.01);
    NEAR(col(t, "eq_diameter"), 2 * R, 0.005);
    NEAR(col(t, "surface_area"), S, 0.03);
    NEAR(col(t, "sphericity"), 1.0, 0.08);
    // Max caliper of the voxel boxes: within one voxel of the analytic diameter.
    QVERIFY(std::fabs(col(t, "feret_diameter") - 2 * R) <= 0.5 + 1e-9);
    NEAR(col(t, "centroid_x"), 16.0, 1e-6);
    NEAR(col(t, "centroid_z"), 10.0, 1e-6);
    NEAR(col(t, "depth"), 10.25, 1e-6); // outer face of slice 0 at -0.25
    QVERIFY(col(t, "elongation") > 0.98 && col(t, "flatness") > 0.98);
    QCOMPARE(col(t, "border"), 0.0);
    QCOMPARE(col(t, "crack_fraction"), 0.0);
    QCOMPARE(col(t, "mean_grey"), 200.0);
    NEAR(col(t, "packing_density"), std::pow(7.5 / 9.0, 3), 0.03);
    QVERIFY(std::isnan(col(t, "nn_distance")));
    o.depthSide = DepthSide::Last;
    const auto last = measureParticles(s.image, s.labels, s.phases, o);
    NEAR(col(last, "depth"), 32.0 - 10.25, 1e-6);
  }

  void anisotropicSpacingKeepsPhysicalUnits() {
    const double R = 6; // micrometres; voxels 0.4 x 0.4 x 0.8
    Shapes s = paint({48, 48, 24}, {0.4, 0.4, 0.8}, [&](double x, double y, double z) {
      return std::uint32_t((x - 9.4) * (x - 9.4) + (y - 9.4) * (y - 9.4) + (z - 9.6) * (z - 9.6) <= R * R ? 1 : 0);
    });
    const auto t = measureParticles(s.image, s.labels, s.phases);
    NEAR(col(t, "filled_volume"), 4.0 / 3.0 * M_PI * R * R * R, 0.02);
    NEAR(col(t, "surface_area"), 4 * M_PI * R * R, 0.04);
    QVERIFY(std::fabs(col(t, "feret_diameter") - 2 * R) <= 0.8 + 1e-9);
    QVERIFY(col(t, "elongation") > 0.95 && col(t, "flatness") > 0.95);
  }

  void ellipsoidShape() {
    // Semi-axes 20, 10, 5 voxels along x, y, z: elongation b/a = 0.5, flatness c/b = 0.5.
    Shapes s = paint({64, 40, 24}, {1, 1, 1}, [&](double x, double y, double z) {
      const double u = (x - 32) / 20, v = (y - 20) / 10, w = (z - 12) / 5;
      return std::uint32_t(u * u + v * v + w * w <= 1 ? 1 : 0);
    });
    const auto t = measureParticles(s.image, s.labels, s.phases);
    NEAR(col(t, "elongation"), 0.5, 0.03);
    NEAR(col(t, "flatness"), 0.5, 0.05);
    NEAR(col(t, "feret_diameter"), 40.0, 0.03);
    NEAR(col(t, "major_axis_angle"), 90.0, 0.01); // long axis along x, depth along z
    QVERIFY(col(t, "sphericity") < 0.85);
  }

  void neighboursAndBorder() {
    // Particle 1 and 2 touch along x; particle 3 stands alone and is cut by the volume border.
    Shapes s = paint({60, 30, 30}, {1, 1, 1}, [&](double x, double y, double z) -> std::uint32_t {
      if (y >= 10 && y < 20 && z >= 10 && z < 20) {
        if (x >= 5 && x < 15) return 1;
        if (x >= 15 && x < 25) return 2;
        if (x >= 52) return 3;
      }
      return 0;
    });
    const auto t = measureParticles(s.image, s.labels, s.phases);
    QCOMPARE(t.rowCount(), std::int64_t(3));
    QCOMPARE(col(t, "touching_neighbours", 0), 1.0);
    QCOMPARE(col(t, "touching_neighbours", 1), 1.0);
    QCOMPARE(col(t, "touching_neighbours", 2), 0.0);
    QCOMPARE(col(t, "border", 0), 0.0);
    QCOMPARE(col(t, "border", 2), 1.0);
    NEAR(col(t, "nn_distance", 0), 10.0, 1e-9);
    QCOMPARE(col(t, "nn_id", 0), 2.0);
    QCOMPARE(col(t, "nn_id", 2), 2.0);
    // A 10^3 cube: surface 600. The 13-direction Crofton estimate is unbiased over orientations
    // (spheres within 3%) but flat faces aligned with the grid come out low: 524.55 here, the
    // same as a NumPy evaluation of the formula.
    NEAR(col(t, "surface_area", 0), 524.551, 1e-4);
    NEAR(col(t, "feret_diameter", 0), std::sqrt(300.0), 0.02);
  }

  void crackVolumesAndPieces() {
    // A 20^3 cube with two separate crack sheets and one enclosed void voxel.
    Shapes s = paint({30, 30, 30}, {1, 1, 1}, [](double x, double y, double z) {
      return std::uint32_t(x >= 5 && x < 25 && y >= 5 && y < 25 && z >= 5 && z < 25);
    });
    auto* ph = s.phases.as<std::uint8_t>();
    for (int z = 5; z < 25; ++z)
      for (int y = 5; y < 25; ++y) {
        ph[10 + 30 * (y + 30 * z)] = kPhaseCrack | kPhaseFilled;
        ph[18 + 30 * (y + 30 * z)] = kPhaseCrack | kPhaseFilled;
      }
    ph[14 + 30 * (14 + 30 * 14)] = kPhaseFilled; // void
    const auto t = measureParticles(s.image, s.labels, s.phases);
    QCOMPARE(col(t, "crack_pieces"), 2.0);
    QCOMPARE(col(t, "crack_volume"), 800.0);
    QCOMPARE(col(t, "void_volume"), 1.0);
    QCOMPARE(col(t, "solid_volume"), 8000.0 - 801.0);
    QCOMPARE(col(t, "crack_fraction"), 0.1);
    NEAR(col(t, "damage_fraction"), 801.0 / 8000.0, 1e-12);
  }

  void summariesBinAndCount() {
    Table t = particleColumns();
    t.resizeRows(4);
    const double depth[] = {3, 7, 12, 25}, filled[] = {10, 10, 20, 40}, crack[] = {1, 0, 2, 10};
    for (int r = 0; r < 4; ++r) {
      t.set(r, t.indexOf("depth"), depth[r]);
      t.set(r, t.indexOf("filled_volume"), filled[r]);
      t.set(r, t.indexOf("crack_volume"), crack[r]);
      t.set(r, t.indexOf("crack_fraction"), crack[r] / filled[r]);
      t.set(r, t.indexOf("border"), 0);
    }
    const Table p = depthProfile(t, 10);
    QCOMPARE(p.rowCount(), std::int64_t(3));
    QCOMPARE(p.column("particles").values[0], 2.0);
    QCOMPARE(p.column("cracked_particles").values[0], 1.0);
    QCOMPARE(p.column("crack_fraction_weighted").values[0], 0.05);
    QCOMPARE(p.column("crack_fraction_median").values[0], 0.05);
    QCOMPARE(p.column("particles").values[1], 1.0);
    QCOMPARE(p.column("particles").values[2], 1.0);
    QCOMPARE(p.column("crack_fraction_weighted").values[2], 0.25);
    QCOMPARE(p.column(0).header(), std::string("depth_start_um"));
    const Histogram h = histogram(t, t.indexOf("depth"), 2);
    QCOMPARE(h.counts[0] + h.counts[1], std::int64_t(4));
    QCOMPARE(h.counts[1], std::int64_t(1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, depthProfile(t, 0));
  }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "test_statistics.moc"
