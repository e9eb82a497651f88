#pragma once
/// \file GaussianSmooth.h
/// Separable Gaussian smoothing of a volume (mirror borders, kernel truncated at 3 sigma),
/// multi-threaded. Used to take the noise out of the grey values before the solid threshold.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

namespace core::analysis {

/// Returns \p image (any type) smoothed with a Gaussian of \p sigma voxels along each axis, as
/// float32 with the same size, spacing and origin. sigma <= 0 returns the image converted to
/// float32. Throws jobs::Cancelled when cancelled. Any thread.
volume::Volume gaussianSmooth(const volume::Volume& image, double sigma,
                              jobs::ProgressSink& progress = jobs::nullProgress(),
                              jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::analysis
