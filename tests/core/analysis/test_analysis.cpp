// The whole analysis: CSV format (units in the header, comments, parse back, C numbers under a
// German LC_NUMERIC) and the bad inputs of issue 8.
#include "SyntheticVolumes.h"
#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/analysis/Summaries.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <clocale>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <locale>

using namespace core::analysis;
using namespace testvol;

namespace {

/// Switches LC_NUMERIC (and the C++ global locale) to German, building the locale with localedef
/// in \p dir when the system has none. Returns false when that is impossible.
bool germanNumbers(const QString& dir) {
  if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) return true;
  if (QProcess::execute("localedef", {"-i", "de_DE", "-f", "UTF-8", dir + "/de_DE.UTF-8"}) != 0) return false;
  setenv("LOCPATH", qPrintable(dir), 1);
  return std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr;
}

struct Comma : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
};

} // namespace

class TestAnalysis : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void csvHasUnitsCommentsAndParsesBack() {
    Synthetic s = makeSpheres({48, 48, 48}, {0.25, 0.25, 0.5},
                              {{14, 24, 20, 10, 1.5, 1, 0, 0, 0}, {34, 24, 28, 9}});
    const CrackMask cm = makeCrackMask(s.cracks);
    AnalysisOptions opt;
    const AnalysisResult r = analyzeVolume(s.image, cm.mask, opt);
    QCOMPARE(r.particles.rowCount(), std::int64_t(2));
    const CsvComments comments = analysisComments(r, opt, {"synthetic.nrrd", "labels synthetic (nonzero = crack)"}, s.image);

