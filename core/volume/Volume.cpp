#include "core/volume/Volume.h"

#include "core/volume/Checked.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <sstream>

namespace core::volume {

std::size_t voxelSize(VoxelType type) {
  switch (type) {
  case VoxelType::UInt8: return 1;
  case VoxelType::UInt16: return 2;
  case VoxelType::UInt32: return 4;
  case VoxelType::Float32: return 4;
  }
  return 1;
}

const char* toString(VoxelType type) {
  switch (type) {
  case VoxelType::UInt8: return "uint8";
  case VoxelType::UInt16: return "uint16";
  case VoxelType::UInt32: return "uint32";
  case VoxelType::Float32: return "float32";
  }
  return "?";
}

VoxelType parseVoxelType(const std::string& text) {
  std::string t = text;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (t == "uint8" || t == "u8" || t == "uchar" || t == "unsigned char" || t == "byte") return VoxelType::UInt8;
  if (t == "uint16" || t == "u16" || t == "ushort" || t == "unsigned short") return VoxelType::UInt16;
  if (t == "uint32" || t == "u32" || t == "uint" || t == "unsigned int") return VoxelType::UInt32;
  if (t == "float32" || t == "f32" || t == "float") return VoxelType::Float32;
  throw std::invalid_argument("unknown voxel type '" + text + "' (expected uint8, uint16, uint32 or float32)");
}

bool Region::inside(const Size3& s) const {
  // Written so that nothing can overflow: start and size are checked before s - start is taken.
  auto axis = [](std::int64_t a, std::int64_t n, std::int64_t len) { return a >= 0 && n >= 0 && a <= len && n <= len - a; };
  return axis(start.x, size.x, s.x) && axis(start.y, size.y, s.y) && axis(start.z, size.z, s.z);
}

Region Region::clippedTo(const Size3& s) const {
  Index3 a{std::max<std::int64_t>(start.x, 0), std::max<std::int64_t>(start.y, 0), std::max<std::int64_t>(start.z, 0)};
  const Index3 e{saturatingAdd(start.x, size.x), saturatingAdd(start.y, size.y), saturatingAdd(start.z, size.z)};
  Index3 b{std::min(e.x, s.x), std::min(e.y, s.y), std::min(e.z, s.z)};
  return {a, {std::max<std::int64_t>(b.x - a.x, 0), std::max<std::int64_t>(b.y - a.y, 0), std::max<std::int64_t>(b.z - a.z, 0)}};
}

std::uint64_t VolumeInfo::bytes() const {
  if (size.x < 0 || size.y < 0 || size.z < 0)
    throw std::overflow_error("negative volume size " + std::to_string(size.x) + "x" + std::to_string(size.y) + "x" +
                              std::to_string(size.z));
  // Every partial product of the axes (an empty axis counted as 1) stays at or below
  // kMaxVolumeBytes, so index and offset arithmetic on std::int64_t never overflows.
  std::uint64_t b = voxelSize(type);
  for (const std::int64_t n : {size.x, size.y, size.z}) {
    b = checkedMul<std::uint64_t>(b, std::uint64_t(std::max<std::int64_t>(n, 1)), "the volume size");
    if (b > kMaxVolumeBytes)
      throw std::overflow_error("a volume of " + std::to_string(size.x) + "x" + std::to_string(size.y) + "x" +
                                std::to_string(size.z) + " " + toString(type) +
                                " voxels is larger than the largest supported (2^62 bytes)");
  }
  return size.empty() ? 0 : b;
}

namespace {
std::atomic<std::uint64_t> g_memoryLimit{0};

std::string formatBytes(std::uint64_t b) {
  std::ostringstream s;
  s.precision(3);
  if (b >= (1ull << 30)) s << double(b) / double(1ull << 30) << " GiB";
  else if (b >= (1ull << 20)) s << double(b) / double(1ull << 20) << " MiB";
  else s << b << " bytes";
  return s.str();
}
} // namespace

std::uint64_t availableMemory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (in >> key >> value >> unit) {
    if (key == "MemAvailable:") return value * 1024;
  }
  return std::numeric_limits<std::uint64_t>::max();
}

void setMemoryLimit(std::uint64_t bytes) { g_memoryLimit.store(bytes); }

void checkAllocation(std::uint64_t bytes, const std::string& what) {
  std::uint64_t limit = g_memoryLimit.load();
  std::string source = "the memory limit";
  if (limit == 0) {
    if (const char* env = std::getenv("CDNET_MEMORY_LIMIT")) {
      limit = std::strtoull(env, nullptr, 10);
      source = "CDNET_MEMORY_LIMIT";
    }
  }
  if (limit == 0) {
    limit = availableMemory();
    source = "the available memory";
  }
  if (bytes > limit)
    throw std::runtime_error(what + " needs " + formatBytes(bytes) + ", more than " + source + " (" +
                             formatBytes(limit) + "); read it in slabs or crop/downsample it");
}

