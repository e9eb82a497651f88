#pragma once
// Helpers shared by the phantom tests: byte comparisons and a checksum.
#include "core/volume/Volume.h"

#include <cstdint>
#include <cstring>

namespace phantomtest {

inline bool sameBytes(const core::volume::Volume& a, const core::volume::Volume& b) {
  return a.info().size == b.info().size && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

/// Slices [z0, z0 + slab depth) of \p whole equal \p slab byte for byte.
inline bool sameSlices(const core::volume::Volume& whole, const core::volume::Volume& slab, std::int64_t z0) {
  if (slab.size().x != whole.size().x || slab.size().y != whole.size().y || slab.type() != whole.type()) return false;
  return std::memcmp(whole.slicePtr(z0), slab.data(), slab.bytes()) == 0;
}

/// FNV-1a over the bytes of \p v, continuing from \p h.
inline std::uint64_t fnv1a(const core::volume::Volume& v, std::uint64_t h = 1469598103934665603ull) {
  const auto* p = static_cast<const unsigned char*>(v.data());
  for (std::uint64_t i = 0; i < v.bytes(); ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

} // namespace phantomtest
