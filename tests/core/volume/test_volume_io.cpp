// Volume readers and writers: round trips of every format (values, size, type, spacing, origin),
// slab reads, crop + downsampling while reading against an independent reference, natural sort,
// and files written the way other software writes them (tiles, strips, PNG, raw, .vol, HDF5).
#include "IoTestUtil.h"

#include <QTemporaryDir>
#include <filesystem>
#include <hdf5.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <tiffio.h>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

struct Case {
  const char* format;
  const char* name;
  WriteOptions opts;
};

std::vector<Case> writerCases() {
  std::vector<Case> c;
  auto add = [&](const char* f, const char* name, bool compress = false, std::optional<bool> big = {}) {
    WriteOptions o;
    o.format = f;
    o.compress = compress;
    o.bigTiff = big;
    o.hdf5Chunk = {16, 8, 8};
    c.push_back({f, name, o});
  };
  add("tiff-folder", "slices");
  add("tiff-folder", "slices_deflate", true);
  add("tiff", "stack.tif");
  add("tiff", "stack_deflate.tif", true);
  add("tiff", "big.tif", false, true);
  add("nrrd", "v.nrrd");
  add("nrrd", "vgz.nrrd", true);
  add("hdf5", "v.h5");
  add("hdf5", "vz.h5", true);
  add("mha", "v.mha");
  add("nifti", "v.nii");
  add("nifti", "v.nii.gz");
  return c;
}

// Writes \p v with libtiff the way other programs do: given strip height or tiles, LZW or none.
void writeWithLibtiff(const std::string& path, const Volume& v, int rowsPerStrip, int tile, bool lzw) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  QVERIFY(tif);
  const std::size_t vs = voxelSize(v.type());
  for (std::int64_t z = 0; z < v.size().z; ++z) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, std::uint32_t(v.size().x));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, std::uint32_t(v.size().y));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, std::uint16_t(vs * 8));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, std::uint16_t(1));
    TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, std::uint16_t(v.type() == VoxelType::Float32 ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT));
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, std::uint16_t(PHOTOMETRIC_MINISBLACK));
    TIFFSetField(tif, TIFFTAG_COMPRESSION, std::uint16_t(lzw ? COMPRESSION_LZW : COMPRESSION_NONE));
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, std::uint16_t(RESUNIT_CENTIMETER));
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 1e4 / v.spacing().x);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 1e4 / v.spacing().y);
    std::vector<std::uint8_t> slice(v.slicePtr(z), v.slicePtr(z) + v.info().sliceBytes());
    if (tile > 0) {
      TIFFSetField(tif, TIFFTAG_TILEWIDTH, std::uint32_t(tile));
      TIFFSetField(tif, TIFFTAG_TILELENGTH, std::uint32_t(tile));
      std::vector<std::uint8_t> t(std::size_t(tile * tile) * vs);
      for (std::int64_t ty = 0; ty < v.size().y; ty += tile)
        for (std::int64_t tx = 0; tx < v.size().x; tx += tile) {
          std::fill(t.begin(), t.end(), 0);
          for (std::int64_t y = ty; y < std::min<std::int64_t>(ty + tile, v.size().y); ++y)
            for (std::int64_t x = tx; x < std::min<std::int64_t>(tx + tile, v.size().x); ++x)
              std::memcpy(&t[std::size_t((y - ty) * tile + (x - tx)) * vs], &slice[std::size_t(y * v.size().x + x) * vs], vs);
          QVERIFY(TIFFWriteTile(tif, t.data(), std::uint32_t(tx), std::uint32_t(ty), 0, 0) >= 0);
        }
    } else {
      TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, std::uint32_t(rowsPerStrip));
      for (std::int64_t y = 0; y < v.size().y; ++y)
        QVERIFY(TIFFWriteScanline(tif, &slice[std::size_t(y * v.size().x) * vs], std::uint32_t(y), 0) >= 0);
    }
    TIFFWriteDirectory(tif);
  }
  TIFFClose(tif);
}

