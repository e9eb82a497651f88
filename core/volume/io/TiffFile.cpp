#include "core/volume/io/TiffFile.h"

#include "core/volume/Checked.h"
#include "core/volume/io/IoSupport.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>
#include <tiffio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace core::volume::io {

namespace {

// libtiff reports through handlers; ours keeps the last error of each handle instead of printing.
int captureError(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  auto* last = static_cast<std::string*>(user);
  *last = (module && *module ? std::string(module) + ": " : std::string()) + buf;
  return 1;
}
int ignoreWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

thread_local std::string t_lastError;

TIFF* openWithCapture(const std::string& path, const char* mode) {
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(opts, captureError, &t_lastError);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, ignoreWarning, nullptr);
  t_lastError.clear();
  TIFF* tif = TIFFOpenExt(path.c_str(), mode, opts);
  TIFFOpenOptionsFree(opts);
  return tif;
}

std::uint64_t readUnsigned(const std::uint8_t* p, int bytes, bool big) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= std::uint64_t(p[big ? bytes - 1 - i : i]) << (8 * i);
  return v;
}

double unitToMicrometres(std::string unit) {
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (unit == "micron" || unit == "microns" || unit == "um" || unit == "\xc2\xb5m" || unit == "\\u00b5m" ||
      unit == "micrometer" || unit == "micrometre")
    return 1.0;
  if (unit == "nm" || unit == "nanometer" || unit == "nanometre") return 1e-3;
  if (unit == "mm" || unit == "millimeter" || unit == "millimetre") return 1e3;
  if (unit == "cm") return 1e4;
  if (unit == "m" || unit == "meter" || unit == "metre") return 1e6;
  return 0; // unknown or "pixel": no physical size
}

} // namespace

bool hasTiffMagic(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char h[4] = {0, 0, 0, 0};
  const std::size_t n = std::fread(h, 1, 4, f);
  std::fclose(f);
  if (n < 4) return false;
  return (h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0) ||
         (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43));
}

TiffFile::TiffFile(const std::string& path) : m_path(path) {
  m_fileSize = fileSize(path);
  if (m_fileSize == 0) fail("file " + inQuotes(path) + " is empty");
  walkDirectories();
  m_tif = openWithCapture(path, "rm"); // 'm': no memory mapping
  if (!m_tif) libtiffFailure("is not a readable TIFF");
  m_current = 0;
}

TiffFile::~TiffFile() {
  if (m_tif) TIFFClose(m_tif);
}

void TiffFile::libtiffFailure(const std::string& what) {
  fail("file " + inQuotes(m_path) + " " + what + (t_lastError.empty() ? "" : " (libtiff: " + t_lastError + ")"));
}

