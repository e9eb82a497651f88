// OME-Zarr (NGFF 0.4 multiscales over Zarr v2 arrays): a reader of any level and a writer that
// builds the pyramid while it streams. Layout written (README, "OME-Zarr"):
//   OUT.zarr/.zgroup, .zattrs (multiscales: axes z, y, x in micrometres; one dataset per level,
//   "0" full resolution, "1" 2x block means, ...; scale and translation per level), and per level
//   L/.zarray plus chunks L/cz/cy/cx (dimension_separator "/"), C order, little-endian.
#include "core/files/AtomicFile.h"
#include "core/volume/io/ChunkedReader.h"
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/OmeZarr.h"
#include "core/volume/io/Pyramid.h"
#include "core/volume/io/Writers.h"
#include "core/volume/io/ZarrCodec.h"

#include <blosc.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <list>
#include <map>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace core::volume::io {

namespace {

/// Closes a file descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + inQuotes(path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json readJson(const std::string& path) {
  try {
    return json::parse(readText(path));
  } catch (const json::exception& e) {
    fail(inQuotes(path) + " is not valid JSON: " + e.what());
  }
}

const char* dtypeOf(VoxelType t) {
  switch (t) {
  case VoxelType::UInt8: return "|u1";
  case VoxelType::UInt16: return "<u2";
  case VoxelType::UInt32: return "<u4";
  case VoxelType::Float32: return "<f4";
  }
  return "";
}

VoxelType typeOf(const std::string& dtype, const std::string& path) {
  if (dtype == "|u1" || dtype == "<u1" || dtype == ">u1") return VoxelType::UInt8;
  if (dtype == "<u2") return VoxelType::UInt16;
  if (dtype == "<u4") return VoxelType::UInt32;
  if (dtype == "<f4") return VoxelType::Float32;
  fail(inQuotes(path) + ": voxel type '" + dtype + "' is not supported (uint8, little-endian uint16, uint32, float32)");
}

json compressorJson(const ZarrCompressor& c) {
  if (c.id.empty()) return nullptr;
  if (c.id == "blosc") return {{"id", "blosc"}, {"cname", c.cname}, {"clevel", c.level}, {"shuffle", c.shuffle}, {"blocksize", 0}};
  return {{"id", c.id}, {"level", c.level}};
}

ZarrCompressor compressorFrom(const json& j, const std::string& path) {
  ZarrCompressor c;
  if (j.is_null()) return c;
  if (!j.is_object() || !j.contains("id")) fail(inQuotes(path) + ": the compressor has no id");
  c.id = j["id"].get<std::string>();
  if (c.id != "blosc" && c.id != "zstd" && c.id != "zlib" && c.id != "gzip")
    fail(inQuotes(path) + ": compressor '" + c.id + "' is not supported (blosc, zstd, zlib, gzip)");
  if (c.id == "blosc") c.cname = j.value("cname", std::string("lz4"));
  return c;
}

/// Shape, chunks, type and codec of one Zarr v2 array (z, y, x).
struct ZarrArray {
  std::string dir;
  Size3 size, chunk;
  VoxelType type = VoxelType::UInt8;
  ZarrCompressor compressor;
  char separator = '.';
  double fill = 0;

  static ZarrArray open(const std::string& dir) {
    const std::string meta = (fs::path(dir) / ".zarray").string();
    if (!fs::is_regular_file(meta)) fail(inQuotes(dir) + " is not a Zarr array (no .zarray)");
    const json j = readJson(meta);
    try {
      if (j.value("zarr_format", 0) != 2) fail(inQuotes(meta) + ": only Zarr format 2 is supported");
      const auto shape = j.at("shape").get<std::vector<std::int64_t>>();
      const auto chunks = j.at("chunks").get<std::vector<std::int64_t>>();
      if (shape.size() != chunks.size() || shape.size() < 2 || shape.size() > 5)
        fail(inQuotes(meta) + ": expected 2 to 5 dimensions with as many chunk sizes");
      // Leading axes (t, c) must be 1: one volume.
      for (std::size_t k = 0; k + 3 < shape.size(); ++k)
        if (shape[k] != 1) fail(inQuotes(meta) + ": only one time point and channel are supported");
      ZarrArray a;
      a.dir = dir;
      const std::size_t d = shape.size();
      a.size = {shape[d - 1], shape[d - 2], d >= 3 ? shape[d - 3] : 1};
      a.chunk = {chunks[d - 1], chunks[d - 2], d >= 3 ? chunks[d - 3] : 1};
      a.leading = d - std::min<std::size_t>(d, 3);
      a.hasZ = d >= 3;
      if (a.size.empty() || a.chunk.empty()) fail(inQuotes(meta) + ": empty shape or chunks");
      a.type = typeOf(j.at("dtype").get<std::string>(), meta);
      if (j.value("order", std::string("C")) != "C") fail(inQuotes(meta) + ": only C order is supported");
      if (j.contains("filters") && !j["filters"].is_null() && !j["filters"].empty())
        fail(inQuotes(meta) + ": filters are not supported");
      a.compressor = compressorFrom(j.value("compressor", json()), meta);
      a.separator = j.value("dimension_separator", std::string(".")) == "/" ? '/' : '.';
      if (j.contains("fill_value") && j["fill_value"].is_number()) a.fill = j["fill_value"].get<double>();
      return a;
    } catch (const json::exception& e) {
      fail(inQuotes(meta) + " is not a valid Zarr array description: " + e.what());
    }
  }