// Every read path of one reader against the in-memory original.
void checkReader(const std::string& path, const Volume& original, const OpenOptions& open = {}) {
  auto r = openVolume(path, open);
  QCOMPARE(r->info().size, original.size());
  QCOMPARE(r->info().type, original.type());
  Volume all = r->read();
  QVERIFY(sameVoxels(all, original));
  // Slabs.
  const std::int64_t z = original.size().z;
  Volume slab = r->readSlab(z / 3, z / 3 + std::max<std::int64_t>(1, z / 3));
  QVERIFY(sameVoxels(slab, original.crop(Region::slab(original.size(), z / 3, z / 3 + std::max<std::int64_t>(1, z / 3)))));
  // Crops with both downsampling modes and factors that do not divide the size.
  const Size3 s = original.size();
  const Region crop{{std::min<std::int64_t>(3, s.x - 1), std::min<std::int64_t>(2, s.y - 1), std::min<std::int64_t>(1, s.z - 1)},
                    {std::max<std::int64_t>(1, s.x - 5), std::max<std::int64_t>(1, s.y - 3), std::max<std::int64_t>(1, s.z - 1)}};
  for (int d : {1, 2, 3})
    for (DownsampleMode m : {DownsampleMode::Mean, DownsampleMode::Nearest}) {
      ReadOptions ro;
      ro.crop = crop;
      ro.downsample = d;
      ro.mode = m;
      Volume got = r->read(ro);
      QVERIFY2(sameValues(got, reference(original, crop, d, m)),
               qPrintable(QString("%1 d=%2 mode=%3").arg(QString::fromStdString(path)).arg(d).arg(int(m))));
      QCOMPARE(got.info().size, r->outputInfo(ro).size);
      QVERIFY(near(got.spacing().x, r->info().spacing.x * d));
      QVERIFY(near(got.origin().y, r->info().origin.y + crop.start.y * r->info().spacing.y));
    }
}

} // namespace

