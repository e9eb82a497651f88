// The built `cdnet` binary: info (text and JSON, NaN/Inf counts), convert (crop, downsampling,
// type, raw parameters, formats), bench io (tiny run), and the exit code and one-line message of
// every bad input of issue 3.
#include "core/volume/IoTestUtil.h"
#include "support/RunCdnet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <filesystem>
#include <limits>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

using Result = testsupport::CdnetResult;
using testsupport::failsWith;

Result cdnet(const QStringList& args, const std::map<QString, QString>& env = {}) { return testsupport::runCdnet(args, env); }

QString s(const std::string& p) { return QString::fromStdString(p); }

} // namespace

class TestCliIo : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first"); }

  void infoJsonReportsEverything() {
    QTemporaryDir dir;
    Volume v = makeVolume({21, 17, 9}, VoxelType::Float32, 4, {0.5, 0.5, 0.75}, {1, 2, 3});
    v.setValueAt(3, 3, 3, std::numeric_limits<double>::quiet_NaN());
    v.setValueAt(4, 4, 4, std::numeric_limits<double>::infinity());
    v.setValueAt(5, 5, 5, -std::numeric_limits<double>::infinity());
    const std::string path = dir.filePath("v.tif").toStdString();
    writeVolume(v, path);
    const ValueStats st = computeStats(v);
    const Result r = cdnet({"info", s(path), "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["format"].toString(), QString("tiff"));
    QCOMPARE(j["type"].toString(), QString("float32"));
    QCOMPARE(j["size"].toArray()[0].toInt(), 21);
    QCOMPARE(j["size"].toArray()[2].toInt(), 9);
    QVERIFY(near(j["spacing"].toArray()[2].toDouble(), 0.75));
    QVERIFY(near(j["origin"].toArray()[1].toDouble(), 2));
    QCOMPARE(j["bytes"].toInteger(), qint64(21 * 17 * 9 * 4));
    const QJsonObject stats = j["stats"].toObject();
    QCOMPARE(stats["nan"].toInt(), 1);
    QCOMPARE(stats["inf"].toInt(), 2);
    QCOMPARE(stats["finite"].toInteger(), qint64(st.finiteCount));
    QCOMPARE(stats["min"].toDouble(), st.min);
    QCOMPARE(stats["max"].toDouble(), st.max);
    QVERIFY(near(stats["mean"].toDouble(), st.mean, 1e-9));
    QVERIFY(near(stats["stddev"].toDouble(), st.stddev, 1e-6));
    // Text output says the same.
    const Result t = cdnet({"info", s(path)});
    QCOMPARE(t.code, 0);
    QVERIFY(t.out.contains("NaN      1"));
    QVERIFY(t.out.contains("Inf      2"));
    QVERIFY(t.out.contains("21 x 17 x 9 voxels"));
  }

  void infoOfRawWithCropAndDownsample() {
    QTemporaryDir dir;
    const Volume v = makeVolume({30, 20, 10}, VoxelType::UInt16);
    const std::string path = dir.filePath("v.raw").toStdString();
    std::vector<char> bytes(10, 'x');
    const auto data = rawBytes(v, true);
    bytes.insert(bytes.end(), data.begin(), data.end());
    writeBytes(path, bytes.data(), bytes.size());
    const Result r = cdnet({"info", s(path), "--json", "--raw-size", "30,20,10", "--raw-type", "uint16", "--big-endian",
                            "--header-offset", "10", "--spacing", "0.5", "--crop", "2,2,2,20,12,0", "--downsample", "2"});
    QCOMPARE(r.code, 0);
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["format"].toString(), QString("raw"));
    QCOMPARE(j["read"].toObject()["size"].toArray()[0].toInt(), 10);
    QCOMPARE(j["read"].toObject()["size"].toArray()[2].toInt(), 4);
    QVERIFY(near(j["read"].toObject()["spacing"].toArray()[0].toDouble(), 1.0));
    const ValueStats st = computeStats(reference(v, {{2, 2, 2}, {20, 12, 8}}, 2, DownsampleMode::Mean));
    QCOMPARE(j["stats"].toObject()["max"].toDouble(), st.max);
    QCOMPARE(j["stats"].toObject()["min"].toDouble(), st.min);
  }

  void convertCropDownsampleType() {
    QTemporaryDir dir;
    const Volume v = makeVolume({33, 25, 14}, VoxelType::Float32, 2);
    const std::string in = dir.filePath("in.nrrd").toStdString();
    writeVolume(v, in);
    const Region crop{{2, 3, 1}, {20, 15, 11}};
    Volume expect = reference(v, crop, 2, DownsampleMode::Mean).convertTo(VoxelType::UInt8);
    for (const char* out : {"out.tif", "outdir", "out.nii.gz"}) {
      const std::string path = dir.filePath(out).toStdString();
      const Result r = cdnet({"convert", s(in), s(path), "--crop", "2,3,1,20,15,11", "--downsample", "2", "--type", "uint8"});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      QVERIFY(r.out.contains("wrote"));
      Volume got = readVolume(path);
      QVERIFY2(sameVoxels(got, expect), out);
      QVERIFY(near(got.spacing().x, v.spacing().x * 2));
      QVERIFY(near(got.origin().x, v.origin().x + 2 * v.spacing().x));
    }
    // Nearest downsampling of a label-like volume keeps exact values.
    const std::string lab = dir.filePath("lab.h5").toStdString();
    QCOMPARE(cdnet({"convert", s(in), s(lab), "--downsample", "3", "--downsample-mode", "nearest", "--compress"}).code, 0);
    QVERIFY(sameVoxels(readVolume(lab), reference(v, Region::whole(v.size()), 3, DownsampleMode::Nearest)));
  }

  void badInputsGiveOneLine() {
    QTemporaryDir dir;
    const std::string missing = dir.filePath("nothing.tif").toStdString();
    QVERIFY(failsWith(cdnet({"info", s(missing)}), {"nothing.tif", "does not exist"}));

    const std::string empty = dir.filePath("empty.nrrd").toStdString();
    writeText(empty, "");
    QVERIFY(failsWith(cdnet({"info", s(empty)}), {"empty.nrrd", "is empty"}));

    const std::string trunc = dir.filePath("t.tif").toStdString();
    writeVolume(makeVolume({40, 40, 6}, VoxelType::UInt8), trunc);
    fs::resize_file(trunc, fs::file_size(trunc) / 2);
    QVERIFY(failsWith(cdnet({"info", s(trunc)}), {"t.tif", "is truncated: expected"}));

    const std::string mixed = dir.filePath("mixed").toStdString();
    fs::create_directory(mixed);
    writeVolume(makeVolume({8, 8, 1}, VoxelType::UInt8), mixed + "/z1.tif");
    writeVolume(makeVolume({8, 9, 1}, VoxelType::UInt8), mixed + "/z2.tif");
    QVERIFY(failsWith(cdnet({"convert", s(mixed), dir.filePath("m.nrrd")}), {"z2.tif", "same size"}));
    QVERIFY(!fs::exists(dir.filePath("m.nrrd").toStdString()));

    const std::string none = dir.filePath("none").toStdString();
    fs::create_directory(none);
    QVERIFY(failsWith(cdnet({"info", s(none)}), {"contains no TIFF or PNG images"}));

    // A volume larger than the memory this process may use: refused, nothing allocated.
    const std::string big = dir.filePath("big.nrrd").toStdString();
    writeVolume(makeVolume({64, 64, 32}, VoxelType::UInt16), big);
    QVERIFY(failsWith(cdnet({"convert", s(big), dir.filePath("b.tif")}, {{"CDNET_MEMORY_LIMIT", "10000"}}),
                      {"big.nrrd", "more than CDNET_MEMORY_LIMIT"}));
    QVERIFY(failsWith(cdnet({"info", s(big), "--raw-size", "5,5"}), {"--raw-size needs three"}));

    const std::string vol = dir.filePath("scan.vol").toStdString();
    writeText(vol, std::string(4096, '\0'));
    QVERIFY(failsWith(cdnet({"info", s(vol)}), {"scan.vol.info"}));

    const std::string h5 = dir.filePath("x.h5").toStdString();
    WriteOptions w;
    w.hdf5Dataset = "/entry/data";
    writeVolume(makeVolume({4, 4, 4}, VoxelType::UInt8), h5, w);
    QVERIFY(failsWith(cdnet({"info", s(h5)}), {"x.h5", "no dataset '/exchange/data'", "/entry/data"}));
    QCOMPARE(cdnet({"info", s(h5), "--dataset", "/entry/data"}).code, 0);

    QVERIFY(failsWith(cdnet({"convert", s(big), dir.filePath("x.jpg")}), {"cannot tell the output format"}));

    // Converting into a folder that holds something is refused and the folder is untouched.
    const std::string keep = dir.filePath("keep").toStdString();
    fs::create_directory(keep);
    writeText(keep + "/mine.txt", "x");
    QVERIFY(failsWith(cdnet({"convert", s(big), s(keep)}), {"not empty"}));
    QVERIFY(fs::exists(keep + "/mine.txt"));
    QCOMPARE(std::distance(fs::directory_iterator(keep), fs::directory_iterator()), 1);
  }

  void twoDimensionalImage() {
    QTemporaryDir dir;
    const std::string png = dir.filePath("one.tif").toStdString();
    writeVolume(makeVolume({12, 7, 1}, VoxelType::UInt8), png);
    const Result r = cdnet({"info", s(png), "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["size"].toArray()[2].toInt(), 1);
  }

  void benchIoRunsAndCleansUp() {
    QTemporaryDir dir;
    const Result r = cdnet({"bench", "io", "--size-gib", "0.004", "--runs", "1", "--dir", dir.path()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("TIFF slice folder"));
    QVERIFY(r.out.contains("raw file"));
    QVERIFY(r.out.contains("ratio"));
    QVERIFY(r.out.contains("page cache: COLD") || r.out.contains("page cache: WARM")); // it says which
    QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()), fs::directory_iterator()), 0);
  }
};

QTEST_GUILESS_MAIN(TestCliIo)
#include "test_cli_io.moc"
