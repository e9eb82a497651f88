// Readers of voxels stored plainly at an offset of a file: raw, ESRF .vol, and the data of NRRD.
#include "core/volume/io/Readers.h"

#include "core/volume/Checked.h"
#include "core/volume/io/IoSupport.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

/// Where the bytes come from: a plain file (pread) or a compressed stream (sequential, seeks restart).
class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual void readAt(std::uint64_t offset, void* dst, std::size_t n) = 0;
};

class FileSource final : public ByteSource {
public:
  FileSource(const std::string& path, std::uint64_t base) : m_path(path), m_fd(openReadOnly(path)), m_base(base) {}
  ~FileSource() override { ::close(m_fd); }
  void readAt(std::uint64_t offset, void* dst, std::size_t n) override { preadFully(m_fd, dst, n, m_base + offset, m_path); }

private:
  std::string m_path;
  int m_fd;
  std::uint64_t m_base;
};

/// A zlib or gzip stream (format detected from its first bytes; concatenated gzip members are one
/// stream) starting at byte \p base of the file; its uncompressed content from byte \p skip on are
/// the voxels, \p expected bytes of them. Read forwards; seeking back restarts.
class InflateSource final : public ByteSource {
public:
  InflateSource(const std::string& path, std::uint64_t base, std::uint64_t skip, std::uint64_t expected)
      : m_path(path), m_fd(openReadOnly(path)), m_base(base), m_skip(skip), m_expected(expected), m_in(1u << 20) {
    if (inflateInit2(&m_z, 15 + 32) != Z_OK) { // 15 + 32: zlib or gzip header, detected
      ::close(m_fd);
      fail("cannot start decompressing " + inQuotes(path));
    }
    m_inAt = base;
  }
  ~InflateSource() override {
    inflateEnd(&m_z);
    ::close(m_fd);
  }
  void readAt(std::uint64_t offset, void* dst, std::size_t n) override {
    offset = checkedAdd(offset, m_skip, "an offset in the compressed data");
    if (offset < m_pos) restart();
    if (offset > m_pos) {
      m_scratch.resize(std::size_t(1) << 20);
      while (m_pos < offset) inflateExactly(m_scratch.data(), std::size_t(std::min<std::uint64_t>(m_scratch.size(), offset - m_pos)));
    }
    inflateExactly(static_cast<std::uint8_t*>(dst), n);
    if (m_pos == m_skip + m_expected) checkEnd();
  }

private:
  void restart() {
    inflateReset(&m_z);
    m_z.avail_in = 0;
    m_inAt = m_base;
    m_eof = false;
    m_pos = 0;
  }
  void refill() {
    ssize_t got;
    do got = ::pread(m_fd, m_in.data(), m_in.size(), off_t(m_inAt));
    while (got < 0 && errno == EINTR);
    if (got < 0) fail("cannot read " + inQuotes(m_path) + ": " + std::strerror(errno));
    if (got == 0) m_eof = true;
    m_inAt += std::uint64_t(got);
    m_z.next_in = m_in.data();
    m_z.avail_in = uInt(got);
  }
  void inflateExactly(std::uint8_t* dst, std::size_t n) {
    while (n > 0) {
      if (m_z.avail_in == 0 && !m_eof) refill();
      m_z.next_out = dst;
      m_z.avail_out = uInt(std::min<std::size_t>(n, std::size_t(1) << 30));
      const int rc = inflate(&m_z, Z_NO_FLUSH);
      const std::size_t got = std::size_t(m_z.next_out - dst);
      dst += got;
      n -= got;
      m_pos += got;
      if (rc == Z_STREAM_END) {
        if (n == 0) break;
        if (m_z.avail_in == 0 && !m_eof) refill();
        if (m_z.avail_in == 0) tooShort();
        inflateReset(&m_z); // another gzip member follows
        continue;
      }
      if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR)
        fail("file " + inQuotes(m_path) + " is damaged: its compressed voxel data cannot be decompressed (zlib: " +
             (m_z.msg ? m_z.msg : "error " + std::to_string(rc)) + ")");
      if (got == 0 && m_z.avail_in == 0 && m_eof) tooShort();
    }
  }
  // After the last voxel the stream must end with its checksum (a cut file or damaged data is
  // found there); more data than the header says is tolerated.
  void checkEnd() {
    std::uint8_t extra[256];
    for (;;) {
      if (m_z.avail_in == 0 && !m_eof) refill();
      m_z.next_out = extra;
      m_z.avail_out = sizeof extra;
      const int rc = inflate(&m_z, Z_NO_FLUSH);
      if (rc == Z_STREAM_END || m_z.next_out != extra) return;
      if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR)
        fail("file " + inQuotes(m_path) + " is damaged: its compressed voxel data does not end as it should (zlib: " +
             (m_z.msg ? m_z.msg : "error " + std::to_string(rc)) + ")");
      if (m_z.avail_in == 0 && m_eof)
        fail("file " + inQuotes(m_path) + " is truncated: its compressed data stops before its end (the checksum "
             "after the voxels is missing)");
    }
  }
  [[noreturn]] void tooShort() {
    fail("file " + inQuotes(m_path) + " is truncated: its compressed data holds only " + std::to_string(m_pos) +
         " bytes where " + std::to_string(m_skip + m_expected) + " are expected" +
         (m_skip ? " (" + std::to_string(m_skip) + " of header and " + std::to_string(m_expected) + " of voxels)"
                 : std::string(" (the voxels the header describes)")));
  }

  std::string m_path;
  int m_fd;
  std::uint64_t m_base, m_skip, m_expected;
  z_stream m_z{};
  std::vector<Bytef> m_in;
  std::vector<std::uint8_t> m_scratch;
  std::uint64_t m_inAt = 0, m_pos = 0; ///< next byte of the file to read; bytes inflated so far
  bool m_eof = false;
};

