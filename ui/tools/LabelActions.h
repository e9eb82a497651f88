#pragma once
/// \file LabelActions.h
/// The label editing commands as QActions with shortcuts, for menus, the tool bar and the Tools
/// panel: choosing a tool (N navigate, B brush, E eraser, S sphere, G polygon, F flood; [ and ]
/// brush size), interpolating between annotated slices, marking a slice fully annotated,
/// accepting the prediction (whole, visible slice, component under the cursor), deleting a
/// component, and Undo/Redo named after the step ("Undo Paint stroke"). Each command is one
/// undoable edit of the session's LabelVolume, or of the sparse labels of a lazily opened volume
/// while one is open (setSparseLayer; there: undo/redo, interpolation and the annotated flag).
/// GUI thread only.

#include "core/volume/SliceGeometry.h"
#include "core/volume/Volume.h"

#include <QObject>

#include <array>

namespace core::labels {
class SparseLabels;
}

class QAction;
class QActionGroup;

namespace ui {

class CursorModel;
class DisplaySettings;
class LabelTools;
class Session;
class SparseLabelLayer;
class ToolSettings;
enum class ToolKind;

class LabelActions : public QObject {
  Q_OBJECT
public:
  LabelActions(Session& session, CursorModel& cursor, DisplaySettings& display, ToolSettings& settings,
               LabelTools& tools, QObject* parent);

  /// The tool actions (checkable, exclusive), in ToolKind order.
  QAction* toolAction(ToolKind kind) const;
  QAction* smallerBrush() const { return m_smaller; }
  QAction* largerBrush() const { return m_larger; }
  /// Swaps the painted class between crack and not crack (T).
  QAction* swapClass() const { return m_swapClass; }
  QAction* interpolateAll() const { return m_interpolateAll; }
  QAction* interpolateHere() const { return m_interpolateHere; }
  QAction* markAnnotated() const { return m_markAnnotated; }
  QAction* acceptAll() const { return m_acceptAll; }
  QAction* acceptSlice() const { return m_acceptSlice; }
  QAction* acceptComponent() const { return m_acceptComponent; }
  QAction* deleteComponent() const { return m_deleteComponent; }
  QAction* undo() const { return m_undo; }
  QAction* redo() const { return m_redo; }
  /// The labels of a lazily opened volume: while open, the commands act on them (null: none).
  void setSparseLayer(SparseLabelLayer* layer);

  // The commands (also what the actions call). Each returns the number of voxels changed (or,
  // for markSliceAnnotated, 1 when the flag changed); -1 when there was nothing to do it on.
  /// Interpolates every gap between labelled XY slices.
  std::int64_t doInterpolateAll();
  /// Interpolates between the nearest labelled XY slices below and above the crosshair's slice.
  std::int64_t doInterpolateAround(std::int64_t z);
  /// Toggles the "fully annotated" flag of XY slice \p z.
  std::int64_t doToggleAnnotated(std::int64_t z);
  /// Accepts the prediction at DisplaySettings' threshold: the whole volume.
  std::int64_t doAcceptAll();
  /// ... one slice of orientation \p orientation (SliceOrientation as int).
  std::int64_t doAcceptSlice(core::volume::Orientation orientation, std::int64_t slice);
  /// ... the connected crack component through \p seed.
  std::int64_t doAcceptComponent(const core::volume::Index3& seed);
  /// Deletes the connected component of the label at \p seed (sets it unlabelled).
  std::int64_t doDeleteComponent(const core::volume::Index3& seed);

Q_SIGNALS:
  /// A command finished (\p message for the status bar) or failed.
  void done(const QString& message);
  void failed(const QString& message);

private:
  QAction* make(const QString& text, const QKeySequence& key, const QString& tip);
  void updateUndo();
  void updateEnabled();
  core::volume::Index3 seedVoxel() const;
  double threshold() const;
  /// The sparse labels while a lazy volume is open, else null.
  core::labels::SparseLabels* sparse() const;

  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  ToolSettings& m_settings;
  LabelTools& m_tools;
  SparseLabelLayer* m_sparse = nullptr;
  QActionGroup* m_toolGroup;
  std::array<QAction*, 6> m_toolActions{};
  QAction *m_smaller, *m_larger, *m_swapClass, *m_interpolateAll, *m_interpolateHere, *m_markAnnotated;
  QAction *m_acceptAll, *m_acceptSlice, *m_acceptComponent, *m_deleteComponent, *m_undo, *m_redo;
};

} // namespace ui
