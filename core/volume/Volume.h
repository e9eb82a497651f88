#pragma once
/// \file Volume.h
/// The in-memory volume: a dense block of voxels of one type, x fastest, then y, then z.
/// Sizes in voxels, spacing and origin in micrometres. A Volume may be a whole dataset or one slab
/// of it (then origin says where the slab sits). Thread affinity: none; a Volume is a value, not
/// shared state; concurrent reads are fine, concurrent writes to different voxels are fine.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace core::volume {

/// Voxel types. UInt8/UInt16/Float32 are image types; UInt32 holds label maps (particle ids).
enum class VoxelType : std::uint8_t { UInt8, UInt16, UInt32, Float32 };

/// Bytes per voxel of \p type.
std::size_t voxelSize(VoxelType type);
/// "uint8", "uint16", "uint32", "float32".
const char* toString(VoxelType type);
/// Parses the names of toString() and common aliases ("u8", "uchar", "ushort", "float", ...).
/// Throws std::invalid_argument naming the text on anything else.
VoxelType parseVoxelType(const std::string& text);

template <class T> struct VoxelTypeOf;
template <> struct VoxelTypeOf<std::uint8_t> { static constexpr VoxelType value = VoxelType::UInt8; };
template <> struct VoxelTypeOf<std::uint16_t> { static constexpr VoxelType value = VoxelType::UInt16; };
template <> struct VoxelTypeOf<std::uint32_t> { static constexpr VoxelType value = VoxelType::UInt32; };
template <> struct VoxelTypeOf<float> { static constexpr VoxelType value = VoxelType::Float32; };

/// Calls f(T{}) with T the C++ type of \p type; returns what f returns.
template <class F> decltype(auto) dispatch(VoxelType type, F&& f) {
  switch (type) {
  case VoxelType::UInt8: return f(std::uint8_t{});
  case VoxelType::UInt16: return f(std::uint16_t{});
  case VoxelType::UInt32: return f(std::uint32_t{});
  case VoxelType::Float32: break;
  }
  return f(float{});
}

/// A size or an index in voxels.
struct Size3 {
  std::int64_t x = 0, y = 0, z = 0;
  std::int64_t count() const { return x * y * z; }
  bool empty() const { return x <= 0 || y <= 0 || z <= 0; }
  bool operator==(const Size3& o) const { return x == o.x && y == o.y && z == o.z; }
  bool operator!=(const Size3& o) const { return !(*this == o); }
};
using Index3 = Size3;

/// A physical vector in micrometres.
struct Vec3 {
  double x = 0, y = 0, z = 0;
  bool operator==(const Vec3& o) const { return x == o.x && y == o.y && z == o.z; }
  bool operator!=(const Vec3& o) const { return !(*this == o); }
};

/// A box of voxels: first corner and size, in voxels.
struct Region {
  Index3 start;
  Size3 size;
  Index3 end() const { return {start.x + size.x, start.y + size.y, start.z + size.z}; }
  bool empty() const { return size.empty(); }
  /// The whole of a volume of size \p s.
  static Region whole(const Size3& s) { return {{0, 0, 0}, s}; }
  /// Slices [z0, z1) of a volume of size \p s.
  static Region slab(const Size3& s, std::int64_t z0, std::int64_t z1) { return {{0, 0, z0}, {s.x, s.y, z1 - z0}}; }
  /// True when this region lies inside a volume of size \p s.
  bool inside(const Size3& s) const;
  /// The part of this region inside a volume of size \p s (possibly empty).
  Region clippedTo(const Size3& s) const;
  bool operator==(const Region& o) const { return start == o.start && size == o.size; }
};

/// The largest volume supported, in bytes (2^62): far beyond any memory or disk, and small enough
/// that sizes, indices and offsets below it, plus a downsampling factor, fit in std::int64_t.
inline constexpr std::uint64_t kMaxVolumeBytes = std::uint64_t(1) << 62;

/// What describes a volume without its voxels (what a reader knows from a header).
struct VolumeInfo {
  Size3 size;
  VoxelType type = VoxelType::UInt8;
  Vec3 spacing{1, 1, 1}; ///< micrometres per voxel
  Vec3 origin{0, 0, 0};  ///< micrometres, position of voxel (0,0,0)
  /// Bytes of the voxels. Throws std::overflow_error when a size is negative or the volume (an
  /// empty axis counted as 1) exceeds kMaxVolumeBytes: every reader calls it on a file's sizes
  /// before any other size arithmetic, so products of indices below the sizes fit in std::int64_t.
  std::uint64_t bytes() const;
  std::uint64_t sliceBytes() const { return std::uint64_t(size.x) * std::uint64_t(size.y) * voxelSize(type); }
};