// Walks the IFD chain with plain reads, so that a truncated or looping file gives a clear message
// and every page can later be reached by its offset.
void TiffFile::walkDirectories() {
  const int fd = openReadOnly(m_path);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  std::uint8_t h[16] = {};
  if (m_fileSize < 8) checkTruncated(m_path, 8, m_fileSize);
  preadFully(fd, h, std::size_t(std::min<std::uint64_t>(16, m_fileSize)), 0, m_path);
  const bool big = h[0] == 'M';
  if (!((h[0] == 'I' && h[1] == 'I') || (h[0] == 'M' && h[1] == 'M')))
    fail("file " + inQuotes(m_path) + " is not a TIFF (bad magic bytes)");
  const auto magic = readUnsigned(h + 2, 2, big);
  const bool bigTiff = magic == 43;
  if (magic != 42 && !bigTiff) fail("file " + inQuotes(m_path) + " is not a TIFF (bad magic number)");
  if (bigTiff) checkTruncated(m_path, 16, m_fileSize);
  std::uint64_t offset = bigTiff ? readUnsigned(h + 8, 8, big) : readUnsigned(h + 4, 4, big);
  const int countBytes = bigTiff ? 8 : 2, entryBytes = bigTiff ? 20 : 12, nextBytes = bigTiff ? 8 : 4;
  std::set<std::uint64_t> seen;
  while (offset != 0) {
    if (!seen.insert(offset).second) fail("file " + inQuotes(m_path) + " is damaged: its page list loops");
    if (seen.size() > 10'000'000) fail("file " + inQuotes(m_path) + " has too many pages");
    // Offsets and counts come from the file: saturate instead of wrapping, so a huge one reads as
    // "truncated" rather than as a small offset.
    checkTruncated(m_path, saturatingAdd(offset, std::uint64_t(countBytes)), m_fileSize);
    std::uint8_t buf[8];
    preadFully(fd, buf, std::size_t(countBytes), offset, m_path);
    const std::uint64_t count = readUnsigned(buf, countBytes, big);
    std::uint64_t entries = 0;
    if (__builtin_mul_overflow(count, std::uint64_t(entryBytes), &entries)) entries = ~std::uint64_t(0);
    const std::uint64_t nextAt = saturatingAdd(saturatingAdd(offset, std::uint64_t(countBytes)), entries);
    checkTruncated(m_path, saturatingAdd(nextAt, std::uint64_t(nextBytes)), m_fileSize);
    if (count > 4096)
      fail("file " + inQuotes(m_path) + " is damaged: page " + std::to_string(m_offsets.size()) + " has " +
           std::to_string(count) + " tags");
    checkTagData(fd, offset + std::uint64_t(countBytes), std::size_t(count), big, bigTiff);
    m_offsets.push_back(offset);
    preadFully(fd, buf, std::size_t(nextBytes), nextAt, m_path);
    offset = readUnsigned(buf, nextBytes, big);
  }
  if (m_offsets.empty()) fail("file " + inQuotes(m_path) + " is a TIFF without images");
}

// The values of each tag that do not fit in its entry lie elsewhere in the file: they must lie
// inside it, or libtiff would drop the tag (a page's description, resolution) with a warning.
void TiffFile::checkTagData(int fd, std::uint64_t at, std::size_t count, bool big, bool bigTiff) {
  static const std::uint8_t typeSize[19] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};
  const std::size_t entryBytes = bigTiff ? 20 : 12, valueBytes = bigTiff ? 8 : 4, countBytes = bigTiff ? 8 : 4;
  std::vector<std::uint8_t> entries(count * entryBytes);
  preadFully(fd, entries.data(), entries.size(), at, m_path);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* e = entries.data() + i * entryBytes;
    const auto tag = readUnsigned(e, 2, big), type = readUnsigned(e + 2, 2, big);
    if (type >= sizeof typeSize || typeSize[type] == 0) continue; // unknown types are skipped by libtiff
    const std::uint64_t n = readUnsigned(e + 4, int(countBytes), big);
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(n, std::uint64_t(typeSize[type]), &bytes)) bytes = ~std::uint64_t(0);
    if (bytes <= valueBytes) continue; // held in the entry itself
    const std::uint64_t offset = readUnsigned(e + 4 + countBytes, int(valueBytes), big);
    if (saturatingAdd(offset, bytes) > m_fileSize)
      fail("file " + inQuotes(m_path) + " is truncated: tag " + std::to_string(tag) + " of page " +
           std::to_string(m_offsets.size()) + " needs bytes up to " + std::to_string(saturatingAdd(offset, bytes)) +
           ", found " + std::to_string(m_fileSize));
  }
}

void TiffFile::select(std::size_t page) {
  if (page >= m_offsets.size()) fail("file " + inQuotes(m_path) + " has no page " + std::to_string(page));
  if (page == m_current && TIFFCurrentDirOffset(m_tif) == m_offsets[page]) return;
  t_lastError.clear();
  if (!TIFFSetSubDirectory(m_tif, m_offsets[page])) libtiffFailure("page " + std::to_string(page) + " cannot be read");
  m_current = page;
}

