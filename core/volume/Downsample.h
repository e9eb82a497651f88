#pragma once
/// \file Downsample.h
/// Block-mean downsampling of a volume in memory (the studio's previews and 3D view). Reading a
/// file downsampled slab by slab is SliceReader::read with DownsampleMode::Mean.

#include "core/volume/Volume.h"

namespace core::volume {

/// Block mean of \p image by \p factor on each axis (size rounds up; partial blocks average what
/// they hold). Same voxel type as the input; NaN voxels are skipped. Spacing x factor. Any thread.
Volume downsampleMean(const Volume& image, int factor);

/// The smallest factor that brings every dimension of \p size to at most \p maxDim.
int downsampleFactorFor(const Size3& size, int maxDim);

} // namespace core::volume
