// OME-Zarr: every compressor and voxel type round-trips (values, spacing, origin), the pyramid's
// levels have the NGFF sizes and scales and hold 2x block means of the level above, crop and
// downsampled reads match an independent reference, a missing chunk reads as the fill value, and
// bad input (a damaged chunk, a non-empty target, an unknown compressor, a missing level, a level
// whose shape does not match its scale, a level without .zarray) fails with a message naming the file.
#include "IoTestUtil.h"

#include "core/volume/Downsample.h"

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

class TestOmeZarr : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyCompressorAndTypeRoundTrips() {
    QTemporaryDir dir;
    int n = 0;
    for (const char* c : {"blosc", "blosc-zstd", "zstd", "zlib", "gzip", "none"})
      for (VoxelType t : {VoxelType::UInt8, VoxelType::UInt16, VoxelType::UInt32, VoxelType::Float32}) {
        const Volume v = makeVolume({37, 21, 13}, t, ++n);
        WriteOptions o;
        o.zarrCompressor = c;
        o.hdf5Chunk = {16, 8, 6};
        o.pyramidLevels = 1;
        const std::string path = dir.filePath(QString("v%1.zarr").arg(n)).toStdString();
        writeVolume(v, path, o);
        auto r = openVolume(path);
        QCOMPARE(QString::fromStdString(r->formatName()), QString("ome-zarr"));
        const Volume back = r->read();
        QVERIFY2(sameVoxels(back, v), c);
        QVERIFY(nearVec(back.spacing(), v.spacing()));
        QVERIFY(nearVec(back.origin(), v.origin()));
      }
  }

  void pyramidLevelsAreBlockMeans() {
    QTemporaryDir dir;
    const Volume v = makeVolume({70, 45, 33}, VoxelType::UInt16, 5);
    WriteOptions o;
    o.hdf5Chunk = {32, 16, 8};
    o.pyramidLevels = 3;
    const std::string path = dir.filePath("p.zarr").toStdString();
    // Streamed in slabs of 5 slices (not a multiple of the chunk depth).
    auto w = createWriter(path, v.info(), o);
    for (std::int64_t z = 0; z < v.size().z; z += 5) w->writeSlab(v.crop({{0, 0, z}, {70, 45, std::min<std::int64_t>(5, 33 - z)}}), z);
    w->finish();
    const std::vector<VolumeInfo> levels = resolutionLevels(path);
    QCOMPARE(levels.size(), std::size_t(3));
    QCOMPARE(levels[1].size, (Size3{35, 23, 17}));
    QCOMPARE(levels[2].size, (Size3{18, 12, 9}));
    QVERIFY(nearVec(levels[2].spacing, {0.65 * 4, 0.7 * 4, 1.25 * 4}));
    // Level 1's voxel centres sit half a voxel of level 0 further in.
    QVERIFY(nearVec(levels[1].origin, {10 + 0.65 / 2, -20 + 0.7 / 2, 3.5 + 1.25 / 2}));
    OpenOptions one;
    one.level = 1;
    const Volume l1 = openVolume(path, one)->read();
    QVERIFY(sameVoxels(l1, downsampleMean(v, 2)));
    one.level = 2;
    QVERIFY(sameVoxels(openVolume(path, one)->read(), downsampleMean(downsampleMean(v, 2), 2)));
    QVERIFY(sameVoxels(openVolume(path)->read(), v));
  }

  void cropAndDownsampledReadsMatchTheReference() {
    QTemporaryDir dir;
    const Volume v = makeVolume({50, 40, 30}, VoxelType::Float32, 9);
    WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    const std::string path = dir.filePath("c.zarr").toStdString();
    writeVolume(v, path, o);
    auto r = openVolume(path);
    const Region box{{7, 3, 5}, {30, 31, 20}};
    for (int d : {1, 2, 3})
      for (DownsampleMode m : {DownsampleMode::Mean, DownsampleMode::Nearest}) {
        ReadOptions ro;
        ro.crop = box;
        ro.downsample = d;
        ro.mode = m;
        QVERIFY(sameValues(r->read(ro), reference(v, box, d, m)));
      }
    QVERIFY(sameVoxels(r->readSlab(9, 17), v.crop({{0, 0, 9}, {50, 40, 8}})));
  }

  void aMissingChunkReadsAsFillValue() {
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 20, 8}, VoxelType::UInt8, 2);
    WriteOptions o;
    o.hdf5Chunk = {10, 10, 8};
    const std::string path = dir.filePath("m.zarr").toStdString();
    writeVolume(v, path, o);
    QVERIFY(fs::remove(fs::path(path) / "0" / "0" / "1" / "1"));
    const Volume back = openVolume(path)->read();
    QCOMPARE(back.valueAt(15, 15, 3), 0.0);
    QCOMPARE(back.valueAt(5, 5, 3), v.valueAt(5, 5, 3));
  }

  void badInputIsNamed() {
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 20, 8}, VoxelType::UInt16, 3);
    WriteOptions o;
    o.hdf5Chunk = {10, 10, 8};
    const std::string path = dir.filePath("b.zarr").toStdString();
    writeVolume(v, path, o);
    const std::string chunk = (fs::path(path) / "0" / "0" / "1" / "0").string();
    {
      std::ofstream f(chunk, std::ios::binary | std::ios::trunc);
      f << "not blosc data at all";
    }
    QVERIFY(throwsWith([&] { openVolume(path)->read(); }, {QString::fromStdString(chunk), "damaged"}));
    // The target exists and is not empty: refused, nothing touched.
    QVERIFY(throwsWith([&] { writeVolume(v, path, o); }, {QString::fromStdString(path), "not empty"}));
    QVERIFY(fs::exists(chunk));
    WriteOptions bad = o;
    bad.zarrCompressor = "lzma";
    QVERIFY(throwsWith([&] { writeVolume(v, dir.filePath("c.zarr").toStdString(), bad); }, {"c.zarr", "lzma"}));
    QVERIFY(!fs::exists(dir.filePath("c.zarr").toStdString()));
    // A level whose shape does not match its scale: 3 voxels across where twice the spacing of 20 says 10.
    const std::string sized = dir.filePath("s.zarr").toStdString();
    WriteOptions two = o;
    two.pyramidLevels = 2;
    writeVolume(v, sized, two);
    const std::string zarray = (fs::path(sized) / "1" / ".zarray").string();
    std::ifstream in(zarray);
    std::string meta((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    const auto at = meta.find("\"shape\"");
    QVERIFY(at != std::string::npos);
    const auto end = meta.find(']', at);
    meta = meta.substr(0, at) + "\"shape\": [4, 10, 3" + meta.substr(end);
    writeText(zarray, meta);
    OpenOptions l1;
    l1.level = 1;
    QVERIFY(throwsWith([&] { openVolume(sized, l1); }, {QString::fromStdString(sized), "level 1", "scale"}));
    QVERIFY(throwsWith([&] { resolutionLevels(sized); }, {QString::fromStdString(sized), "level 1", "scale"}));
    // A level without its .zarray: every way in names the level's folder.
    const std::string noArray = (fs::path(sized) / "1").string();
    fs::remove(fs::path(noArray) / ".zarray");
    QVERIFY(throwsWith([&] { resolutionLevels(sized); }, {QString::fromStdString(noArray), ".zarray"}));
    QVERIFY(throwsWith([&] { openVolume(sized, l1); }, {QString::fromStdString(noArray), ".zarray"}));
    OpenOptions level;
    level.level = 4;
    QVERIFY(throwsWith([&] { openVolume(path, level); }, {QString::fromStdString(path), "level 4"}));
    fs::remove(fs::path(path) / ".zattrs");
    fs::remove(fs::path(path) / ".zgroup");
    OpenOptions zarr;
    zarr.format = "ome-zarr";
    QVERIFY(throwsWith([&] { openVolume(path, zarr); }, {QString::fromStdString(path), ".zattrs"}));
  }

  void anUnfinishedWriterLeavesNothing() {
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 20, 8}, VoxelType::UInt16, 4);
    const std::string path = dir.filePath("u.zarr").toStdString();
    {
      auto w = createWriter(path, v.info());
      w->writeSlab(v.crop({{0, 0, 0}, {20, 20, 4}}), 0);
    }
    QVERIFY(!fs::exists(path));
    QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()), fs::directory_iterator()), 0);
  }
};

QTEST_APPLESS_MAIN(TestOmeZarr)
#include "test_ome_zarr.moc"