class RawLayoutReader final : public SliceReader {
public:
  RawLayoutReader(const std::string& path, const std::string& dataPath, const std::string& format,
                  const VolumeInfo& info, Component component, bool bigEndian, std::uint64_t offset, bool gzip,
                  std::uint64_t gzipSkip)
      : SliceReader(path, format), m_component(component) {
    m_info = info;
    m_info.type = voxelTypeFor(component);
    if (m_info.size.empty())
      fail(inQuotes(path) + ": the volume size " + describe(m_info.size, m_info.type) + " is not positive");
    m_swap = componentSize(component) > 1 && bigEndian != hostIsBigEndian();
    m_direct = componentFor(m_info.type) == component;
    (void)m_info.bytes(); // sizes within kMaxVolumeBytes before any other arithmetic
    const std::uint64_t dataBytes =
        checkedMul<std::uint64_t>(std::uint64_t(m_info.size.count()), componentSize(component), "the voxel data size");
    if (!gzip) {
      const std::uint64_t size = fileSize(dataPath);
      if (size == 0) fail("file " + inQuotes(dataPath) + " is empty");
      if (offset > size || size - offset < dataBytes)
        fail("file " + inQuotes(dataPath) + " is truncated: expected " +
             std::to_string(saturatingAdd(offset, dataBytes)) + " bytes, found " + std::to_string(size) + " (" +
             (format == "raw" ? std::string("the raw parameters") : dataPath == path ? std::string("its header") : inQuotes(path)) +
             (format == "raw" ? " describe " : " describes ") +
             std::to_string(m_info.size.x) + "x" + std::to_string(m_info.size.y) + "x" + std::to_string(m_info.size.z) +
             " " + toString(component) + " voxels, " + std::to_string(dataBytes) + " bytes from byte " +
             std::to_string(offset) + ")");
      m_source = std::make_unique<FileSource>(dataPath, offset);
    } else {
      m_source = std::make_unique<InflateSource>(dataPath, offset, gzipSkip, dataBytes);
    }
  }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t stride) override {
    const std::size_t cs = componentSize(m_component), vs = voxelSize(m_info.type);
    const std::int64_t w = m_info.size.x, h = m_info.size.y;
    auto at = [&](std::int64_t y) { return std::uint64_t(((z * h + y) * w + x0)) * cs; };
    if (m_direct && nx == w && stride == std::size_t(nx) * vs) {
      const std::size_t n = std::size_t(nx * ny);
      m_source->readAt(at(y0), dst, n * cs);
      if (m_swap) swapBytes(dst, cs, n);
      return;
    }
    m_row.resize(std::size_t(nx) * cs);
    for (std::int64_t y = 0; y < ny; ++y) {
      std::uint8_t* out = dst + std::size_t(y) * stride;
      if (m_direct) {
        m_source->readAt(at(y0 + y), out, std::size_t(nx) * cs);
        if (m_swap) swapBytes(out, cs, std::size_t(nx));
      } else {
        m_source->readAt(at(y0 + y), m_row.data(), m_row.size());
        convertSamples(m_row.data(), m_component, m_swap, out, m_info.type, std::size_t(nx));
      }
    }
  }

  // Whole slices of a directly stored type are contiguous in the file: read them in big pieces.
  void readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress,
                 jobs::CancelToken& cancel) override {
    if (!m_direct || region.start.x != 0 || region.start.y != 0 || region.size.x != m_info.size.x ||
        region.size.y != m_info.size.y) {
      SliceReader::readBlock(region, dst, progress, cancel);
      return;
    }
    const std::size_t cs = componentSize(m_component);
    const std::uint64_t begin = std::uint64_t(region.start.z) * m_info.sliceBytes();
    const std::uint64_t total = std::uint64_t(region.size.z) * m_info.sliceBytes();
    const std::uint64_t piece = std::uint64_t(64) << 20;
    for (std::uint64_t done = 0; done < total;) {
      cancel.throwIfCancelled();
      const std::size_t n = std::size_t(std::min(piece, total - done));
      m_source->readAt(begin + done, dst + done, n);
      if (m_swap) swapBytes(dst + done, cs, n / cs);
      done += n;
      progress.setProgress(double(done) / double(total), "Reading");
    }
  }

  std::int64_t preferredRows() const override { return 256; }

