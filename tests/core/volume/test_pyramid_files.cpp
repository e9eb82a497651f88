// HDF5 pyramids (issue 16): the levels written into an HDF5 file hold 2x block means of the level
// above (streamed in slabs that do not line up with the chunks), carry the NGFF-like spacing and
// origin, read back through OpenOptions::level and resolutionLevels(), and equal the OME-Zarr
// pyramid written with the same options; a plain .h5 write stays one dataset; a missing level or
// a level of the wrong size fails naming the file.
#include "IoTestUtil.h"

#include "core/volume/Downsample.h"

#include <QTemporaryDir>
#include <filesystem>
#include <hdf5.h>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {
void writeInSlabs(const Volume& v, const std::string& path, const WriteOptions& o, std::int64_t step) {
  auto w = createWriter(path, v.info(), o);
  for (std::int64_t z = 0; z < v.size().z; z += step)
    w->writeSlab(v.crop({{0, 0, z}, {v.size().x, v.size().y, std::min(step, v.size().z - z)}}), z);
  w->finish();
}
Volume readLevel(const std::string& path, int level, const std::string& dataset = "/exchange/data") {
  OpenOptions o;
  o.level = level;
  o.hdf5Dataset = dataset;
  return openVolume(path, o)->read();
}
} // namespace

class TestPyramidFiles : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void hdf5LevelsAreBlockMeansOfLevelZero() {
    QTemporaryDir dir;
    for (VoxelType t : {VoxelType::UInt16, VoxelType::Float32})
      for (bool compress : {false, true}) {
        const Volume v = makeVolume({70, 45, 33}, t, compress ? 5 : 6);
        WriteOptions o;
        o.hdf5Chunk = {32, 16, 8};
        o.pyramidLevels = 3;
        o.compress = compress;
        const std::string path = dir.filePath(QString("p%1%2.h5").arg(int(t)).arg(compress)).toStdString();
        writeInSlabs(v, path, o, 5); // 5 slices: not a multiple of the chunk depth
        const std::vector<VolumeInfo> levels = resolutionLevels(path);
        QCOMPARE(levels.size(), std::size_t(3));
        QCOMPARE(levels[0].size, v.size());
        QCOMPARE(levels[1].size, (Size3{35, 23, 17}));
        QCOMPARE(levels[2].size, (Size3{18, 12, 9}));
        QVERIFY(nearVec(levels[2].spacing, {0.65 * 4, 0.7 * 4, 1.25 * 4}));
        QVERIFY(nearVec(levels[1].origin, {10 + 0.65 / 2, -20 + 0.7 / 2, 3.5 + 1.25 / 2}));
        QVERIFY(sameVoxels(readLevel(path, 0), v));
        const Volume l1 = readLevel(path, 1);
        QVERIFY(sameVoxels(l1, downsampleMean(v, 2)));
        QVERIFY(nearVec(l1.spacing(), levels[1].spacing));
        QVERIFY(nearVec(l1.origin(), levels[1].origin));
        QVERIFY(sameVoxels(readLevel(path, 2), downsampleMean(downsampleMean(v, 2), 2)));
      }
  }

  void hdf5AndOmeZarrPyramidsAreEqual() {
    QTemporaryDir dir;
    const Volume v = makeVolume({41, 30, 27}, VoxelType::UInt8, 7);
    WriteOptions o;
    o.hdf5Chunk = {16, 16, 6};
    o.pyramidLevels = 3;
    const std::string h5 = dir.filePath("e.h5").toStdString(), zarr = dir.filePath("e.zarr").toStdString();
    writeInSlabs(v, h5, o, 7);
    writeInSlabs(v, zarr, o, 4);
    const auto a = resolutionLevels(h5), b = resolutionLevels(zarr);
    QCOMPARE(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      QCOMPARE(a[k].size, b[k].size);
      QVERIFY(nearVec(a[k].spacing, b[k].spacing));
      QVERIFY(nearVec(a[k].origin, b[k].origin));
      QVERIFY(sameVoxels(readLevel(h5, int(k)), readLevel(zarr, int(k))));
    }
  }

  void autoLevelsOnAnyDatasetPath() {
    QTemporaryDir dir;
    const Volume v = makeVolume({600, 9, 5}, VoxelType::UInt16, 8);
    WriteOptions o;
    o.pyramidLevels = WriteOptions::kAutoLevels; // 600 -> 300 -> 150: three levels
    o.hdf5Dataset = "/scan/volume";
    const std::string path = dir.filePath("a.h5").toStdString();
    writeVolume(v, path, o);
    OpenOptions open;
    open.hdf5Dataset = "/scan/volume";
    const auto levels = resolutionLevels(path, open);
    QCOMPARE(levels.size(), std::size_t(3));
    QCOMPARE(levels[2].size, (Size3{150, 3, 2}));
    QVERIFY(sameVoxels(readLevel(path, 1, "/scan/volume"), downsampleMean(v, 2)));
  }

  void plainHdf5WriteIsOneDatasetAndMissingLevelsAreNamed() {
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 20, 8}, VoxelType::UInt16, 3);
    const std::string path = dir.filePath("one.h5").toStdString();
    writeVolume(v, path); // default options: today's single dataset
    QCOMPARE(resolutionLevels(path).size(), std::size_t(1));
    QVERIFY(throwsWith([&] { readLevel(path, 1); }, {QString::fromStdString(path), "level 1", "1 resolution level"}));
    WriteOptions o;
    o.pyramidLevels = 2;
    const std::string two = dir.filePath("two.h5").toStdString();
    writeVolume(v, two, o);
    QVERIFY(throwsWith([&] { readLevel(two, 2); }, {QString::fromStdString(two), "level 2", "2 resolution levels"}));
    QVERIFY(throwsWith([&] { readLevel(two, -1); }, {QString::fromStdString(two), "level -1"}));
  }

  void aLevelOfTheWrongSizeIsNamed() {
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 18, 8}, VoxelType::UInt16, 4);
    WriteOptions o;
    o.pyramidLevels = 3;
    const std::string path = dir.filePath("w.h5").toStdString();
    writeVolume(v, path, o);
    { // level 1 replaced by a 3 x 3 x 3 dataset (h5py users may write such files by hand)
      const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      QVERIFY(f >= 0);
      QVERIFY(H5Ldelete(f, "/exchange/data_levels/1", H5P_DEFAULT) >= 0);
      const hsize_t dims[3] = {3, 3, 3};
      const hid_t space = H5Screate_simple(3, dims, nullptr);
      const hid_t set = H5Dcreate2(f, "/exchange/data_levels/1", H5T_NATIVE_UINT16, space, H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT);
      QVERIFY(set >= 0);
      const std::uint16_t zeros[27] = {};
      QVERIFY(H5Dwrite(set, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros) >= 0);
      H5Dclose(set);
      H5Sclose(space);
      H5Fclose(f);
    }
    const QString p = QString::fromStdString(path);
    QVERIFY(throwsWith([&] { resolutionLevels(path); }, {p, "damaged", "level 1", "3x3x3", "expected 10x9x4"}));
    QVERIFY(throwsWith([&] { readLevel(path, 2); }, {p, "damaged", "level 1"}));
    QVERIFY(sameVoxels(readLevel(path, 0), v)); // full resolution still reads
  }
};

QTEST_APPLESS_MAIN(TestPyramidFiles)
#include "test_pyramid_files.moc"