  std::size_t leading = 0; ///< axes before z, y, x (each of size 1): their chunk index "0" leads the key
  bool hasZ = true;        ///< false for a 2D array (y, x)
  std::size_t chunkBytes() const { return std::size_t(chunk.count()) * voxelSize(type); }
  std::string chunkPath(std::int64_t cz, std::int64_t cy, std::int64_t cx) const {
    std::string key;
    for (std::size_t k = 0; k < leading; ++k) key += std::string("0") + separator;
    if (hasZ) key += std::to_string(cz) + separator;
    key += std::to_string(cy) + separator + std::to_string(cx);
    return (fs::path(dir) / key).string();
  }
};

class ZarrReader final : public SliceReader, public ChunkedReader {
public:
  ZarrReader(const std::string& path, const ZarrArray& array, const VolumeInfo& info)
      : SliceReader(path, "ome-zarr"), m_array(array) {
    m_info = info;
  }
  Size3 chunkShape() const override { return m_array.chunk; }
  void setChunkCacheBytes(std::uint64_t bytes) override { m_cacheBudget = bytes; }
  /// blosc or no compressor: one z plane of a chunk is decoded alone (blosc_getitem).
  bool readsPlanesCheaply() const override { return zarrDecodesParts(m_array.compressor); }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t dstStride) override {
    copyBox({{x0, y0, z}, {nx, ny, 1}}, dst, dstStride, dstStride * std::size_t(ny));
  }
  void readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress, jobs::CancelToken& cancel) override {
    if (region.size.z == 1 && readsPlanesCheaply()) return readPlane(region, dst);
    const std::size_t v = voxelSize(m_info.type);
    const std::size_t row = std::size_t(region.size.x) * v;
    // One layer of chunks at a time, so progress moves and each chunk is decoded once per layer.
    const std::int64_t cz = m_array.chunk.z;
    for (std::int64_t z = region.start.z; z < region.end().z;) {
      cancel.throwIfCancelled();
      const std::int64_t z1 = std::min(region.end().z, (z / cz + 1) * cz);
      copyBox({{region.start.x, region.start.y, z}, {region.size.x, region.size.y, z1 - z}},
              dst + std::size_t(z - region.start.z) * row * std::size_t(region.size.y), row,
              row * std::size_t(region.size.y));
      progress.setProgress(double(z1 - region.start.z) / double(region.size.z), "Reading OME-Zarr");
      z = z1;
    }
  }