TiffPage TiffFile::page(std::size_t index) {
  select(index);
  const std::string where = "file " + inQuotes(m_path) + (m_offsets.size() > 1 ? " page " + std::to_string(index) : "");
  TiffPage p;
  std::uint32_t w = 0, hgt = 0, subfile = 0;
  std::uint16_t bits = 1, spp = 1, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG;
  if (!TIFFGetField(m_tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(m_tif, TIFFTAG_IMAGELENGTH, &hgt))
    fail(where + " has no image size");
  TIFFGetFieldDefaulted(m_tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(m_tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(m_tif, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(m_tif, TIFFTAG_PLANARCONFIG, &planar);
  if (TIFFGetField(m_tif, TIFFTAG_SUBFILETYPE, &subfile)) p.reduced = (subfile & FILETYPE_REDUCEDIMAGE) != 0;
  if (spp != 1)
    fail(where + " has " + std::to_string(spp) + " samples per pixel; only grayscale images are supported");
  if (format == SAMPLEFORMAT_UINT && bits == 8) p.type = VoxelType::UInt8;
  else if (format == SAMPLEFORMAT_UINT && bits == 16) p.type = VoxelType::UInt16;
  else if (format == SAMPLEFORMAT_UINT && bits == 32) p.type = VoxelType::UInt32;
  else if (format == SAMPLEFORMAT_IEEEFP && bits == 32) p.type = VoxelType::Float32;
  else
    fail(where + " has " + std::to_string(bits) + "-bit " +
         (format == SAMPLEFORMAT_INT ? "signed" : format == SAMPLEFORMAT_IEEEFP ? "float" : "unsigned") +
         " samples; supported are 8, 16 and 32-bit unsigned and 32-bit float");
  p.width = w;
  p.height = hgt;
  if (w == 0 || hgt == 0) fail(where + " has an empty image");
  p.tiled = TIFFIsTiled(m_tif) != 0;
  if (p.tiled) {
    TIFFGetField(m_tif, TIFFTAG_TILEWIDTH, &p.tileWidth);
    TIFFGetField(m_tif, TIFFTAG_TILELENGTH, &p.tileHeight);
    if (p.tileWidth == 0 || p.tileHeight == 0) fail(where + " has tiles of size 0");
  } else {
    TIFFGetFieldDefaulted(m_tif, TIFFTAG_ROWSPERSTRIP, &p.rowsPerStrip);
    p.rowsPerStrip = std::max<std::uint32_t>(1, std::min<std::uint32_t>(p.rowsPerStrip, hgt));
  }
  // Every strip or tile must lie inside the file.
  const std::uint32_t n = p.tiled ? TIFFNumberOfTiles(m_tif) : TIFFNumberOfStrips(m_tif);
  std::uint64_t end = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    int err = 0;
    const std::uint64_t off = TIFFGetStrileOffsetWithErr(m_tif, i, &err);
    const std::uint64_t len = TIFFGetStrileByteCountWithErr(m_tif, i, &err);
    if (err) libtiffFailure("page " + std::to_string(index) + " has a damaged strip table");
    end = std::max(end, saturatingAdd(off, len));
  }
  checkTruncated(m_path, end, m_fileSize);
  m_info = p;
  m_infoPage = index;
  return p;
}

TiffGeometry TiffFile::geometry(std::size_t index) {
  select(index);
  TiffGeometry g;
  char* desc = nullptr;
  std::string unit;
  double zSpacing = 0;
  if (TIFFGetField(m_tif, TIFFTAG_IMAGEDESCRIPTION, &desc) && desc) {
    std::istringstream in(desc);
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
      if (key == "unit") unit = value;
      else if (key == "spacing") zSpacing = std::atof(value.c_str());
      else if (key == "cdnet_origin") std::sscanf(value.c_str(), "%lf,%lf,%lf", &g.origin.x, &g.origin.y, &g.origin.z);
    }
  }
  float xres = 0, yres = 0;
  std::uint16_t resUnit = RESUNIT_INCH;
  TIFFGetFieldDefaulted(m_tif, TIFFTAG_RESOLUTIONUNIT, &resUnit);
  const bool hasX = TIFFGetField(m_tif, TIFFTAG_XRESOLUTION, &xres) && xres > 0;
  const bool hasY = TIFFGetField(m_tif, TIFFTAG_YRESOLUTION, &yres) && yres > 0;
  double factor = 0; // micrometres per resolution unit
  if (!unit.empty()) factor = unitToMicrometres(unit);
  else if (resUnit == RESUNIT_CENTIMETER) factor = 1e4;
  else if (resUnit == RESUNIT_INCH && hasX && xres != 72.f) factor = 25400; // 72 dpi is a screen default
  if (factor > 0) {
    if (hasX) g.spacing.x = factor / double(xres);
    if (hasY) g.spacing.y = factor / double(yres);
    if (zSpacing > 0) g.spacing.z = zSpacing * factor;
    else g.spacing.z = g.spacing.x;
  }
  return g;
}

void TiffFile::readRect(std::size_t pageIndex, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny,
                        std::uint8_t* dst, std::size_t stride) {
  if (m_infoPage != pageIndex) page(pageIndex);
  select(pageIndex);
  const TiffPage& p = m_info;
  const std::size_t vs = voxelSize(p.type);
  const std::size_t fullRow = std::size_t(p.width) * vs;
  if (!p.tiled) {
    const std::int64_t rps = p.rowsPerStrip;
    for (std::int64_t s = y0 / rps; s * rps < y0 + ny; ++s) {
      const std::int64_t sy0 = s * rps, sy1 = std::min<std::int64_t>(sy0 + rps, p.height);
      const std::int64_t a = std::max(sy0, y0), b = std::min(sy1, y0 + ny);
      const tmsize_t stripBytes = tmsize_t(std::size_t(sy1 - sy0) * fullRow);
      // Whole strip wanted, whole rows, contiguous destination: decode straight into it.
      if (a == sy0 && b == sy1 && x0 == 0 && nx == p.width && stride == fullRow) {
        t_lastError.clear();
        checkDecoded(TIFFReadEncodedStrip(m_tif, std::uint32_t(s), dst + std::size_t(a - y0) * stride, stripBytes),
                     stripBytes, pageIndex, "strip", s);
        continue;
      }
      if (m_cachePage != pageIndex || m_cacheIndex != s) {
        m_cacheIndex = -1;
        checkAllocation(std::uint64_t(rps) * fullRow, "decoding a strip of " + inQuotes(m_path));
        m_cache.resize(std::size_t(rps) * fullRow);
        t_lastError.clear();
        checkDecoded(TIFFReadEncodedStrip(m_tif, std::uint32_t(s), m_cache.data(), stripBytes), stripBytes, pageIndex,
                     "strip", s);
        m_cachePage = pageIndex;
        m_cacheIndex = s;
      }
      for (std::int64_t y = a; y < b; ++y)
        std::memcpy(dst + std::size_t(y - y0) * stride, m_cache.data() + std::size_t(y - sy0) * fullRow + std::size_t(x0) * vs,
                    std::size_t(nx) * vs);
    }
    return;
  }
  // Tiled: keep the decoded tiles of one tile row.
  const std::int64_t tw = p.tileWidth, th = p.tileHeight;
  const std::int64_t across = (p.width + tw - 1) / tw;
  const std::uint64_t tileBytes = checkedMul<std::uint64_t>(checkedMul<std::uint64_t>(std::uint64_t(tw), std::uint64_t(th),
                                                                                   "the tile size"), vs, "the tile size");
  for (std::int64_t tr = y0 / th; tr * th < y0 + ny; ++tr) {
    if (m_cachePage != pageIndex || m_cacheIndex != tr) {
      m_cacheIndex = -1;
      const std::uint64_t rowBytes = checkedMul<std::uint64_t>(tileBytes, std::uint64_t(across), "a row of tiles");
      checkAllocation(rowBytes, "decoding a row of tiles of " + inQuotes(m_path));
      m_cache.resize(std::size_t(rowBytes));
      m_tileLoaded.assign(std::size_t(across), false);
      m_cachePage = pageIndex;
      m_cacheIndex = tr;
    }
    const std::int64_t ty0 = tr * th;
    const std::int64_t a = std::max(ty0, y0), b = std::min(std::min<std::int64_t>(ty0 + th, p.height), y0 + ny);
    for (std::int64_t tc = x0 / tw; tc * tw < x0 + nx; ++tc) {
      std::uint8_t* tile = m_cache.data() + std::size_t(tc) * std::size_t(tileBytes);
      if (!m_tileLoaded[std::size_t(tc)]) {
        const std::uint32_t t = TIFFComputeTile(m_tif, std::uint32_t(tc * tw), std::uint32_t(ty0), 0, 0);
        t_lastError.clear();
        checkDecoded(TIFFReadEncodedTile(m_tif, t, tile, tmsize_t(tileBytes)), tmsize_t(tileBytes), pageIndex, "tile", t);
        m_tileLoaded[std::size_t(tc)] = true;
      }
      const std::int64_t tx0 = tc * tw;
      const std::int64_t c0 = std::max(tx0, x0), c1 = std::min(std::min<std::int64_t>(tx0 + tw, p.width), x0 + nx);
      for (std::int64_t y = a; y < b; ++y)
        std::memcpy(dst + std::size_t(y - y0) * stride + std::size_t(c0 - x0) * vs,
                    tile + (std::size_t(y - ty0) * std::size_t(tw) + std::size_t(c0 - tx0)) * vs, std::size_t(c1 - c0) * vs);
    }
  }
}

void TiffFile::checkDecoded(std::int64_t got, std::int64_t expected, std::size_t pageIndex, const char* what, std::int64_t i) {
  const std::string where = (m_offsets.size() > 1 ? "page " + std::to_string(pageIndex) + " " : std::string()) + what +
                            " " + std::to_string(i);
  if (got < 0) libtiffFailure(where + " cannot be decoded (damaged or truncated)");
  if (got < expected)
    libtiffFailure(where + " is short: it decodes to " + std::to_string(got) + " bytes where the image needs " +
                   std::to_string(expected));
}

// ---- writing ----------------------------------------------------------------------------------

struct TiffOutput::Sink {
  int fd = -1;
  int error = 0;         ///< errno of the first failed write
  std::uint64_t end = 0; ///< the size the file must have: the end of the farthest write
};

namespace {

TiffOutput::Sink* sinkOf(thandle_t h) { return static_cast<TiffOutput::Sink*>(h); }

tmsize_t sinkRead(thandle_t h, void* buf, tmsize_t n) {
  ssize_t got;
  do got = ::read(sinkOf(h)->fd, buf, std::size_t(n));
  while (got < 0 && errno == EINTR);
  return tmsize_t(got);
}

tmsize_t sinkWrite(thandle_t h, void* buf, tmsize_t n) {
  TiffOutput::Sink* s = sinkOf(h);
  const off_t at = ::lseek(s->fd, 0, SEEK_CUR);
  const auto* p = static_cast<const std::uint8_t*>(buf);
  for (tmsize_t left = n; left > 0;) {
    const ssize_t put = ::write(s->fd, p, std::size_t(left));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      if (!s->error) s->error = put < 0 ? errno : EIO;
      return -1;
    }
    p += put;
    left -= tmsize_t(put);
  }
  if (at >= 0) s->end = std::max(s->end, std::uint64_t(at) + std::uint64_t(n));
  return n;
}

toff_t sinkSeek(thandle_t h, toff_t offset, int whence) {
  const off_t at = ::lseek(sinkOf(h)->fd, off_t(offset), whence);
  return at < 0 ? toff_t(-1) : toff_t(at);
}

int sinkClose(thandle_t) { return 0; } // TiffOutput closes the descriptor, checked

toff_t sinkSize(thandle_t h) {
  struct stat st {};
  return ::fstat(sinkOf(h)->fd, &st) == 0 ? toff_t(st.st_size) : 0;
}

int sinkMap(thandle_t, void**, toff_t*) { return 0; }
void sinkUnmap(thandle_t, void*, toff_t) {}

} // namespace

TiffOutput::TiffOutput(const std::string& path, const std::string& name, const char* mode)
    : m_name(name), m_sink(std::make_unique<Sink>()) {
  m_sink->fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (m_sink->fd < 0) core::files::throwSystemError("create", m_name);
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(opts, captureError, &t_lastError);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, ignoreWarning, nullptr);
  t_lastError.clear();
  m_tif = TIFFClientOpenExt(path.c_str(), mode, m_sink.get(), sinkRead, sinkWrite, sinkSeek, sinkClose, sinkSize,
                            sinkMap, sinkUnmap, opts);
  TIFFOpenOptionsFree(opts);
  if (!m_tif) {
    ::close(m_sink->fd);
    m_sink->fd = -1;
    if (m_sink->error) core::files::throwSystemError("create", m_name, m_sink->error);
    fail("cannot create " + inQuotes(m_name) + (t_lastError.empty() ? "" : " (libtiff: " + t_lastError + ")"));
  }
}

