// ChunkCache: one mutex around a hash map and an LRU list; blocks are shared_ptrs, so a reader
// copying out of a block never holds the lock.
#include "core/volume/lazy/ChunkCache.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace core::volume {

std::size_t BlockKeyHash::operator()(const BlockKey& k) const noexcept {
  std::uint64_t h = k.source * 0x9E3779B97F4A7C15ull;
  for (std::uint64_t v : {std::uint64_t(k.level), std::uint64_t(k.block.x), std::uint64_t(k.block.y),
                          std::uint64_t(k.block.z), std::uint64_t(k.axis + 1), std::uint64_t(k.plane)})
    h = (h ^ v) * 0x100000001B3ull + (h >> 29);
  return std::size_t(h);
}

std::uint64_t physicalMemory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) : 0;
}

std::uint64_t defaultCacheBudget(std::uint64_t physical) {
  const std::uint64_t MiB = std::uint64_t(1) << 20;
  return std::clamp<std::uint64_t>(physical / 8, 64 * MiB, 4096 * MiB);
}

ChunkCache::ChunkCache(std::uint64_t budgetBytes) : m_budget(budgetBytes) {}

std::uint64_t ChunkCache::newSourceId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

BlockPtr ChunkCache::find(const BlockKey& key) {
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto it = m_map.find(key);
  if (it == m_map.end()) {
    ++m_misses;
    return nullptr;
  }
  ++m_hits;
  m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
  return it->second.block;
}

BlockPtr ChunkCache::peek(const BlockKey& key) const {
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto it = m_map.find(key);
  return it == m_map.end() ? nullptr : it->second.block;
}

bool ChunkCache::contains(const BlockKey& key) const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_map.count(key) != 0;
}

BlockPtr ChunkCache::insert(const BlockKey& key, Volume block) {
  const std::uint64_t bytes = block.empty() ? 0 : block.bytes();
  auto ptr = std::make_shared<const Volume>(std::move(block));
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_map.find(key);
    if (it != m_map.end()) {
      m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
      return it->second.block;
    }
    evictTo(m_budget > bytes ? m_budget - bytes : 0);
    m_lru.push_front(key);
    m_map.emplace(key, Entry{ptr, bytes, m_lru.begin()});
    m_resident += bytes;
  }
  trimIfDue();
  return ptr;
}

void ChunkCache::evictTo(std::uint64_t bytes) {
  while (m_resident > bytes && !m_lru.empty()) {
    const auto it = m_map.find(m_lru.back());
    m_resident -= it->second.bytes;
    m_evictedSinceTrim += it->second.bytes;
    m_map.erase(it);
    m_lru.pop_back();
    ++m_evictions;
  }
}

void ChunkCache::trimIfDue() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_evictedSinceTrim < kTrimBytes) return;
    m_evictedSinceTrim = 0;
  }
#ifdef __GLIBC__
  ::malloc_trim(0); // every arena: the blocks were freed on the worker threads that read them
#endif
}

void ChunkCache::eraseSource(std::uint64_t source) {
  eraseSourceLocked(source);
  trimIfDue();
}

void ChunkCache::eraseSourceLocked(std::uint64_t source) {
  std::lock_guard<std::mutex> lock(m_mutex);
  for (auto it = m_lru.begin(); it != m_lru.end();) {
    if (it->source != source) {
      ++it;
      continue;
    }
    const auto e = m_map.find(*it);
    m_resident -= e->second.bytes;
    m_evictedSinceTrim += e->second.bytes;
    m_map.erase(e);
    it = m_lru.erase(it);
  }
}

void ChunkCache::clear() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_map.clear();
    m_lru.clear();
    m_evictedSinceTrim += m_resident;
    m_resident = 0;
  }
  trimIfDue();
}

void ChunkCache::setBudget(std::uint64_t bytes) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_budget = bytes;
    evictTo(bytes);
  }
  trimIfDue();
}

std::uint64_t ChunkCache::budget() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_budget;
}

CacheStats ChunkCache::stats() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return {m_hits, m_misses, m_evictions, m_resident, std::uint64_t(m_map.size()), m_budget};
}

void ChunkCache::resetCounters() {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_hits = m_misses = m_evictions = 0;
}

} // namespace core::volume
