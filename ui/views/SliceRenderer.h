#pragma once
/// \file SliceRenderer.h
/// Draws one slice of the image with its label and prediction overlays into an RGBA buffer of the
/// view's size, sampling the volumes directly at the view's pixels (nearest voxel). The cost of a
/// slice change is then proportional to the view's pixels, never to the slice's size, and no
/// slice of the volume is ever copied. No Qt widgets, no OpenGL: testable alone. One renderer per
/// view; not thread-safe (keeps its lookup tables and index buffers between calls).

#include "core/volume/Volume.h"
#include "ui/model/DisplaySettings.h"
#include "ui/views/SliceTransform.h"

#include <memory>

#include <array>
#include <cstdint>
#include <vector>

namespace ui {

/// The volumes one view shows. image is required; labels and prediction (uint8, same size) may
/// be null. The renderer only reads them, during render().
struct SliceLayers {
  const core::volume::Volume* image = nullptr;
  const core::volume::Volume* labels = nullptr;
  const core::volume::Volume* prediction = nullptr;
};

/// How the layers look (a snapshot of DisplaySettings).
struct SliceStyle {
  double lower = 0, upper = 255; ///< window: grey 0 at lower, 255 at upper
  bool labelsVisible = true;
  double labelOpacity = 0.5;
  std::array<std::uint32_t, 256> labelColours{}; ///< RGBA packed (see packRgba); index = label
  bool predictionVisible = true;
  PredictionStyle predictionStyle = PredictionStyle::ColourMap;
  int predictionThreshold = 128; ///< shown where prediction >= threshold
  double predictionOpacity = 0.6;
  std::uint32_t background = 0; ///< outside the volume

  /// A style from the shared settings.
  static SliceStyle from(const DisplaySettings& settings);
};

/// RGBA bytes in memory order (R first), as OpenGL and QImage::Format_RGBA8888 read them.
inline std::uint32_t packRgba(int r, int g, int b, int a = 255) {
  return std::uint32_t(r) | (std::uint32_t(g) << 8) | (std::uint32_t(b) << 16) | (std::uint32_t(a) << 24);
}

class SliceBlockCache;

/// Pixels [x0, x1) x [y0, y1) of a view (row 0 at the top).
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

class SliceRenderer {
public:
  SliceRenderer();
  ~SliceRenderer();
  SliceRenderer(const SliceRenderer&) = delete;
  SliceRenderer& operator=(const SliceRenderer&) = delete;

  /// Composites slice \p slice (index along the orientation's normal) of \p layers, as seen
  /// through \p transform, into \p out: transform.height rows of transform.width RGBA pixels,
  /// \p bytesPerLine apart, first row at the top of the view. Pixels outside the volume get
  /// style.background. NaN and Inf grey values are drawn black. With \p clip only those pixels
  /// of \p out are written (the same values as a whole render gives them), e.g. where labels
  /// changed under a brush.
  void render(const SliceLayers& layers, SliceOrientation orientation, std::int64_t slice,
              const SliceTransform& transform, const SliceStyle& style, std::uint8_t* out, int bytesPerLine,
              const PixelRect* clip = nullptr);

  /// The labels or the prediction changed (anywhere): cached copies must be read again. The
  /// image never changes in place; a new dataset calls invalidateAll().
  void invalidateLabels();
  void invalidatePrediction();
  void invalidateAll();
  /// Uses the block cache for slices along x (default on; off for comparisons).
  void setBlockCacheEnabled(bool on);

private:
  bool useBlockCache(const SliceLayers& layers, std::int64_t slice, const std::uint8_t*& image,
                     const std::uint8_t*& labels, const std::uint8_t*& prediction);
  void updateLut(core::volume::VoxelType type, double lower, double upper);
  template <class T> void greyRows(const T* data, const SliceStyle& style, std::uint8_t* out, int bytesPerLine);
  void labelRows(const std::uint8_t* labels, const SliceStyle& style, std::uint8_t* out, int bytesPerLine);
  void predictionRows(const std::uint8_t* prediction, const SliceStyle& style, std::uint8_t* out, int bytesPerLine);

  std::vector<std::int64_t> m_colOffset; ///< voxel offset of each view column within a row
  std::vector<std::int64_t> m_rowOffset; ///< voxel offset of each view row, -1 outside
  int m_c0 = 0, m_c1 = 0;                ///< columns [m_c0, m_c1) fall inside the volume
  int m_width = 0, m_height = 0;
  int m_x0 = 0, m_x1 = 0, m_y0 = 0, m_y1 = 0; ///< the pixels written: [m_x0, m_x1) x [m_y0, m_y1)
  std::vector<std::uint32_t> m_lut;      ///< grey RGBA per value, uint8 and uint16 images
  core::volume::VoxelType m_lutType = core::volume::VoxelType::Float32;
  double m_lutLower = 0, m_lutUpper = -1;
  std::vector<std::uint8_t> m_mask;      ///< prediction mask at view pixels (outline style)
  std::vector<std::int64_t> m_distinctCols, m_distinctRows, m_colSlot, m_rowSlot;
  std::unique_ptr<SliceBlockCache> m_cache;
  bool m_cacheEnabled = true;
};

} // namespace ui
