#pragma once
/// \file DistanceTransform.h
/// Exact Euclidean distance transform (Felzenszwalb and Huttenlocher's separable lower-envelope
/// algorithm), anisotropic spacing, multi-threaded. Linear in the voxel count.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <cstdint>

namespace core::analysis {

/// Writes to \p out (voxelCount floats) the squared Euclidean distance, in micrometres squared
/// (\p spacing in micrometres per voxel), from each voxel centre to the nearest voxel centre where
/// \p mask is 0. Voxels where mask is 0 get 0. Voxels outside the volume count as non-zero (the
/// border is not a boundary). When the mask has no zero at all every voxel gets +infinity.
/// Reports progress and polls \p cancel between lines; throws jobs::Cancelled. Any thread.
void squaredDistanceToZeros(const std::uint8_t* mask, const volume::Size3& size, const volume::Vec3& spacing,
                            float* out, jobs::ProgressSink& progress = jobs::nullProgress(),
                            jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::analysis
