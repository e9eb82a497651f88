#pragma once
/// \file SliceTool.h
/// The hook through which editing tools (brush, polygon, ...) take over the mouse in a slice view
/// and draw their own marks over it. A view without a tool (or whose tool declines an event)
/// does crosshair, window/level, pan and zoom. GUI thread only.

class QMouseEvent;
class QPainter;

namespace ui {

class SliceView;

class SliceTool {
public:
  virtual ~SliceTool() = default;
  /// Return true when the tool used the event (the view then does nothing else with it).
  virtual bool mousePressed(SliceView& view, QMouseEvent& event) = 0;
  virtual bool mouseMoved(SliceView& view, QMouseEvent& event) = 0;
  virtual bool mouseReleased(SliceView& view, QMouseEvent& event) = 0;
  /// Draws the tool's marks (brush outline, polygon) over the slice, in logical pixels of the
  /// view. Called on every decoration pass; ask for one with SliceView::refreshDecorations().
  virtual void paintOverlay(SliceView& view, QPainter& painter) = 0;
};

} // namespace ui
