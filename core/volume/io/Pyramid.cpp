// The 2x block-mean pyramid shared by the OME-Zarr and HDF5 writers (Pyramid.h).
#include "core/volume/io/Pyramid.h"

#include "core/volume/Downsample.h"

#include <algorithm>
#include <cstring>

namespace core::volume::io {

int pyramidLevelCount(const Size3& size, int requested) {
  if (requested >= 1) return requested;
  int levels = 1;
  for (std::int64_t m = std::max({size.x, size.y, size.z}); m > 256 && levels < 10; m = (m + 1) / 2) ++levels;
  return levels;
}

std::vector<VolumeInfo> pyramidLevelInfos(const VolumeInfo& info, int levels) {
  std::vector<VolumeInfo> out;
  VolumeInfo li = info;
  for (int k = 0; k < levels; ++k) {
    const double f = double(std::int64_t(1) << k);
    const Vec3& s = info.spacing;
    li.spacing = {s.x * f, s.y * f, s.z * f};
    li.origin = {info.origin.x + (f - 1) / 2 * s.x, info.origin.y + (f - 1) / 2 * s.y, info.origin.z + (f - 1) / 2 * s.z};
    out.push_back(li);
    li.size = {(li.size.x + 1) / 2, (li.size.y + 1) / 2, (li.size.z + 1) / 2};
  }
  return out;
}

std::int64_t pyramidChunkDepth(std::int64_t depth, std::int64_t volumeDepth) {
  depth = std::clamp<std::int64_t>(depth, 1, volumeDepth);
  if (depth > 1 && depth % 2) --depth;
  return depth;
}

PyramidBuilder::PyramidBuilder(std::vector<VolumeInfo> levels, std::int64_t depth, LayerSink sink)
    : m_sink(std::move(sink)) {
  for (const VolumeInfo& info : levels) m_levels.push_back({info, std::clamp<std::int64_t>(depth, 1, info.size.z), 0, 0, {}});
}

void PyramidBuilder::add(std::size_t k, const Volume& slab) {
  Level& l = m_levels[k];
  std::int64_t done = 0;
  while (done < slab.size().z) {
    if (l.layer.empty()) {
      l.layer = Volume({l.info.size.x, l.info.size.y, std::min(l.depth, l.info.size.z - l.z)}, l.info.type);
      l.filled = 0;
    }
    const std::int64_t n = std::min(slab.size().z - done, l.layer.size().z - l.filled);
    std::memcpy(l.layer.slicePtr(l.filled), slab.slicePtr(done), std::size_t(n) * std::size_t(l.info.sliceBytes()));
    l.filled += n;
    done += n;
    if (l.filled < l.layer.size().z) continue;
    m_sink(int(k), l.layer, l.z);
    if (k + 1 < m_levels.size()) add(k + 1, downsampleMean(l.layer, 2));
    l.z += l.layer.size().z;
    l.layer = Volume();
  }
}

} // namespace core::volume::io
