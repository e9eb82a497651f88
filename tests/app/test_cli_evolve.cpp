// `cdnet phantom --aged-from` and `cdnet evolve` end to end (issue 19): the time series is
// deterministic, evolve writes a CSV with units and provenance that finds the fractured particles
// of the truth, and bad input (a crack volume for one time point only, a missing file, a crack
// volume of another size, unrelated scans, scans of regions that do not overlap) gives one clear
// error line; a different voxel size is resampled and said; scans with a pyramid (OME-Zarr)
// register from a coarse level, with the same result as from the plain files.
#include "AnalyzeCsvCompare.h"
#include "support/RunCdnet.h"

#include "core/analysis/Csv.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using testsupport::failsWith;
using testsupport::runCdnet;

namespace {
QByteArray bytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestCliEvolve : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_pair, m_other;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_pair = m_dir.filePath("pair");
    m_other = m_dir.filePath("other");
    const QStringList common{"--size", "96", "--radius", "8,14", "--cycles", "150", "--threads", "2"};
    auto r = runCdnet(QStringList{"phantom", "--out", m_pair, "--aged-from", "5"} + common);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet(QStringList{"phantom", "--out", m_other, "--aged-from", "6"} + common);
    QVERIFY2(r.code == 0, qPrintable(r.err));
  }

  void agedPhantomTimeSeriesIsDeterministic() {
    const QString again = m_dir.filePath("again");
    const auto r = runCdnet({"phantom", "--out", again, "--aged-from", "5", "--size", "96", "--radius", "8,14", "--cycles",
                             "150", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char* f : {"evolution_truth.csv", "b/image.nrrd", "b/particles.nrrd", "b/cracks.nrrd", "a/image.nrrd"})
      QVERIFY2(bytes(again + "/" + f) == bytes(m_pair + "/" + f) && !bytes(again + "/" + f).isEmpty(), f);
    const auto truth = core::analysis::readCsv((m_pair + "/evolution_truth.csv").toStdString());
    QVERIFY(truth.rows.size() >= 10);
    QVERIFY(truth.indexOf("fractured") >= 0 && truth.indexOf("crack_fraction_growth") >= 0);
  }

  void evolveFindsTheFracturedParticlesAndWritesUnitsAndProvenance() {
    const QString csv = m_dir.filePath("evolve.csv"), profile = m_dir.filePath("profile.csv");
    const auto r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--cracks-a",
                             m_pair + "/a/cracks.nrrd", "--cracks-b", m_pair + "/b/cracks.nrrd", "--labels-a",
                             m_pair + "/a/particles.nrrd", "--labels-b", m_pair + "/b/particles.nrrd", "--out-csv", csv,
                             "--out-profile", profile});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("normalised correlation"));
    const auto out = core::analysis::readCsv(csv.toStdString());
    const auto truth = core::analysis::readCsv((m_pair + "/evolution_truth.csv").toStdString());
    QVERIFY(out.indexOf("crack_volume_growth_um3") >= 0 && out.indexOf("depth_um") >= 0);
    bool hasSource = false, hasRegistration = false;
    for (const auto& [k, v] : out.comments) {
      hasSource = hasSource || (k == "source_b" && v.find("b/image.nrrd") != std::string::npos);
      hasRegistration = hasRegistration || (k == "registration" && v.find("correlation") != std::string::npos);
    }
    QVERIFY(hasSource && hasRegistration);
    // Every fractured particle of the truth that lies inside both scans is found fractured, with its fragment ids.
    const int tId = truth.indexOf("id_a"), tFr = truth.indexOf("fractured"), tB = truth.indexOf("id_b"), tF = truth.indexOf("fragment_id_b");
    const int oId = out.indexOf("id_a"), oFr = out.indexOf("fractured"), oBorder = out.indexOf("border"), oB = out.indexOf("id_b"),
              oF = out.indexOf("fragment_id_b");
    int checked = 0, matched = 0, evaluated = 0;
    for (const auto& row : out.rows) {
      if (row[std::size_t(oBorder)] == 1) continue;
      for (const auto& t : truth.rows) {
        if (t[std::size_t(tId)] != row[std::size_t(oId)]) continue;
        ++evaluated;
        if (t[std::size_t(tB)] == row[std::size_t(oB)] || t[std::size_t(tF)] == row[std::size_t(oB)]) ++matched;
        if (t[std::size_t(tFr)] == 1) {
          ++checked;
          QCOMPARE(row[std::size_t(oFr)], 1.0);
          const double found[] = {std::min(row[std::size_t(oB)], row[std::size_t(oF)]), std::max(row[std::size_t(oB)], row[std::size_t(oF)])};
          const double want[] = {std::min(t[std::size_t(tB)], t[std::size_t(tF)]), std::max(t[std::size_t(tB)], t[std::size_t(tF)])};
          QCOMPARE(found[0], want[0]);
          QCOMPARE(found[1], want[1]);
        }
      }
    }
    QVERIFY(evaluated >= 10);
    QVERIFY2(matched >= evaluated * 95 / 100, qPrintable(QString("%1 of %2 matched").arg(matched).arg(evaluated)));
    QVERIFY(checked >= 1);
    QVERIFY(core::analysis::readCsv(profile.toStdString()).indexOf("growth_median") >= 0);
  }

  void evolveSegmentsTheParticlesWhenNoLabelsAreGiven() {
    const QString csv = m_dir.filePath("segmented.csv");
    const auto r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--cracks-a",
                             m_pair + "/a/cracks.nrrd", "--cracks-b", m_pair + "/b/cracks.nrrd", "--out-csv", csv});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto out = core::analysis::readCsv(csv.toStdString());
    QVERIFY(out.rows.size() >= 5);
    const int matched = out.indexOf("matched");
    std::size_t yes = 0;
    for (const auto& row : out.rows) yes += row[std::size_t(matched)] == 1 ? 1 : 0;
    QVERIFY2(yes * 10 >= out.rows.size() * 8, "most segmented particles of A find theirs in B");
    // B is segmented on its own grid (as the studio does), not on its linearly resampled image.
    bool ownGrid = false;
    for (const auto& [k, v] : out.comments) ownGrid = ownGrid || (k == "labels_b" && v.find("on B's grid") != std::string::npos);
    QVERIFY(ownGrid);
  }

  void evolveWithinATinyMemoryLimitWritesTheRowsOfTheWholeRun() {
    const QStringList inputs{"--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--cracks-a",
                             m_pair + "/a/cracks.nrrd", "--cracks-b", m_pair + "/b/cracks.nrrd", "--labels-a",
                             m_pair + "/a/particles.nrrd", "--labels-b", m_pair + "/b/particles.nrrd"};
    const QString whole = m_dir.filePath("whole.csv"), slabs = m_dir.filePath("slabs.csv");
    auto r = runCdnet(QStringList{"evolve", "--out-csv", whole} + inputs);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // Too small for one slice and the halo: a clear error that says what is needed.
    r = runCdnet(QStringList{"evolve", "--out-csv", slabs, "--memory-limit", "1M"} + inputs);
    QVERIFY(failsWith(r, {"halo", "at least"}));
    const QRegularExpressionMatch need = QRegularExpression("at least (\\d+) MiB is needed").match(r.err);
    QVERIFY2(need.hasMatch(), qPrintable(r.err));
    QVERIFY(!QFile::exists(slabs));
    // Just above what is needed: many slabs, the same rows as the whole run.
    r = runCdnet(QStringList{"evolve", "--out-csv", slabs, "--memory-limit", QString::number(need.captured(1).toInt() + 1) + "M"} + inputs);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QRegularExpressionMatch done = QRegularExpression("compared in (\\d+) slabs").match(r.out);
    QVERIFY2(done.hasMatch() && done.captured(1).toInt() >= 3, qPrintable(r.out));
    int exact = 0;
    const QString diff = analyzetest::compareCsv(whole.toStdString(), slabs.toStdString(), &exact);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    qInfo("%s slabs, %d rows equal byte for byte", qPrintable(done.captured(1)), exact);
    QVERIFY(exact >= 10);
  }

  void autoTransformIsSaidWithBothQualities() {
    const auto r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--labels-a",
                             m_pair + "/a/particles.nrrd", "--labels-b", m_pair + "/b/particles.nrrd", "--out-csv",
                             m_dir.filePath("auto.csv"), "--rigid"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("transform: rigid (asked for)"), qPrintable(r.out));
    const auto out = core::analysis::readCsv(m_dir.filePath("auto.csv").toStdString());
    bool said = false;
    for (const auto& [k, v] : out.comments) said = said || (k == "registration" && v.find("transform rigid (asked for)") != std::string::npos);
    QVERIFY(said);
    const auto both = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--out-csv",
                                m_dir.filePath("x.csv"), "--rigid", "--affine"});
    QVERIFY(both.code != 0);
  }

  void aCrackVolumeForOneTimePointOnlyIsAnError() {
    const QString a = m_pair + "/a/image.nrrd";
    auto r = runCdnet({"evolve", "--a", a, "--b", m_pair + "/b/image.nrrd", "--cracks-a", m_pair + "/a/cracks.nrrd",
                       "--out-csv", m_dir.filePath("x.csv")});
    QVERIFY(failsWith(r, {"scan B", "b/image.nrrd", "--cracks-b"}));
    r = runCdnet({"evolve", "--a", a, "--b", m_pair + "/b/image.nrrd", "--cracks-a", m_pair + "/a/cracks.nrrd", "--cracks-b",
                  m_dir.filePath("missing.nrrd"), "--out-csv", m_dir.filePath("x.csv")});
    QVERIFY(failsWith(r, {"crack volume of scan B", "missing.nrrd", "does not exist"}));
    QVERIFY(!QFile::exists(m_dir.filePath("x.csv")));
  }

  void aCrackVolumeOfAnotherSizeNamesTheFile() {
    const QString small = m_dir.filePath("small-cracks.nrrd");
    auto r = runCdnet({"convert", m_pair + "/b/cracks.nrrd", small, "--crop", "0,0,0,80,96,96"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--cracks-a", m_pair + "/a/cracks.nrrd",
                  "--cracks-b", small, "--labels-a", m_pair + "/a/particles.nrrd", "--labels-b", m_pair + "/b/particles.nrrd",
                  "--out-csv", m_dir.filePath("w.csv")});
    QVERIFY(failsWith(r, {"small-cracks.nrrd", "80x96x96", "b/image.nrrd", "96x96x96"}));
    QVERIFY(!QFile::exists(m_dir.filePath("w.csv")));
  }

  void scansOfRegionsThatDoNotOverlapAreRefusedWithTheQuality() {
    // Two halves of the same scan: the same material statistics, no common region.
    const QString left = m_dir.filePath("left.nrrd"), right = m_dir.filePath("right.nrrd");
    auto r = runCdnet({"convert", m_pair + "/a/image.nrrd", left, "--crop", "0,0,0,48,96,96"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet({"convert", m_pair + "/a/image.nrrd", right, "--crop", "48,0,0,48,96,96"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet({"evolve", "--a", left, "--b", right, "--out-csv", m_dir.filePath("v.csv")});
    qInfo("%s", qPrintable(r.err.trimmed()));
    QVERIFY(failsWith(r, {"left.nrrd", "right.nrrd", "do not register", "normalised correlation", "overlap"}));
    QVERIFY(!QFile::exists(m_dir.filePath("v.csv")));
  }

  void scansWithAPyramidRegisterFromACoarseLevel() {
    const QString za = m_dir.filePath("a.zarr"), zb = m_dir.filePath("b.zarr");
    auto r = runCdnet({"convert", m_pair + "/a/image.nrrd", za, "--levels", "3"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet({"convert", m_pair + "/b/image.nrrd", zb, "--levels", "3"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList labels{"--labels-a", m_pair + "/a/particles.nrrd", "--labels-b", m_pair + "/b/particles.nrrd", "--coarse-size", "24"};
    const QString fromZarr = m_dir.filePath("zarr.csv"), fromNrrd = m_dir.filePath("nrrd.csv");
    r = runCdnet(QStringList{"evolve", "--a", za, "--b", zb, "--out-csv", fromZarr} + labels);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("(level 2)"), qPrintable(r.out)); // block size 4: the pyramid's level 2
    r = runCdnet(QStringList{"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_pair + "/b/image.nrrd", "--out-csv", fromNrrd} + labels);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("(level 0)"), qPrintable(r.out)); // block means read slab by slab
    const auto z = core::analysis::readCsv(fromZarr.toStdString()), n = core::analysis::readCsv(fromNrrd.toStdString());
    const int idb = z.indexOf("id_b"), border = z.indexOf("border");
    QCOMPARE(z.rows.size(), n.rows.size());
    std::size_t inner = 0, same = 0;
    for (std::size_t i = 0; i < z.rows.size(); ++i)
      if (z.rows[i][std::size_t(border)] == 0) ++inner, same += z.rows[i][std::size_t(idb)] == n.rows[i][std::size_t(idb)];
    QVERIFY(inner >= 10);
    QVERIFY2(same * 100 >= inner * 95, "the pyramid's level registers as well as block means of the file");
  }

  void scansThatDoNotOverlapAreRefusedWithTheQuality() {
    const auto r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", m_other + "/b/image.nrrd", "--labels-a",
                             m_pair + "/a/particles.nrrd", "--labels-b", m_other + "/b/particles.nrrd", "--out-csv",
                             m_dir.filePath("y.csv")});
    QVERIFY(failsWith(r, {"do not register", "normalised correlation", "other/b/image.nrrd"}));
    QVERIFY(!QFile::exists(m_dir.filePath("y.csv")));
  }

  void aDifferentVoxelSizeIsResampledAndSaid() {
    const QString coarse = m_dir.filePath("b-coarse.nrrd"), coarseLabels = m_dir.filePath("b-coarse-labels.nrrd");
    auto r = runCdnet({"convert", m_pair + "/b/image.nrrd", coarse, "--downsample", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = runCdnet({"convert", m_pair + "/b/particles.nrrd", coarseLabels, "--downsample", "2", "--downsample-mode", "nearest"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString csv = m_dir.filePath("coarse.csv");
    r = runCdnet({"evolve", "--a", m_pair + "/a/image.nrrd", "--b", coarse, "--labels-a", m_pair + "/a/particles.nrrd",
                  "--labels-b", coarseLabels, "--out-csv", csv});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("resampled onto A's grid"), qPrintable(r.err));
    const auto out = core::analysis::readCsv(csv.toStdString());
    const int matched = out.indexOf("matched"), border = out.indexOf("border");
    std::size_t inner = 0, yes = 0;
    for (const auto& row : out.rows)
      if (row[std::size_t(border)] == 0) ++inner, yes += row[std::size_t(matched)] == 1 ? 1 : 0;
    QVERIFY(inner >= 10);
    QVERIFY2(yes * 10 >= inner * 9, "particles still match through the coarser scan");
  }
};

QTEST_GUILESS_MAIN(TestCliEvolve)
#include "test_cli_evolve.moc"