private:
  /// One z plane of \p region, decoding only that plane of each chunk not decoded already.
  void readPlane(const Region& region, std::uint8_t* dst) {
    const Size3 c = m_array.chunk;
    const std::size_t v = voxelSize(m_info.type), planeBytes = std::size_t(c.x * c.y) * v;
    const std::int64_t kz = region.start.z / c.z, zIn = region.start.z - kz * c.z;
    std::vector<std::uint8_t>& plane = m_scratch;
    plane.resize(planeBytes);
    const Index3 e = region.end();
    for (std::int64_t ky = region.start.y / c.y; ky * c.y < e.y; ++ky)
      for (std::int64_t kx = region.start.x / c.x; kx * c.x < e.x; ++kx) {
        const std::string key = m_array.chunkPath(kz, ky, kx);
        const std::uint8_t* from = nullptr;
        if (const auto it = m_cache.find(key); it != m_cache.end()) {
          from = it->second.first.data() + std::size_t(zIn) * planeBytes;
        } else {
          if (readPlanePart(key, std::size_t(zIn) * planeBytes, planeBytes, plane.data())) {
            // read from the file's bytes of that plane alone
          } else if (readChunkFile(key)) {
            zarrDecodePart(m_array.compressor, m_raw.data(), m_raw.size(), m_array.chunkBytes(),
                           std::size_t(zIn) * planeBytes, planeBytes, plane.data(), key);
          } else {
            fillWith(plane.data(), plane.size());
          }
          from = plane.data();
        }
        const std::int64_t y0 = std::max(region.start.y, ky * c.y), y1 = std::min(e.y, (ky + 1) * c.y);
        const std::int64_t x0 = std::max(region.start.x, kx * c.x), x1 = std::min(e.x, (kx + 1) * c.x);
        for (std::int64_t y = y0; y < y1; ++y)
          std::memcpy(dst + (std::size_t(y - region.start.y) * std::size_t(region.size.x) + std::size_t(x0 - region.start.x)) * v,
                      from + (std::size_t(y - ky * c.y) * std::size_t(c.x) + std::size_t(x0 - kx * c.x)) * v,
                      std::size_t(x1 - x0) * v);
      }
  }

  /// Copies \p box (inside the volume) into \p dst with row and slice strides in bytes.
  void copyBox(const Region& box, std::uint8_t* dst, std::size_t rowStride, std::size_t sliceStride) {
    const Size3 c = m_array.chunk;
    const std::size_t v = voxelSize(m_info.type);
    const Index3 e = box.end();
    for (std::int64_t kz = box.start.z / c.z; kz * c.z < e.z; ++kz)
      for (std::int64_t ky = box.start.y / c.y; ky * c.y < e.y; ++ky)
        for (std::int64_t kx = box.start.x / c.x; kx * c.x < e.x; ++kx) {
          // A whole chunk into a box of its shape (LazyVolume's blocks): decoded in place.
          const Index3 at{kx * c.x, ky * c.y, kz * c.z};
          if (m_cacheBudget < m_array.chunkBytes() && box.start == at && box.size == c && rowStride == std::size_t(c.x) * v &&
              sliceStride == rowStride * std::size_t(c.y)) {
            decodeChunk(kz, ky, kx, dst);
            continue;
          }
          const std::uint8_t* chunk = chunkData(kz, ky, kx);
          const std::int64_t z0 = std::max(box.start.z, kz * c.z), z1 = std::min(e.z, (kz + 1) * c.z);
          const std::int64_t y0 = std::max(box.start.y, ky * c.y), y1 = std::min(e.y, (ky + 1) * c.y);
          const std::int64_t x0 = std::max(box.start.x, kx * c.x), x1 = std::min(e.x, (kx + 1) * c.x);
          for (std::int64_t z = z0; z < z1; ++z)
            for (std::int64_t y = y0; y < y1; ++y) {
              const std::size_t src = std::size_t(((z - kz * c.z) * c.y + (y - ky * c.y)) * c.x + (x0 - kx * c.x)) * v;
              std::memcpy(dst + std::size_t(z - box.start.z) * sliceStride + std::size_t(y - box.start.y) * rowStride +
                              std::size_t(x0 - box.start.x) * v,
                          chunk + src, std::size_t(x1 - x0) * v);
            }
        }
  }

  /// The decoded chunk (kz, ky, kx), from a small LRU cache (a missing chunk file is fill_value).
  const std::uint8_t* chunkData(std::int64_t kz, std::int64_t ky, std::int64_t kx) {
    const std::string key = m_array.chunkPath(kz, ky, kx);
    const auto it = m_cache.find(key);
    if (it != m_cache.end()) {
      m_lru.splice(m_lru.begin(), m_lru, it->second.second);
      return it->second.first.data();
    }
    if (m_cacheBudget < m_array.chunkBytes()) { // no cache (LazyVolume's ChunkCache is the one): reuse one buffer
      m_decoded.resize(m_array.chunkBytes());
      decodeChunk(kz, ky, kx, m_decoded.data());
      return m_decoded.data();
    }
    std::vector<std::uint8_t> data(m_array.chunkBytes());
    decodeChunk(kz, ky, kx, data.data());
    while (!m_lru.empty() && (m_cache.size() + 1) * m_array.chunkBytes() > m_cacheBudget) {
      m_cache.erase(m_lru.back());
      m_lru.pop_back();
    }
    m_lru.push_front(key);
    auto& slot = m_cache[key];
    slot.first = std::move(data);
    slot.second = m_lru.begin();
    return slot.first.data();
  }

  /// Chunk (kz, ky, kx) decoded into \p dst (chunkBytes()); a missing chunk file is fill_value.
  void decodeChunk(std::int64_t kz, std::int64_t ky, std::int64_t kx, std::uint8_t* dst) {
    const std::string key = m_array.chunkPath(kz, ky, kx);
    if (readChunkFile(key)) zarrDecode(m_array.compressor, m_raw.data(), m_raw.size(), dst, m_array.chunkBytes(), key);
    else fillWith(dst, m_array.chunkBytes());
  }

  /// Bytes [offset, offset + bytes) of the decoded blosc chunk in file \p path into \p dst, reading
  /// only the blosc header, its block starts and the blocks holding them (a plane of a stored
  /// chunk is one pread of the plane); false when that cannot be done (not blosc, a missing or
  /// irregular file, a delta filter): the caller reads the whole file, which reports any damage.
  bool readPlanePart(const std::string& path, std::size_t offset, std::size_t bytes, std::uint8_t* dst) {
    if (m_array.compressor.id != "blosc") return false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const FdCloser closer{fd};
    auto readAt = [&](std::uint8_t* to, std::size_t n, std::size_t at) {
      try {
        preadFully(fd, to, n, at, path);
        return true;
      } catch (const std::runtime_error&) { // short or failed: the whole-file read reports it
        return false;
      }
    };
    std::uint8_t header[BLOSC_MIN_HEADER_LENGTH];
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !readAt(header, sizeof header, 0)) return false;
    auto le32 = [&](const std::uint8_t* p) { return std::size_t(p[0]) | std::size_t(p[1]) << 8 | std::size_t(p[2]) << 16 | std::size_t(p[3]) << 24; };
    const std::uint8_t flags = header[2];
    const std::size_t nbytes = le32(header + 4), blocksize = le32(header + 8), cbytes = le32(header + 12);
    const std::size_t typeSize = header[3];
    if (header[0] > 2 || (flags & 0x08) || nbytes != m_array.chunkBytes() || cbytes != std::size_t(st.st_size) ||
        blocksize == 0 || typeSize == 0 || offset % typeSize != 0 || bytes % typeSize != 0)
      return false;
    if (flags & 0x02) // stored as is (incompressible): the plane is at its place after the header
      return cbytes == nbytes + BLOSC_MIN_HEADER_LENGTH && readAt(dst, bytes, BLOSC_MIN_HEADER_LENGTH + offset);
    const std::size_t blocks = (nbytes + blocksize - 1) / blocksize, table = BLOSC_MIN_HEADER_LENGTH + 4 * blocks;
    if (table > cbytes) return false;
    m_raw.resize(cbytes);
    std::memcpy(m_raw.data(), header, sizeof header);
    if (!readAt(m_raw.data() + sizeof header, table - sizeof header, sizeof header)) return false;
    // The blocks' data may lie in any order (blosc compressing on several threads): each block
    // ends where the next one in the file starts.
    const std::size_t first = offset / blocksize, last = (offset + bytes - 1) / blocksize;
    std::size_t from = cbytes, to = table;
    for (std::size_t j = first; j <= last; ++j) {
      const std::size_t start = le32(m_raw.data() + BLOSC_MIN_HEADER_LENGTH + 4 * j);
      std::size_t end = cbytes;
      for (std::size_t k = 0; k < blocks; ++k) {
        const std::size_t other = le32(m_raw.data() + BLOSC_MIN_HEADER_LENGTH + 4 * k);
        if (other > start && other < end) end = other;
      }
      if (start < table || start >= cbytes) return false;
      from = std::min(from, start);
      to = std::max(to, end);
    }
    if (!readAt(m_raw.data() + from, to - from, from)) return false;
    zarrDecodePart(m_array.compressor, m_raw.data(), cbytes, nbytes, offset, bytes, dst, path);
    return true;
  }

  /// Reads chunk file \p path into m_raw (kept between chunks: no allocation per chunk, which in
  /// the reading threads' malloc arenas fragmented the heap between the cached blocks); false when
  /// the file does not exist.
  bool readChunkFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      fail("cannot read " + inQuotes(path) + ": " + std::strerror(errno));
    }
    const FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail("cannot read " + inQuotes(path) + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return false; // not a chunk: as a missing one
    m_raw.resize(std::size_t(st.st_size));
    preadFully(fd, m_raw.data(), m_raw.size(), 0, path);
    return true;
  }

  void fillWith(std::uint8_t* data, std::size_t bytes) const {
    if (m_array.fill == 0) { // zero
      std::memset(data, 0, bytes);
      return;
    }
    dispatchAll(m_info.type, [&](auto t) {
      using T = decltype(t);
      std::fill_n(reinterpret_cast<T*>(data), bytes / sizeof(T), T(m_array.fill));
    });
  }

  template <class F> static void dispatchAll(VoxelType type, F&& f) {
    if (type == VoxelType::Float32) f(float{});
    else dispatch(type, f);
  }

  ZarrArray m_array;
  std::uint64_t m_cacheBudget = std::uint64_t(256) << 20;
  std::map<std::string, std::pair<std::vector<std::uint8_t>, std::list<std::string>::iterator>> m_cache;
  std::list<std::string> m_lru;
  std::vector<std::uint8_t> m_raw;     ///< the last chunk file's bytes
  std::vector<std::uint8_t> m_decoded; ///< the last decoded chunk, when nothing is cached
  std::vector<std::uint8_t> m_scratch; ///< one decoded plane of a chunk
};

