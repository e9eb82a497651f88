// NIfTI-1 (.nii, .nii.gz, .hdr/.img): the header's fields are checked here before ITK's niftilib
// reads them (dimensions, data type, bit depth, voxel offset), and uncompressed data must be as long
// as the header says: niftilib would otherwise read what is there and leave the rest as it was.
#include "core/volume/Checked.h"
#include "core/volume/io/Readers.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <zlib.h>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The first \p n bytes of \p path (gunzipped when \p gz); fewer when the file is shorter.
std::size_t readStart(const std::string& path, bool gz, unsigned char* dst, std::size_t n) {
  if (gz) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) fail("cannot open " + inQuotes(path));
    const int got = gzread(f, dst, unsigned(n));
    gzclose(f);
    return got < 0 ? 0 : std::size_t(got);
  }
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(dst), std::streamsize(n));
  return std::size_t(in.gcount());
}

bool componentOfDatatype(int datatype, Component& c) {
  switch (datatype) {
  case 2: c = Component::U8; return true;
  case 4: c = Component::I16; return true;
  case 8: c = Component::I32; return true;
  case 16: c = Component::F32; return true;
  case 64: c = Component::F64; return true;
  case 256: c = Component::I8; return true;
  case 512: c = Component::U16; return true;
  case 768: c = Component::U32; return true;
  default: return false;
  }
}

} // namespace

bool isNiftiName(const std::string& path) {
  const std::string ext = extensionOf(path);
  return ext == ".nii" || ext == ".nii.gz" || ext == ".hdr" || ext == ".hdr.gz" || ext == ".img" || ext == ".img.gz";
}

