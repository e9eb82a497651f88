#pragma once
/// \file Pyramid.h
/// Internal: the 2x block-mean pyramid that the OME-Zarr and HDF5 writers build while slabs
/// stream in. Each level buffers one layer of chunks (its chunk depth in slices); a full layer is
/// handed to the format's sink and its 2x block means to the next level. Memory: one chunk layer
/// per level.

#include "core/volume/Volume.h"

#include <functional>
#include <vector>

namespace core::volume::io {

/// Number of levels (full resolution included) for \p requested: >= 1 as asked, <= 0 auto
/// (halve until the longest side is at most 256 voxels, at most 10 levels).
int pyramidLevelCount(const Size3& size, int requested);

/// Size, spacing and origin of each level: level k has ceil(size / 2^k) voxels, spacing * 2^k and
/// its voxel centres (2^k - 1) / 2 voxels of level 0 further in (the block means' centres).
std::vector<VolumeInfo> pyramidLevelInfos(const VolumeInfo& info, int levels);

/// An even chunk depth (so a layer's 2x means line up with the next level's layers), clipped to
/// the volume.
std::int64_t pyramidChunkDepth(std::int64_t depth, std::int64_t volumeDepth);

/// Streams level 0 slabs in z order; calls sink(level, layer, z0) for every complete layer of
/// every level (the last layer of a level may be thinner).
class PyramidBuilder {
public:
  using LayerSink = std::function<void(int level, const Volume& layer, std::int64_t z0)>;
  /// \p levels from pyramidLevelInfos; \p depth the layer depth of level 0 (even unless it holds
  /// the whole volume), clipped to each level's size.
  PyramidBuilder(std::vector<VolumeInfo> levels, std::int64_t depth, LayerSink sink);
  void add(const Volume& slab) { add(0, slab); }

private:
  void add(std::size_t level, const Volume& slab);
  struct Level {
    VolumeInfo info;
    std::int64_t depth = 1, filled = 0, z = 0;
    Volume layer;
  };
  std::vector<Level> m_levels;
  LayerSink m_sink;
};

} // namespace core::volume::io
