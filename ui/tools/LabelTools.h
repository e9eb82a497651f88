#pragma once
/// \file LabelTools.h
/// The label tools in the slice views, through the SliceTool hook: brush, eraser and 3D sphere
/// brush (press opens a core::labels::BrushStroke, moves add interpolated dabs, release commits one
/// undo step, Esc aborts), polygon fill/erase (clicks add vertices; double-click or Enter closes
/// and fills, with Shift erases; Esc drops the polygon) and 2D flood fill on click. Draws the brush
/// outline under the mouse and the polygon being drawn. With ToolKind::Navigate every event goes
/// to the view. The views and the session must outlive this object. GUI thread only.
/// While a volume is open lazily (setSparseLayer), every tool paints into its sparse labels
/// instead: through a dense window of the slice (a slab for the sphere brush), as
/// core::labels::SparseLabels describes (LabelToolsSparse.cpp).

#include "core/labels/Brush.h"
#include "core/labels/SparseLabels.h"
#include "core/volume/SliceGeometry.h"
#include "core/volume/Volume.h"
#include "ui/views/SliceTool.h"

#include <QObject>
#include <QPointF>

#include <memory>
#include <optional>
#include <vector>

namespace ui {

class CursorModel;
class DisplaySettings;
class Session;
class SliceView;
class SparseLabelLayer;
class ToolSettings;

class LabelTools : public QObject, public SliceTool {
  Q_OBJECT
public:
  LabelTools(Session& session, CursorModel& cursor, DisplaySettings& display, ToolSettings& settings,
             QObject* parent = nullptr);
  ~LabelTools() override;

  /// Installs this tool on \p view (mouse, keys Esc/Enter, double-click).
  void attach(SliceView* view);
  /// The labels of a lazily opened volume: while open, the tools paint there (null: none).
  void setSparseLayer(SparseLabelLayer* layer);

  bool mousePressed(SliceView& view, QMouseEvent& event) override;
  bool mouseMoved(SliceView& view, QMouseEvent& event) override;
  bool mouseReleased(SliceView& view, QMouseEvent& event) override;
  void paintOverlay(SliceView& view, QPainter& painter) override;

  /// True while a brush stroke is open.
  bool isStroking() const { return m_stroke != nullptr; }
  /// Aborts the open stroke (restoring its voxels) and drops the polygon being drawn.
  void cancel();
  /// Closes the polygon being drawn and fills it (\p erase: erases). False when it has < 3 vertices.
  bool closePolygon(bool erase);
  /// Number of vertices of the polygon being drawn.
  int polygonVertexCount() const { return int(m_polygon.size()); }
  /// The voxel under the mouse in the view it is over, if any (for "component under the cursor").
  std::optional<core::volume::Index3> hoveredVoxel() const;
  /// The view the mouse was last over (nullptr if none).
  SliceView* hoveredView() const { return m_hoverView; }

Q_SIGNALS:
  /// A tool failed (message for the status bar).
  void failed(const QString& message);
  /// What an edit did, when worth saying (a flood fill's voxels; an edit that changed nothing).
  void done(const QString& message);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  core::volume::Vec3 voxelCoords(SliceView& view, const QPointF& pos) const;
  core::labels::BrushSettings brushSettings(SliceView& view) const;
  void refreshAll();
  bool sparseActive() const;
  bool sparsePressed(SliceView& view, QMouseEvent& event, const core::volume::Vec3& p);
  bool sparseFillPolygon(SliceView& view, const std::vector<core::volume::Point2>& vertices, bool erase);
  /// Ends the sparse brush stroke's window (after the stroke finished or was cancelled).
  void closeWindow();
  /// The status line after a flood fill from a seed of grey \p seedGrey (dense or sparse labels).
  QString floodFillMessage(const core::labels::EditSummary& summary, double seedGrey) const;

  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  ToolSettings& m_settings;
  std::vector<SliceView*> m_views;
  SparseLabelLayer* m_sparse = nullptr;
  // A sparse stroke paints into m_window (destroyed after the stroke: declared before it), with
  // the image of the window for an intensity threshold.
  core::volume::Volume m_windowImage;
  std::unique_ptr<core::labels::SparseLabels::Window> m_window;
  std::unique_ptr<core::labels::BrushStroke> m_stroke;
  SliceView* m_strokeView = nullptr;
  SliceView* m_hoverView = nullptr;
  QPointF m_hoverPos;
  // The polygon being drawn: its view, slice and vertices (slice coordinates, voxel centres at integers).
  SliceView* m_polygonView = nullptr;
  std::int64_t m_polygonSlice = 0;
  std::vector<core::volume::Point2> m_polygon;
};

} // namespace ui
