#include "core/volume/io/IoSupport.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::volume::io {

void checkNewFolder(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;
  if (!std::filesystem::is_directory(path, ec)) fail(inQuotes(path) + " exists and is not a folder");
  if (!std::filesystem::is_empty(path, ec)) fail("folder " + inQuotes(path) + " exists and is not empty; choose a new output folder");
}

void commitFolder(core::files::TemporaryPath& tmp, const std::string& path) {
  const int fd = ::open(tmp.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) core::files::throwSystemError("open the temporary folder of", path);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) core::files::throwSystemError("flush to disk", path, err);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (!std::filesystem::is_empty(path, ec)) fail("folder " + inQuotes(path) + " appeared while writing and is not empty");
    std::filesystem::remove(path, ec);
  }
  tmp.commit();
}

void fail(const std::string& message) {
  // Parts of messages come from damaged files: a NUL would cut what() short, other control
  // characters would garble a terminal.
  std::string m = message;
  for (char& c : m)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) c = '?';
  throw std::runtime_error(m);
}

std::string inQuotes(const std::string& path) { return "'" + path + "'"; }

std::string describe(const Size3& size, VoxelType type) {
  return std::to_string(size.x) + "x" + std::to_string(size.y) + "x" + std::to_string(size.z) + " " + toString(type);
}

bool isFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::uint64_t fileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) fail("file " + inQuotes(path) + " does not exist");
    fail("cannot access " + inQuotes(path) + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) fail(inQuotes(path) + " is not a regular file");
  return std::uint64_t(st.st_size);
}

void checkTruncated(const std::string& path, std::uint64_t expected, std::uint64_t found) {
  if (found < expected)
    fail("file " + inQuotes(path) + " is truncated: expected " + std::to_string(expected) + " bytes, found " +
         std::to_string(found));
}

void preadFully(int fd, void* dst, std::size_t n, std::uint64_t offset, const std::string& path) {
  auto* p = static_cast<std::uint8_t*>(dst);
  while (n > 0) {
    const std::size_t chunk = std::min<std::size_t>(n, std::size_t(1) << 30);
    const ssize_t got = ::pread(fd, p, chunk, off_t(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("cannot read " + inQuotes(path) + ": " + std::strerror(errno));
    }
    if (got == 0)
      fail("file " + inQuotes(path) + " is truncated: it ends at byte " + std::to_string(offset) + " while reading");
    p += got;
    n -= std::size_t(got);
    offset += std::uint64_t(got);
  }
}

int openReadOnly(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) fail("file " + inQuotes(path) + " does not exist");
    fail("cannot open " + inQuotes(path) + ": " + std::strerror(errno));
  }
  return fd;
}

std::size_t componentSize(Component c) {
  switch (c) {
  case Component::U8:
  case Component::I8: return 1;
  case Component::U16:
  case Component::I16: return 2;
  case Component::U32:
  case Component::I32:
  case Component::F32: return 4;
  case Component::F64: return 8;
  }
  return 1;
}

const char* toString(Component c) {
  switch (c) {
  case Component::U8: return "uint8";
  case Component::I8: return "int8";
  case Component::U16: return "uint16";
  case Component::I16: return "int16";
  case Component::U32: return "uint32";
  case Component::I32: return "int32";
  case Component::F32: return "float32";
  case Component::F64: return "float64";
  }
  return "?";
}

VoxelType voxelTypeFor(Component c) {
  switch (c) {
  case Component::U8: return VoxelType::UInt8;
  case Component::U16: return VoxelType::UInt16;
  case Component::U32: return VoxelType::UInt32;
  default: return VoxelType::Float32;
  }
}

Component componentFor(VoxelType t) {
  switch (t) {
  case VoxelType::UInt8: return Component::U8;
  case VoxelType::UInt16: return Component::U16;
  case VoxelType::UInt32: return Component::U32;
  case VoxelType::Float32: return Component::F32;
  }
  return Component::U8;
}

bool hostIsBigEndian() {
  const std::uint16_t one = 1;
  std::uint8_t first = 0;
  std::memcpy(&first, &one, 1);
  return first == 0;
}

void swapBytes(void* data, std::size_t size, std::size_t n) {
  auto* p = static_cast<std::uint8_t*>(data);
  if (size == 2) {
    for (std::size_t i = 0; i < n; ++i, p += 2) std::swap(p[0], p[1]);
  } else if (size == 4) {
    for (std::size_t i = 0; i < n; ++i, p += 4) {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      v = __builtin_bswap32(v);
      std::memcpy(p, &v, 4);
    }
  } else if (size == 8) {
    for (std::size_t i = 0; i < n; ++i, p += 8) {
      std::uint64_t v;
      std::memcpy(&v, p, 8);
      v = __builtin_bswap64(v);
      std::memcpy(p, &v, 8);
    }
  }
}

namespace {
template <class S> void convertFrom(const S* src, void* dst, VoxelType t, std::size_t n) {
  dispatch(t, [&](auto d) {
    using D = decltype(d);
    D* out = static_cast<D*>(dst);
    // Same size in place: read before write per element is safe. Wider output in place is not
    // supported (callers convert into a separate buffer then).
    for (std::size_t i = 0; i < n; ++i) out[i] = D(src[i]);
  });
}
} // namespace

void convertSamples(const void* src, Component c, bool swap, void* dst, VoxelType t, std::size_t n) {
  const std::size_t cs = componentSize(c);
  if (swap && cs > 1) swapBytes(const_cast<void*>(src), cs, n);
  if (c == componentFor(t)) {
    if (src != dst) std::memmove(dst, src, n * cs);
    return;
  }
  switch (c) {
  case Component::U8: convertFrom(static_cast<const std::uint8_t*>(src), dst, t, n); break;
  case Component::I8: convertFrom(static_cast<const std::int8_t*>(src), dst, t, n); break;
  case Component::U16: convertFrom(static_cast<const std::uint16_t*>(src), dst, t, n); break;
  case Component::I16: convertFrom(static_cast<const std::int16_t*>(src), dst, t, n); break;
  case Component::U32: convertFrom(static_cast<const std::uint32_t*>(src), dst, t, n); break;
  case Component::I32: convertFrom(static_cast<const std::int32_t*>(src), dst, t, n); break;
  case Component::F32: convertFrom(static_cast<const float*>(src), dst, t, n); break;
  case Component::F64: convertFrom(static_cast<const double*>(src), dst, t, n); break;
  }
}

std::string extensionOf(const std::string& path) {
  fs::path p(path);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext == ".gz") {
    std::string inner = p.stem().extension().string();
    std::transform(inner.begin(), inner.end(), inner.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return inner + ext;
  }
  return ext;
}

} // namespace core::volume::io
