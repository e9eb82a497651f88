#include "core/labels/SliceInterpolation.h"

#include "core/labels/SliceTools.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace core::labels {

using volume::Region;

std::vector<float> signedDistanceMap(const std::uint8_t* mask, std::int64_t width, std::int64_t height) {
  const std::size_t n = std::size_t(width * height);
  const float far = float(width + height);
  std::vector<float> out(n);
  std::size_t inside = 0;
  for (std::size_t i = 0; i < n; ++i) inside += mask[i] ? 1 : 0;
  if (inside == 0 || inside == n) {
    std::fill(out.begin(), out.end(), inside == 0 ? far : -far);
    return out;
  }
  cv::Mat in(int(height), int(width), CV_8UC1), outMask(int(height), int(width), CV_8UC1);
  for (std::int64_t v = 0; v < height; ++v) {
    std::uint8_t* a = in.ptr<std::uint8_t>(int(v));
    std::uint8_t* b = outMask.ptr<std::uint8_t>(int(v));
    for (std::int64_t u = 0; u < width; ++u) {
      const bool m = mask[v * width + u] != 0;
      a[u] = m ? 1 : 0;
      b[u] = m ? 0 : 1;
    }
  }
  // distanceTransform gives, for each non-zero pixel, the distance to the nearest zero pixel.
  cv::Mat dIn, dOut;
  cv::distanceTransform(in, dIn, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
  cv::distanceTransform(outMask, dOut, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
  for (std::int64_t v = 0; v < height; ++v) {
    const float* di = dIn.ptr<float>(int(v));
    const float* dO = dOut.ptr<float>(int(v));
    for (std::int64_t u = 0; u < width; ++u) {
      const std::size_t i = std::size_t(v * width + u);
      out[i] = mask[i] ? -(di[u] - 0.5f) : (dO[u] - 0.5f);
    }
  }
  return out;
}

namespace {

std::vector<std::uint8_t> extractPlane(const volume::Volume& labels, volume::Orientation o, std::int64_t index) {
  const auto& s = labels.size();
  const std::int64_t w = sliceWidth(s, o), h = sliceHeight(s, o);
  std::vector<std::uint8_t> plane(std::size_t(w * h));
  const std::uint8_t* src = labels.as<std::uint8_t>();
  for (std::int64_t v = 0; v < h; ++v) {
    if (o != volume::Orientation::YZ) {
      const auto p = toVoxel(o, index, 0, v);
      std::memcpy(plane.data() + v * w, src + labels.index(p.x, p.y, p.z), std::size_t(w));
      continue;
    }
    for (std::int64_t u = 0; u < w; ++u) {
      const auto p = toVoxel(o, index, u, v);
      plane[std::size_t(v * w + u)] = src[labels.index(p.x, p.y, p.z)];
    }
  }
  return plane;
}

} // namespace

Region interpolateSlices(LabelEdit& edit, volume::Orientation o, std::int64_t a, std::int64_t b,
                         const InterpolationOptions& options) {
  const auto& labels = edit.volume();
  const auto& size = labels.size();
  const std::int64_t count = sliceCount(size, o);
  if (a < 0 || b < 0 || a >= count || b >= count)
    throw std::invalid_argument("interpolation slices " + std::to_string(a) + " and " + std::to_string(b) +
                                " must lie in 0.." + std::to_string(count - 1));
  if (a > b) std::swap(a, b);
  if (b - a < 2) return {};
  options.rule.check(size);
  const std::int64_t w = sliceWidth(size, o), h = sliceHeight(size, o);
  const std::vector<std::uint8_t> planeA = extractPlane(labels, o, a), planeB = extractPlane(labels, o, b);

  std::vector<std::uint8_t> classes = options.classes;
  if (classes.empty()) {
    bool seen[256] = {};
    for (std::uint8_t c : planeA) seen[c] = true;
    for (std::uint8_t c : planeB) seen[c] = true;
    for (int c = 1; c < 256; ++c)
      if (seen[c]) classes.push_back(std::uint8_t(c));
  }
  classes.erase(std::remove(classes.begin(), classes.end(), std::uint8_t(0)), classes.end());
  if (classes.empty()) return {};

  // Signed distance maps of each class on both outer slices.
  const std::size_t n = std::size_t(w * h);
  std::vector<std::vector<float>> sdA, sdB;
  std::vector<std::uint8_t> mask(n);
  for (std::uint8_t c : classes) {
    for (std::size_t i = 0; i < n; ++i) mask[i] = planeA[i] == c;
    sdA.push_back(signedDistanceMap(mask.data(), w, h));
    for (std::size_t i = 0; i < n; ++i) mask[i] = planeB[i] == c;
    sdB.push_back(signedDistanceMap(mask.data(), w, h));
  }

  Region changed;
  SliceMask values(0, 0, w, h);
  for (std::int64_t s = a + 1; s < b; ++s) {
    const float t = float(s - a) / float(b - a);
    std::fill(values.data.begin(), values.data.end(), std::uint8_t(0));
    std::vector<float> best(n, 0.0f);
    for (std::size_t k = 0; k < classes.size(); ++k) {
      const float* da = sdA[k].data();
      const float* db = sdB[k].data();
      for (std::size_t i = 0; i < n; ++i) {
        const float d = (1.0f - t) * da[i] + t * db[i];
        if (d < best[i]) {
          best[i] = d;
          values.data[i] = classes[k];
        }
      }
    }
    changed = unite(changed, paintSliceValues(edit, o, s, values, options.rule));
  }
  return changed;
}

std::vector<std::int64_t> labelledSlices(const volume::Volume& labels, volume::Orientation o) {
  const auto& s = labels.size();
  const std::int64_t count = sliceCount(s, o);
  std::vector<std::uint8_t> has(std::size_t(count), 0);
  const std::uint8_t* p = labels.as<std::uint8_t>();
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y) {
      const std::uint8_t* row = p + labels.index(0, y, z);
      if (o == volume::Orientation::XY) {
        if (has[std::size_t(z)]) break;
      } else if (o == volume::Orientation::XZ && has[std::size_t(y)]) {
        continue;
      }
      for (std::int64_t x = 0; x < s.x; ++x) {
        if (!row[x]) continue;
        if (o == volume::Orientation::YZ) {
          has[std::size_t(x)] = 1;
        } else {
          has[std::size_t(o == volume::Orientation::XY ? z : y)] = 1;
          break;
        }
      }
    }
  std::vector<std::int64_t> out;
  for (std::int64_t i = 0; i < count; ++i)
    if (has[std::size_t(i)]) out.push_back(i);
  return out;
}

Region interpolateAllGaps(LabelEdit& edit, volume::Orientation o, const InterpolationOptions& options) {
  const std::vector<std::int64_t> slices = labelledSlices(edit.volume(), o);
  Region changed;
  for (std::size_t i = 1; i < slices.size(); ++i)
    if (slices[i] - slices[i - 1] > 1)
      changed = unite(changed, interpolateSlices(edit, o, slices[i - 1], slices[i], options));
  return changed;
}

} // namespace core::labels
