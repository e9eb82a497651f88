// cdnet-studio --bench-bigvolume at a tiny size (issue 16 targets): it writes the chunked HDF5 and
// OME-Zarr pyramids into the folder it is given, measures both with a cache budget below the data
// (so blocks are evicted), and ends with a result line whose numbers are sane: times positive and
// bounded, the resident memory above the budget finite, the label keys left for the lead; a second
// run reuses the data instead of writing it again; a bad --bench-size is refused.
#include "core/volume/io/VolumeIO.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

namespace {

const QString kStudio = QStringLiteral(CDNET_BINARY_DIR "/app/cdnet-studio");

/// key=value pairs of a result line (values without spaces; quoted ones are skipped).
std::map<QString, QString> resultKeys(const QString& line) {
  std::map<QString, QString> keys;
  for (const QString& part : line.split(' ', Qt::SkipEmptyParts)) {
    const int eq = int(part.indexOf('='));
    if (eq > 0) keys[part.left(eq)] = part.mid(eq + 1);
  }
  return keys;
}

} // namespace

class TestBenchBigVolume : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

  QString run(const QStringList& extra, int* exitCode) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(kStudio, QStringList{"--bench-bigvolume", "--bench-dir", m_dir.path()} + extra);
    if (!p.waitForFinished(240000)) p.kill();
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAll());
  }

private Q_SLOTS:
  void tinyRunEndsWithSaneNumbers() {
    int code = 0;
    const QStringList args{"--bench-size", "128x96x64", "--bench-budget-mib", "1"};
    const QString out = run(args, &code);
    QVERIFY2(code == 0, qPrintable(out));
    const QStringList lines = out.trimmed().split('\n');
    QVERIFY2(lines.last().startsWith("result: bench=studio-bigvolume"), qPrintable(out));
    QVERIFY(out.contains("tiling it with mirroring"));
    QVERIFY(out.contains("GL_RENDERER"));
    auto keys = resultKeys(lines.last());
    auto number = [&](const char* k) {
      bool ok = false;
      const double v = keys.count(k) ? keys[k].toDouble(&ok) : NAN;
      return ok ? v : NAN;
    };
    const double open = number("open_s"), cold = number("p95_cold_ms"), warm = number("p95_warm_ms"),
                 over = number("rss_over_budget_mib");
    QVERIFY2(open > 0 && open < 60, qPrintable(lines.last()));
    QVERIFY2(cold > 0 && cold < 60000, qPrintable(lines.last()));
    QVERIFY2(warm > 0 && warm < 60000, qPrintable(lines.last()));
    // The window alone is far over a 1 MiB budget, and far under 4 GiB on a volume of 1.5 MiB.
    QVERIFY2(over > 10 && over < 4096, qPrintable(lines.last()));
    QVERIFY(number("h5_p50_cold_ms") <= number("h5_p95_cold_ms"));
    QVERIFY(number("zarr_open_s") > 0 && number("h5_open_s") > 0);
    QVERIFY2(number("h5_evictions") > 0 && number("zarr_evictions") > 0, qPrintable(lines.last()));
    // Brush strokes on 10 slices: a dab costs about a frame, and the save writes exactly the chunks
    // the strokes touched.
    QVERIFY2(number("stroke_ratio") > 0.2 && number("stroke_ratio") < 20, qPrintable(lines.last()));
    QVERIFY2(number("label_bytes_written") > 0, qPrintable(lines.last()));
    QVERIFY(number("label_chunks_touched") > 0);
    QCOMPARE(number("label_chunks_written"), number("label_chunks_touched"));
    // The data stays, as pyramids of the asked size.
    const std::string h5 = m_dir.filePath("phantom-128x96x64.h5").toStdString();
    const std::string zarr = m_dir.filePath("phantom-128x96x64.zarr").toStdString();
    for (const std::string& p : {h5, zarr}) {
      const auto levels = core::volume::resolutionLevels(p);
      QCOMPARE(int(levels.size()), 3);
      QCOMPARE(levels[0].size, (core::volume::Size3{128, 96, 64}));
    }
    // A second run reuses it.
    const QString again = run(args, &code);
    QVERIFY2(code == 0, qPrintable(again));
    QCOMPARE(int(again.count("reusing ")), 2);
    QVERIFY(!again.contains("generated a realistic phantom"));
  }

  void badSizeIsRefused() {
    int code = 0;
    const QString out = run({"--bench-size", "128x96"}, &code);
    QCOMPARE(code, 2);
    QVERIFY2(out.contains("--bench-size must be XxYxZ"), qPrintable(out));
  }
};

QTEST_GUILESS_MAIN(TestBenchBigVolume)
#include "test_bench_bigvolume.moc"
