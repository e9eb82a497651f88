#pragma once
/// \file Brush.h
/// The round brush and eraser: a 2D disc in one of the three slice orientations or a 3D sphere,
/// of a diameter in voxels, written through a LabelEdit under a PaintRule. A BrushStroke is one
/// gesture: many dabs, interpolated between successive mouse positions so that fast drags leave
/// no gaps, one undo step when finished. Thread affinity: GUI thread (as LabelEdit).

#include "core/labels/LabelEdit.h"
#include "core/labels/LabelVolume.h"
#include "core/labels/PaintRule.h"
#include "core/volume/SliceGeometry.h"

#include <cstdint>
#include <string>

namespace core::labels {

enum class BrushShape : std::uint8_t { Disc, Sphere };

struct BrushSettings {
  /// Diameter in voxels (>= 1). Odd sizes centre on a voxel, even sizes on a voxel corner; a
  /// voxel is painted when its centre lies within size/2 of the centre.
  int size = 5;
  BrushShape shape = BrushShape::Disc;
  /// Plane of the disc (ignored for the sphere).
  volume::Orientation orientation = volume::Orientation::XY;
  /// The label written: a class to paint, or kUnlabelled for the eraser.
  std::uint8_t value = kCrack;
  PaintRule rule;

  /// An eraser of \p size voxels in \p o.
  static BrushSettings eraser(int size, volume::Orientation o = volume::Orientation::XY) {
    BrushSettings s;
    s.size = size;
    s.orientation = o;
    s.value = kUnlabelled;
    return s;
  }
};

/// The box one dab at \p centre (voxel coordinates, voxel centres at integers) covers, clipped
/// to \p volumeSize (empty when outside).
volume::Region dabRegion(const BrushSettings& s, const volume::Vec3& centre, const volume::Size3& volumeSize);

/// Paints one dab at \p centre. Returns the box of changed voxels.
volume::Region paintDab(LabelEdit& edit, const BrushSettings& s, const volume::Vec3& centre);

/// Paints dabs from \p from to \p to (both excluded / included: \p from is taken as already
/// painted), spaced so the stroke has no gaps. Returns the box of changed voxels.
volume::Region paintSegment(LabelEdit& edit, const BrushSettings& s, const volume::Vec3& from, const volume::Vec3& to);

/// One brush gesture: press -> BrushStroke, move -> moveTo(), release -> finish(), Escape ->
/// cancel(). Owns the open LabelEdit for its lifetime (destroying an unfinished stroke cancels).
class BrushStroke {
public:
  /// Opens an edit on \p labels named \p name (default "Paint stroke", or "Erase stroke" for the
  /// eraser). Throws std::invalid_argument on a bad size or threshold image.
  BrushStroke(LabelVolume& labels, const BrushSettings& settings, std::string name = {});
  /// Adds the mouse position \p p (voxel coordinates): the first call paints one dab, later calls
  /// paint the segment from the previous position. Returns the box changed by this call.
  volume::Region moveTo(const volume::Vec3& p);
  /// Commits the stroke as one undo step.
  EditSummary finish();
  /// Restores everything the stroke painted.
  void cancel();
  bool isOpen() const { return m_edit.isOpen(); }
  /// Dabs painted so far.
  std::int64_t dabCount() const { return m_dabs; }

private:
  LabelEdit m_edit;
  BrushSettings m_settings;
  volume::Vec3 m_last;
  bool m_started = false;
  std::int64_t m_dabs = 0;
};

} // namespace core::labels
