// Bad input of issue 3, each with the message a user sees: missing path, empty file, truncated
// TIFF, slices of two sizes, a folder without images, sizes larger than memory (refused before
// allocating), .vol without .info, HDF5 without the dataset, NaN/Inf read as given, a 2D image
// where a stack is expected; and the writers' atomicity. The peak memory of a read is
// test_volume_read_memory (it needs a writable /proc/self/clear_refs).
#include "IoTestUtil.h"

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

// A minimal 8-bit TIFF with its directory before the data, as ImageJ and others write it.
std::vector<char> tiffIfdFirst(std::uint16_t w, std::uint16_t h) {
  std::vector<char> b = {'I', 'I', 42, 0};
  b.reserve(std::size_t(w) * h + 200);
  auto u16 = [&](std::uint16_t v) {
    b.push_back(char(v & 0xff));
    b.push_back(char(v >> 8));
  };
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(char((v >> (8 * i)) & 0xff));
  };
  auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t value) {
    u16(tag);
    u16(type);
    u32(1);
    if (type == 3) {
      u16(std::uint16_t(value));
      u16(0);
    } else {
      u32(value);
    }
  };
  u32(8);
  const std::uint16_t n = 9;
  const std::uint32_t data = 8 + 2 + n * 12 + 4;
  u16(n);
  entry(256, 3, w);
  entry(257, 3, h);
  entry(258, 3, 8);
  entry(259, 3, 1);
  entry(262, 3, 1);
  entry(273, 4, data);
  entry(277, 3, 1);
  entry(278, 3, h);
  entry(279, 4, std::uint32_t(w) * h);
  u32(0);
  for (std::uint32_t i = 0; i < std::uint32_t(w) * h; ++i) b.push_back(char(i % 251));
  return b;
}

} // namespace

