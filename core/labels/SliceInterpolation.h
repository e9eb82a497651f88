#pragma once
/// \file SliceInterpolation.h
/// Shape-based interpolation between annotated slices (Raya & Udupa; ITK-SNAP's and 3D Slicer's
/// "fill between slices"): each class's region on the two outer slices becomes a signed distance
/// map (exact Euclidean distance transform), the maps are blended linearly along the normal, and
/// each voxel in between takes the class whose blended distance is negative (the most negative
/// when several are). The result is written through the LabelEdit like any tool, so it is one
/// undoable step the user can correct. Thread affinity: GUI thread (as LabelEdit).

#include "core/labels/LabelEdit.h"
#include "core/labels/PaintRule.h"
#include "core/volume/SliceGeometry.h"

#include <cstdint>
#include <vector>

namespace core::labels {

/// Signed Euclidean distance map of a binary plane (\p mask non-zero = inside), in voxels: negative
/// inside, positive outside, the zero level half a voxel outside the boundary voxels. A plane with
/// no inside voxel gives +(width + height) everywhere; a plane all inside gives -(width + height).
/// Exact (OpenCV's precise distance transform, Felzenszwalb & Huttenlocher).
std::vector<float> signedDistanceMap(const std::uint8_t* mask, std::int64_t width, std::int64_t height);

struct InterpolationOptions {
  /// Classes to interpolate; empty = every non-zero label found on either outer slice.
  std::vector<std::uint8_t> classes;
  /// What the interpolated voxels may overwrite (default: only unlabelled voxels, so labels drawn
  /// by hand on the slices in between stay).
  PaintRule rule = PaintRule::onlyUnlabelled();
};

/// Fills slices a+1 .. b-1 (orientation \p o) from the labels of slices \p a and \p b. A class on
/// only one of the two slices shrinks away towards the other. Returns the box of changed voxels.
/// Throws std::invalid_argument when a or b lie outside the volume.
volume::Region interpolateSlices(LabelEdit& edit, volume::Orientation o, std::int64_t a, std::int64_t b,
                                 const InterpolationOptions& options = {});

/// Slices of orientation \p o that hold at least one non-zero label, increasing.
std::vector<std::int64_t> labelledSlices(const volume::Volume& labels, volume::Orientation o);

/// Interpolates every gap between consecutive labelled slices (labelledSlices()) of orientation
/// \p o. Returns the box of changed voxels.
volume::Region interpolateAllGaps(LabelEdit& edit, volume::Orientation o, const InterpolationOptions& options = {});

} // namespace core::labels