TiffOutput::~TiffOutput() {
  if (m_tif) TIFFClose(m_tif);
  if (m_sink->fd >= 0) ::close(m_sink->fd);
}

void TiffOutput::failure() const {
  if (m_sink->error) core::files::throwSystemError("write", m_name, m_sink->error);
  fail("cannot write " + inQuotes(m_name) + (t_lastError.empty() ? "" : " (libtiff: " + t_lastError + ")"));
}

void TiffOutput::writeDirectory() {
  t_lastError.clear();
  if (!TIFFWriteDirectory(m_tif) || m_sink->error) failure();
}

void TiffOutput::close(bool sync) {
  t_lastError.clear();
  TIFF* tif = m_tif;
  m_tif = nullptr;
  TIFFClose(tif);
  if (m_sink->error || !t_lastError.empty()) failure();
  const int fd = m_sink->fd;
  if (sync && ::fsync(fd) != 0 && errno != EINVAL) core::files::throwSystemError("flush to disk", m_name);
  struct stat st {};
  if (::fstat(fd, &st) != 0) core::files::throwSystemError("check the size of", m_name);
  if (std::uint64_t(st.st_size) != m_sink->end)
    fail("cannot write " + inQuotes(m_name) + ": the file holds " + std::to_string(st.st_size) + " bytes instead of " +
         std::to_string(m_sink->end));
  m_sink->fd = -1;
  if (::close(fd) != 0) core::files::throwSystemError("close", m_name);
}

