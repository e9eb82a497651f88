#pragma once
/// \file SliceOverlay.h
/// A layer drawn into a slice view's RGBA buffer after compositing, under the crosshair and the
/// text (the particle overlay uses it). A view may have several; they are not owned. GUI thread only.

#include <cstdint>

namespace ui {

class SliceView;

class SliceOverlay {
public:
  virtual ~SliceOverlay() = default;
  /// Draws into \p rgba (\p width x \p height device pixels, RGBA, rows top-down, no padding).
  virtual void paintSlice(SliceView& view, std::uint8_t* rgba, int width, int height) = 0;
};

} // namespace ui
