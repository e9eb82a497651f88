#pragma once
/// \file ChunkedReader.h
/// What a reader of a chunked file can tell and do beyond VolumeReader, for callers that read
/// block by block and cache decoded blocks themselves (core/volume/lazy). A reader that has
/// chunks also derives from this; callers ask with dynamic_cast, so other readers need nothing.

#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>

namespace core::volume::io {

class ChunkedReader {
public:
  virtual ~ChunkedReader() = default;
  /// The file's storage chunk in voxels (x, y, z): a read of one whole chunk decodes nothing else.
  virtual Size3 chunkShape() const = 0;
  /// Bytes of decoded chunks the reader may keep between reads (for reads that revisit a chunk,
  /// slice by slice). A caller that caches whole chunks itself sets 0: at most one chunk is kept.
  virtual void setChunkCacheBytes(std::uint64_t bytes) = 0;
  /// True when reading one z plane of a chunk costs about that plane's bytes, not the whole
  /// chunk's (chunks stored without compression): an XY slice shown after a jump is then read
  /// plane by plane.
  virtual bool readsPlanesCheaply() const { return false; }
  /// Where the chunk holding voxel \p at (x, y, z) lies in the file, for reading many chunks in
  /// the file's order; empty when the reader does not know. The function may be called from any
  /// thread and outlives the reader.
  virtual std::function<std::uint64_t(const Index3& at)> chunkFileOffsets() const { return {}; }
};

} // namespace core::volume::io