/// The multiscales of an OME-Zarr group: each level's path, scale and translation (z, y, x).
struct Multiscales {
  struct Level {
    std::string path;
    Vec3 scale{1, 1, 1}, translation{0, 0, 0};
  };
  std::vector<Level> levels;
};

Multiscales readMultiscales(const std::string& root) {
  Multiscales m;
  const std::string attrs = (fs::path(root) / ".zattrs").string();
  if (!fs::is_regular_file(attrs)) {
    if (fs::is_regular_file(fs::path(root) / ".zarray")) {
      m.levels.push_back({""}); // a bare array
      return m;
    }
    fail(inQuotes(root) + " is neither an OME-Zarr image (no .zattrs) nor a Zarr array (no .zarray)");
  }
  const json j = readJson(attrs);
  try {
    if (!j.contains("multiscales") || j["multiscales"].empty())
      fail(inQuotes(attrs) + " has no multiscales (not an OME-Zarr image)");
    const json& ms = j["multiscales"][0];
    std::size_t dims = ms.contains("axes") ? ms["axes"].size() : 3;
    for (const json& d : ms.at("datasets")) {
      Multiscales::Level l;
      l.path = d.at("path").get<std::string>();
      if (d.contains("coordinateTransformations"))
        for (const json& t : d["coordinateTransformations"]) {
          const std::string type = t.value("type", std::string());
          if (type != "scale" && type != "translation") continue;
          const auto v = t.at(type).get<std::vector<double>>();
          if (v.size() != dims || dims < 2) fail(inQuotes(attrs) + ": a " + type + " has the wrong number of axes");
          const Vec3 xyz{v[dims - 1], v[dims - 2], dims >= 3 ? v[dims - 3] : 1.0};
          (type == "scale" ? l.scale : l.translation) = xyz;
        }
      m.levels.push_back(l);
    }
    if (m.levels.empty()) fail(inQuotes(attrs) + ": the multiscales list no dataset");
  } catch (const json::exception& e) {
    fail(inQuotes(attrs) + " is not valid OME-Zarr metadata: " + e.what());
  }
  return m;
}

} // namespace

