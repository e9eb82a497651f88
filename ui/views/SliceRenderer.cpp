#include "ui/views/SliceRenderer.h"

#include "ui/views/SliceBlockCache.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ui {

namespace vol = core::volume;

namespace {

/// dst blended with a colour already multiplied by its alpha (a in 0..256).
inline std::uint32_t blend(std::uint32_t dst, std::uint32_t premulRB, std::uint32_t premulG, std::uint32_t inv) {
  // Red and blue in one multiply, green apart (8 bits of headroom each).
  const std::uint32_t rb = (((dst & 0x00FF00FFu) * inv + premulRB) >> 8) & 0x00FF00FFu;
  const std::uint32_t g = (((dst & 0x0000FF00u) * inv + premulG) >> 8) & 0x0000FF00u;
  return rb | g | 0xFF000000u;
}

struct Premul {
  std::uint32_t rb = 0, g = 0, inv = 256;
  bool on = false;
};

Premul premultiply(std::uint32_t colour, double alpha) {
  Premul p;
  const auto a = std::uint32_t(std::lround(std::clamp(alpha, 0.0, 1.0) * 256));
  p.rb = (colour & 0x00FF00FFu) * a;
  p.g = (colour & 0x0000FF00u) * a;
  p.inv = 256 - a;
  p.on = a > 0;
  return p;
}

inline std::uint8_t greyOf(double v, double lower, double k) {
  if (!std::isfinite(v)) return 0;
  const double g = (v - lower) * k;
  return std::uint8_t(g <= 0 ? 0 : g >= 255 ? 255 : std::lround(g));
}

/// Colour of prediction value p at or above threshold t: deep orange at t to gold at 255.
std::uint32_t predictionColour(int p, int t) {
  const double s = t >= 255 ? 1.0 : double(p - t) / double(255 - t);
  return packRgba(255, int(80 + 140 * s), int(10 * (1 - s)));
}

} // namespace

SliceStyle SliceStyle::from(const DisplaySettings& s) {
  SliceStyle st;
  st.lower = s.lower();
  st.upper = s.upper();
  st.labelsVisible = s.labelsVisible();
  st.labelOpacity = s.labelOpacity();
  for (int l = 0; l < 256; ++l) {
    const QColor c = s.labelColour(l);
    st.labelColours[std::size_t(l)] = packRgba(c.red(), c.green(), c.blue());
  }
  st.predictionVisible = s.predictionVisible();
  st.predictionStyle = s.predictionStyle();
  st.predictionThreshold = s.predictionThreshold();
  st.predictionOpacity = s.predictionOpacity();
  st.background = packRgba(16, 18, 22);
  return st;
}

void SliceRenderer::updateLut(vol::VoxelType type, double lower, double upper) {
  if (type != vol::VoxelType::UInt8 && type != vol::VoxelType::UInt16) return;
  if (type == m_lutType && lower == m_lutLower && upper == m_lutUpper && !m_lut.empty()) return;
  const std::size_t n = type == vol::VoxelType::UInt8 ? 256 : 65536;
  m_lut.resize(n);
  const double k = 255.0 / std::max(upper - lower, 1e-12);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t g = greyOf(double(i), lower, k);
    m_lut[i] = packRgba(int(g), int(g), int(g));
  }
  m_lutType = type;
  m_lutLower = lower;
  m_lutUpper = upper;
}

template <class T>
void SliceRenderer::greyRows(const T* data, const SliceStyle& style, std::uint8_t* out, int bytesPerLine) {
  const double k = 255.0 / std::max(style.upper - style.lower, 1e-12);
  const std::int64_t* col = m_colOffset.data();
  const int c0 = std::clamp(m_c0, m_x0, m_x1), c1 = std::clamp(m_c1, c0, m_x1);
  for (int r = m_y0; r < m_y1; ++r) {
    auto* dst = reinterpret_cast<std::uint32_t*>(out + std::ptrdiff_t(r) * bytesPerLine);
    const std::int64_t row = m_rowOffset[std::size_t(r)];
    if (row < 0 || c0 >= c1) {
      std::fill(dst + m_x0, dst + m_x1, style.background);
      continue;
    }
    std::fill(dst + m_x0, dst + c0, style.background);
    std::fill(dst + c1, dst + m_x1, style.background);
    const T* src = data + row;
    if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t>) {
      const std::uint32_t* lut = m_lut.data();
      for (int c = c0; c < c1; ++c) dst[c] = lut[src[col[c]]];
    } else {
      for (int c = c0; c < c1; ++c) {
        const std::uint32_t g = greyOf(double(src[col[c]]), style.lower, k);
        dst[c] = g * 0x00010101u | 0xFF000000u;
      }
    }
  }
}

