// `cdnet phantom` and `cdnet demo` end to end: the files they write hold exactly what
// generatePhantom() makes, truth.csv matches, the preview is a PNG of the right size, and bad
// input gives one clear error line and a non-zero exit.
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "support/RunCdnet.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace core;

namespace {

using Run = testsupport::CdnetResult;

// The demo trains 80 epochs: up to about 2 min on a loaded 2-core machine.
Run cdnet(const QStringList& args) { return testsupport::runCdnet(args, {}, 300000); }

bool sameBytes(const volume::Volume& a, const volume::Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

/// Width and height from a PNG's IHDR chunk; {0, 0} if not a PNG.
QSize pngSize(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray h = f.read(24);
  if (h.size() < 24 || !h.startsWith("\x89PNG\r\n\x1a\n")) return {};
  auto be32 = [&](int at) {
    return int((quint32(quint8(h[at])) << 24) | (quint32(quint8(h[at + 1])) << 16) | (quint32(quint8(h[at + 2])) << 8) |
               quint32(quint8(h[at + 3])));
  };
  return {be32(16), be32(20)};
}

} // namespace

class TestCliPhantom : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void writesWhatTheGeneratorMakes() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("p"), preview = tmp.filePath("p.png");
    const Run r = cdnet({"phantom", "--out", dir, "--size", "40,36,32", "--seed", "3", "--preview", preview});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("particles"));
    QVERIFY(r.out.contains(preview));

    phantom::PhantomOptions o;
    o.size = {40, 36, 32};
    o.seed = 3;
    const phantom::Phantom p = phantom::generatePhantom(o);
    QVERIFY(sameBytes(volume::readVolume((dir + "/image.nrrd").toStdString()), p.image));
    QVERIFY(sameBytes(volume::readVolume((dir + "/cracks.nrrd").toStdString()), p.cracks));
    QVERIFY(sameBytes(volume::readVolume((dir + "/particles.nrrd").toStdString()), p.particles));

    QFile csv(dir + "/truth.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), int(p.truth.size()) + 1);
    QVERIFY(lines[0].startsWith("id,centre_x,centre_y,centre_z,radius,filled_voxels,crack_voxels,crack_fraction"));
    for (std::size_t i = 0; i < p.truth.size(); ++i) {
      const QStringList f = lines[int(i) + 1].split(',');
      QCOMPARE(f.size(), 8);
      QCOMPARE(f[0].toUInt(), p.truth[i].id);
      QCOMPARE(f[5].toLongLong(), qlonglong(p.truth[i].filledVoxels));
      QCOMPARE(f[6].toLongLong(), qlonglong(p.truth[i].crackVoxels));
    }
    // Three panels of 40 pixels enlarged 7 times, with two gaps of 4.
    QCOMPARE(pngSize(preview), QSize(3 * 280 + 2 * 4, 7 * 36));
  }

  void otherFormatsAndTypes() {
    QTemporaryDir tmp;
    Run r = cdnet({"phantom", "--out", tmp.filePath("f"), "--size", "24", "--format", "tiff-folder", "--type", "uint8"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QDir(tmp.filePath("f/image")).entryList(QDir::Files).size(), 24);
    const auto image = volume::readVolume(tmp.filePath("f/image").toStdString());
    QCOMPARE(image.type(), volume::VoxelType::UInt8);
    QCOMPARE(image.size(), (volume::Size3{24, 24, 24}));

    r = cdnet({"phantom", "--out", tmp.filePath("h"), "--size", "20,22,18", "--format", "hdf5", "--type", "float32"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    phantom::PhantomOptions o;
    o.size = {20, 22, 18};
    o.imageType = volume::VoxelType::Float32;
    QVERIFY(sameBytes(volume::readVolume(tmp.filePath("h/image.h5").toStdString()), phantom::generatePhantom(o).image));
  }

  void presets() {
    QTemporaryDir tmp;
    Run r = cdnet({"phantom", "--out", tmp.filePath("s"), "--size", "28,24,20", "--preset", "simple"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("simple"));
    auto o = phantom::presetOptions(phantom::PhantomPreset::Simple);
    o.size = {28, 24, 20};
    QVERIFY(sameBytes(volume::readVolume(tmp.filePath("s/image.nrrd").toStdString()), phantom::generatePhantom(o).image));
    r = cdnet({"phantom", "--out", tmp.filePath("l"), "--size", "28,24,20", "--low-signal"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("realistic, low signal"));
    o = phantom::presetOptions(phantom::PhantomPreset::Realistic);
    o.size = {28, 24, 20};
    o.lowSignal = true;
    QVERIFY(sameBytes(volume::readVolume(tmp.filePath("l/image.nrrd").toStdString()), phantom::generatePhantom(o).image));
    r = cdnet({"phantom", "--out", tmp.filePath("bad"), "--preset", "easy"});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("--preset"), qPrintable(r.err));
    QVERIFY(!QDir(tmp.filePath("bad")).exists());
  }

  void badInput() {
    QTemporaryDir tmp;
    // Each launch costs a second or two on a loaded machine: one of each kind (parsing in the
    // command, the options' validation in core, the format).
    const QStringList bad[] = {{"--size", "12,4"}, {"--radius", "30,20"}, {"--format", "png"}};
    for (const auto& args : bad) {
      const Run r = cdnet(QStringList{"phantom", "--out", tmp.filePath("bad")} + args);
      QVERIFY2(r.code != 0, qPrintable(args.join(' ')));
      QVERIFY2(r.err.contains("cdnet: error:"), qPrintable(r.err));
      QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    }
    QVERIFY(!QDir(tmp.filePath("bad")).exists()); // nothing made on bad options
    QFile file(tmp.filePath("file"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const Run r = cdnet({"phantom", "--out", tmp.filePath("file")});
    QVERIFY(r.code != 0);
    QVERIFY(r.err.contains("not a folder"));
  }

  void demo() {
    QTemporaryDir tmp;
    // The whole pipeline at a toy size: phantom, a short training, prediction, analysis. A fixed
    // number of epochs (not a time budget) gives the same model on a busy machine as on an idle one.
    // The simple preset: 80 epochs on a 48^3 realistic phantom (faint, partly filled cracks) leave
    // the toy model at Dice 0 (measured), so the learning check needs the easy phantom here; the
    // demo's default is the realistic preset.
    const Run r = cdnet({"demo", "--out", tmp.filePath("d"), "--size", "48", "--train-epochs", "80", "--preset", "simple"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("phantom"));
    QVERIFY(r.out.contains("particles"));
    const QString preview = tmp.filePath("d/phantom.png");
    QVERIFY(r.out.contains(preview));
    QVERIFY(pngSize(preview).width() > 0);
    QVERIFY(QFile::exists(tmp.filePath("d/phantom/image.nrrd")));
    QVERIFY(QFile::exists(tmp.filePath("d/phantom/truth.csv")));
    QVERIFY2(QFile::exists(tmp.filePath("d/model/best.pt")), qPrintable(r.out));
    QVERIFY(QFile::exists(tmp.filePath("d/prediction.nrrd")));
    // CDNet finds the cracks of slices it never saw, far better than a grey threshold (Otsu), which
    // takes the dark pores for cracks. Measured here: CDNet 0.50-0.63 after 80-160 epochs (0.58 at
    // 80, the same on every run), Otsu 0.09; a network that has not learned yet scores 0.
    const QRegularExpression pattern(
        QStringLiteral("Dice on (\\d+) unseen slices: CDNet (\\d\\.\\d+), Otsu threshold (\\d\\.\\d+)"));
    const QRegularExpressionMatch dice = pattern.match(r.out);
    QVERIFY2(dice.hasMatch(), qPrintable(r.out));
    const double cdnetDice = dice.captured(2).toDouble(), otsuDice = dice.captured(3).toDouble();
    qInfo("Dice on %s unseen slices: CDNet %.3f, Otsu %.3f", qPrintable(dice.captured(1)), cdnetDice, otsuDice);
    QVERIFY(dice.captured(1).toInt() > 0);
    QVERIFY2(cdnetDice > 0.3, qPrintable(r.out));
    QVERIFY2(cdnetDice > otsuDice + 0.15, qPrintable(r.out));
    // The particle table has a header and at least one particle row.
    QFile csv(tmp.filePath("d/particles.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    int rows = 0;
    for (const QByteArray& line : csv.readAll().split('\n'))
      if (!line.isEmpty() && !line.startsWith('#')) ++rows;
    QVERIFY2(rows >= 2, qPrintable(r.out));
  }
};

QTEST_APPLESS_MAIN(TestCliPhantom)
#include "test_cli_phantom.moc"
