#include "Targets.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <zlib.h>

namespace fs = std::filesystem;
using namespace core::volume;

namespace fuzz {

namespace {

// Small and odd sizes, so that strips, tiles, chunks and downsampling blocks do not divide them.
Volume makeVolume(Size3 size, VoxelType type, int seed) {
  Volume v(size, type, {0.65, 0.7, 1.25}, {10, -20, 3.5});
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const std::int64_t h = (x * 7 + y * 13 + z * 31 + seed * 101 + x * y * 3) % 65521;
        const double value = type == VoxelType::UInt8 ? double(h % 256)
                             : type == VoxelType::Float32 ? double(h) / 97.0 - 300.0
                             : type == VoxelType::UInt32 ? double(h) * 70000.0
                                                         : double(h);
        v.setValueAt(x, y, z, value);
      }
  return v;
}

Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::string& path, const void* data, std::size_t n) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), std::streamsize(n));
  if (!out) throw std::runtime_error("fuzz: cannot write " + path);
}
void writeText(const std::string& path, const std::string& text) { writeFile(path, text.data(), text.size()); }

const std::vector<std::string> kMetaWords = {
    "NDims = -1", "NDims = -3", "NDims = 0", "NDims = 4", "NDims = 2", "DimSize = 4 4 4 1", "DimSize = 0 5 5",
    "DimSize = -1 5 5", "DimSize = 2147483647 2147483647 2147483647", "ElementType = MET_DOUBLE",
    "ElementType = MET_LONG", "ElementType = MET_UCHAR_ARRAY", "ElementType = MET_STRING", "ElementNumberOfChannels = 3",
    "ElementNumberOfChannels = 0", "HeaderSize = -1", "HeaderSize = -2", "HeaderSize = 100000", "HeaderSize = 10",
    "CompressedData = True", "CompressedData = False", "CompressedDataSize = 10", "CompressedDataSize = 99999999",
    "BinaryData = False", "BinaryDataByteOrderMSB = True", "ElementByteOrderMSB = True", "ElementSpacing = 1 1",
    "ElementSpacing = nan nan nan", "ElementSpacing = 0 0 0", "ElementSpacing = -1 1 1", "ElementSize = 1 1 1",
    "Offset = 1e999 0 0", "Position = 1 2 3", "TransformMatrix = 1 0 0", "Color = 1 1", "SequenceID = 1",
    "ElementDataFile = LIST", "ElementDataFile = LIST 2D", "ElementDataFile = m%03d.raw 1 4 1",
    "ElementDataFile = %s%s%n", "ElementDataFile = missing.raw", "ElementDataFile = LOCAL", "ElementDataFile = m.raw",
    "ObjectType = Mesh", "ObjectType = Image", "AnatomicalOrientation = ???", "Comment = " + std::string(600, 'x'),
    std::string(700, 'A'), "NDims", "= 3", "ElementMin = abc", "ID = 1.5"};
const std::vector<std::string> kNrrdWords = {
    "encoding: ascii", "encoding: hex", "encoding: bzip2", "encoding: gzip", "encoding: raw", "endian: big",
    "endian: little", "type: double", "type: int64", "type: block", "type: float", "dimension: 4", "dimension: 2",
    "dimension: -1", "sizes: 1 4 4 4", "sizes: -1 4 4", "sizes: 0 4 4", "sizes: 9223372036854775807 2 2",
    "byte skip: -1", "byte skip: -5", "byte skip: 99999999999", "byte skip: 9223372036854775807", "line skip: 1000",
    "line skip: 1", "data file: LIST", "data file: d%03d.raw 1 3 1", "data file: missing.raw", "data file: d.raw",
    "space directions: (nan,0,0) (0,1,0) (0,0,1)", "space directions: none (1,0,0) (0,1,0)", "spacings: 0 0 0",
    "spacings: nan 1 1", "space origin: (1e999,0,0)", "kinds: domain domain domain", "#", ""};
const std::vector<std::string> kVolWords = {
    "NUM_X = -1", "NUM_X = 0", "NUM_Y = 4294967296", "NUM_Y = 4611686018427387904", "NUM_Z = 0", "NUM_Z = 9223372036854775807",
    "NUM_Z = 1", "BYTEORDER = HIGHBYTEFIRST", "BYTEORDER = LOWBYTEFIRST", "BYTEORDER = WEIRD", "voxelSize = nan",
    "voxelSize = -1", "NUM_X = 3"};

constexpr std::size_t kNoVoxels = ~std::size_t(0); // a header file: cutting it may leave a valid header

std::string mhdHeader(const Volume& v, const char* type, const std::string& data) {
  std::ostringstream s;
  s << "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n"
    << "Offset = 1 2 3\nElementSpacing = 0.5 0.5 1\nDimSize = " << v.size().x << " " << v.size().y << " " << v.size().z
    << "\nElementType = " << type << "\nElementDataFile = " << data << "\n";
  return s.str();
}

} // namespace