std::optional<NiftiLayout> checkNiftiHeader(const std::string& path) {
  // The header: the file itself, or the .hdr of an .img.
  const std::string ext = extensionOf(path);
  std::string headerPath = path, dataPath = path;
  const std::string stem = path.substr(0, path.size() - ext.size());
  if (ext == ".img" || ext == ".img.gz") headerPath = stem + ".hdr";
  if (ext == ".hdr" || ext == ".hdr.gz" || ext == ".img" || ext == ".img.gz") {
    dataPath = stem + ".img";
    if (!isFile(dataPath) && isFile(dataPath + ".gz")) dataPath += ".gz";
    if (!isFile(headerPath) && isFile(headerPath + ".gz")) headerPath += ".gz";
  }
  if (!isFile(headerPath)) fail("NIfTI/Analyze image " + inQuotes(path) + " has no header " + inQuotes(headerPath));
  const bool headerGz = endsWith(extensionOf(headerPath), ".gz");
  unsigned char h[348] = {};
  const std::size_t got = readStart(headerPath, headerGz, h, sizeof h);
  if (got < sizeof h)
    fail("file " + inQuotes(headerPath) + " is truncated: a NIfTI-1 header has 348 bytes, it has " + std::to_string(got));
  std::uint32_t sizeofHdr = 0;
  std::memcpy(&sizeofHdr, h, 4);
  const bool swap = sizeofHdr != 348;
  if (swap && __builtin_bswap32(sizeofHdr) != 348u)
    fail("file " + inQuotes(headerPath) + " is not a NIfTI-1 file (its header size field is " + std::to_string(sizeofHdr) +
         ", not 348; NIfTI-2 is not supported)");
  auto i16 = [&](int at) {
    std::uint16_t v;
    std::memcpy(&v, h + at, 2);
    return std::int16_t(swap ? __builtin_bswap16(v) : v);
  };
  auto f32 = [&](int at) {
    std::uint32_t v;
    std::memcpy(&v, h + at, 4);
    if (swap) v = __builtin_bswap32(v);
    float f;
    std::memcpy(&f, &v, 4);
    return f;
  };
  auto bad = [&](const std::string& why) { fail("NIfTI header of " + inQuotes(headerPath) + ": " + why); };
  const int nDims = i16(40);
  if (nDims < 1 || nDims > 7) bad("dim[0] is " + std::to_string(nDims) + "; an image has 1 to 7 dimensions");
  std::uint64_t count = 1;
  std::string sizes;
  for (int i = 1; i <= nDims; ++i) {
    const int d = i16(40 + 2 * i);
    if (d < 1) bad("dim[" + std::to_string(i) + "] is " + std::to_string(d) + "; sizes must be positive");
    count = checkedMul<std::uint64_t>(count, std::uint64_t(d), "the voxel count");
    sizes += (i > 1 ? "x" : "") + std::to_string(d);
  }
  Component comp{};
  const int datatype = i16(70), bitpix = i16(72);
  if (!componentOfDatatype(datatype, comp))
    bad("datatype " + std::to_string(datatype) +
        " is not supported (uint8, int8, uint16, int16, uint32, int32, float32 and float64 are)");
  if (bitpix != int(8 * componentSize(comp)))
    bad("bitpix is " + std::to_string(bitpix) + " but datatype " + std::to_string(datatype) + " has " +
        std::to_string(8 * componentSize(comp)) + " bits");
  // Geometry: ITK builds the orientation from pixdim, the quaternion and the sform, and aborts
  // the process (vnl) on a matrix that is not finite; its single-precision SVD never ends on one
  // whose squares overflow (a sform entry of 1.7e38 hung it), so magnitudes stay below 1e15.
  static const struct { int at, count; const char* name; } floats[] = {
      {76, 8, "pixdim"}, {256, 3, "quatern_b/c/d"}, {268, 3, "qoffset"}, {280, 4, "srow_x"}, {296, 4, "srow_y"},
      {312, 4, "srow_z"}};
  for (const auto& f : floats)
    for (int i = 0; i < f.count; ++i)
      if (!std::isfinite(f32(f.at + 4 * i))) bad(std::string(f.name) + " holds a value that is not a finite number");
      else if (std::fabs(f32(f.at + 4 * i)) > 1e15f)
        bad(std::string(f.name) + " holds " + std::to_string(f32(f.at + 4 * i)) + ", beyond any geometry (at most 1e15)");
  if (i16(254) > 0)
    for (int c = 0; c < 3; ++c) {
      const double x = f32(280 + 4 * c), y = f32(296 + 4 * c), z = f32(312 + 4 * c);
      if (!(x * x + y * y + z * z > 0)) bad("the sform matrix has an empty column (a voxel axis of length 0)");
    }
  const bool single = std::memcmp(h + 344, "n+1", 4) == 0;
  const float vox = f32(108), slope = f32(112), inter = f32(116);
  if (!(std::isfinite(vox) && vox >= (single ? 348.f : 0.f) && vox < 1e12f))
    bad("vox_offset is " + std::to_string(vox) + (single ? " (the voxels of a .nii start at byte 348 or later)" : ""));
  const std::uint64_t offset = std::uint64_t(vox);
  const std::uint64_t bytes = checkedMul<std::uint64_t>(count, componentSize(comp), "the voxel data size");
  const bool dataGz = endsWith(extensionOf(dataPath), ".gz");
  if (!single && !isFile(dataPath)) fail("NIfTI/Analyze header " + inQuotes(headerPath) + " has no image file " + inQuotes(dataPath));
  if (!dataGz) {
    const std::uint64_t size = fileSize(dataPath);
    if (offset > size || size - offset < bytes)
      fail("file " + inQuotes(dataPath) + " is too short: its NIfTI header describes " + sizes + " " + toString(comp) +
           " voxels (" + std::to_string(bytes) + " bytes) from byte " + std::to_string(offset) + ", but the file has " +
           std::to_string(offset < size ? size - offset : 0) + " bytes there");
  }
  // The raw reader reads the voxels of a single file that needs no intensity scaling.
  if (!single || !(slope == 0.f || !std::isfinite(slope) || (slope == 1.f && inter == 0.f))) return std::nullopt;
  NiftiLayout l{};
  l.component = comp;
  l.voxOffset = offset;
  l.bigEndian = hostIsBigEndian() != swap;
  l.gzip = dataGz;
  return l;
}

} // namespace core::volume::io
