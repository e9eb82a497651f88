#pragma once
/// \file VoxelAxes.h
/// Access to one component (0 = x, 1 = y, 2 = z) of the core's index, size and vector types.

#include "core/volume/Volume.h"

namespace ui {

inline std::int64_t component(const core::volume::Index3& p, int axis) { return axis == 0 ? p.x : axis == 1 ? p.y : p.z; }
inline void setComponent(core::volume::Index3& p, int axis, std::int64_t v) { (axis == 0 ? p.x : axis == 1 ? p.y : p.z) = v; }
inline double component(const core::volume::Vec3& v, int axis) { return axis == 0 ? v.x : axis == 1 ? v.y : v.z; }

} // namespace ui