Bytes gzipBytes(const Bytes& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, uLong(data.size())) + 32);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = uInt(data.size());
  z.next_out = out.data();
  z.avail_out = uInt(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

bool gunzipBytes(const Bytes& data, Bytes& out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return false;
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = uInt(data.size());
  out.clear();
  Bytef buf[1 << 16];
  int rc;
  do {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
    if (out.size() > (64u << 20)) rc = Z_DATA_ERROR;
  } while (rc == Z_OK);
  inflateEnd(&z);
  return rc == Z_STREAM_END;
}

void fixPngCrcs(Bytes& png) {
  for (std::size_t at = 8; at + 12 <= png.size();) {
    const std::uint64_t length = (std::uint64_t(png[at]) << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
    if (at + 12 + length > png.size()) break;
    const uLong crc = crc32(0, png.data() + at + 4, uInt(4 + length));
    for (int i = 0; i < 4; ++i) png[at + 8 + length + std::size_t(i)] = std::uint8_t(crc >> (24 - 8 * i));
    at += 12 + length;
  }
}

void writeCase(const Case& c, const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  for (const auto& [name, bytes] : c) writeFile((fs::path(dir) / name).string(), bytes.data(), bytes.size());
}

Case readCase(const std::string& dir) {
  Case c;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) c[fs::relative(e.path(), dir).string()] = readFile(e.path().string());
  return c;
}

std::vector<Target> makeTargets(const std::string& scratch, bool write) {
  std::vector<Target> targets;
  auto add = [&](const std::string& name, const std::string& main, std::vector<std::string> mut, Volume expected,
                 const std::function<void(const std::string& dir)>& writeSeed) -> Target& {
    Target t;
    t.name = name;
    t.main = main;
    t.mutable_ = std::move(mut);
    t.expected = std::move(expected);
    const std::string dir = (fs::path(scratch) / name).string();
    if (write) {
      std::error_code ec;
      fs::remove_all(dir, ec);
      fs::create_directories(dir);
      writeSeed(dir);
    }
    t.seed = readCase(dir);
    if (t.mutable_.empty()) // a folder of slices: mutate its first slice
      for (const auto& [file, bytes] : t.seed)
        if (t.mutable_.empty() || file < t.mutable_[0]) t.mutable_ = {file};
    targets.push_back(std::move(t));
    return targets.back();
  };
  auto writer = [](const Volume& v, const std::string& format, bool compress, std::optional<bool> big = {}) {
    WriteOptions o;
    o.format = format;
    o.compress = compress;
    o.bigTiff = big;
    o.hdf5Chunk = {8, 4, 4};
    return [&v, o](const std::string& path) { writeVolume(v, path, o); };
  };
  const Volume u16 = makeVolume({13, 11, 5}, VoxelType::UInt16, 1), f32 = makeVolume({9, 7, 4}, VoxelType::Float32, 2),
               u8 = makeVolume({17, 6, 3}, VoxelType::UInt8, 3), u32 = makeVolume({5, 8, 6}, VoxelType::UInt32, 4);

  add("tiff", "v.tif", {"v.tif"}, u16.clone(), [&](const std::string& d) { writer(u16, "tiff", false, false)(d + "/v.tif"); });
  add("tiff-deflate", "v.tif", {"v.tif"}, f32.clone(), [&](const std::string& d) { writer(f32, "tiff", true, false)(d + "/v.tif"); });
  add("bigtiff", "v.tif", {"v.tif"}, u8.clone(), [&](const std::string& d) { writer(u8, "tiff", false, true)(d + "/v.tif"); });
  add("tiff-folder", "slices", {}, u16.clone(), [&](const std::string& d) { writer(u16, "tiff-folder", false)(d + "/slices"); });
  {
    Volume png({13, 11, 1}, VoxelType::UInt16);
    std::memcpy(png.data(), u16.data(), png.bytes());
    Target& t = add("png", "s.png", {"s.png"}, png.clone(), [&](const std::string& d) {
      const cv::Mat m(11, 13, CV_16U, const_cast<void*>(u16.data()));
      cv::imwrite(d + "/s.png", m);
    });
    t.headerBytes = 64;
    t.tailSlack = 12; // the IEND chunk holds no pixels
    t.png = true;
  }
  Target& nrrd = add("nrrd", "v.nrrd", {"v.nrrd"}, u16.clone(), [&](const std::string& d) { writer(u16, "nrrd", false)(d + "/v.nrrd"); });
  nrrd.text = true;
  nrrd.tailSlack = 0;
  add("nrrd-gzip", "v.nrrd", {"v.nrrd"}, f32.clone(), [&](const std::string& d) { writer(f32, "nrrd", true)(d + "/v.nrrd"); }).text = true;
  const auto nhdr = [&](const std::string& d) {
    writeFile(d + "/d.raw", u32.data(), u32.bytes());
    writeText(d + "/d.nhdr", "NRRD0004\ntype: uint32\ndimension: 3\nsizes: 5 8 6\nspacings: 1.5 1.5 2\nendian: little\n"
                             "encoding: raw\ndata file: d.raw\n");
  };
  Target& nhdrHeader = add("nhdr", "d.nhdr", {"d.nhdr"}, u32.clone(), nhdr);
  nhdrHeader.text = true;
  nhdrHeader.tailSlack = kNoVoxels;
  add("nhdr-data", "d.nhdr", {"d.raw"}, u32.clone(), nhdr).tailSlack = 0;
  Target& mha = add("mha", "v.mha", {"v.mha"}, u16.clone(), [&](const std::string& d) { writer(u16, "mha", false)(d + "/v.mha"); });
  mha.text = true;
  mha.tailSlack = 0;
  add("mha-zlib", "v.mha", {"v.mha"}, f32.clone(), [&](const std::string& d) { writer(f32, "mha", true)(d + "/v.mha"); }).text = true;
  const auto mhd = [&](const std::string& d) {
    writeFile(d + "/m.raw", u8.data(), u8.bytes());
    writeText(d + "/m.mhd", mhdHeader(u8, "MET_UCHAR", "m.raw"));
  };
  Target& mhdHeader = add("mhd", "m.mhd", {"m.mhd"}, u8.clone(), mhd);
  mhdHeader.text = true;
  mhdHeader.tailSlack = kNoVoxels;
  add("mhd-data", "m.mhd", {"m.raw"}, u8.clone(), mhd).tailSlack = 0;
  Target& nii = add("nifti", "v.nii", {"v.nii"}, u16.clone(), [&](const std::string& d) { writer(u16, "nifti", false)(d + "/v.nii"); });
  nii.headerBytes = 352;
  nii.tailSlack = 0;
  Target& niigz = add("nifti-gz", "v.nii.gz", {"v.nii.gz"}, f32.clone(),
                      [&](const std::string& d) { writer(f32, "nifti", false)(d + "/v.nii.gz"); });
  niigz.gzip = true;
  niigz.headerBytes = 352;
  add("hdf5", "v.h5", {"v.h5"}, u16.clone(), [&](const std::string& d) { writer(u16, "hdf5", false)(d + "/v.h5"); }).headerBytes = 0;
  add("hdf5-deflate", "v.h5", {"v.h5"}, f32.clone(), [&](const std::string& d) { writer(f32, "hdf5", true)(d + "/v.h5"); }).headerBytes = 0;
  {
    RawParams p;
    p.size = u16.size();
    p.type = VoxelType::UInt16;
    p.headerOffset = 16;
    Target& t = add("raw", "v.raw", {"v.raw"}, u16.clone(), [&](const std::string& d) {
      Bytes b(16, 0xab);
      b.insert(b.end(), static_cast<const std::uint8_t*>(u16.data()), static_cast<const std::uint8_t*>(u16.data()) + u16.bytes());
      writeFile(d + "/v.raw", b.data(), b.size());
    });
    t.open.format = "raw";
    t.open.raw = p;
    t.tailSlack = 0;
  }
  const auto vol = [&](const std::string& d) {
    writeFile(d + "/v.vol", f32.data(), f32.bytes());
    writeText(d + "/v.vol.info", "! PyHST_SLAVE VOLUME INFO FILE\nNUM_X = 9\nNUM_Y = 7\nNUM_Z = 4\nvoxelSize = 0.5\n"
                                 "BYTEORDER = LOWBYTEFIRST\nValMin = -300\nValMax = 400\n");
  };
  Target& volInfo = add("vol", "v.vol", {"v.vol.info"}, f32.clone(), vol);
  volInfo.text = true;
  volInfo.tailSlack = kNoVoxels;
  add("vol-data", "v.vol", {"v.vol"}, f32.clone(), vol).tailSlack = 0;

  for (Target& t : targets) {
    if (t.name.rfind("mha", 0) == 0 || t.name.rfind("mhd", 0) == 0) t.dictionary = kMetaWords;
    else if (t.name.rfind("nrrd", 0) == 0 || t.name.rfind("nhdr", 0) == 0) t.dictionary = kNrrdWords;
    else if (t.name.rfind("vol", 0) == 0) t.dictionary = kVolWords;
    // Every seed must read back as written, or the fuzzer tests nothing.
    if (!write) continue;
    const std::string dir = (fs::path(scratch) / t.name).string();
    const Volume got = readVolume((fs::path(dir) / t.main).string(), t.open);
    if (got.size() != t.expected.size() || got.type() != t.expected.type() ||
        std::memcmp(got.data(), t.expected.data(), got.bytes()) != 0)
      throw std::runtime_error("fuzz: the seed of target " + t.name + " does not read back as written");
  }
  return targets;
}

} // namespace fuzz