class TestVolumeIo : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void roundTripEveryWriter_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("type");
    const auto cases = writerCases();
    for (int i = 0; i < int(cases.size()); ++i)
      for (VoxelType t : {VoxelType::UInt8, VoxelType::UInt16, VoxelType::Float32})
        QTest::newRow((std::string(cases[std::size_t(i)].name) + "/" + toString(t)).c_str()) << i << int(t);
  }
  void roundTripEveryWriter() {
    QFETCH(int, index);
    QFETCH(int, type);
    const Case c = writerCases()[std::size_t(index)];
    QTemporaryDir dir;
    const std::string path = dir.filePath(c.name).toStdString();
    const Volume v = makeVolume({37, 29, 11}, VoxelType(type));
    writeVolume(v, path, c.opts);
    auto r = openVolume(path);
    QCOMPARE(QString::fromStdString(r->formatName()),
             QString(c.format) == "tiff-folder" ? QString("tiff-folder") : QString(c.format));
    QVERIFY(nearVec(r->info().spacing, v.spacing()));
    QVERIFY(nearVec(r->info().origin, v.origin()));
    checkReader(path, v);
    // Nothing temporary is left next to the output.
    for (const auto& e : fs::directory_iterator(dir.path().toStdString()))
      QVERIFY2(e.path().filename().string()[0] != '.', e.path().c_str());
  }

  void writerStreamsSlabs() {
    // Slabs of odd sizes (not multiples of the HDF5 chunk depth) give the same file as one write.
    QTemporaryDir dir;
    const Volume v = makeVolume({20, 17, 41}, VoxelType::UInt16);
    for (const char* name : {"a.h5", "a.nrrd", "a.tif", "folder"}) {
      const std::string path = dir.filePath(name).toStdString();
      WriteOptions o;
      o.hdf5Chunk = {8, 8, 16};
      auto w = createWriter(path, v.info(), o);
      std::int64_t z = 0;
      for (std::int64_t n : {3, 16, 1, 21}) {
        w->writeSlab(v.crop({{0, 0, z}, {20, 17, n}}), z);
        z += n;
      }
      QVERIFY(!fs::exists(path)); // not visible before finish()
      w->finish();
      QVERIFY(sameVoxels(readVolume(path), v));
    }
  }

  void itkReadsOurNrrd() {
    // Cross-check of our NRRD header against ITK's reader.
    QTemporaryDir dir;
    const std::string path = dir.filePath("x.nrrd").toStdString();
    const Volume v = makeVolume({12, 9, 7}, VoxelType::Float32);
    writeVolume(v, path);
    OpenOptions o;
    o.format = "itk";
    auto r = openVolume(path, o);
    QVERIFY(sameVoxels(r->read(), v));
    QVERIFY(nearVec(r->info().spacing, v.spacing()));
    QVERIFY(nearVec(r->info().origin, v.origin()));
  }

  void foreignTiffs() {
    QTemporaryDir dir;
    const Volume v = makeVolume({45, 38, 6}, VoxelType::UInt16, 3, {0.5, 0.5, 0.5}, {0, 0, 0});
    const std::string strips = dir.filePath("strips.tif").toStdString();
    const std::string tiles = dir.filePath("tiles.tif").toStdString();
    const std::string lzw = dir.filePath("lzw.tif").toStdString();
    writeWithLibtiff(strips, v, 5, 0, false);
    writeWithLibtiff(tiles, v, 0, 16, false);
    writeWithLibtiff(lzw, v, 7, 0, true);
    for (const auto& p : {strips, tiles, lzw}) {
      checkReader(p, v);
      QVERIFY(near(openVolume(p)->info().spacing.x, 0.5)); // resolution in pixels per cm
    }
    const Volume f = makeVolume({33, 20, 4}, VoxelType::Float32);
    const std::string ftiles = dir.filePath("ftiles.tif").toStdString();
    writeWithLibtiff(ftiles, f, 0, 16, true);
    checkReader(ftiles, f);
  }

  void tiffFolderNaturalOrder() {
    // Slices named 1..12 without zero padding must come in numeric order.
    QTemporaryDir dir;
    const Volume v = makeVolume({16, 12, 12}, VoxelType::UInt8);
    const std::string folder = dir.filePath("stack").toStdString();
    fs::create_directory(folder);
    for (int z = 0; z < 12; ++z) {
      Volume s = v.crop({{0, 0, z}, {16, 12, 1}});
      writeVolume(s, folder + "/img" + std::to_string(z + 1) + ".tif", {});
    }
    writeText(folder + "/notes.txt", "not an image");
    checkReader(folder, v);
  }

  void pngSlicesAndSingleImages() {
    QTemporaryDir dir;
    const Volume v8 = makeVolume({23, 19, 5}, VoxelType::UInt8);
    const Volume v16 = makeVolume({23, 19, 5}, VoxelType::UInt16);
    const std::string folder = dir.filePath("png").toStdString();
    fs::create_directory(folder);
    for (int z = 0; z < 5; ++z) {
      cv::Mat m(19, 23, CV_16U, const_cast<std::uint8_t*>(v16.slicePtr(z)));
      QVERIFY(cv::imwrite(folder + "/s" + std::to_string(z) + ".png", m));
    }
    auto r = openVolume(folder);
    QCOMPARE(QString::fromStdString(r->formatName()), QString("png-folder"));
    checkReader(folder, v16);
    // A single 2D PNG is a one-slice volume.
    const std::string one = dir.filePath("one.png").toStdString();
    cv::Mat m(19, 23, CV_8U, const_cast<std::uint8_t*>(v8.slicePtr(2)));
    QVERIFY(cv::imwrite(one, m));
    checkReader(one, v8.crop({{0, 0, 2}, {23, 19, 1}}));
  }

  void rawWithEveryParameter() {
    QTemporaryDir dir;
    for (bool big : {false, true})
      for (VoxelType t : {VoxelType::UInt8, VoxelType::UInt16, VoxelType::UInt32, VoxelType::Float32}) {
        const Volume v = makeVolume({21, 13, 9}, t, 5, {2, 2, 3}, {0, 0, 0});
        const std::string path = dir.filePath(QString("r%1%2.raw").arg(int(t)).arg(big)).toStdString();
        std::vector<char> bytes(37, 'h'); // a header to skip
        const auto data = rawBytes(v, big);
        bytes.insert(bytes.end(), data.begin(), data.end());
        writeBytes(path, bytes.data(), bytes.size());
        OpenOptions o;
        o.raw = RawParams{v.size(), t, big, 37, {2, 2, 3}};
        checkReader(path, v, o);
        QCOMPARE(openVolume(path, o)->info().spacing, (Vec3{2, 2, 3}));
      }
  }

  void esrfVol() {
    QTemporaryDir dir;
    const Volume v = makeVolume({17, 11, 8}, VoxelType::Float32, 9, {0.72, 0.72, 0.72}, {0, 0, 0});
    for (bool big : {false, true}) {
      const std::string path = dir.filePath(big ? "b.vol" : "l.vol").toStdString();
      const auto data = rawBytes(v, big);
      writeBytes(path, data.data(), data.size());
      writeText(path + ".info", std::string("! PyHST_SLAVE VOLUME INFO FILE\nNUM_X =  17\nNUM_Y =  11\nNUM_Z =  8\n"
                                            "voxelSize =  0.72\nBYTEORDER = ") +
                                    (big ? "HIGHBYTEFIRST" : "LOWBYTEFIRST") + "\nValMin = -300\n");
      auto r = openVolume(path);
      QCOMPARE(QString::fromStdString(r->formatName()), QString("vol"));
      QVERIFY(near(r->info().spacing.z, 0.72));
      checkReader(path, v);
    }
  }

  void nrrdDetachedAndSigned() {
    // A detached header over big-endian int16 data, as other tools write it: read as float32.
    QTemporaryDir dir;
    const std::int64_t n = 10 * 7 * 3;
    std::vector<std::int16_t> values(static_cast<std::size_t>(n));
    Volume expect({10, 7, 3}, VoxelType::Float32, {1.5, 1.5, 2});
    for (std::int64_t i = 0; i < n; ++i) {
      values[std::size_t(i)] = std::int16_t(i * 37 - 1000);
      expect.as<float>()[i] = float(values[std::size_t(i)]);
    }
    std::vector<char> bytes(reinterpret_cast<char*>(values.data()), reinterpret_cast<char*>(values.data()) + n * 2);
    for (std::size_t i = 0; i < bytes.size(); i += 2) std::swap(bytes[i], bytes[i + 1]);
    writeBytes(dir.filePath("d.raw").toStdString(), bytes.data(), bytes.size());
    const std::string nhdr = dir.filePath("d.nhdr").toStdString();
    writeText(nhdr, "NRRD0004\ntype: short\ndimension: 3\nsizes: 10 7 3\nspacings: 1.5 1.5 2\nendian: big\n"
                    "encoding: raw\ndata file: d.raw\n");
    checkReader(nhdr, expect);
    QVERIFY(near(openVolume(nhdr)->info().spacing.z, 2));
  }

  void metaImageWithSeparateData() {
    // An .mhd header with its voxels in a separate .raw, as ITK and others write it; read through
    // ITK's MetaImageIO, which streams the requested slices.
    QTemporaryDir dir;
    const Volume v = makeVolume({14, 9, 6}, VoxelType::UInt16, 7, {0.3, 0.3, 0.6}, {1, 2, 3});
    writeBytes(dir.filePath("m.raw").toStdString(), v.data(), v.bytes());
    const std::string mhd = dir.filePath("m.mhd").toStdString();
    writeText(mhd, "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
                   "Offset = 1 2 3\nElementSpacing = 0.3 0.3 0.6\nDimSize = 14 9 6\nElementType = MET_USHORT\n"
                   "ElementDataFile = m.raw\n");
    auto r = openVolume(mhd);
    QCOMPARE(QString::fromStdString(r->formatName()), QString("mha"));
    QVERIFY(nearVec(r->info().spacing, v.spacing()));
    QVERIFY(nearVec(r->info().origin, v.origin()));
    checkReader(mhd, v);
  }

  void hdf5OtherLayouts() {
    // Data Exchange file written by other software: int16 (read as float32), a 2D dataset.
    QTemporaryDir dir;
    const std::string path = dir.filePath("de.h5").toStdString();
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(f, "/exchange", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t dims[3] = {4, 6, 9};
    std::vector<std::int16_t> data(4 * 6 * 9);
    Volume expect({9, 6, 4}, VoxelType::Float32);
    for (std::size_t i = 0; i < data.size(); ++i) {
      data[i] = std::int16_t(int(i) * 11 - 900);
      expect.as<float>()[i] = float(data[i]);
    }
    hid_t s = H5Screate_simple(3, dims, nullptr);
    hid_t d = H5Dcreate2(g, "data", H5T_STD_I16BE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_INT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
    hid_t s2 = H5Screate_simple(2, dims + 1, nullptr);
    hid_t d2 = H5Dcreate2(f, "/slice", H5T_NATIVE_UINT8, s2, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<std::uint8_t> slice(6 * 9);
    for (std::size_t i = 0; i < slice.size(); ++i) slice[i] = std::uint8_t(i * 3);
    H5Dwrite(d2, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, slice.data());
    H5Dclose(d2);
    H5Sclose(s2);
    H5Dclose(d);
    H5Sclose(s);
    H5Gclose(g);
    H5Fclose(f);
    checkReader(path, expect);
    OpenOptions o;
    o.hdf5Dataset = "/slice";
    Volume two({9, 6, 1}, VoxelType::UInt8);
    std::memcpy(two.data(), slice.data(), slice.size());
    checkReader(path, two, o);
  }

  void spacingOverride() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.nrrd").toStdString();
    writeVolume(makeVolume({5, 5, 5}, VoxelType::UInt8), path);
    OpenOptions o;
    o.spacing = Vec3{0.1, 0.2, 0.3};
    QCOMPARE(openVolume(path, o)->info().spacing, (Vec3{0.1, 0.2, 0.3}));
    QCOMPARE(openVolume(path, o)->read().spacing(), (Vec3{0.1, 0.2, 0.3}));
  }

  void cropToTheEnd() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.tif").toStdString();
    const Volume v = makeVolume({10, 8, 6}, VoxelType::UInt16);
    writeVolume(v, path);
    ReadOptions ro;
    ro.crop = Region{{2, 3, 4}, {0, 0, 0}}; // sizes 0: up to the end
    QVERIFY(sameVoxels(openVolume(path)->read(ro), v.crop({{2, 3, 4}, {8, 5, 2}})));
  }

  void slabBySlabEqualsWhole() {
    // forEachSlab with tiny slabs gives the same voxels as one read, for crop + downsampling too.
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.h5").toStdString();
    const Volume v = makeVolume({19, 14, 23}, VoxelType::UInt16);
    writeVolume(v, path);
    auto r = openVolume(path);
    for (int d : {1, 2, 3}) {
      ReadOptions ro;
      ro.crop = Region{{1, 2, 2}, {17, 11, 20}};
      ro.downsample = d;
      const Volume whole = r->read(ro);
      Volume joined(r->outputInfo(ro));
      std::int64_t next = 0;
      forEachSlab(*r, ro, whole.info().sliceBytes() * 2, [&](Volume& slab, std::int64_t z0) {
        QCOMPARE(z0, next);
        QVERIFY(slab.size().z <= 2);
        joined.paste(slab, {0, 0, z0});
        next = z0 + slab.size().z;
      });
      QCOMPARE(next, whole.size().z);
      QVERIFY(sameVoxels(joined, whole));
    }
  }

  void naturalSortOrder() {
    std::vector<std::string> names = {"slice10.tif", "slice2.tif", "Slice1.tif", "slice002b.tif", "a.tif",
                                      "slice2a.tif", "slice100.tif", "img_9", "img_10"};
    naturalSort(names);
    const std::vector<std::string> expect = {"a.tif",      "img_9",         "img_10",      "Slice1.tif",  "slice2.tif",
                                             "slice2a.tif", "slice002b.tif", "slice10.tif", "slice100.tif"};
    QCOMPARE(names, expect);
  }
};

QTEST_APPLESS_MAIN(TestVolumeIo)
#include "test_volume_io.moc"
