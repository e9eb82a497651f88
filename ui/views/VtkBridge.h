#pragma once
/// \file VtkBridge.h
/// Hands core volumes to VTK without copying voxels. VTK is only ever given views of buffers that
/// a core::volume::Volume owns. (Downsampled masks: core/volume/Downsample.h.)

#include "core/volume/Volume.h"

#include <vtkSmartPointer.h>

class vtkImageData;

namespace ui {

/// A vtkImageData whose scalars point into \p volume's buffer (no copy; VTK never frees it).
/// Spacing is the volume's (micrometres); the origin is \p origin (micrometres, voxel centres).
/// \p volume must outlive every VTK object that uses the result. Any thread.
vtkSmartPointer<vtkImageData> wrapVolume(const core::volume::Volume& volume, const core::volume::Vec3& origin);

} // namespace ui
