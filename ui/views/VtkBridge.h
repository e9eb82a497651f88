#pragma once
/// \file VtkBridge.h
/// Hands core volumes to VTK without copying voxels, and the small helpers the 3D view needs
/// (downsampled masks). VTK is only ever given views of buffers that a core::volume::Volume owns.

#include "core/volume/Volume.h"

#include <vtkSmartPointer.h>

class vtkImageData;

namespace ui {

/// A vtkImageData whose scalars point into \p volume's buffer (no copy; VTK never frees it).
/// Spacing is the volume's (micrometres); the origin is \p origin (micrometres, voxel centres).
/// \p volume must outlive every VTK object that uses the result. Any thread.
vtkSmartPointer<vtkImageData> wrapVolume(const core::volume::Volume& volume, const core::volume::Vec3& origin);

/// Block mean of \p image by \p factor on each axis (size rounds up; partial blocks average what
/// they hold). Same voxel type as the input; NaN voxels are skipped. Spacing x factor. Any thread.
core::volume::Volume downsampleMean(const core::volume::Volume& image, int factor);

/// The smallest factor that brings every dimension of \p size to at most \p maxDim.
int downsampleFactorFor(const core::volume::Size3& size, int maxDim);

} // namespace ui
