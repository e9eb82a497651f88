// Readers of voxels stored plainly at an offset of a file: raw, ESRF .vol, and the data of NRRD.
#include "core/volume/io/Readers.h"

#include "core/volume/io/IoSupport.h"

#include <algorithm>
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

/// Where the bytes come from: a plain file (pread) or a gzip stream (sequential, seeks restart).
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

class GzSource final : public ByteSource {
public:
  GzSource(const std::string& path, std::uint64_t base, std::uint64_t skip) : m_path(path), m_skip(skip) {
    const int fd = openReadOnly(path);
    if (::lseek(fd, off_t(base), SEEK_SET) < 0) {
      ::close(fd);
      fail("cannot seek in " + inQuotes(path));
    }
    m_gz = gzdopen(fd, "rb");
    if (!m_gz) {
      ::close(fd);
      fail("cannot open the gzip data of " + inQuotes(path));
    }
    gzbuffer(m_gz, 1 << 20);
  }
  ~GzSource() override { gzclose(m_gz); }
  void readAt(std::uint64_t offset, void* dst, std::size_t n) override {
    offset += m_skip;
    if (offset != m_pos) {
      if (offset < m_pos) {
        gzrewind(m_gz);
        m_pos = 0;
      }
      if (gzseek(m_gz, z_off_t(offset), SEEK_SET) < 0) damaged();
      m_pos = offset;
    }
    auto* p = static_cast<std::uint8_t*>(dst);
    while (n > 0) {
      const unsigned chunk = unsigned(std::min<std::size_t>(n, 1u << 30));
      const int got = gzread(m_gz, p, chunk);
      if (got <= 0) damaged();
      p += got;
      n -= std::size_t(got);
      m_pos += std::uint64_t(got);
    }
  }

private:
  [[noreturn]] void damaged() {
    int err = 0;
    const char* msg = gzerror(m_gz, &err);
    fail("file " + inQuotes(m_path) + " is truncated or damaged: its gzip data ends early" +
         (err != Z_OK && msg ? std::string(" (") + msg + ")" : std::string()));
  }
  std::string m_path;
  gzFile m_gz = nullptr;
  std::uint64_t m_pos = 0, m_skip = 0;
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
    const std::uint64_t dataBytes = std::uint64_t(m_info.size.count()) * componentSize(component);
    if (!gzip) {
      const std::uint64_t size = fileSize(dataPath);
      if (size == 0) fail("file " + inQuotes(dataPath) + " is empty");
      checkTruncated(dataPath, offset + dataBytes, size);
      m_source = std::make_unique<FileSource>(dataPath, offset);
    } else {
      m_source = std::make_unique<GzSource>(dataPath, offset, gzipSkip);
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
  if (info.size.z == 0) info.size.z = std::int64_t(size / std::uint64_t(info.size.x * info.size.y * 4));
  if (info.size.z == 0) checkTruncated(path, std::uint64_t(info.size.x * info.size.y * 4), size);
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