bool isOmeZarr(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return false;
  return fs::is_regular_file(fs::path(path) / ".zattrs", ec) || fs::is_regular_file(fs::path(path) / ".zarray", ec) ||
         fs::is_regular_file(fs::path(path) / ".zgroup", ec);
}

namespace {

VolumeInfo levelInfo(const ZarrArray& a, const Multiscales::Level& l) {
  VolumeInfo info;
  info.size = a.size;
  info.type = a.type;
  info.spacing = l.scale;
  info.origin = l.translation;
  return info;
}

} // namespace

std::vector<VolumeInfo> omeZarrLevels(const std::string& path) {
  const Multiscales m = readMultiscales(path);
  std::vector<VolumeInfo> out;
  for (const auto& l : m.levels) {
    const VolumeInfo info = levelInfo(ZarrArray::open((fs::path(path) / l.path).string()), l);
    out.push_back(info);
    // A level's size must agree with its scale (any factor, per axis; rounding either way).
    const VolumeInfo& f = out.front();
    const double want[3] = {double(f.size.x) * f.spacing.x / info.spacing.x, double(f.size.y) * f.spacing.y / info.spacing.y,
                            double(f.size.z) * f.spacing.z / info.spacing.z};
    const std::int64_t got[3] = {info.size.x, info.size.y, info.size.z};
    for (int i = 0; i < 3; ++i)
      if (!(std::abs(double(got[i]) - want[i]) <= 1.0))
        fail(inQuotes(path) + ": resolution level " + std::to_string(out.size() - 1) + " (" + inQuotes(l.path) + ") is " +
             describe(info.size, info.type) + ", which does not match its scale (level 0 is " +
             describe(f.size, f.type) + ")");
  }
  return out;
}

