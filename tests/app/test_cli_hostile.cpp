// The reproductions of issue 20 for the readers, through the built `cdnet` as a user runs it: a
// crop corner that overflowed the bounds check (exit 0 and the wrong voxels), a MetaImage whose
// voxels are shorter than its header says (zeros filled in, exit 0), and NDims = -1, on which
// `cdnet info` spun forever inside ITK. Each must end within seconds with exit 1 and one line
// naming the file and the problem, and write nothing.
#include "core/volume/IoTestUtil.h"
#include "support/RunCdnet.h"

#include <QTemporaryDir>
#include <filesystem>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

using testsupport::failsWith;

// Runs cdnet with a time limit (a hang is a failure, not a stuck test: exit code -1).
testsupport::CdnetResult cdnet(const QStringList& args, int seconds = 60) {
  return testsupport::runCdnet(args, {}, seconds * 1000);
}

QString s(const std::string& p) { return QString::fromStdString(p); }

} // namespace

class TestCliHostile : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first"); }

  void cropCornerThatOverflowsIsRefused() {
    QTemporaryDir dir;
    const std::string in = dir.filePath("v.mha").toStdString(), out = dir.filePath("c.nrrd").toStdString();
    writeVolume(makeVolume({32, 32, 32}, VoxelType::UInt16, 1), in);
    for (const char* crop : {"9223372036854775807,0,0,10,10,2", "0,9223372036854775800,0,10,10,2",
                             "0,0,1,10,10,9223372036854775807"}) {
      QVERIFY2(failsWith(cdnet({"convert", s(in), s(out), "--crop", crop}), {"not inside", "v.mha"}), crop);
      QVERIFY(!fs::exists(out));
      QVERIFY(failsWith(cdnet({"info", s(in), "--crop", crop}), {"not inside"}));
    }
  }

  void shortMetaImageIsAnError() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("short.mha").toStdString();
    writeVolume(makeVolume({32, 32, 32}, VoxelType::UInt16, 2), path);
    const auto size = fs::file_size(path);
    fs::resize_file(path, 30000);
    QVERIFY(failsWith(cdnet({"info", s(path)}),
                      {"short.mha", "truncated", "expected " + QString::number(size), "found 30000"}));
    QVERIFY(failsWith(cdnet({"convert", s(path), s(dir.filePath("o.nrrd").toStdString())}), {"short.mha", "truncated"}));
    QVERIFY(!fs::exists(dir.filePath("o.nrrd").toStdString()));
  }

  void negativeNDimsDoesNotHang() {
    QTemporaryDir dir;
    const std::string good = dir.filePath("good.mha").toStdString();
    writeVolume(makeVolume({8, 8, 8}, VoxelType::UInt8, 3), good);
    std::ifstream in(good, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* n : {"-1", "-3", "0", "99999999999"}) {
      std::string bad = text;
      bad.replace(bad.find("NDims = 3"), 9, std::string("NDims = ") + n);
      const std::string path = dir.filePath("nd.mha").toStdString();
      writeText(path, bad);
      QVERIFY2(failsWith(cdnet({"info", s(path)}, 30), {"nd.mha", "NDims"}), n);
    }
  }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "test_cli_hostile.moc"
