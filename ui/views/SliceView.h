#pragma once
/// \file SliceView.h
/// One slice view (XY, XZ or YZ) of the session: the image with its label and prediction
/// overlays, the crosshair, the slice number and a scale bar. Composited on the CPU into one RGBA
/// picture of the view's size and drawn as one texture (RgbaBlitter, no VTK scene): SliceRenderer samples the volumes at the view's pixels, so a slice change
/// costs the same on a 64^3 and on a 2048^3 volume, and only this view's texture changes.
/// GUI thread only.
///
/// Mouse: left click/drag moves the crosshair (the other views follow); Shift+left drag (or left
/// drag in window/level mode) sets window (horizontal) and level (vertical); right drag or
/// Ctrl+wheel zooms; middle drag pans; wheel, Up/Down, PageUp/PageDown change slice (1, 10);
/// Home/End first/last slice; R resets the view; double-click maximises or restores the view.
///
/// What is drawn comes from a SliceSource: the Session's in-memory dataset by default, or a
/// lazily read volume (setSource(LazySliceSource)), drawn at the level matching the zoom, coarse
/// at once and refined as blocks arrive (loadingChanged() tells how many are still loading).
/// Parts that could not be read (a damaged chunk) are hatched in kMissingColour.

#include "core/volume/Volume.h"
#include "ui/views/RgbaBlitter.h"
#include "ui/views/SliceTransform.h"
#include "ui/views/SliceRenderer.h"
#include "ui/views/SliceSource.h"
#include "ui/views/VtkHostWidget.h"

#include <QImage>
#include <QPoint>
#include <QPointer>

#include <array>
#include <cstdint>
#include <memory>

#include <vector>

namespace ui {

class CursorModel;
class DisplaySettings;
class FrameHold;
class Session;
class SliceOverlay;
class SliceTool;

/// The stripes that mark a part of a slice that could not be read (RGB).
inline constexpr std::uint8_t kMissingColour[3] = {255, 0, 255};

/// What the left mouse button does in a slice view.
enum class LeftButtonMode { Crosshair, WindowLevel };

class SliceView : public VtkHostWidget {
  Q_OBJECT
public:
  SliceView(SliceOrientation orientation, Session& session, CursorModel& cursor, DisplaySettings& display,
            QWidget* parent = nullptr);
  ~SliceView() override;

  SliceOrientation orientation() const { return m_orientation; }
  /// Index of the shown slice along the view's normal.
  std::int64_t slice() const;
  /// Number of slices along the view's normal (0 without an image).
  std::int64_t sliceCount() const;

  /// Voxel under logical widget point \p pos (on the shown slice); false outside the volume.
  bool voxelAt(const QPointF& pos, core::volume::Index3& voxel) const;
  /// Logical widget position of the centre of voxel \p voxel projected onto this view.
  QPointF widgetPosition(const core::volume::Index3& voxel) const;
  const SliceTransform& transform() const { return m_transform; }

  /// Fits the slice into the view again.
  void resetView();
  /// Multiplies the magnification by \p factor keeping the plane point under \p anchor fixed.
  void zoomBy(double factor, const QPointF& anchor);
  /// Moves the picture by \p delta logical pixels.
  void panBy(const QPointF& delta);
  /// Magnification relative to "fit".
  double zoomFactor() const;

  void setLeftButtonMode(LeftButtonMode mode) { m_leftMode = mode; }
  /// Tool that gets mouse events first (not owned; nullptr for none).
  void setTool(SliceTool* tool);
  /// Adds a layer drawn under the decorations (not owned; remove it before deleting it).
  void addOverlay(SliceOverlay* overlay);
  void removeOverlay(SliceOverlay* overlay);
  /// Asks for the decorations (crosshair, text, tool marks) to be drawn again.
  void refreshDecorations();
  /// Shows \p image (same grid as the session's image, e.g. a second time point resampled onto
  /// it) instead of the session's image; null shows the session's image again. Not owned.
  void setImageOverride(const core::volume::Volume* image);
  const core::volume::Volume* imageOverride() const { return m_imageOverride; }