class TestVolumeIoErrors : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void missingPath() {
    QVERIFY(throwsWith([] { openVolume("/nonexistent/cdnet/volume.tif"); }, {"'/nonexistent/cdnet/volume.tif'", "does not exist"}));
    QVERIFY(throwsWith([] { openVolume(""); }, {"no input path"}));
  }

  void emptyFile() {
    QTemporaryDir dir;
    for (const char* name : {"e.tif", "e.nrrd", "e.h5", "e.raw", "e.vol", "e.png", "e.mha", "noext"}) {
      const std::string path = dir.filePath(name).toStdString();
      writeText(path, "");
      QVERIFY2(throwsWith([&] { openVolume(path); }, {QString::fromStdString(path), "is empty"}), name);
    }
  }

  void truncatedTiff() {
    QTemporaryDir dir;
    // A multi-page TIFF cut short: its page list points past the end.
    const std::string stack = dir.filePath("t.tif").toStdString();
    writeVolume(makeVolume({64, 64, 10}, VoxelType::UInt16), stack);
    const auto full = fs::file_size(stack);
    fs::resize_file(stack, full * 6 / 10);
    QVERIFY(throwsWith([&] { openVolume(stack); }, {"file '" + QString::fromStdString(stack) + "' is truncated: expected",
                                                    QString("bytes, found %1").arg(full * 6 / 10)}));
    // A TIFF with its directory first and the data cut: the strip table is checked.
    const std::string first = dir.filePath("ifdfirst.tif").toStdString();
    auto bytes = tiffIfdFirst(20, 10);
    writeBytes(first, bytes.data(), bytes.size());
    QCOMPARE(openVolume(first)->read().valueAt(3, 2, 0), double((2 * 20 + 3) % 251)); // intact it reads
    writeBytes(first, bytes.data(), bytes.size() - 50);
    QVERIFY(throwsWith([&] { openVolume(first); },
                       {"is truncated: expected " + QString::number(bytes.size()) + " bytes, found " +
                        QString::number(bytes.size() - 50)}));
    // One truncated slice in a folder: the error names that slice.
    const std::string folder = dir.filePath("f").toStdString();
    writeVolume(makeVolume({32, 32, 5}, VoxelType::UInt8), folder);
    const std::string slice = folder + "/slice_0003.tif";
    QVERIFY(fs::exists(slice));
    fs::resize_file(slice, fs::file_size(slice) / 2);
    QVERIFY(throwsWith([&] { openVolume(folder); }, {"slice_0003.tif", "is truncated"}));
  }

  void slicesOfTwoSizes() {
    QTemporaryDir dir;
    const std::string folder = dir.filePath("mixed").toStdString();
    fs::create_directory(folder);
    // Natural order: s1, s2, s3, s10; s3 and s10 are 9 wide: the first offending is s3.
    writeVolume(makeVolume({8, 8, 1}, VoxelType::UInt8), folder + "/s1.tif");
    writeVolume(makeVolume({8, 8, 1}, VoxelType::UInt8), folder + "/s2.tif");
    writeVolume(makeVolume({9, 8, 1}, VoxelType::UInt8), folder + "/s3.tif");
    writeVolume(makeVolume({9, 8, 1}, VoxelType::UInt8), folder + "/s10.tif");
    QString msg;
    try {
      openVolume(folder);
    } catch (const std::exception& e) {
      msg = e.what();
    }
    QVERIFY2(msg.contains("s3.tif") && !msg.contains("s10.tif") && msg.contains("9x8x1 uint8") &&
                 msg.contains("s1.tif' is 8x8x1 uint8"),
             qPrintable(msg));
    // Same size, other type: also refused.
    const std::string typed = dir.filePath("typed").toStdString();
    fs::create_directory(typed);
    writeVolume(makeVolume({8, 8, 1}, VoxelType::UInt8), typed + "/a1.tif");
    writeVolume(makeVolume({8, 8, 1}, VoxelType::UInt16), typed + "/a2.tif");
    QVERIFY(throwsWith([&] { openVolume(typed); }, {"a2.tif", "uint16", "same size and type"}));
  }

  void folderWithoutImages() {
    QTemporaryDir dir;
    const std::string folder = dir.filePath("none").toStdString();
    fs::create_directory(folder);
    QVERIFY(throwsWith([&] { openVolume(folder); }, {"contains no TIFF or PNG images"}));
    writeText(folder + "/readme.txt", "x");
    fs::create_directory(folder + "/sub.tif");
    QVERIFY(throwsWith([&] { openVolume(folder); }, {QString::fromStdString(folder), "contains no TIFF or PNG images"}));
  }

  void largerThanMemoryRefusedBeforeAllocating() {
    QTemporaryDir dir;
    const Volume v = makeVolume({64, 64, 64}, VoxelType::UInt8); // 256 KiB
    const std::string raw = dir.filePath("big.raw").toStdString();
    writeBytes(raw, v.data(), v.bytes());
    const std::string nrrd = dir.filePath("big.nrrd").toStdString();
    writeVolume(v, nrrd);
    OpenOptions o;
    o.raw = RawParams{v.size(), VoxelType::UInt8, false, 0, {1, 1, 1}};
    setMemoryLimit(100 << 10);
    QVERIFY(throwsWith([&] { readVolume(raw, o); }, {"big.raw", "more than the memory limit"}));
    QVERIFY(throwsWith([&] { readVolume(nrrd); }, {"big.nrrd", "more than the memory limit"}));
    // A crop or a downsampled read that fits is allowed under the same limit.
    ReadOptions small;
    small.downsample = 2;
    QCOMPARE(openVolume(raw, o)->read(small).size(), (Size3{32, 32, 32}));
    setMemoryLimit(0);
    // Raw parameters or a header that claim more than the file holds: refused as truncated,
    // before anything is allocated, even when the claim exceeds all memory.
    o.raw->size = {100000, 100000, 100000};
    QVERIFY(throwsWith([&] { openVolume(raw, o); }, {"is truncated: expected 1000000000000000 bytes, found 262144"}));
    const std::string liar = dir.filePath("liar.nrrd").toStdString();
    writeText(liar, "NRRD0004\ntype: float\ndimension: 3\nsizes: 100000 100000 100000\nencoding: raw\n\nxxxx");
    QVERIFY(throwsWith([&] { openVolume(liar); }, {"liar.nrrd", "is truncated"}));
    // A size whose byte count overflows 64 bits.
    o.raw->size = {1ll << 40, 1ll << 40, 1ll << 10};
    QVERIFY(throwsWith([&] { openVolume(raw, o); }, {"overflow"}));
  }

  void volWithoutInfo() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("scan.vol").toStdString();
    const Volume v = makeVolume({8, 8, 8}, VoxelType::Float32);
    writeBytes(path, v.data(), v.bytes());
    QVERIFY(throwsWith([&] { openVolume(path); }, {"scan.vol", "has no", "scan.vol.info", "NUM_X"}));
    // With the parameters given by hand it reads.
    OpenOptions o;
    o.raw = RawParams{v.size(), VoxelType::Float32, false, 0, {1, 1, 1}};
    QVERIFY(sameVoxels(readVolume(path, o), v));
    // An .info that lacks a size is named.
    writeText(path + ".info", "NUM_Y = 8\nNUM_Z = 8\n");
    QVERIFY(throwsWith([&] { openVolume(path); }, {"scan.vol.info", "lacks NUM_X"}));
  }

  void hdf5WithoutDataset() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("other.h5").toStdString();
    WriteOptions w;
    w.hdf5Dataset = "/entry/volume";
    writeVolume(makeVolume({6, 5, 4}, VoxelType::UInt16), path, w);
    QVERIFY(throwsWith([&] { openVolume(path); }, {"other.h5", "has no dataset '/exchange/data'", "/entry/volume"}));
    OpenOptions o;
    o.hdf5Dataset = "/entry/volume";
    QCOMPARE(openVolume(path, o)->info().size, (Size3{6, 5, 4}));
    // Not HDF5 at all, though named so.
    const std::string fake = dir.filePath("fake.h5").toStdString();
    writeText(fake, "hello, not hdf5");
    QVERIFY(throwsWith([&] { openVolume(fake); }, {"fake.h5", "not a valid hdf5"}));
  }

  void nanAndInfReadAsGiven() {
    QTemporaryDir dir;
    Volume v = makeVolume({9, 7, 5}, VoxelType::Float32);
    v.setValueAt(5, 5, 2, std::numeric_limits<double>::quiet_NaN());
    v.setValueAt(2, 3, 4, std::numeric_limits<double>::infinity());
    v.setValueAt(0, 0, 0, -std::numeric_limits<double>::infinity());
    for (const char* name : {"n.tif", "n.nrrd", "n.h5", "n.mha", "n.nii", "nf"}) {
      const std::string path = dir.filePath(name).toStdString();
      writeVolume(v, path);
      Volume r = readVolume(path);
      QVERIFY2(sameVoxels(r, v), name);
      const ValueStats s = computeStats(r);
      QCOMPARE(s.nanCount, 1);
      QCOMPARE(s.infCount, 2);
      // Downsampling keeps them too (Mean propagates NaN and Inf, as given).
      ReadOptions ro;
      ro.downsample = 2;
      const ValueStats sd = computeStats(openVolume(path)->read(ro));
      QCOMPARE(sd.nanCount, 1); // the three are in different 2x2x2 blocks
      QCOMPARE(sd.infCount, 2);
    }
  }

  void twoDimensionalImageIsOneSlice() {
    QTemporaryDir dir;
    const Volume slice = makeVolume({31, 17, 1}, VoxelType::UInt16);
    const std::string tif = dir.filePath("one.tif").toStdString();
    writeVolume(slice, tif);
    auto r = openVolume(tif);
    QCOMPARE(r->info().size, (Size3{31, 17, 1}));
    QVERIFY(sameVoxels(r->readSlab(0, 1), slice));
    ReadOptions ro;
    ro.downsample = 4;
    QCOMPARE(r->read(ro).size(), (Size3{8, 5, 1}));
    QVERIFY(throwsWith([&] { r->readSlab(0, 2); }, {"not inside", "1 slices"}));
    QVERIFY(throwsWith(
        [&] {
          ReadOptions c;
          c.crop = Region{{0, 0, 0}, {5, 5, 3}};
          r->read(c);
        },
        {"crop", "not inside", "one.tif"}));
  }

  void unknownAndMismatchedFormats() {
    QTemporaryDir dir;
    const std::string txt = dir.filePath("x.xyz").toStdString();
    writeText(txt, "some text");
    QVERIFY(throwsWith([&] { openVolume(txt); }, {"cannot tell the format", "x.xyz"}));
    const std::string fakeTif = dir.filePath("fake.tif").toStdString();
    writeText(fakeTif, "not a tiff at all");
    QVERIFY(throwsWith([&] { openVolume(fakeTif); }, {"fake.tif", "not a valid tiff"}));
    const std::string raw = dir.filePath("x.raw").toStdString();
    writeText(raw, "12345678");
    QVERIFY(throwsWith([&] { openVolume(raw); }, {"x.raw", "needs its size"}));
    OpenOptions o;
    o.format = "jpeg2000";
    QVERIFY(throwsWith([&] { openVolume(raw, o); }, {"unknown volume format 'jpeg2000'"}));
  }

  void writersAreAtomic() {
    QTemporaryDir dir;
    const Volume good = makeVolume({10, 10, 4}, VoxelType::UInt8, 1);
    const Volume other = makeVolume({10, 10, 4}, VoxelType::UInt8, 2);
    for (const char* name : {"a.tif", "a.nrrd", "a.h5", "a.mha"}) {
      const std::string path = dir.filePath(name).toStdString();
      writeVolume(good, path);
      {
        // Interrupted: two of four slices, no finish(). The good file stays, no temporary is left.
        auto w = createWriter(path, other.info());
        w->writeSlab(other.crop({{0, 0, 0}, {10, 10, 2}}), 0);
        QVERIFY(throwsWith([&] { w->finish(); }, {"only 2 of 4 slices"}));
      }
      QVERIFY2(sameVoxels(readVolume(path), good), name);
      // Out of order and mismatched slabs are refused.
      auto w = createWriter(path, other.info());
      QVERIFY(throwsWith([&] { w->writeSlab(other.crop({{0, 0, 1}, {10, 10, 1}}), 1); }, {"expected slice 0"}));
      QVERIFY(throwsWith([&] { w->writeSlab(makeVolume({9, 10, 1}, VoxelType::UInt8), 0); }, {"does not match"}));
      w->writeSlab(other, 0);
      w->finish();
      QVERIFY2(sameVoxels(readVolume(path), other), name);
    }
    for (const auto& e : fs::directory_iterator(dir.path().toStdString()))
      QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());
    // A slice folder is never written over a folder that holds something.
    const std::string folder = dir.filePath("keep").toStdString();
    fs::create_directory(folder);
    writeText(folder + "/precious.txt", "data");
    QVERIFY(throwsWith([&] { writeVolume(good, folder); }, {"keep", "not empty"}));
    QVERIFY(fs::exists(folder + "/precious.txt"));
    QVERIFY(throwsWith([&] { writeVolume(good, dir.filePath("nofolder/x.tif").toStdString()); }, {"does not exist"}));
  }
};

QTEST_APPLESS_MAIN(TestVolumeIoErrors)
#include "test_volume_io_errors.moc"
