#pragma once
/// \file LazyVolume.h
/// A volume opened without reading it: a multiscale source (every level of an OME-Zarr image; a
/// plain file is level 0 only) that reads blocks on demand into a ChunkCache and answers "region R
/// of level k" in two ways:
/// - synchronously (read(), block()): missing blocks are read on the calling thread;
/// - asynchronously (request()): returns at once with the blocks already cached and those missing,
///   schedules the missing ones on a small pool of worker threads at lowered priority, and calls
///   the request's callback once per missing block as it arrives (on a worker thread). A newer
///   request of the same view supersedes its older one: blocks only the older one wanted and not
///   yet being read are dropped, and no event of the older request is delivered after request()
///   returns. cancel(view) drops everything of a view.
/// Views draw what is there at once: bestAvailableLevel() tells the finest level at which a region
/// is fully cached, assemble() composes a region from cached blocks only (no I/O).
/// Blocks follow the file's chunks where the reader knows them (OME-Zarr, chunked HDF5), else kDefaultBlock.
/// Only the cache holds voxel data: readers keep at most one decoded chunk.
/// Thread affinity: every member may be called from any thread. Callbacks run on worker threads;
/// they must be quick (queue the work elsewhere) and must not call request(), cancel() or the
/// destructor of this LazyVolume.

#include "core/jobs/Job.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/ChunkCache.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace core::volume {

/// Blocks of files without chunks: slice-shaped, since slice views read along z.
inline constexpr Size3 kDefaultBlock{256, 256, 16};
/// File chunks above this many bytes are split into kDefaultBlock blocks.
inline constexpr std::uint64_t kMaxChunkBlockBytes = std::uint64_t(64) << 20;

struct LazyOptions {
  OpenOptions open;   ///< how to open the file (OpenOptions::level is ignored: every level is used)
  Size3 block{};      ///< block shape of every level; empty: the file's chunks, else kDefaultBlock
  int threads = 2;    ///< worker threads for asynchronous loads (at least 1)
  int niceness = 10;  ///< added to the workers' niceness (lower priority than the GUI); 0 = none
};

/// A block of an asynchronous request arrived (or failed to).
struct BlockEvent {
  std::uint64_t view = 0, ticket = 0; ///< who asked and which of its requests
  int level = 0;
  Index3 block;
  Region region;     ///< the block's voxels at its level
  std::string error; ///< empty when the block is in the cache now; else why it is not (damaged chunk)
};
using BlockCallback = std::function<void(const BlockEvent&)>;

/// What request() knows at once.
struct LazyAnswer {
  std::uint64_t ticket = 0;
  std::vector<BlockKey> ready;   ///< cached now
  std::vector<BlockKey> missing; ///< scheduled: one BlockEvent each, unless superseded or cancelled
};

class LazyVolume {
public:
  /// Opens every resolution level of \p path (header only). Throws std::runtime_error naming the
  /// file when it cannot be opened. \p cache may be shared with other volumes.
  static std::unique_ptr<LazyVolume> open(const std::string& path, std::shared_ptr<ChunkCache> cache,
                                          const LazyOptions& options = {});
  /// Cancels every request (no callback after this starts), joins the workers, and drops this
  /// volume's blocks from the cache.
  ~LazyVolume();
  LazyVolume(const LazyVolume&) = delete;
  LazyVolume& operator=(const LazyVolume&) = delete;

  const std::string& path() const;
  std::string formatName() const;
  std::uint64_t sourceId() const;
  ChunkCache& cache() const;

  int levels() const;
  /// Size, type, spacing and origin of level \p level (0 = full resolution).
  const VolumeInfo& levelInfo(int level) const;
  Size3 blockShape(int level) const;
  /// Blocks along x, y and z of level \p level.
  Size3 blockCount(int level) const;
  /// The voxels of block \p b of level \p level (edge blocks are smaller).
  Region blockRegion(int level, const Index3& b) const;
  /// Blocks of level \p level that \p r (voxels of that level, clipped to it) touches.
  std::vector<Index3> blocksCovering(int level, const Region& r) const;
  /// The box of level \p to covering what \p r covers at level \p from (clipped, never empty
  /// when \p r is not).
  Region mapRegion(const Region& r, int from, int to) const;
  /// The coarsest level whose voxels are at most \p level0VoxelsPerPixel voxels of level 0 wide
  /// (the level to draw at a zoom showing that many full-resolution voxels per screen pixel).
  int levelForScale(double level0VoxelsPerPixel) const;

  /// Region \p r of level \p level, reading missing blocks on this thread and caching them.
  /// Throws std::runtime_error naming the file (a damaged chunk), jobs::Cancelled when cancelled.
  Volume read(int level, const Region& r, jobs::CancelToken& cancel = jobs::neverCancelled());
  /// One block, through the cache (read on this thread when missing).
  BlockPtr block(int level, const Index3& b);

  /// Region \p r of level \p level from cached blocks only (no I/O); voxels of blocks not cached
  /// are 0 and \p missing (when given) receives how many blocks were not cached.
  Volume assemble(int level, const Region& r, std::size_t* missing = nullptr) const;
  /// The finest level >= \p level at which the extent of \p r (voxels of \p level) is cached
  /// completely; -1 when none is.
  int bestAvailableLevel(int level, const Region& r) const;

  /// A new id for a view (unique in the process).
  static std::uint64_t newViewId();
  /// Asks for region \p r of level \p level for \p view and returns at once (see the file
  /// comment). With \p coarsestFirst, when no level >= \p level holds the region completely, the
  /// coarsest level's blocks for it are scheduled first (they are few and small: something to
  /// draw at once). \p onBlock receives one event per missing block.
  LazyAnswer request(std::uint64_t view, int level, const Region& r, BlockCallback onBlock, bool coarsestFirst = false);
  /// Drops every pending block of \p view; no event of it is delivered after this returns. A
  /// block being read finishes into the cache.
  void cancel(std::uint64_t view);
  /// While paused, workers start no new block (requests still queue): for moments when the
  /// disk belongs to something else, and for tests that must see a request before its blocks.
  void setPaused(bool paused);
  /// Blocks scheduled or being read for any view, or for \p view.
  std::size_t pendingBlocks() const;
  std::size_t pendingBlocks(std::uint64_t view) const;

private:
  struct Impl;
  explicit LazyVolume(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> d;
};

} // namespace core::volume