/// Throws std::runtime_error with a clear message, before anything is allocated, when \p bytes
/// exceed what this process can have (available physical memory, or the CDNET_MEMORY_LIMIT
/// environment variable in bytes, or an explicit limit set with setMemoryLimit()).
/// \p what names the thing for the message ("volume 'a.tif'").
void checkAllocation(std::uint64_t bytes, const std::string& what);
/// Sets the byte limit checkAllocation() enforces (0 = available physical memory). Any thread.
void setMemoryLimit(std::uint64_t bytes);
/// Physical memory available now (MemAvailable), bytes.
std::uint64_t availableMemory();

/// Frees a Volume's buffer. The buffer comes from calloc: fresh pages are zero from the kernel and
/// are not written twice (a reader faults them in once, while it fills them). Buffers of 64 KiB
/// and more start on a page boundary (the kernel copies file data into page-aligned memory much
/// faster), so the pointer freed is the one calloc returned, kept here.
struct VolumeBufferDeleter {
  void* base = nullptr;
  void operator()(std::uint8_t*) const noexcept { std::free(base); }
};

/// A dense volume of voxels. Owns its buffer (move-only; copy explicitly with clone()).
class Volume {
public:
  Volume() = default;
  /// Allocates a zero-filled volume. Throws (see checkAllocation) when it cannot fit.
  explicit Volume(const VolumeInfo& info);
  Volume(Size3 size, VoxelType type, Vec3 spacing = {1, 1, 1}, Vec3 origin = {0, 0, 0});

  Volume(Volume&&) noexcept = default;
  Volume& operator=(Volume&&) noexcept = default;
  Volume(const Volume&) = delete;
  Volume& operator=(const Volume&) = delete;
  /// A deep copy.
  Volume clone() const;

  bool empty() const { return !m_data; }
  const VolumeInfo& info() const { return m_info; }
  const Size3& size() const { return m_info.size; }
  VoxelType type() const { return m_info.type; }
  const Vec3& spacing() const { return m_info.spacing; }
  const Vec3& origin() const { return m_info.origin; }
  void setSpacing(const Vec3& s) { m_info.spacing = s; }
  void setOrigin(const Vec3& o) { m_info.origin = o; }
  std::int64_t voxelCount() const { return m_info.size.count(); }
  std::uint64_t bytes() const { return m_info.bytes(); }

  /// Linear index of voxel (x, y, z).
  std::int64_t index(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return x + m_info.size.x * (y + m_info.size.y * z);
  }
  void* data() { return m_data.get(); }
  const void* data() const { return m_data.get(); }
  /// Typed access; throws std::logic_error if T is not the voxel type.
  template <class T> T* as() {
    checkType(VoxelTypeOf<T>::value);
    return reinterpret_cast<T*>(m_data.get());
  }
  template <class T> const T* as() const {
    checkType(VoxelTypeOf<T>::value);
    return reinterpret_cast<const T*>(m_data.get());
  }
  /// First byte of slice z.
  std::uint8_t* slicePtr(std::int64_t z) { return m_data.get() + std::uint64_t(z) * m_info.sliceBytes(); }
  const std::uint8_t* slicePtr(std::int64_t z) const { return m_data.get() + std::uint64_t(z) * m_info.sliceBytes(); }

  /// Value of a voxel as double, whatever the type. Slow: for tests, tools and the status bar.
  double valueAt(std::int64_t x, std::int64_t y, std::int64_t z) const;
  void setValueAt(std::int64_t x, std::int64_t y, std::int64_t z, double v);

  /// A copy of a sub-box (must lie inside). Origin moves with it.
  Volume crop(const Region& r) const;
  /// Copies \p src into this volume with src's (0,0,0) at \p at. Types must match; src must fit.
  void paste(const Volume& src, const Index3& at);
  /// This volume's values converted to \p type (float32 keeps values; integer types clamp and round).
  Volume convertTo(VoxelType type) const;

private:
  void checkType(VoxelType t) const;
  VolumeInfo m_info;
  std::unique_ptr<std::uint8_t[], VolumeBufferDeleter> m_data;
};

/// Statistics of the finite values of a volume (NaN and Inf are counted, not included).
struct ValueStats {
  double min = 0, max = 0, mean = 0, stddev = 0;
  std::int64_t finiteCount = 0, nanCount = 0, infCount = 0;
};
ValueStats computeStats(const Volume& v);

} // namespace core::volume
