#pragma once
/// \file PaintRule.h
/// Which voxels a tool may overwrite: the "paint over" mode (everything, only unlabelled, only
/// one class) and an optional intensity window on the image (the threshold-limited brush, for
/// tracing dark cracks precisely). Shared by brush, polygon, flood fill, interpolation and
/// prediction accept. Thread affinity: none (a value; the image must outlive its use).

#include "core/labels/LabelConvention.h"
#include "core/volume/Volume.h"

#include <cstdint>

namespace core::labels {

/// What a tool may paint over.
enum class PaintOver : std::uint8_t {
  Everything, ///< any voxel
  Unlabelled, ///< only voxels that are 0
  OneClass    ///< only voxels of PaintRule::overClass
};

struct PaintRule {
  PaintOver over = PaintOver::Everything;
  std::uint8_t overClass = kNotCrack; ///< the class PaintOver::OneClass may overwrite
  /// When set, only voxels whose image value lies in [low, high] (inclusive, image units) are
  /// painted. The image must have the label volume's size; any voxel type.
  const volume::Volume* thresholdImage = nullptr;
  double low = 0, high = 0;

  static PaintRule everything() { return {}; }
  static PaintRule onlyUnlabelled() { return {PaintOver::Unlabelled, kNotCrack, nullptr, 0, 0}; }
  static PaintRule onlyClass(std::uint8_t c) { return {PaintOver::OneClass, c, nullptr, 0, 0}; }
  /// This rule with an intensity window on \p image.
  PaintRule withThreshold(const volume::Volume& image, double lo, double hi) const {
    PaintRule r = *this;
    r.thresholdImage = &image;
    r.low = lo;
    r.high = hi;
    return r;
  }

  /// Whether a voxel of label \p current may be overwritten (threshold not considered).
  bool mayOverwrite(std::uint8_t current) const {
    switch (over) {
    case PaintOver::Everything: return true;
    case PaintOver::Unlabelled: return current == kUnlabelled;
    case PaintOver::OneClass: return current == overClass;
    }
    return true;
  }
  /// Whether voxel \p p (label \p current) may be overwritten, threshold included. Slow path.
  bool allows(std::uint8_t current, const volume::Index3& p) const;
  /// Throws std::invalid_argument when the threshold image does not match \p labelSize.
  void check(const volume::Size3& labelSize) const;
  /// Paints \p n voxels along x starting at voxel \p first, whose labels start at \p labels,
  /// with \p value wherever this rule allows.
  void paintSpan(std::uint8_t* labels, std::int64_t n, const volume::Index3& first, std::uint8_t value) const;
};

} // namespace core::labels