private:
  Component m_component;
  bool m_swap = false, m_direct = true;
  std::unique_ptr<ByteSource> m_source;
  std::vector<std::uint8_t> m_row;
};

std::map<std::string, std::string> readKeyValues(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> kv;
  std::string line;
  auto trim = [](std::string s) {
    const auto a = s.find_first_not_of(" \t\r");
    const auto b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    kv[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return kv;
}

} // namespace

std::unique_ptr<SliceReader> openRawLayout(const std::string& path, const std::string& dataPath,
                                           const std::string& format, const VolumeInfo& info, Component component,
                                           bool bigEndian, std::uint64_t offset, bool gzip, std::uint64_t gzipSkip) {
  return std::make_unique<RawLayoutReader>(path, dataPath, format, info, component, bigEndian, offset, gzip, gzipSkip);
}

std::unique_ptr<SliceReader> openRaw(const std::string& path, const RawParams& params) {
  if (params.size.empty())
    fail("raw file " + inQuotes(path) + " needs its size X,Y,Z (positive numbers of voxels) and voxel type");
  VolumeInfo info;
  info.size = params.size;
  info.type = params.type;
  info.spacing = params.spacing;
  (void)info.bytes(); // throws on a size that overflows
  return openRawLayout(path, path, "raw", info, componentFor(params.type), params.bigEndian, params.headerOffset, false);
}

std::unique_ptr<SliceReader> openEsrfVol(const std::string& path, const std::optional<RawParams>& fallback) {
  const std::uint64_t size = fileSize(path);
  if (size == 0) fail("file " + inQuotes(path) + " is empty");
  std::string infoPath = path + ".info";
  if (!fs::exists(infoPath)) {
    const std::string alt = (fs::path(path).parent_path() / fs::path(path).stem()).string() + ".info";
    if (fs::exists(alt)) infoPath = alt;
  }
  if (!fs::exists(infoPath)) {
    if (fallback) return openRaw(path, *fallback);
    fail("ESRF volume " + inQuotes(path) + " has no " + inQuotes(path + ".info") +
         " (with NUM_X, NUM_Y, NUM_Z); give its size and type as raw parameters to read it anyway");
  }
  auto kv = readKeyValues(infoPath);
  auto number = [&](const char* key, bool required) -> std::int64_t {
    auto it = kv.find(key);
    if (it == kv.end() || it->second.empty()) {
      if (required) fail(inQuotes(infoPath) + " lacks " + key);
      return 0;
    }
    char* end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (v <= 0) fail(inQuotes(infoPath) + " has an invalid " + key + " '" + it->second + "'");
    return v;
  };
  VolumeInfo info;
  info.type = VoxelType::Float32;
  info.size = {number("NUM_X", true), number("NUM_Y", true), number("NUM_Z", false)};
  (void)info.bytes(); // an empty NUM_Z counts as 1: a slice's bytes below cannot overflow or be 0
  if (info.size.z == 0) info.size.z = std::int64_t(size / info.sliceBytes());
  if (info.size.z == 0) checkTruncated(path, info.sliceBytes(), size);
  auto vs = kv.find("voxelSize");
  if (vs != kv.end()) {
    const double s = std::atof(vs->second.c_str());
    if (s > 0) info.spacing = {s, s, s};
  }
  bool big = false;
  auto bo = kv.find("BYTEORDER");
  if (bo != kv.end()) {
    std::string v = bo->second;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (v == "HIGHBYTEFIRST" || v == "BIGENDIAN" || v == "BIG_ENDIAN") big = true;
    else if (v != "LOWBYTEFIRST" && v != "LITTLEENDIAN" && v != "LITTLE_ENDIAN")
      fail(inQuotes(infoPath) + " has an unknown BYTEORDER '" + bo->second + "'");
  }
  return openRawLayout(path, path, "vol", info, Component::F32, big, 0, false);
}

} // namespace core::volume::io