std::unique_ptr<SliceReader> openOmeZarr(const std::string& path, int level) {
  const Multiscales m = readMultiscales(path);
  if (level > 0 && std::size_t(level) < m.levels.size()) (void)omeZarrLevels(path); // the levels agree with their scales
  if (level < 0 || std::size_t(level) >= m.levels.size())
    fail(inQuotes(path) + " has " + std::to_string(m.levels.size()) + " resolution levels; level " +
         std::to_string(level) + " does not exist");
  const auto& l = m.levels[std::size_t(level)];
  const ZarrArray a = ZarrArray::open((fs::path(path) / l.path).string());
  return std::make_unique<ZarrReader>(path, a, levelInfo(a, l));
}

namespace {

/// Writes \p n bytes to a new file \p file, every call checked (a full disk names the reason).
void writeNewFile(const std::string& file, const void* data, std::size_t n) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) core::files::throwSystemError("create", file);
  try {
    core::files::writeFully(fd, data, n, file);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) core::files::throwSystemError("write", file);
}

/// The chunk files of one level of the pyramid being written: each layer of chunks (chunk.z
/// slices, from PyramidBuilder) becomes chunk files L/kz/ky/kx.
class LevelWriter {
public:
  LevelWriter(std::string dir, const VolumeInfo& info, Size3 chunk, ZarrCompressor c)
      : m_dir(std::move(dir)), m_info(info), m_chunk(chunk), m_compressor(std::move(c)) {
    fs::create_directories(m_dir);
  }

  void writeLayer(const Volume& layer, std::int64_t z0) {
    const std::int64_t kz = z0 / m_chunk.z;
    const std::size_t v = voxelSize(m_info.type);
    std::vector<std::uint8_t> chunk(std::size_t(m_chunk.count()) * v);
    for (std::int64_t ky = 0; ky * m_chunk.y < m_info.size.y; ++ky)
      for (std::int64_t kx = 0; kx * m_chunk.x < m_info.size.x; ++kx) {
        std::fill(chunk.begin(), chunk.end(), std::uint8_t(0)); // edge chunks are padded with fill_value 0
        const std::int64_t y1 = std::min(m_info.size.y, (ky + 1) * m_chunk.y), x1 = std::min(m_info.size.x, (kx + 1) * m_chunk.x);
        for (std::int64_t z = 0; z < layer.size().z; ++z)
          for (std::int64_t y = ky * m_chunk.y; y < y1; ++y)
            std::memcpy(chunk.data() + std::size_t((z * m_chunk.y + (y - ky * m_chunk.y)) * m_chunk.x) * v,
                        static_cast<const std::uint8_t*>(layer.data()) + std::size_t(layer.index(kx * m_chunk.x, y, z)) * v,
                        std::size_t(x1 - kx * m_chunk.x) * v);
        const std::vector<std::uint8_t> bytes = zarrEncode(m_compressor, chunk.data(), chunk.size(), v);
        const fs::path dir = fs::path(m_dir) / std::to_string(kz) / std::to_string(ky);
        fs::create_directories(dir);
        writeNewFile((dir / std::to_string(kx)).string(), bytes.data(), bytes.size());
      }
  }

private:
  std::string m_dir;
  VolumeInfo m_info;
  Size3 m_chunk;
  ZarrCompressor m_compressor;
};

std::string stripSlash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

