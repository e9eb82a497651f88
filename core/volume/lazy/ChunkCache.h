#pragma once
/// \file ChunkCache.h
/// A thread-safe cache of decoded blocks of volumes under a memory budget, with LRU eviction.
/// The one place where a lazily opened volume's voxels live (LazyVolume.h): views keep only what
/// they draw. One cache may serve several volumes (an image and its label layer): keys carry the
/// volume's source id. Blocks are shared, immutable Volumes; a block evicted while a caller still
/// holds it stays valid for that caller but no longer counts as resident. Evicted memory goes back
/// to the system (malloc_trim after every kTrimBytes evicted): glibc keeps freed chunk-sized
/// buffers in its arenas otherwise, and the process would grow past the budget while scrolling.
/// Any thread; every member is safe to call concurrently.

#include "core/volume/Volume.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace core::volume {

/// Which block: a volume (source id from ChunkCache::newSourceId), a resolution level (0 = full
/// resolution) and the block's index on that level's block grid.
/// A key with an axis (0 = x, 1 = y, 2 = z) names one plane of the block: its voxels at index
/// plane (of that level) along that axis (LazyVolume reads such planes of uncompressed chunks).
struct BlockKey {
  std::uint64_t source = 0;
  int level = 0;
  Index3 block;
  int axis = -1;          ///< -1: the whole block
  std::int64_t plane = 0; ///< with axis >= 0: the plane's index along it
  bool operator==(const BlockKey& o) const {
    return source == o.source && level == o.level && block == o.block && axis == o.axis && plane == o.plane;
  }
};

struct BlockKeyHash {
  std::size_t operator()(const BlockKey& k) const noexcept;
};

using BlockPtr = std::shared_ptr<const Volume>;

/// Counters of a cache since it was made (or since resetCounters()).
struct CacheStats {
  std::uint64_t hits = 0, misses = 0, evictions = 0;
  std::uint64_t bytesResident = 0; ///< bytes of the blocks held now
  std::uint64_t blocks = 0;        ///< blocks held now
  std::uint64_t budget = 0;        ///< bytes
};

/// Physical memory of the machine in bytes (0 when it cannot be told).
std::uint64_t physicalMemory();
/// The default budget for \p physical bytes of memory: 1/8 of it, at least 64 MiB, at most 4 GiB.
std::uint64_t defaultCacheBudget(std::uint64_t physical = physicalMemory());

class ChunkCache {
public:
  /// Evicted bytes after which the heap is trimmed.
  static constexpr std::uint64_t kTrimBytes = std::uint64_t(32) << 20;

  explicit ChunkCache(std::uint64_t budgetBytes = defaultCacheBudget());
  ChunkCache(const ChunkCache&) = delete;
  ChunkCache& operator=(const ChunkCache&) = delete;

  /// A new id for a volume that stores its blocks here (unique in the process).
  static std::uint64_t newSourceId();

  /// The block, marked most recently used, counting a hit; null (counting a miss) when absent.
  BlockPtr find(const BlockKey& key);
  /// The block without touching the LRU order or the counters; null when absent.
  BlockPtr peek(const BlockKey& key) const;
  bool contains(const BlockKey& key) const;
  /// Stores \p block as most recently used and returns what is stored under \p key: when another
  /// thread stored the same key first, that one (and \p block is dropped). Evicts least recently
  /// used blocks first so that the resident bytes stay within the budget; a block larger than the
  /// whole budget is still stored (alone), so resident bytes never exceed budget + one block.
  BlockPtr insert(const BlockKey& key, Volume block);
  /// Drops every block of \p source (a volume being closed).
  void eraseSource(std::uint64_t source);
  void clear();

  /// Changes the budget; evicts at once down to it.
  void setBudget(std::uint64_t bytes);
  std::uint64_t budget() const;
  CacheStats stats() const;
  void resetCounters();

private:
  struct Entry {
    BlockPtr block;
    std::uint64_t bytes = 0;
    std::list<BlockKey>::iterator lru;
  };
  void evictTo(std::uint64_t bytes); // needs m_mutex
  void eraseSourceLocked(std::uint64_t source); // takes m_mutex
  /// Hands freed heap pages back to the system once enough was evicted (call without m_mutex).
  void trimIfDue();

  mutable std::mutex m_mutex;
  std::unordered_map<BlockKey, Entry, BlockKeyHash> m_map;
  std::list<BlockKey> m_lru; // front = most recently used
  std::uint64_t m_budget = 0, m_resident = 0;
  std::uint64_t m_hits = 0, m_misses = 0, m_evictions = 0;
  std::uint64_t m_evictedSinceTrim = 0; ///< bytes evicted since the heap was last trimmed
};

} // namespace core::volume
