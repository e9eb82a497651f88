// cdnet analyze over slabs with a halo (--slices, --halo) joined by the CSV merge equals the
// whole-volume run row for row; a halo too small for a particle is refused, not measured wrong;
// under --memory-limit the particle labels (--out-labels) equal a whole run's.
#include "AnalyzeCsvCompare.h"
#include "ClusterTestSupport.h"

#include "core/cluster/CsvMerge.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clustertest;

class TestAnalyzeSlabs : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  QString path(const char* name) const { return m_tmp.filePath(name); }
  QStringList inputs() const {
    return {"analyze", "--image", path("ph/image.h5"), "--cracks", path("ph/cracks.h5"), "--solid-threshold", "36374"};
  }

private Q_SLOTS:
  void initTestCase() {
    // The simple preset: these tests check that slabs equal the whole run, which needs particles
    // the automatic threshold finds densely enough for a halo of 36. On the realistic preset at
    // radius 5-10 it finds 61 of 101 and the 48M run stops with "the nearest neighbour ... reaches
    // the halo" (reported to the lead with issue 14 item 6: analysis on the realistic phantom).
    const Run ph = run(cdnet(), {"phantom", "--out", path("ph"), "--size", "96", "--radius", "5,10", "--format", "hdf5",
                                 "--threads", "2", "--preset", "simple"});
    QVERIFY2(ph.exitCode == 0, qPrintable(ph.out));
  }

  void slabsMergeToTheWholeRun() {
    const Run whole = run(cdnet(), inputs() << "--out-csv" << path("whole.csv"));
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.out));
    std::vector<std::string> pieces;
    const char* ranges[] = {"0:24", "24:48", "48:72", "72:96"};
    for (int i = 0; i < 4; ++i) {
      const QString piece = path("piece") + QString::number(i) + ".csv";
      const Run r = run(cdnet(), inputs() << "--slices" << ranges[i] << "--halo" << "36" << "--out-csv" << piece);
      QVERIFY2(r.exitCode == 0, qPrintable(r.out));
      pieces.push_back(piece.toStdString());
    }
    const std::string merged = path("merged.csv").toStdString();
    const core::cluster::CsvMergeResult m = core::cluster::mergeCsvPieces(pieces, merged);
    QVERIFY(m.renumbered);
    QVERIFY2(m.rows > 40, "the phantom should hold dozens of particles");
    int exact = 0;
    const QString diff = analyzetest::compareCsv(path("whole.csv").toStdString(), merged, &exact);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    qInfo("%lld particles, %d rows equal byte for byte", (long long)m.rows, exact);
    // Every piece owns some particles: the test really splits them.
    for (const std::string& p : pieces) QVERIFY(analyzetest::csvRows(p).size() > 2);
  }

  void aMemoryLimitRunsInSlabsAndEqualsTheWholeRun() {
    // 96^3 voxels need about 54 MiB of working memory; 48 MiB holds 85 slices, so slabs of 12
    // slices with a halo of 36 each side.
    // No --solid-threshold: the slabs use the whole volume's automatic threshold, streamed.
    const QStringList autoInputs{"analyze", "--image", path("ph/image.h5"), "--cracks", path("ph/cracks.h5")};
    const Run whole = run(cdnet(), autoInputs + QStringList{"--out-csv", path("whole2.csv")});
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.out));
    const Run r = run(cdnet(), autoInputs + QStringList{"--halo", "36", "--memory-limit", "48M", "--out-csv", path("ml.csv")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("analysing 8 slabs of 12 slices"), qPrintable(r.out));
    QVERIFY2(r.out.contains("from the whole volume's histogram"), qPrintable(r.out));
    const QString diff = analyzetest::compareCsv(path("whole2.csv").toStdString(), path("ml.csv").toStdString());
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    // The slabs' tables were temporaries: none is left.
    const QStringList left = QDir(QFileInfo(path("ml.csv")).path()).entryList({"*.tmp*"}, QDir::Files | QDir::Hidden);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(", ")));
    // A limit that does not hold one slice and two halos is refused with the numbers.
    const Run tight = run(cdnet(), inputs() << "--halo" << "36" << "--memory-limit" << "20M" << "--out-csv" << path("t.csv"));
    QVERIFY(tight.exitCode != 0);
    QVERIFY2(tight.out.contains("fewer than one slice plus twice the halo"), qPrintable(tight.out));
  }

  void labelsUnderAMemoryLimitEqualTheWholeRunsAndABadPathIsNamed() {
    // --out-labels under --memory-limit: the slabs' labels (core's analyzeInSlabs, OME-Zarr) equal a
    // whole run's voxel for voxel, with the same table.
    const Run whole = run(cdnet(), inputs() << "--out-csv" << path("lw.csv") << "--out-labels" << path("labels-whole.zarr"));
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.out));
    const QStringList limited = inputs() << "--halo" << "36" << "--memory-limit" << "48M";
    const Run r = run(cdnet(), limited + QStringList{"--out-csv", path("lm.csv"), "--out-labels", path("labels-ml.zarr")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("analysing 8 slabs of 12 slices"), qPrintable(r.out));
    QVERIFY2(r.out.contains(path("labels-ml.zarr")), qPrintable(r.out));
    const QString diff = compareVolumes(path("labels-ml.zarr"), path("labels-whole.zarr"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const QString csvDiff = analyzetest::compareCsv(path("lw.csv").toStdString(), path("lm.csv").toStdString());
    QVERIFY2(csvDiff.isEmpty(), qPrintable(csvDiff));
    // The labels hold the table's particles (the comparison above is not of two empty volumes).
    const core::volume::Volume labels = core::volume::readVolume(path("labels-ml.zarr").toStdString());
    QCOMPARE(labels.type(), core::volume::VoxelType::UInt32);
    const auto* l = labels.as<std::uint32_t>();
    const std::uint32_t most = *std::max_element(l, l + labels.voxelCount());
    QCOMPARE(qsizetype(most) + 1, qsizetype(analyzetest::csvRows(path("lm.csv").toStdString()).size()));
    QVERIFY2(most > 40, qPrintable(QString::number(most)));
    // A format the slabs cannot write, and a folder that does not exist: refused up front, naming the file.
    for (const QString& bad : {path("labels.nrrd"), path("no-such-folder/labels.zarr")}) {
      const Run b = run(cdnet(), limited + QStringList{"--out-csv", path("bad.csv"), "--out-labels", bad});
      QVERIFY2(b.exitCode != 0, qPrintable(b.out));
      QVERIFY2(b.out.contains(bad), qPrintable(b.out));
      QVERIFY2(!QFileInfo::exists(bad) && !QFileInfo::exists(path("bad.csv")), qPrintable(bad));
    }
  }

  void predictUnderAMemoryLimitEqualsTheUnlimitedRun() {
    // cdnet predict reads, predicts and writes slab by slab; under --memory-limit the slabs are
    // smaller and the result is the same voxel for voxel; a limit too small is refused clearly.
    const Run ph = run(cdnet(), {"phantom", "--out", path("pp"), "--size", "64,64,16", "--format", "hdf5"});
    QVERIFY2(ph.exitCode == 0, qPrintable(ph.out));
    const Run train = run(cdnet(), {"train", "--images", path("pp/image.h5"), "--labels", path("pp/cracks.h5"), "--out",
                                    path("model"), "--base-width", "16", "--epochs", "1", "--iterations-per-epoch", "1",
                                    "--batch", "1", "--crop-size", "32", "--no-augment"});
    QVERIFY2(train.exitCode == 0, qPrintable(train.out));
    const QStringList args{"predict", "--model", path("model"), "--input", path("pp/image.h5"), "--tile", "64",
                           "--overlap", "16"};
    const Run whole = run(cdnet(), args + QStringList{"--out", path("pred-whole.h5")});
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.out));
    const Run limited = run(cdnet(), args + QStringList{"--out", path("pred-limited.h5"), "--memory-limit", "1M"});
    QVERIFY2(limited.exitCode == 0, qPrintable(limited.out));
    const QString diff = compareVolumes(path("pred-limited.h5"), path("pred-whole.h5"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    const Run tight = run(cdnet(), args + QStringList{"--out", path("pred-tight.h5"), "--memory-limit", "200K"});
    QVERIFY(tight.exitCode != 0);
    QVERIFY2(tight.out.contains("memory-limit") || tight.out.contains("memory limit"), qPrintable(tight.out));
  }

  void aSmallHaloIsRefused() {
    const Run r = run(cdnet(), inputs() << "--slices" << "24:48" << "--halo" << "2" << "--out-csv" << path("small.csv"));
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.out.contains("use a larger --halo"), qPrintable(r.out));
  }

  void badSlabOptionsAreRefused() {
    Run r = run(cdnet(), inputs() << "--slices" << "90:120" << "--out-csv" << path("x.csv"));
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.out.contains("outside the volume"), qPrintable(r.out));
    r = run(cdnet(), inputs() << "--slices" << "0:24" << "--out-profile" << path("p.csv") << "--out-csv" << path("x.csv"));
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.out.contains("--out-profile"), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(TestAnalyzeSlabs)
#include "test_analyze_slabs.moc"