    QTemporaryDir dir;
    QVERIFY(germanNumbers(dir.path()) || true);
    const bool german = std::setlocale(LC_NUMERIC, nullptr) && std::string(std::setlocale(LC_NUMERIC, nullptr)).rfind("de_DE", 0) == 0;
    if (german) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.1f", 0.5);
      QCOMPARE(QString(buf), QString("0,5")); // the C locale really is German now
    } else {
      qWarning("no de_DE locale could be built: checking the C++ global locale only");
    }
    const std::locale previous = std::locale::global(std::locale(std::locale::classic(), new Comma));

    const QString path = dir.filePath("particles.csv");
    writeCsv(r.particles, path.toStdString(), comments);
    std::locale::global(previous);
    std::setlocale(LC_NUMERIC, "C");

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(text.startsWith("# product: CDNet Studio " CDNET_VERSION "\n"));
    QVERIFY(text.contains("\n# date: 20"));
    QVERIFY(text.contains("\n# source: synthetic.nrrd\n"));
    QVERIFY(text.contains("\n# cracks: labels synthetic (nonzero = crack)\n"));
    QVERIFY(text.contains("\n# spacing_um: 0.25 x 0.25 x 0.5\n"));
    QVERIFY(text.contains("\n# segmentation: crack_fill_radius_voxels=4"));
    const QStringList lines = text.split('\n');
    QString header;
    for (const QString& l : lines)
      if (!l.startsWith('#')) {
        header = l;
        break;
      }
    QVERIFY(header.startsWith("id,centroid_x_um,centroid_y_um,centroid_z_um,depth_um,filled_voxels,filled_volume_um3,"));
    QVERIFY(header.contains(",surface_area_um2,sphericity,"));
    QVERIFY(header.contains(",major_axis_angle_deg,"));
    // No decimal commas anywhere in the numbers: every data row has exactly as many fields.
    const int fields = header.count(',') + 1;
    for (const QString& l : lines)
      if (!l.isEmpty() && !l.startsWith('#')) QCOMPARE(l.count(',') + 1, fields);

    const CsvData back = readCsv(path.toStdString());
    QCOMPARE(int(back.rows.size()), 2);
    QCOMPARE(int(back.header.size()), r.particles.columnCount());
    for (int c = 0; c < r.particles.columnCount(); ++c)
      for (int row = 0; row < 2; ++row) {
        const double a = r.particles.value(row, c), b = back.rows[std::size_t(row)][std::size_t(c)];
        // Shortest form: exact, or 15 digits within 4 epsilons when the 16th and 17th were noise.
        QVERIFY((std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 4 * DBL_EPSILON * std::fabs(a));
      }
    QCOMPARE(back.comments[2].first, std::string("source"));
    QCOMPARE(back.comments[2].second, std::string("synthetic.nrrd"));
    // Back into a table of the particle columns (how a project keeps its analysis): as the CSV
    // (within 4 epsilons), and a file without a column is refused by name.
    const Table table = tableFromCsv(back, particleColumns(), "particles.csv");
    QCOMPARE(table.rowCount(), r.particles.rowCount());
    for (int c = 0; c < table.columnCount(); ++c) {
      QCOMPARE(table.column(c).kind, r.particles.column(c).kind);
      for (int row = 0; row < 2; ++row) {
        const double a = r.particles.value(row, c), b = table.value(row, c);
        QVERIFY((std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 4 * DBL_EPSILON * std::fabs(a));
      }
    }
    CsvData cut = back;
    cut.header[1] = "renamed";
    try {
      tableFromCsv(cut, particleColumns(), "particles.csv");
      QFAIL("a missing column was accepted");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("particles.csv has no column \"centroid_x_um\"") != std::string::npos, e.what());
    }

    // The depth profile CSV.
    const QString profile = dir.filePath("profile.csv");
    writeCsv(r.depthProfile, profile.toStdString(), comments);
    const CsvData p = readCsv(profile.toStdString());
    QCOMPARE(p.header[0], std::string("depth_start_um"));
    QVERIFY(p.indexOf("crack_fraction_weighted") >= 0);
    double particles = 0;
    for (const auto& row : p.rows) particles += row[std::size_t(p.indexOf("particles"))];
    QCOMPARE(particles, 2.0);
  }

  void csvNumbersAreShortWithoutRoundingNoise() {
    // Noise of the arithmetic goes: what a measurement computes (0.1 + 0.2, 1.1 * 3.09011...).
    const double sum = 0.1 + 0.2, noisy = 3.3991250000000006;
    QVERIFY(sum != 0.3); // the double really carries the noise
    QCOMPARE(shortestNumberText(sum), std::string("0.3"));
    QCOMPARE(shortestNumberText(noisy), std::string("3.399125"));
    // Real digits stay, and every text reads back within 4 epsilons (exactly when short).
    QCOMPARE(shortestNumberText(1.0 / 3.0), std::string("0.3333333333333333"));
    QCOMPARE(shortestNumberText(0.1), std::string("0.1"));
    QCOMPARE(shortestNumberText(1e-300), std::string("1e-300"));
    QCOMPARE(shortestNumberText(DBL_MAX), std::string("1.7976931348623157e+308"));
    QCOMPARE(shortestNumberText(-2.5), std::string("-2.5"));
    std::srand(7);
    for (int i = 0; i < 10000; ++i) {
      const double v = (std::rand() / double(RAND_MAX) - 0.5) * std::pow(10.0, std::rand() % 40 - 20);
      const std::string text = shortestNumberText(v);
      const double back = std::strtod(text.c_str(), nullptr);
      QVERIFY2(std::fabs(back - v) <= 4 * DBL_EPSILON * std::fabs(v), text.c_str());
      QVERIFY2(shortestNumberText(back) == text, text.c_str()); // stable over read-write rounds
      QVERIFY(text.size() <= 24);
    }
    // In a CSV file: a Real column with the noisy value.
    Table t;
    t.addColumn("volume", "um3", ColumnKind::Real, "volume");
    t.resizeRows(1);
    t.set(0, 0, noisy);
    QVERIFY(QString::fromStdString(formatCsv(t)).endsWith("\n3.399125\n"));
  }

  void csvWriteFailureKeepsOldFile() {
    QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeCsv(particleColumns(), (dir.path() + "/missing/x.csv").toStdString()));
  }

  void crackVolumeOfAnotherSizeIsRejected() {
    Synthetic s = makeSpheres({32, 32, 32}, {1, 1, 1}, {{16, 16, 16, 8}});
    Volume wrong({32, 32, 31}, VoxelType::UInt8);
    try {
      analyzeVolume(s.image, wrong);
      QFAIL("no error");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("32 x 32 x 31") && QString(e.what()).contains("same size"), e.what());
    }
  }

  void badSpacingIsRejected() {
    for (const Vec3 sp : {Vec3{0, 1, 1}, Vec3{1, -0.5, 1}, Vec3{1, 1, NAN}}) {
      Synthetic s = makeSpheres({16, 16, 16}, {1, 1, 1}, {{8, 8, 8, 5}});
      s.image.setSpacing(sp);
      try {
        analyzeVolume(s.image, Volume());
        QFAIL("no error");
      } catch (const std::invalid_argument& e) {
        QVERIFY2(QString(e.what()).contains("spacing must be positive"), e.what());
      }
    }
  }

  void crackMaskFromLabelsTakesOnlyCrackLabels() {
    Volume labels({4, 3, 2}, VoxelType::UInt8, {0.5, 0.5, 1});
    auto* l = labels.as<std::uint8_t>();
    l[1] = 1, l[2] = 2, l[7] = 2, l[9] = 1;
    const CrackMask cm = crackMaskFromLabels(labels);
    QCOMPARE(cm.crackVoxels, std::int64_t(2));
    QCOMPARE(cm.mask.spacing(), labels.spacing());
    for (std::int64_t i = 0; i < labels.voxelCount(); ++i) QCOMPARE(int(cm.mask.as<std::uint8_t>()[i]), l[i] == 2 ? 1 : 0);
    // Only "not crack" labels: no crack at all (makeCrackMask would read 1 as a binary mask's crack).
    l[2] = l[7] = 1;
    QCOMPARE(crackMaskFromLabels(labels).crackVoxels, std::int64_t(0));
    QCOMPARE(makeCrackMask(labels).crackVoxels, std::int64_t(4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, crackMaskFromLabels(Volume({2, 2, 2}, VoxelType::UInt16)));
  }

  void emptySolidPhaseIsAClearError() {
    // A uniform image: no automatic threshold exists.
    Volume flat({16, 16, 16}, VoxelType::UInt16);
    try {
      analyzeVolume(flat, Volume());
      QFAIL("no error");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("single grey value"), e.what());
    }
    // A threshold above every grey value.
    Synthetic s = makeSpheres({16, 16, 16}, {1, 1, 1}, {{8, 8, 8, 5}}, 0);
    AnalysisOptions opt;
    opt.segmentation.solidThreshold = 60000;
    try {
      analyzeVolume(s.image, Volume(), opt);
      QFAIL("no error");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("solid phase is empty"), e.what());
    }
  }

  void oneHugeParticleFillingTheVolume() {
    // Bright everywhere, with a crack and a few enclosed dark pores: one particle, on the border.
    Synthetic s = makeSpheres({40, 40, 40}, {0.5, 0.5, 0.5}, {{20, 20, 20, 200, 2, 0, 0, 1, 3}}, 30);
    auto* img = s.image.as<std::uint16_t>();
    for (int k = 0; k < 5; ++k) img[10 + 6 * k + 40 * (12 + 40 * (8 + 5 * k))] = 300;
    const CrackMask cm = makeCrackMask(s.cracks);
    AnalysisOptions raw;
    raw.segmentation.smoothing = 0; // exact voxel counts: no blur halo around the crack
    const AnalysisResult r = analyzeVolume(s.image, cm.mask, raw);
    QCOMPARE(r.particles.rowCount(), std::int64_t(1));
    QCOMPARE(r.particles.column("border").values[0], 1.0);
    QCOMPARE(r.particles.column("filled_voxels").values[0], 64000.0);
    QCOMPARE(r.particles.column("void_volume").values[0], 4 * 0.125); // the pore at z = 23 is in the crack
    QVERIFY(std::fabs(r.particles.column("crack_fraction").values[0] - double(cm.crackVoxels) / 64000.0) < 1e-12);
    // A constant image with a user threshold: the distance map has no background at all.
    Volume flat({24, 24, 24}, VoxelType::UInt8, {1, 1, 1});
    std::fill(flat.as<std::uint8_t>(), flat.as<std::uint8_t>() + flat.voxelCount(), 200);
    AnalysisOptions opt;
    opt.segmentation.solidThreshold = 100;
    const AnalysisResult f = analyzeVolume(flat, Volume(), opt);
    QCOMPARE(f.particles.rowCount(), std::int64_t(1));
    QCOMPARE(f.particles.column("border").values[0], 1.0);
    QCOMPARE(f.particles.column("filled_voxels").values[0], 24.0 * 24 * 24);
  }

  void crackMaskRules() {
    Volume labels({4, 1, 1}, VoxelType::UInt8);
    auto* l = labels.as<std::uint8_t>();
    l[0] = 0, l[1] = 1, l[2] = 2, l[3] = 1;
    CrackMask m = makeCrackMask(labels);
    QCOMPARE(m.crackVoxels, std::int64_t(1)); // label convention: only 2 is crack
    QVERIFY(QString::fromStdString(m.description).contains("value 2"));
    l[2] = 0;
    QCOMPARE(makeCrackMask(labels).crackVoxels, std::int64_t(2)); // binary 0/1 mask
    Volume prob({3, 1, 1}, VoxelType::Float32);
    prob.as<float>()[0] = 0.2f, prob.as<float>()[1] = 0.6f, prob.as<float>()[2] = 0.9f;
    QCOMPARE(makeCrackMask(prob).crackVoxels, std::int64_t(2));
    QCOMPARE(makeCrackMask(prob, 0.8).crackVoxels, std::int64_t(1));
  }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