std::string tiffDescription(const VolumeInfo& info, const std::string& extra) {
  std::ostringstream s;
  s.precision(17);
  s << extra << "unit=micron\nspacing=" << info.spacing.z << "\ncdnet_origin=" << info.origin.x << ","
    << info.origin.y << "," << info.origin.z << "\n";
  return s.str();
}

void writeTiffPage(TiffOutput& out, const std::uint8_t* slice, std::int64_t width, std::int64_t height, VoxelType type,
                   const std::string& description, const Vec3& spacing, bool compress) {
  TIFF* tif = out.get();
  const std::size_t vs = voxelSize(type);
  const std::size_t row = std::size_t(width) * vs;
  const std::uint32_t rps = std::uint32_t(std::clamp<std::int64_t>(std::int64_t((256 << 10) / std::max<std::size_t>(row, 1)), 1, height));
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, std::uint32_t(width));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, std::uint32_t(height));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, std::uint16_t(vs * 8));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, std::uint16_t(1));
  TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, std::uint16_t(type == VoxelType::Float32 ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT));
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, std::uint16_t(PHOTOMETRIC_MINISBLACK));
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, std::uint16_t(PLANARCONFIG_CONTIG));
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rps);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, std::uint16_t(compress ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_NONE));
  if (compress && type != VoxelType::Float32) TIFFSetField(tif, TIFFTAG_PREDICTOR, std::uint16_t(PREDICTOR_HORIZONTAL));
  TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, std::uint16_t(RESUNIT_NONE));
  TIFFSetField(tif, TIFFTAG_XRESOLUTION, float(1.0 / spacing.x));
  TIFFSetField(tif, TIFFTAG_YRESOLUTION, float(1.0 / spacing.y));
  TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, description.c_str());
  TIFFSetField(tif, TIFFTAG_SOFTWARE, "CDNet Studio");
  for (std::int64_t y = 0, s = 0; y < height; y += rps, ++s) {
    const std::int64_t rows = std::min<std::int64_t>(rps, height - y);
    t_lastError.clear();
    // libtiff may modify the buffer (byte swapping, predictor); it only does so for big-endian
    // output or compression, so copy in those cases.
    std::vector<std::uint8_t> copy;
    const std::uint8_t* src = slice + std::size_t(y) * row;
    void* buf = const_cast<std::uint8_t*>(src);
    if (compress) {
      copy.assign(src, src + std::size_t(rows) * row);
      buf = copy.data();
    }
    if (TIFFWriteEncodedStrip(tif, std::uint32_t(s), buf, tmsize_t(std::size_t(rows) * row)) < 0) out.failure();
  }
}

} // namespace core::volume::io
