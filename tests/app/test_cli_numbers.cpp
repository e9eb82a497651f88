// Zero and absurd numbers through the real `cdnet` binary: every numeric option of every command
// refuses values outside its range with a non-zero exit and a message naming the option; a header
// whose spacing is NaN or zero gets 1 with a warning naming the file (and outputs carry 1, never
// NaN); a training folder with a damaged best.pt falls back to last.pt with a warning.
#include "core/ml/Model.h"
#include "core/volume/io/VolumeIO.h"
#include "support/RunCdnet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

using Run = testsupport::CdnetResult;

Run cdnet(const QStringList& args) { return testsupport::runCdnet(args); }

/// A copy of the NRRD \p from with its "space directions" line replaced by \p directions.
void withSpaceDirections(const QString& from, const QString& to, const QByteArray& directions) {
  QFile in(from);
  QVERIFY(in.open(QIODevice::ReadOnly));
  QByteArray bytes = in.readAll();
  const int at = bytes.indexOf("space directions:");
  QVERIFY(at > 0);
  bytes.replace(at, bytes.indexOf('\n', at) - at, "space directions: " + directions);
  QFile out(to);
  QVERIFY(out.open(QIODevice::WriteOnly));
  out.write(bytes);
}

} // namespace

class TestCliNumbers : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_image, m_mask, m_model;
  QString p(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first");
    vol::Volume image({16, 16, 4}, vol::VoxelType::UInt8, {0.5, 0.5, 0.5});
    vol::Volume mask({16, 16, 4}, vol::VoxelType::UInt8, {0.5, 0.5, 0.5});
    for (std::int64_t z = 0; z < 4; ++z)
      for (std::int64_t y = 0; y < 16; ++y)
        for (std::int64_t x = 0; x < 16; ++x) {
          image.setValueAt(x, y, z, double((x * 7 + y * 3 + z) % 200));
          mask.setValueAt(x, y, z, x == 8 ? 1 : 0);
        }
    m_image = p("image.nrrd");
    m_mask = p("mask.nrrd");
    vol::writeVolume(image, m_image.toStdString());
    vol::writeVolume(mask, m_mask.toStdString());
    // A tiny model folder as training leaves it: best.pt and last.pt.
    m_model = p("model");
    QVERIFY(QDir().mkpath(m_model));
    const auto model = core::ml::Model::create(core::ml::ModelOptions::paper(2),
                                               core::ml::resolveDevice(core::ml::DeviceRequest::Cpu, 1), 1);
    model.saveCheckpoint((fs::path(m_model.toStdString()) / "best.pt").string());
    model.saveCheckpoint((fs::path(m_model.toStdString()) / "last.pt").string());
  }

  void absurdNumbersAreRefused_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    const QString img = m_image, mask = m_mask, model = m_model, out = p("never.nrrd"), csv = p("never.csv");
    const QStringList predict{"predict", "--model", model, "--input", img, "--out", out};
    const QStringList train{"train", "--images", img, "--labels", mask, "--out", p("never-run")};
    const QStringList analyze{"analyze", "--image", img, "--cracks", mask, "--out-csv", csv};
    const QStringList convert{"convert", img, out};
    auto row = [](const char* name, const QStringList& args, const char* needle) {
      QTest::newRow(name) << args << QString::fromUtf8(needle);
    };
    // predict (the issue: 0 was taken as the default)
    row("predict --tile 0", predict + QStringList{"--tile", "0"}, "--tile: must be a whole number from 64");
    row("predict --batch 0", predict + QStringList{"--batch", "0"}, "--batch: must be a whole number from 1");
    row("predict --threads 0", predict + QStringList{"--threads", "0"}, "--threads: must be a whole number from 1");
    row("predict --overlap -5", predict + QStringList{"--overlap", "-5"}, "--overlap: must be");
    row("predict --overlap over half", predict + QStringList{"--tile", "128", "--overlap", "100"}, "--tile/--overlap");
    row("predict --threshold 1", predict + QStringList{"--threshold", "1"}, "--threshold: must be a number above 0 and below 1");
    row("predict --mask-value 0", predict + QStringList{"--threshold", "0.5", "--mask-value", "0"}, "--mask-value");
    row("predict --memory-limit 0.5", predict + QStringList{"--memory-limit", "0.5"}, "--memory-limit");
    row("predict --memory-limit inf", predict + QStringList{"--memory-limit", "infG"}, "--memory-limit");
    // train (the issue: --epochs 0 ran 50 epochs, --base-width 0 trained)
    row("train --epochs 0", train + QStringList{"--epochs", "0"}, "--epochs: must be a whole number from 1");
    row("train --base-width 0", train + QStringList{"--base-width", "0"}, "--base-width: must be a whole number from 1 to 256");
    row("train --base-width 1000", train + QStringList{"--base-width", "1000"}, "--base-width");
    row("train --batch 0", train + QStringList{"--batch", "0"}, "--batch");
    row("train --crop-size 8", train + QStringList{"--crop-size", "8"}, "--crop-size");
    row("train --val-fraction 1", train + QStringList{"--val-fraction", "1"}, "--val-fraction");
    row("train --lr nan", train + QStringList{"--lr", "nan"}, "--lr");
    row("train --lr 0", train + QStringList{"--lr", "0"}, "--lr");
    row("train --max-minutes 0", train + QStringList{"--max-minutes", "0"}, "--max-minutes");
    row("train --checkpoint-every -1", train + QStringList{"--checkpoint-every", "-1"}, "--checkpoint-every");
    row("train --iterations-per-epoch 0", train + QStringList{"--iterations-per-epoch", "0"}, "--iterations-per-epoch");
    row("train --threads 0", train + QStringList{"--threads", "0"}, "--threads");
    // volumes (the issue: --downsample 2147483647 ended in std::bad_alloc)
    row("convert --downsample huge", convert + QStringList{"--downsample", "2147483647"}, "--downsample: must be");
    row("convert --downsample 0", convert + QStringList{"--downsample", "0"}, "--downsample");
    row("convert --downsample over the volume", convert + QStringList{"--downsample", "17"}, "image.nrrd");
    row("convert --slab-mib 0", convert + QStringList{"--slab-mib", "0"}, "--slab-mib");
    row("info --spacing 0", QStringList{"info", img, "--spacing", "0"}, "--spacing");
    row("info --spacing inf", QStringList{"info", img, "--spacing", "1,inf,1"}, "--spacing");
    row("info --raw-size 0", QStringList{"info", img, "--raw-size", "0,4,4"}, "--raw-size");
    row("info --header-offset -1", QStringList{"info", img, "--format", "raw", "--raw-size", "4,4,4", "--header-offset", "-1"},
        "--header-offset");
    // analyze (the issue: --bin-width 1e-30 ended in a vector length error)
    row("analyze --bin-width 1e-30", analyze + QStringList{"--bin-width", "1e-30"}, "--bin-width: must be a number from 0.001");
    row("analyze --smoothing nan", analyze + QStringList{"--smoothing", "nan"}, "--smoothing");
    row("analyze --min-volume -5", analyze + QStringList{"--min-volume", "-5"}, "--min-volume");
    row("analyze --split-height 2", analyze + QStringList{"--split-height", "2"}, "--split-height");
    row("analyze --contact-ratio -1", analyze + QStringList{"--contact-ratio", "-1"}, "--contact-ratio");
    row("analyze --contact-ratio nan", analyze + QStringList{"--contact-ratio", "nan"}, "--contact-ratio");
    row("analyze --packing-radius-factor 0", analyze + QStringList{"--packing-radius-factor", "0"}, "--packing-radius-factor");
    row("analyze --halo -1", analyze + QStringList{"--halo", "-1"}, "--halo");
    row("analyze --threshold nan", analyze + QStringList{"--threshold", "nan"}, "--threshold");
    row("analyze --solid-threshold inf", analyze + QStringList{"--solid-threshold", "inf"}, "--solid-threshold");
    // evaluate, phantom, demo, submit, task-run
    row("evaluate --threshold 0", QStringList{"evaluate", "--prediction", img, "--truth", mask, "--threshold", "0"}, "--threshold");
    row("phantom --size 0", QStringList{"phantom", "--out", p("ph"), "--size", "16,0,16"}, "--size");
    row("phantom --seed -1", QStringList{"phantom", "--out", p("ph"), "--seed", "-1"}, "--seed");
    row("train --seed -3", train + QStringList{"--seed", "-3"}, "--seed");
    row("phantom --threads 0", QStringList{"phantom", "--out", p("ph"), "--threads", "0"}, "--threads");
    row("phantom --solid-fraction 7", QStringList{"phantom", "--out", p("ph"), "--solid-fraction", "7"}, "--solid-fraction");
    row("phantom --grain-size 0", QStringList{"phantom", "--out", p("ph"), "--grain-size", "0"}, "--grain-size");
    row("phantom --noise -1", QStringList{"phantom", "--out", p("ph"), "--noise", "-1"}, "--noise");
    row("phantom --spacing 0", QStringList{"phantom", "--out", p("ph"), "--spacing", "0"}, "--spacing");
    row("demo --size 0", QStringList{"demo", "--out", p("demo"), "--size", "0"}, "--size");
    row("demo --train-minutes 0", QStringList{"demo", "--out", p("demo"), "--train-minutes", "0"}, "--train-minutes");
    row("submit --tasks 0", QStringList{"submit", "predict", "--dry-run", "--tasks", "0"}, "--tasks");
    row("submit --cpus 0", QStringList{"submit", "predict", "--dry-run", "--cpus", "0"}, "--cpus");
    row("submit --timeout -1", QStringList{"submit", "predict", "--dry-run", "--timeout", "-1"}, "--timeout");
    row("submit --poll 0", QStringList{"submit", "predict", "--dry-run", "--poll", "0"}, "--poll");
    row("task-run index -1", QStringList{"task-run", p("nothing.json"), "-1"}, "index");
    // benchmarks take the same care
    row("bench infer --reps 0", QStringList{"bench", "infer", "--reps", "0"}, "--reps");
    row("bench memory --tile 0", QStringList{"bench", "memory", "--tile", "0"}, "--tile");
    row("bench io --runs 0", QStringList{"bench", "io", "--runs", "0"}, "--runs");
    row("bench accuracy --batch 0", QStringList{"bench", "accuracy", "--batch", "0"}, "--batch");
  }

  void absurdNumbersAreRefused() {
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    const Run r = cdnet(args);
    QVERIFY2(r.code > 0 && r.err.contains(needle),
             qPrintable(QString("exit %1, stderr: %2").arg(r.code).arg(r.err.left(400))));
    QVERIFY(!QFile::exists(p("never.nrrd")) && !QFile::exists(p("never.csv")) && !QFile::exists(p("never-run")));
  }

  void headerSpacingNanOrZeroBecomesOneWithAWarning() {
    const QString nanFile = p("nan-spacing.nrrd");
    withSpaceDirections(m_image, nanFile, "(nan,0,0) (0,0,0) (0,0,0.5)");
    Run r = cdnet({"info", nanFile, "--json", "--no-stats"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("cdnet: warning:") && r.err.contains("nan-spacing.nrrd") && r.err.contains("x = nan") &&
                 r.err.contains("y = 0") && r.err.contains("--spacing"),
             qPrintable(r.err));
    const QJsonArray spacing = QJsonDocument::fromJson(r.out.toUtf8()).object()["spacing"].toArray();
    QVERIFY2(spacing == (QJsonArray{1.0, 1.0, 0.5}), qPrintable(r.out));
    // Outputs carry 1 on the bad axes, never NaN or 0.
    const QString converted = p("converted.nrrd");
    r = cdnet({"convert", nanFile, converted});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const vol::VolumeInfo info = vol::openVolume(converted.toStdString())->info();
    QCOMPARE(info.spacing.x, 1.0);
    QCOMPARE(info.spacing.y, 1.0);
    QCOMPARE(info.spacing.z, 0.5);
    // --spacing replaces a bad header without a word.
    r = cdnet({"info", nanFile, "--no-stats", "--spacing", "0.25"});
    QVERIFY2(r.code == 0 && !r.err.contains("warning"), qPrintable(r.err));
    QFile::remove(converted);
  }

  void damagedBestCheckpointFallsBackToLast() {
    const QString dir = p("damaged-run");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(m_model + "/last.pt", dir + "/last.pt"));
    {
      QFile best(m_model + "/best.pt");
      QVERIFY(best.open(QIODevice::ReadOnly));
      QFile cut(dir + "/best.pt");
      QVERIFY(cut.open(QIODevice::WriteOnly));
      cut.write(best.read(best.size() / 2)); // cut short, as a full disk or a broken copy leaves it
    }
    const QString out = p("fallback.nrrd");
    Run r = cdnet({"predict", "--model", dir, "--input", m_image, "--out", out, "--device", "cpu", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("cdnet: warning:") && r.err.contains("best.pt") && r.err.contains("last.pt"), qPrintable(r.err));
    QVERIFY(r.out.contains("last.pt"));
    QVERIFY(QFile::exists(out));
    // Both damaged: the error of the best one, no output.
    QFile::remove(dir + "/last.pt");
    QVERIFY(QFile::copy(dir + "/best.pt", dir + "/last.pt"));
    QFile::remove(out);
    r = cdnet({"predict", "--model", dir, "--input", m_image, "--out", out, "--device", "cpu", "--threads", "1"});
    QVERIFY2(r.code == 1 && r.err.contains("best.pt") && r.err.contains("damaged"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestCliNumbers)
#include "test_cli_numbers.moc"
