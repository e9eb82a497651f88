#pragma once
/// \file SliceTools.h
/// Tools that work on one slice of any orientation: writing a 2D mask, polygon / lasso fill and
/// erase (scanline fill with subpixel vertices), and 2D flood fill within an intensity tolerance.
/// Each writes through the given LabelEdit under a PaintRule and returns the box of changed voxels.
/// Thread affinity: GUI thread (as LabelEdit).

#include "core/labels/LabelEdit.h"
#include "core/labels/PaintRule.h"
#include "core/volume/SliceGeometry.h"

#include <cstdint>
#include <vector>

namespace core::labels {

/// A 2D byte plane on part of a slice: width x height bytes, u fastest, whose (0,0) lies at slice
/// coordinates (u0, v0).
struct SliceMask {
  std::int64_t u0 = 0, v0 = 0, width = 0, height = 0;
  std::vector<std::uint8_t> data;
  SliceMask() = default;
  SliceMask(std::int64_t u0_, std::int64_t v0_, std::int64_t w, std::int64_t h)
      : u0(u0_), v0(v0_), width(w), height(h), data(std::size_t(w * h), 0) {}
  std::uint8_t& at(std::int64_t u, std::int64_t v) { return data[std::size_t((v - v0) * width + (u - u0))]; }
  std::uint8_t at(std::int64_t u, std::int64_t v) const { return data[std::size_t((v - v0) * width + (u - u0))]; }
  /// Number of non-zero bytes.
  std::int64_t count() const;
};

/// Writes \p value wherever \p mask is non-zero, on slice \p slice of orientation \p o (the part of
/// the mask outside the volume is ignored).
volume::Region paintSliceMask(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const SliceMask& mask,
                              std::uint8_t value, const PaintRule& rule = {});
/// Writes each non-zero byte of \p values as the label of its voxel (0 leaves the voxel alone).
volume::Region paintSliceValues(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const SliceMask& values,
                                const PaintRule& rule = {});

/// The mask of the polygon \p vertices (slice coordinates, voxel centres at integers; closed
/// implicitly) clipped to a slice of \p width x \p height: voxels whose centre lies inside, edges
/// included. Empty mask when the polygon has fewer than 3 vertices or lies outside.
SliceMask rasterizePolygon(const std::vector<volume::Point2>& vertices, std::int64_t width, std::int64_t height);

/// Polygon / lasso fill (value = a class) or erase (value = kUnlabelled) on one slice.
volume::Region fillPolygon(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const std::vector<volume::Point2>& vertices,
                           std::uint8_t value, const PaintRule& rule = {});

/// The 2D region of the slice through \p seed that is connected to the seed (4-connected, or
/// 8-connected when \p eightConnected) and whose image values lie within \p tolerance of the seed's
/// value (image units, inclusive). \p image is any voxel type.
SliceMask floodRegion2D(const volume::Volume& image, volume::Orientation o, const volume::Index3& seed, double tolerance,
                        bool eightConnected = false);

/// Flood fill: writes \p value over floodRegion2D(). Throws std::invalid_argument when the image
/// and the labels differ in size or the seed lies outside.
volume::Region floodFill2D(LabelEdit& edit, const volume::Volume& image, volume::Orientation o, const volume::Index3& seed,
                           double tolerance, std::uint8_t value, const PaintRule& rule = {},
                           bool eightConnected = false);

} // namespace core::labels
