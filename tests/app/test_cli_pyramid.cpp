// `cdnet pyramid` and the pyramid options of `cdnet convert` (issue 16) end to end: a phantom
// becomes an OME-Zarr and an HDF5 pyramid whose levels are the 2x block means of the input,
// `cdnet info` lists them, --levels 0 on a tiny volume gives one level, and bad input (a missing
// input, an output that exists and is not empty, an unknown compressor, an output that holds no
// pyramid; an input pyramid with a level of the wrong size, a level without .zarray, a damaged
// chunk) fails with one line naming the file, leaving what exists untouched and no partial output.
#include "support/RunCdnet.h"

#include "core/volume/Downsample.h"
#include "core/volume/io/VolumeIO.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace core::volume;
using testsupport::failsWith;
using testsupport::runCdnet;

namespace {
QByteArray bytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
bool same(const Volume& a, const Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.info().bytes()) == 0;
}
Volume level(const QString& path, int k) {
  OpenOptions o;
  o.level = k;
  return openVolume(path.toStdString(), o)->read();
}
} // namespace

class TestCliPyramid : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_input, m_tiny;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    auto r = runCdnet({"phantom", "--out", m_dir.filePath("ph"), "--size", "80,72,44", "--seed", "4"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    m_input = m_dir.filePath("ph/image.nrrd");
    QVERIFY(QFile::exists(m_input));
    r = runCdnet({"phantom", "--out", m_dir.filePath("tiny"), "--size", "24", "--seed", "5"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    m_tiny = m_dir.filePath("tiny/image.nrrd");
  }

  void pyramidWritesBlockMeansThatInfoLists() {
    const Volume in = readVolume(m_input.toStdString());
    for (const char* name : {"p.zarr", "p.h5"}) {
      const QString out = m_dir.filePath(name);
      const auto r = runCdnet({"pyramid", m_input, out, "--levels", "3", "--chunk", "32,32,16", "--compressor", "zstd"});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      QVERIFY2(r.out.contains("level 2  20 x 18 x 11 voxels") && r.out.contains("3 levels") &&
                   r.out.contains("memory bound"),
               qPrintable(r.out));
      QVERIFY(same(level(out, 0), in));
      QVERIFY(same(level(out, 1), downsampleMean(in, 2)));
      QVERIFY(same(level(out, 2), downsampleMean(downsampleMean(in, 2), 2)));
      const auto info = runCdnet({"info", out, "--no-stats"});
      QVERIFY2(info.code == 0, qPrintable(info.err));
      QVERIFY2(info.out.contains("levels   3") && info.out.contains("level 1  40 x 36 x 22 voxels") &&
                   info.out.contains("level 2  20 x 18 x 11 voxels"),
               qPrintable(info.out));
    }
  }

  void convertWritesPyramidsOnRequest() {
    const QString h5 = m_dir.filePath("c.h5"), plain = m_dir.filePath("plain.h5"), zarr = m_dir.filePath("c.zarr");
    auto r = runCdnet({"convert", m_input, h5, "--levels", "2", "--compressor", "zlib", "--chunk", "16,16,8"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(resolutionLevels(h5.toStdString()).size(), std::size_t(2));
    QVERIFY(same(level(h5, 1), downsampleMean(readVolume(m_input.toStdString()), 2)));
    r = runCdnet({"convert", m_input, plain}); // a plain .h5 stays one dataset
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(resolutionLevels(plain.toStdString()).size(), std::size_t(1));
    QVERIFY(!runCdnet({"info", plain, "--no-stats"}).out.contains("levels"));
    r = runCdnet({"convert", m_input, zarr, "--out-format", "ome-zarr", "--levels", "2", "--compressor", "gzip"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(resolutionLevels(zarr.toStdString()).size(), std::size_t(2));
    const auto help = runCdnet({"convert", "--help"});
    QVERIFY(help.out.contains("ome-zarr") && help.out.contains(".zarr") && help.out.contains("--compressor"));
  }

  void levelsZeroOnATinyVolumeGivesOneLevel() {
    for (const char* name : {"t.zarr", "t.h5"}) {
      const QString out = m_dir.filePath(name);
      const auto r = runCdnet({"pyramid", m_tiny, out, "--levels", "0"});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      QVERIFY2(r.out.contains("1 levels"), qPrintable(r.out));
      QCOMPARE(resolutionLevels(out.toStdString()).size(), std::size_t(1));
      QVERIFY(same(level(out, 0), readVolume(m_tiny.toStdString())));
    }
  }

  void badInputFailsNamingTheFile() {
    const QString missing = m_dir.filePath("missing.nrrd");
    QVERIFY(failsWith(runCdnet({"pyramid", missing, m_dir.filePath("m.zarr")}), {missing, "does not exist"}));
    QVERIFY(!QFile::exists(m_dir.filePath("m.zarr")));
    // Outputs that exist and are not empty: refused, untouched.
    const QString h5 = m_dir.filePath("taken.h5");
    {
      QFile f(h5);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("keep me");
    }
    QVERIFY(failsWith(runCdnet({"pyramid", m_tiny, h5}), {h5, "not empty"}));
    QCOMPARE(bytes(h5), QByteArray("keep me"));
    const QString folder = m_dir.filePath("taken.zarr");
    QVERIFY(QDir().mkpath(folder));
    {
      QFile f(folder + "/note.txt");
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("mine");
    }
    QVERIFY(failsWith(runCdnet({"pyramid", m_tiny, folder}), {folder, "not empty"}));
    QCOMPARE(bytes(folder + "/note.txt"), QByteArray("mine"));
    for (const char* name : {"u.zarr", "u.h5"}) {
      const QString out = m_dir.filePath(name);
      QVERIFY(failsWith(runCdnet({"pyramid", m_tiny, out, "--compressor", "lzma"}), {out, "lzma"}));
      QVERIFY(!QFile::exists(out));
    }
    const QString nrrd = m_dir.filePath("n.nrrd");
    QVERIFY(failsWith(runCdnet({"pyramid", m_tiny, nrrd}), {nrrd, ".zarr", ".h5"}));
    QVERIFY(!QFile::exists(nrrd));
  }

  void damagedPyramidInputFailsNamingTheFileAndLeavesNoPartialOutput() {
    QTemporaryDir dir;
    auto make = [&](const QString& name) {
      const QString out = dir.filePath(name);
      const auto r = runCdnet({"pyramid", m_input, out, "--levels", "2", "--chunk", "32,32,16"});
      return r.code == 0 ? out : QString();
    };
    auto replaceShape = [](const QString& zarray, const QByteArray& shape) {
      QByteArray meta = bytes(zarray);
      const int at = meta.indexOf("\"shape\""), end = meta.indexOf(']', at);
      if (at < 0 || end < 0) return false;
      meta = meta.left(at) + "\"shape\": " + shape + meta.mid(end + 1);
      QFile f(zarray);
      return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(meta) == meta.size();
    };
    // A level of the wrong size: 5 voxels across where half of level 0's 80 is 40.
    const QString sized = make("sized.zarr");
    QVERIFY(!sized.isEmpty());
    QVERIFY(replaceShape(sized + "/1/.zarray", "[22, 36, 5]"));
    QVERIFY(failsWith(runCdnet({"info", sized}), {sized, "level 1", "scale"}));
    // A level without its .zarray, level 0 or a coarser one.
    for (const char* lvl : {"0", "1"}) {
      const QString bare = make(QString("bare%1.zarr").arg(lvl));
      QVERIFY(!bare.isEmpty());
      QVERIFY(QFile::remove(bare + "/" + lvl + "/.zarray"));
      QVERIFY(failsWith(runCdnet({"info", bare}), {bare + "/" + lvl, ".zarray"}));
    }
    const QString out0 = dir.filePath("from-bare.zarr");
    QVERIFY(failsWith(runCdnet({"pyramid", dir.filePath("bare0.zarr"), out0}), {dir.filePath("bare0.zarr/0"), ".zarray"}));
    QVERIFY(!QFile::exists(out0));
    // A damaged chunk in the last layer of the input: layers were written before the error, and
    // neither the output nor a temporary of it remains.
    const QString damaged = make("damaged.zarr");
    QVERIFY(!damaged.isEmpty());
    const QString chunk = damaged + "/0/2/0/0"; // z 32..43
    QVERIFY(QFile::exists(chunk));
    {
      QFile f(chunk);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write("no blosc here");
    }
    const QStringList before = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const char* name : {"out.zarr", "out.h5"}) {
      const QString out = dir.filePath(name);
      QVERIFY(failsWith(runCdnet({"pyramid", damaged, out, "--chunk", "32,32,16"}), {chunk, "damaged"}));
      QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    }
  }
};

QTEST_GUILESS_MAIN(TestCliPyramid)
#include "test_cli_pyramid.moc"
