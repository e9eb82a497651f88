#include "core/labels/SliceTools.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace core::labels {

using volume::Region;

std::int64_t SliceMask::count() const {
  return std::int64_t(std::count_if(data.begin(), data.end(), [](std::uint8_t b) { return b != 0; }));
}

namespace {

/// Writes per-voxel values from a plane: valueOf(maskByte) gives the label to write, or -1 to skip.
template <class ValueOf>
Region paintPlane(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const SliceMask& m, const PaintRule& rule,
                  ValueOf valueOf) {
  const auto& size = edit.volume().size();
  rule.check(size);
  if (slice < 0 || slice >= sliceCount(size, o) || m.width <= 0 || m.height <= 0) return {};
  // Clip the plane to the slice.
  const std::int64_t ua = std::max<std::int64_t>(m.u0, 0), va = std::max<std::int64_t>(m.v0, 0);
  const std::int64_t ub = std::min(m.u0 + m.width, sliceWidth(size, o));
  const std::int64_t vb = std::min(m.v0 + m.height, sliceHeight(size, o));
  if (ub <= ua || vb <= va) return {};
  const Region box = sliceRegion(o, slice, ua, va, ub - ua, vb - va);
  return edit.modifyRows(box, [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
    for (std::int64_t i = 0; i < box.size.x; ++i) {
      const volume::Index3 p{box.start.x + i, y, z};
      std::int64_t u, v;
      sliceCoordsOf(o, p, u, v);
      const int value = valueOf(m.at(u, v));
      if (value >= 0 && rule.allows(row[i], p)) row[i] = std::uint8_t(value);
    }
  });
}

} // namespace

Region paintSliceMask(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const SliceMask& mask, std::uint8_t value,
                      const PaintRule& rule) {
  return paintPlane(edit, o, slice, mask, rule, [value](std::uint8_t m) { return m ? int(value) : -1; });
}

Region paintSliceValues(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const SliceMask& values,
                        const PaintRule& rule) {
  return paintPlane(edit, o, slice, values, rule, [](std::uint8_t m) { return m ? int(m) : -1; });
}

SliceMask rasterizePolygon(const std::vector<volume::Point2>& vertices, std::int64_t width, std::int64_t height) {
  if (vertices.size() < 3) return {};
  double umin = vertices[0].u, umax = umin, vmin = vertices[0].v, vmax = vmin;
  for (const auto& p : vertices) {
    if (!std::isfinite(p.u) || !std::isfinite(p.v)) throw std::invalid_argument("polygon vertex is not finite");
    umin = std::min(umin, p.u);
    umax = std::max(umax, p.u);
    vmin = std::min(vmin, p.v);
    vmax = std::max(vmax, p.v);
  }
  const std::int64_t u0 = std::max<std::int64_t>(0, std::int64_t(std::floor(umin)));
  const std::int64_t v0 = std::max<std::int64_t>(0, std::int64_t(std::floor(vmin)));
  const std::int64_t u1 = std::min<std::int64_t>(width - 1, std::int64_t(std::ceil(umax)));
  const std::int64_t v1 = std::min<std::int64_t>(height - 1, std::int64_t(std::ceil(vmax)));
  if (u1 < u0 || v1 < v0) return {};
  SliceMask mask(u0, v0, u1 - u0 + 1, v1 - v0 + 1);
  cv::Mat plane(int(mask.height), int(mask.width), CV_8UC1, mask.data.data());
  // Subpixel vertices: OpenCV takes fixed-point coordinates with `shift` fractional bits.
  constexpr int kShift = 8;
  constexpr double kScale = 1 << kShift;
  std::vector<cv::Point> pts;
  pts.reserve(vertices.size());
  for (const auto& p : vertices)
    pts.emplace_back(int(std::lround((p.u - double(u0)) * kScale)), int(std::lround((p.v - double(v0)) * kScale)));
  const cv::Point* polys[] = {pts.data()};
  const int counts[] = {int(pts.size())};
  cv::fillPoly(plane, polys, counts, 1, cv::Scalar(1), cv::LINE_8, kShift);
  return mask;
}

Region fillPolygon(LabelEdit& edit, volume::Orientation o, std::int64_t slice, const std::vector<volume::Point2>& vertices,
                   std::uint8_t value, const PaintRule& rule) {
  const auto& size = edit.volume().size();
  const SliceMask mask = rasterizePolygon(vertices, sliceWidth(size, o), sliceHeight(size, o));
  if (mask.data.empty()) return {};
  return paintSliceMask(edit, o, slice, mask, value, rule);
}

SliceMask floodRegion2D(const volume::Volume& image, volume::Orientation o, const volume::Index3& seed, double tolerance,
                        bool eightConnected) {
  const auto& size = image.size();
  if (seed.x < 0 || seed.y < 0 || seed.z < 0 || seed.x >= size.x || seed.y >= size.y || seed.z >= size.z)
    throw std::invalid_argument("flood fill seed lies outside the volume");
  if (!(tolerance >= 0)) throw std::invalid_argument("flood fill tolerance must be >= 0");
  const std::int64_t w = sliceWidth(size, o), h = sliceHeight(size, o);
  const std::int64_t index = sliceIndexOf(o, seed);
  cv::Mat plane(int(h), int(w), CV_32FC1);
  volume::dispatch(image.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = image.as<T>();
    for (std::int64_t v = 0; v < h; ++v) {
      float* dst = plane.ptr<float>(int(v));
      for (std::int64_t u = 0; u < w; ++u) {
        const auto p = toVoxel(o, index, u, v);
        dst[u] = float(src[image.index(p.x, p.y, p.z)]);
      }
    }
  });
  std::int64_t su, sv;
  sliceCoordsOf(o, seed, su, sv);
  cv::Mat mask = cv::Mat::zeros(int(h) + 2, int(w) + 2, CV_8UC1);
  const int flags = (eightConnected ? 8 : 4) | cv::FLOODFILL_MASK_ONLY | cv::FLOODFILL_FIXED_RANGE | (1 << 8);
  cv::Rect rect;
  const cv::Scalar diff(tolerance);
  cv::floodFill(plane, mask, cv::Point(int(su), int(sv)), cv::Scalar(0), &rect, diff, diff, flags);
  SliceMask out(rect.x, rect.y, rect.width, rect.height);
  for (int v = 0; v < rect.height; ++v) {
    const std::uint8_t* m = mask.ptr<std::uint8_t>(rect.y + v + 1) + rect.x + 1;
    std::copy(m, m + rect.width, out.data.begin() + std::ptrdiff_t(v) * rect.width);
  }
  return out;
}

Region floodFill2D(LabelEdit& edit, const volume::Volume& image, volume::Orientation o, const volume::Index3& seed,
                   double tolerance, std::uint8_t value, const PaintRule& rule, bool eightConnected) {
  if (image.size() != edit.volume().size())
    throw std::invalid_argument("flood fill: the image has another size than the label volume");
  const SliceMask mask = floodRegion2D(image, o, seed, tolerance, eightConnected);
  return paintSliceMask(edit, o, sliceIndexOf(o, seed), mask, value, rule);
}

} // namespace core::labels
