#pragma once
/// \file SliceGeometry.h
/// The three slice orientations (the one vocabulary of core and ui) and how a 2D slice (u, v) maps
/// into the volume.
/// XY: u = x, v = y, slice index z.  XZ: u = x, v = z, index y.  YZ: u = y, v = z, index x.
/// Header-only, no state. Any thread.

#include "core/volume/Volume.h"

#include <cstdint>
#include <string>

namespace core::volume {

enum class Orientation : std::uint8_t { XY, XZ, YZ };

/// "XY", "XZ", "YZ".
inline const char* toString(Orientation o) {
  switch (o) {
  case Orientation::XY: return "XY";
  case Orientation::XZ: return "XZ";
  case Orientation::YZ: return "YZ";
  }
  return "XY";
}

/// Width (u extent) and height (v extent) of a slice of orientation \p o, in voxels.
inline std::int64_t sliceWidth(const volume::Size3& s, Orientation o) { return o == Orientation::YZ ? s.y : s.x; }
inline std::int64_t sliceHeight(const volume::Size3& s, Orientation o) { return o == Orientation::XY ? s.y : s.z; }
/// Number of slices of orientation \p o (the extent along the normal).
inline std::int64_t sliceCount(const volume::Size3& s, Orientation o) {
  return o == Orientation::XY ? s.z : (o == Orientation::XZ ? s.y : s.x);
}

/// The voxel at slice coordinates (u, v) of slice \p index.
inline volume::Index3 toVoxel(Orientation o, std::int64_t index, std::int64_t u, std::int64_t v) {
  switch (o) {
  case Orientation::XY: return {u, v, index};
  case Orientation::XZ: return {u, index, v};
  case Orientation::YZ: return {index, u, v};
  }
  return {u, v, index};
}

/// Slice index of voxel \p p in orientation \p o.
inline std::int64_t sliceIndexOf(Orientation o, const volume::Index3& p) {
  return o == Orientation::XY ? p.z : (o == Orientation::XZ ? p.y : p.x);
}
/// (u, v) of voxel \p p in orientation \p o.
inline void sliceCoordsOf(Orientation o, const volume::Index3& p, std::int64_t& u, std::int64_t& v) {
  u = o == Orientation::YZ ? p.y : p.x;
  v = o == Orientation::XY ? p.y : p.z;
}

/// The 3D region of slice \p index covering slice coordinates [u0, u0+w) x [v0, v0+h).
inline volume::Region sliceRegion(Orientation o, std::int64_t index, std::int64_t u0, std::int64_t v0,
                                  std::int64_t w, std::int64_t h) {
  switch (o) {
  case Orientation::XY: return {{u0, v0, index}, {w, h, 1}};
  case Orientation::XZ: return {{u0, index, v0}, {w, 1, h}};
  case Orientation::YZ: return {{index, u0, v0}, {1, w, h}};
  }
  return {{u0, v0, index}, {w, h, 1}};
}

/// A 2D point in slice coordinates (u, v), in voxels; voxel centres at integers.
struct Point2 {
  double u = 0, v = 0;
};

} // namespace core::volume