void SliceRenderer::labelRows(const std::uint8_t* labels, const SliceStyle& style, std::uint8_t* out, int bytesPerLine) {
  std::array<Premul, 256> colours;
  for (std::size_t l = 1; l < 256; ++l) colours[l] = premultiply(style.labelColours[l], style.labelOpacity);
  if (!colours[1].on && !colours[2].on) return;
  const std::int64_t* col = m_colOffset.data();
  const int c0 = std::max(m_c0, m_x0), c1 = std::min(m_c1, m_x1);
  for (int r = m_y0; r < m_y1; ++r) {
    const std::int64_t row = m_rowOffset[std::size_t(r)];
    if (row < 0) continue;
    auto* dst = reinterpret_cast<std::uint32_t*>(out + std::ptrdiff_t(r) * bytesPerLine);
    const std::uint8_t* src = labels + row;
    for (int c = c0; c < c1; ++c) {
      const std::uint8_t l = src[col[c]];
      if (l) {
        const Premul& p = colours[l];
        dst[c] = blend(dst[c], p.rb, p.g, p.inv);
      }
    }
  }
}

void SliceRenderer::predictionRows(const std::uint8_t* prediction, const SliceStyle& style, std::uint8_t* out,
                                   int bytesPerLine) {
  const int t = std::clamp(style.predictionThreshold, 1, 255);
  const std::int64_t* col = m_colOffset.data();
  const int c0 = std::max(m_c0, m_x0), c1 = std::min(m_c1, m_x1);
  if (style.predictionStyle == PredictionStyle::ColourMap) {
    std::array<Premul, 256> colours;
    for (int p = t; p < 256; ++p)
      colours[std::size_t(p)] = premultiply(predictionColour(p, t), style.predictionOpacity * (0.7 + 0.3 * (p - t) / std::max(1, 255 - t)));
    for (int r = m_y0; r < m_y1; ++r) {
      const std::int64_t row = m_rowOffset[std::size_t(r)];
      if (row < 0) continue;
      auto* dst = reinterpret_cast<std::uint32_t*>(out + std::ptrdiff_t(r) * bytesPerLine);
      const std::uint8_t* src = prediction + row;
      for (int c = c0; c < c1; ++c) {
        const std::uint8_t p = src[col[c]];
        if (p >= t) {
          const Premul& q = colours[p];
          dst[c] = blend(dst[c], q.rb, q.g, q.inv);
        }
      }
    }
    return;
  }
  // Outline: a pixel of the mask with a neighbouring pixel outside it, one device pixel thin at
  // any zoom.
  const int w = m_width, h = m_height;
  m_mask.assign(std::size_t(w) * std::size_t(h), 0);
  for (int r = std::max(0, m_y0 - 1); r < std::min(h, m_y1 + 1); ++r) {
    const std::int64_t row = m_rowOffset[std::size_t(r)];
    if (row < 0) continue;
    const std::uint8_t* src = prediction + row;
    std::uint8_t* m = m_mask.data() + std::size_t(r) * std::size_t(w);
    for (int c = m_c0; c < m_c1; ++c) m[c] = src[col[c]] >= t;
  }
  const std::uint32_t colour = packRgba(255, 230, 0);
  for (int r = m_y0; r < m_y1; ++r) {
    const std::uint8_t* m = m_mask.data() + std::size_t(r) * std::size_t(w);
    const std::uint8_t* up = r > 0 ? m - w : nullptr;
    const std::uint8_t* down = r + 1 < h ? m + w : nullptr;
    auto* dst = reinterpret_cast<std::uint32_t*>(out + std::ptrdiff_t(r) * bytesPerLine);
    for (int c = c0; c < c1; ++c) {
      if (!m[c]) continue;
      const bool edge = c == 0 || !m[c - 1] || c + 1 >= w || !m[c + 1] || !up || !up[c] || !down || !down[c];
      if (edge) dst[c] = colour;
    }
  }
}

SliceRenderer::SliceRenderer() : m_cache(std::make_unique<SliceBlockCache>()) {}
SliceRenderer::~SliceRenderer() = default;

void SliceRenderer::invalidateLabels() { m_cache->invalidateLabels(); }
void SliceRenderer::invalidatePrediction() { m_cache->invalidatePrediction(); }
void SliceRenderer::invalidateAll() { m_cache->clear(); }

void SliceRenderer::setBlockCacheEnabled(bool on) {
  m_cacheEnabled = on;
  if (!on) m_cache->clear();
}

