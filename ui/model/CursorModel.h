#pragma once
/// \file CursorModel.h
/// The crosshair: one voxel position shared by all views. Each slice view shows the slice through
/// it; clicking in one view moves it, and so the slices of the others. GUI thread only.

#include "core/volume/Volume.h"
#include "ui/model/MetaTypes.h"
#include "ui/model/VoxelAxes.h"

#include <QObject>

namespace ui {

class CursorModel : public QObject {
  Q_OBJECT
public:
  explicit CursorModel(QObject* parent = nullptr);

  /// Voxel index of the crosshair, inside bounds() (all zero when bounds are empty).
  const core::volume::Index3& position() const { return m_position; }
  const core::volume::Size3& bounds() const { return m_bounds; }
  /// New volume size: the cursor goes to the centre. Emits positionChanged.
  void setBounds(const core::volume::Size3& bounds);
  /// Moves the cursor (clamped into bounds). Emits positionChanged when it moved.
  void setPosition(const core::volume::Index3& position);
  /// Moves along one axis (0 = x, 1 = y, 2 = z) by \p delta voxels, clamped.
  void moveAlong(int axis, std::int64_t delta);
  /// Sets one coordinate (clamped).
  void setAlong(int axis, std::int64_t value);

Q_SIGNALS:
  void positionChanged(const core::volume::Index3& position, const core::volume::Index3& previous);

private:
  core::volume::Index3 clamp(core::volume::Index3 p) const;
  core::volume::Index3 m_position;
  core::volume::Size3 m_bounds;
};

} // namespace ui