Volume::Volume(const VolumeInfo& info) : m_info(info) {
  if (info.size.x < 0 || info.size.y < 0 || info.size.z < 0) throw std::invalid_argument("negative volume size");
  const std::uint64_t n = info.bytes();
  checkAllocation(n, "a " + std::to_string(info.size.x) + "x" + std::to_string(info.size.y) + "x" +
                         std::to_string(info.size.z) + " " + toString(info.type) + " volume");
  const std::size_t size = std::size_t(std::max<std::uint64_t>(n, 1));
  const std::size_t page = 4096, align = size >= (64u << 10) ? page : 1;
  void* base = std::calloc(size + align - 1, 1);
  if (!base) throw std::bad_alloc();
  auto* first = reinterpret_cast<std::uint8_t*>((reinterpret_cast<std::uintptr_t>(base) + align - 1) & ~std::uintptr_t(align - 1));
  m_data = std::unique_ptr<std::uint8_t[], VolumeBufferDeleter>(first, VolumeBufferDeleter{base});
}

Volume::Volume(Size3 size, VoxelType type, Vec3 spacing, Vec3 origin)
    : Volume(VolumeInfo{size, type, spacing, origin}) {}

Volume Volume::clone() const {
  if (empty()) return {};
  Volume v(m_info);
  std::memcpy(v.data(), data(), bytes());
  return v;
}

void Volume::checkType(VoxelType t) const {
  if (t != m_info.type)
    throw std::logic_error(std::string("volume holds ") + toString(m_info.type) + ", accessed as " + toString(t));
}

double Volume::valueAt(std::int64_t x, std::int64_t y, std::int64_t z) const {
  const std::int64_t i = index(x, y, z);
  return dispatch(m_info.type, [&](auto t) {
    using T = decltype(t);
    return double(reinterpret_cast<const T*>(m_data.get())[i]);
  });
}

void Volume::setValueAt(std::int64_t x, std::int64_t y, std::int64_t z, double v) {
  const std::int64_t i = index(x, y, z);
  dispatch(m_info.type, [&](auto t) {
    using T = decltype(t);
    reinterpret_cast<T*>(m_data.get())[i] = T(v);
  });
}

Volume Volume::crop(const Region& r) const {
  if (!r.inside(m_info.size)) throw std::out_of_range("crop region outside the volume");
  Vec3 o{m_info.origin.x + r.start.x * m_info.spacing.x, m_info.origin.y + r.start.y * m_info.spacing.y,
         m_info.origin.z + r.start.z * m_info.spacing.z};
  Volume out(r.size, m_info.type, m_info.spacing, o);
  const std::size_t vs = voxelSize(m_info.type);
  const std::size_t row = std::size_t(r.size.x) * vs;
  for (std::int64_t z = 0; z < r.size.z; ++z)
    for (std::int64_t y = 0; y < r.size.y; ++y)
      std::memcpy(out.m_data.get() + std::size_t(out.index(0, y, z)) * vs,
                  m_data.get() + std::size_t(index(r.start.x, r.start.y + y, r.start.z + z)) * vs, row);
  return out;
}

void Volume::paste(const Volume& src, const Index3& at) {
  if (src.type() != type()) throw std::logic_error("paste: voxel types differ");
  if (!Region{at, src.size()}.inside(size())) throw std::out_of_range("paste: source does not fit");
  const std::size_t vs = voxelSize(m_info.type);
  const std::size_t row = std::size_t(src.size().x) * vs;
  for (std::int64_t z = 0; z < src.size().z; ++z)
    for (std::int64_t y = 0; y < src.size().y; ++y)
      std::memcpy(m_data.get() + std::size_t(index(at.x, at.y + y, at.z + z)) * vs,
                  src.m_data.get() + std::size_t(src.index(0, y, z)) * vs, row);
}

Volume Volume::convertTo(VoxelType type) const {
  if (type == m_info.type) return clone();
  Volume out(m_info.size, type, m_info.spacing, m_info.origin);
  const std::int64_t n = voxelCount();
  dispatch(m_info.type, [&](auto s) {
    using S = decltype(s);
    const S* src = as<S>();
    dispatch(type, [&](auto d) {
      using D = decltype(d);
      D* dst = out.as<D>();
      for (std::int64_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<D>) {
          dst[i] = D(src[i]);
        } else {
          double v = double(src[i]);
          if (!(v == v)) v = 0;
          v = std::clamp(std::round(v), 0.0, double(std::numeric_limits<D>::max()));
          dst[i] = D(v);
        }
      }
    });
  });
  return out;
}

ValueStats computeStats(const Volume& v) {
  ValueStats st;
  if (v.empty()) return st;
  double mn = std::numeric_limits<double>::infinity(), mx = -mn, sum = 0, sum2 = 0;
  std::int64_t n = 0, nan = 0, inf = 0;
  const std::int64_t count = v.voxelCount();
  dispatch(v.type(), [&](auto t) {
    using T = decltype(t);
    const T* p = v.as<T>();
    for (std::int64_t i = 0; i < count; ++i) {
      const double x = double(p[i]);
      if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(x)) { ++nan; continue; }
        if (std::isinf(x)) { ++inf; continue; }
      }
      mn = std::min(mn, x);
      mx = std::max(mx, x);
      sum += x;
      sum2 += x * x;
      ++n;
    }
  });
  st.finiteCount = n;
  st.nanCount = nan;
  st.infCount = inf;
  if (n > 0) {
    st.min = mn;
    st.max = mx;
    st.mean = sum / double(n);
    st.stddev = std::sqrt(std::max(0.0, sum2 / double(n) - st.mean * st.mean));
  }
  return st;
}

} // namespace core::volume