bool SliceRenderer::useBlockCache(const SliceLayers& layers, std::int64_t slice, const std::uint8_t*& image,
                                  const std::uint8_t*& labels, const std::uint8_t*& prediction) {
  // The distinct voxel offsets of the view's columns and rows (both are monotonic in the pixel).
  m_distinctCols.clear();
  m_distinctRows.clear();
  m_colSlot.assign(std::size_t(m_width), 0);
  m_rowSlot.assign(std::size_t(m_height), -1);
  for (int c = m_c0; c < m_c1; ++c) {
    const std::int64_t off = m_colOffset[std::size_t(c)];
    if (m_distinctCols.empty() || m_distinctCols.back() != off) m_distinctCols.push_back(off);
    m_colSlot[std::size_t(c)] = std::int64_t(m_distinctCols.size()) - 1;
  }
  for (int r = 0; r < m_height; ++r) {
    const std::int64_t off = m_rowOffset[std::size_t(r)];
    if (off < 0) continue;
    if (m_distinctRows.empty() || m_distinctRows.back() != off) m_distinctRows.push_back(off);
    m_rowSlot[std::size_t(r)] = std::int64_t(m_distinctRows.size()) - 1;
  }
  if (!m_cache->prepare(layers, m_distinctCols, m_distinctRows, slice)) return false;
  const std::int64_t nc = std::int64_t(m_distinctCols.size());
  for (int c = m_c0; c < m_c1; ++c) m_colOffset[std::size_t(c)] = m_colSlot[std::size_t(c)];
  for (int r = 0; r < m_height; ++r) {
    const std::int64_t slot = m_rowSlot[std::size_t(r)];
    m_rowOffset[std::size_t(r)] = slot < 0 ? -1 : slot * nc;
  }
  image = m_cache->image();
  labels = m_cache->labels();
  prediction = m_cache->prediction();
  return true;
}

void SliceRenderer::render(const SliceLayers& layers, SliceOrientation orientation, std::int64_t slice,
                           const SliceTransform& transform, const SliceStyle& style, std::uint8_t* out, int bytesPerLine,
                           const PixelRect* clip) {
  m_width = std::max(transform.width, 0);
  m_height = std::max(transform.height, 0);
  if (m_width == 0 || m_height == 0) return;
  m_x0 = clip ? std::clamp(clip->x0, 0, m_width) : 0;
  m_x1 = clip ? std::clamp(clip->x1, m_x0, m_width) : m_width;
  m_y0 = clip ? std::clamp(clip->y0, 0, m_height) : 0;
  m_y1 = clip ? std::clamp(clip->y1, m_y0, m_height) : m_height;
  if (m_x0 >= m_x1 || m_y0 >= m_y1) return;
  const vol::Volume* image = layers.image;
  m_colOffset.assign(std::size_t(m_width), 0);
  m_rowOffset.assign(std::size_t(m_height), -1);
  m_c0 = m_width;
  m_c1 = 0;
  const SliceAxes ax = sliceAxes(orientation);
  std::int64_t base = 0;
  if (image && !image->empty()) {
    const vol::Size3 n = image->size();
    const std::int64_t strides[3] = {1, n.x, n.x * n.y};
    const std::int64_t nu = component(n, ax.u), nv = component(n, ax.v), nn = component(n, ax.normal);
    const double spu = component(image->spacing(), ax.u), spv = component(image->spacing(), ax.v);
    if (slice >= 0 && slice < nn) {
      for (int c = 0; c < m_width; ++c) {
        const std::int64_t iu = voxelIndex(transform.planeU(c + 0.5), spu);
        if (iu < 0 || iu >= nu) continue;
        m_colOffset[std::size_t(c)] = iu * strides[ax.u];
        m_c0 = std::min(m_c0, c);
        m_c1 = std::max(m_c1, c + 1);
      }
      for (int r = 0; r < m_height; ++r) {
        const std::int64_t iv = voxelIndex(transform.planeV(r + 0.5), spv);
        if (iv >= 0 && iv < nv) m_rowOffset[std::size_t(r)] = iv * strides[ax.v];
      }
      base = slice * strides[ax.normal];
    }
  }
  if (m_c0 >= m_c1 || !image || image->empty()) {
    for (int r = m_y0; r < m_y1; ++r) {
      auto* dst = reinterpret_cast<std::uint32_t*>(out + std::ptrdiff_t(r) * bytesPerLine);
      std::fill(dst + m_x0, dst + m_x1, style.background);
    }
    return;
  }
  const vol::Volume* labels = style.labelsVisible && layers.labels && layers.labels->size() == image->size() ? layers.labels : nullptr;
  const vol::Volume* prediction =
      style.predictionVisible && layers.prediction && layers.prediction->size() == image->size() ? layers.prediction : nullptr;
  const std::uint8_t* imageData = static_cast<const std::uint8_t*>(image->data());
  const std::uint8_t* labelData = labels ? labels->as<std::uint8_t>() : nullptr;
  const std::uint8_t* predictionData = prediction ? prediction->as<std::uint8_t>() : nullptr;
  const bool cached = m_cacheEnabled && ax.normal == 0 &&
                      useBlockCache({image, labels, prediction}, slice, imageData, labelData, predictionData);
  if (!cached) {
    // Sample the volumes in place: offsets include the slice.
    for (auto& row : m_rowOffset)
      if (row >= 0) row += base;
  }
  updateLut(image->type(), style.lower, style.upper);
  vol::dispatch(image->type(), [&](auto t) {
    using T = decltype(t);
    greyRows<T>(reinterpret_cast<const T*>(imageData), style, out, bytesPerLine);
  });
  if (labelData) labelRows(labelData, style, out, bytesPerLine);
  if (predictionData) predictionRows(predictionData, style, out, bytesPerLine);
}

} // namespace ui