  /// Draws from \p source (not owned; it must outlive its use here) instead of the Session;
  /// nullptr: the Session again.
  void setSource(SliceSource* source);
  SliceSource& source() const { return *m_source; }
  /// Blocks still loading for what this view shows (0 with the in-memory Session).
  std::size_t pendingBlocks() const { return m_pending; }
  /// The picture on screen (or drawn by the next frame's blit) is the current slice as complete as
  /// it gets: nothing waits to be composited and nothing was loading when it was drawn.
  bool showsCompletePicture() const {
    return !m_dirtyData && m_labelRegion.empty() && m_complete && m_shownSlice == slice();
  }

  /// How many times the slice was sampled (composited) since construction: tests check that a
  /// view does not redraw for changes that do not cross it.
  int compositeCount() const { return m_compositeCount; }

Q_SIGNALS:
  /// The mouse is over voxel \p voxel (inside == false: outside the volume or left the view).
  void hovered(const core::volume::Index3& voxel, bool inside);
  /// Double-click: maximise or restore this view.
  void maximiseToggled();
  /// The number of blocks still loading for this view changed (0: all of it is drawn).
  void loadingChanged(qulonglong pendingBlocks);

protected:
  void prepareRender() override;
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  /// Draws the composited picture as one texture (no VTK render).
  void paintGL() override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;

private:
  enum class Drag { None, Crosshair, WindowLevel, Pan, Zoom };
  void onDatasetChanged();
  void onCursorMoved(const core::volume::Index3& position, const core::volume::Index3& previous);
  void onRegionChanged(const core::volume::Region& region);
  void markDirty();
  /// The source has new blocks: draw again, and let the window's frame go once none is pending.
  void onSourceChanged();
  void releaseFrameHold();
  void onSourceLabelsChanged(const core::volume::Region& region);
  void allocateBuffers();
  void composite();
  /// Redraws only the pixels over m_labelRegion (the source's labels changed there).
  void compositeLabels();
  void decorate();                           // SliceDecorations.cpp
  void paintDecorations(QPainter& painter);  // the empty view's hint
  void moveCrosshairTo(const QPointF& pos);
  void changeSlice(std::int64_t delta);
  double planeExtent(int axis) const;

  SliceOrientation m_orientation;
  SliceAxes m_axes;
  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  SliceTool* m_tool = nullptr;
  std::vector<SliceOverlay*> m_overlays;
  std::unique_ptr<SessionSliceSource> m_sessionSource;
  SliceSource* m_source = nullptr; ///< m_sessionSource or one set with setSource()
  std::size_t m_pending = 0;
  bool m_complete = false; ///< the last composite's picture was final (SliceSource::lastPictureFinal)

  SliceRenderer m_renderer;
  SliceTransform m_transform;
  bool m_fit = true;
  std::int64_t m_shownSlice = -1;
  const core::volume::Volume* m_imageOverride = nullptr;
  std::vector<std::uint8_t> m_base;    ///< composited slice, RGBA, view size
  std::vector<std::uint8_t> m_shown;   ///< m_base + decorations; what the texture shows
  bool m_dirtyData = true, m_dirtyDecor = true;
  core::volume::Region m_labelRegion; ///< labels changed here since the last composite (full-resolution voxels)
  QRect m_changedPixels;              ///< of m_base since the last decorate(); empty: all of it
  int m_compositeCount = 0;
  QImage m_labelImage, m_scaleImage; ///< cached decorations and what they show
  QString m_labelKey, m_scaleKey;

  RgbaBlitter m_blitter; ///< m_shown on the screen
  QPointer<FrameHold> m_frameHold; ///< the window's, while this view waits for a slice's blocks

  LeftButtonMode m_leftMode = LeftButtonMode::Crosshair;
  Drag m_drag = Drag::None;
  QPointF m_pressPos, m_lastPos;
  double m_pressWindow = 1, m_pressLevel = 0;
};

} // namespace ui