class OmeZarrWriter final : public WriterBase {
public:
  OmeZarrWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(stripSlash(path), info), m_tmp(m_path) {
    checkNewFolder(m_path);
    ZarrCompressor c;
    try {
      c = ZarrCompressor::named(opts.zarrCompressor);
    } catch (const std::invalid_argument& e) {
      fail(std::string("writing ") + inQuotes(m_path) + ": " + e.what());
    }
    const Size3 chunk{std::clamp<std::int64_t>(opts.hdf5Chunk.x, 1, info.size.x),
                      std::clamp<std::int64_t>(opts.hdf5Chunk.y, 1, info.size.y),
                      std::clamp<std::int64_t>(opts.hdf5Chunk.z, 1, info.size.z)};
    const int levels = pyramidLevelCount(info.size, opts.pyramidLevels);
    const std::vector<VolumeInfo> infos = pyramidLevelInfos(info, levels);
    const std::int64_t depth = pyramidChunkDepth(chunk.z, info.size.z);
    named([&] {
      fs::create_directories(m_tmp.path());
      for (int k = 0; k < levels; ++k) {
        const VolumeInfo& li = infos[std::size_t(k)];
        const Size3 ck{std::min(chunk.x, li.size.x), std::min(chunk.y, li.size.y), std::min(depth, li.size.z)};
        const std::string dir = (fs::path(m_tmp.path()) / std::to_string(k)).string();
        m_levels.push_back(std::make_unique<LevelWriter>(dir, li, ck, c));
        const json arr = {{"zarr_format", 2},
                          {"shape", {li.size.z, li.size.y, li.size.x}},
                          {"chunks", {ck.z, ck.y, ck.x}},
                          {"dtype", dtypeOf(info.type)},
                          {"compressor", compressorJson(c)},
                          {"fill_value", 0},
                          {"order", "C"},
                          {"filters", nullptr},
                          {"dimension_separator", "/"}};
        writeMeta((fs::path(dir) / ".zarray").string(), arr);
      }
    });
    m_builder = std::make_unique<PyramidBuilder>(infos, depth, [this](int k, const Volume& layer, std::int64_t z0) {
      m_levels[std::size_t(k)]->writeLayer(layer, z0);
    });
    json datasets = json::array();
    for (int k = 0; k < levels; ++k) {
      const Vec3& s = infos[std::size_t(k)].spacing;
      const Vec3& t = infos[std::size_t(k)].origin;
      datasets.push_back({{"path", std::to_string(k)},
                          {"coordinateTransformations",
                           {{{"type", "scale"}, {"scale", {s.z, s.y, s.x}}},
                            {{"type", "translation"}, {"translation", {t.z, t.y, t.x}}}}}});
    }
    const json axes = {{{"name", "z"}, {"type", "space"}, {"unit", "micrometer"}},
                       {{"name", "y"}, {"type", "space"}, {"unit", "micrometer"}},
                       {{"name", "x"}, {"type", "space"}, {"unit", "micrometer"}}};
    m_attrs = {{"multiscales",
                {{{"version", "0.4"},
                  {"name", fs::path(m_path).stem().string()},
                  {"axes", axes},
                  {"datasets", datasets},
                  {"type", "mean"},
                  {"metadata", {{"method", "2x2x2 block mean"}, {"writer", "cdnet " CDNET_VERSION}}}}}}};
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t) override {
    named([&] { m_builder->add(slab); });
  }

  void complete() override {
    named([&] {
      writeMeta((fs::path(m_tmp.path()) / ".zgroup").string(), {{"zarr_format", 2}});
      writeMeta((fs::path(m_tmp.path()) / ".zattrs").string(), m_attrs);
    });
    commitFolder(m_tmp, m_path);
  }

private:
  /// Runs \p f; a failure to write (a full disk) names the output, not only its temporary.
  template <class F> void named(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      const std::string what = e.what();
      if (what.find(m_path) != std::string::npos) throw;
      fail("cannot write " + inQuotes(m_path) + ": " + what);
    }
  }
  void writeMeta(const std::string& file, const json& j) {
    const std::string text = j.dump(2) + "\n";
    writeNewFile(file, text.data(), text.size());
  }

  core::files::TemporaryPath m_tmp;
  std::vector<std::unique_ptr<LevelWriter>> m_levels;
  std::unique_ptr<PyramidBuilder> m_builder;
  json m_attrs;
};

} // namespace

std::unique_ptr<VolumeWriter> createOmeZarrWriter(const std::string& path, const VolumeInfo& info,
                                                  const WriteOptions& opts) {
  return std::make_unique<OmeZarrWriter>(path, info, opts);
}

} // namespace core::volume::io
