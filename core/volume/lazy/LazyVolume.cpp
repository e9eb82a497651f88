// LazyVolume: levels and block grids, a pool of readers (one reader is used by one thread at a
// time), and a queue of block loads served by worker threads.
// Locking: m_deliver (held while events are handed out) before m_mutex (queue, views, loads in
// flight). request() and cancel() take both, so no event of a superseded request is handed out
// after they return. The cache has its own lock; no lock of ours is held during a read.
#include "core/volume/lazy/LazyVolume.h"
#include "core/volume/io/ChunkedReader.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace core::volume {

namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::int64_t& along(Index3& i, int axis) { return axis == 0 ? i.x : axis == 1 ? i.y : i.z; }
std::int64_t along(const Index3& i, int axis) { return axis == 0 ? i.x : axis == 1 ? i.y : i.z; }

/// Copies the part of \p src (covering \p srcRegion) that lies in \p dstRegion into \p dst.
void copyOverlap(const Volume& src, const Region& srcRegion, Volume& dst, const Region& dstRegion) {
  const Index3 a{std::max(srcRegion.start.x, dstRegion.start.x), std::max(srcRegion.start.y, dstRegion.start.y),
                 std::max(srcRegion.start.z, dstRegion.start.z)};
  const Index3 se = srcRegion.end(), de = dstRegion.end();
  const Index3 b{std::min(se.x, de.x), std::min(se.y, de.y), std::min(se.z, de.z)};
  if (b.x <= a.x || b.y <= a.y || b.z <= a.z) return;
  const std::size_t v = voxelSize(src.type());
  const auto* s = static_cast<const std::uint8_t*>(src.data());
  auto* d = static_cast<std::uint8_t*>(dst.data());
  for (std::int64_t z = a.z; z < b.z; ++z)
    for (std::int64_t y = a.y; y < b.y; ++y)
      std::memcpy(d + std::size_t(dst.index(a.x - dstRegion.start.x, y - dstRegion.start.y, z - dstRegion.start.z)) * v,
                  s + std::size_t(src.index(a.x - srcRegion.start.x, y - srcRegion.start.y, z - srcRegion.start.z)) * v,
                  std::size_t(b.x - a.x) * v);
}

void lowerThreadPriority(int niceness) {
  if (niceness <= 0) return;
  const auto tid = id_t(syscall(SYS_gettid));
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, tid);
  if (errno == 0) (void)setpriority(PRIO_PROCESS, tid, std::min(19, now + niceness));
}

} // namespace

struct LazyVolume::Impl {
  struct Level {
    VolumeInfo info;
    Size3 block, count;
    Vec3 scale; ///< voxel size relative to level 0
    bool planes = false; ///< the reader reads one plane of a chunk for about that plane's cost
    std::function<std::uint64_t(const Index3&)> fileOffset; ///< of the chunk holding a voxel, when known
  };
  struct Waiter {
    std::uint64_t view, ticket;
  };
  struct Task {
    BlockKey key;
    Waiter who;
  };
  struct ViewState {
    std::uint64_t ticket = 0;
    BlockCallback callback;
    int thinAxis = -1, thinLevel = -1; ///< the last request's plane (a slice), if it was one
    std::int64_t thinPlane = 0;
  };

  std::string path, format;
  OpenOptions open;
  std::uint64_t source = ChunkCache::newSourceId();
  std::shared_ptr<ChunkCache> cache;
  std::vector<Level> levels;

  std::mutex readersMutex;
  std::vector<std::vector<std::unique_ptr<VolumeReader>>> idleReaders;

  std::mutex deliverMutex;
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<Task> queue;
  std::unordered_map<BlockKey, std::vector<Waiter>, BlockKeyHash> loading;
  std::unordered_map<std::uint64_t, ViewState> views;
  std::uint64_t nextTicket = 0;
  bool stopping = false, paused = false;
  jobs::CancelToken stopToken;
  std::vector<std::thread> workers;

  std::unique_ptr<VolumeReader> openReader(int level) const {
    OpenOptions o = open;
    o.level = level;
    auto r = openVolume(path, o);
    if (auto* c = dynamic_cast<io::ChunkedReader*>(r.get())) c->setChunkCacheBytes(0); // the ChunkCache is the one cache
    return r;
  }

  Volume readBlock(int level, const Index3& b, jobs::CancelToken& cancel) {
    return readBlock(BlockKey{source, level, b}, cancel);
  }

  Volume readBlock(const BlockKey& key, jobs::CancelToken& cancel) {
    const int level = key.level;
    std::unique_ptr<VolumeReader> r;
    {
      std::lock_guard<std::mutex> lock(readersMutex);
      auto& idle = idleReaders[std::size_t(level)];
      if (!idle.empty()) {
        r = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!r) r = openReader(level);
    ReadOptions o;
    o.crop = keyRegion(key);
    Volume v = r->read(o, jobs::nullProgress(), cancel); // a reader that threw is dropped
    std::lock_guard<std::mutex> lock(readersMutex);
    idleReaders[std::size_t(level)].push_back(std::move(r));
    return v;
  }

  Region blockRegion(int level, const Index3& b) const {
    const Level& l = levels[std::size_t(level)];
    const Index3 s{b.x * l.block.x, b.y * l.block.y, b.z * l.block.z};
    return {s, {std::min(l.block.x, l.info.size.x - s.x), std::min(l.block.y, l.info.size.y - s.y),
                std::min(l.block.z, l.info.size.z - s.z)}};
  }

  /// The voxels of \p key at its level: its block, or one plane of it.
  Region keyRegion(const BlockKey& key) const {
    Region r = blockRegion(key.level, key.block);
    if (key.axis >= 0) {
      along(r.start, key.axis) = key.plane;
      along(r.size, key.axis) = 1;
    }
    return r;
  }

  /// The axis along which \p r (voxels of \p level) is one plane thin inside thicker blocks, when
  /// the level's reader reads planes cheaply (z: the XY view); -1 otherwise.
  int thinAxis(int level, const Region& r) const {
    const Level& l = levels[std::size_t(level)];
    if (!l.planes) return -1;
    // Only z planes (the XY view): a plane across y or x is a short run of every layer or row of
    // the chunk, about as costly to read as all of it.
    return r.size.z == 1 && l.block.z > 1 ? 2 : -1;
  }

  /// The key of block \p b for region \p r: the whole block, or its plane of r along \p axis.
  BlockKey planeKey(int level, const Index3& b, const Region& r, int axis) const {
    BlockKey k{source, level, b};
    if (axis >= 0) {
      k.axis = axis;
      k.plane = along(r.start, axis);
    }
    return k;
  }

  /// What of block \p b is cached for region \p r: the whole block, else the plane of a thin r.
  BlockPtr cached(int level, const Index3& b, const Region& r, BlockKey* key = nullptr) const {
    BlockKey k{source, level, b};
    BlockPtr p = cache->find(k);
    const int axis = p ? -1 : thinAxis(level, r);
    if (axis >= 0) {
      k = planeKey(level, b, r, axis);
      p = cache->find(k);
    }
    if (key) *key = k;
    return p;
  }

  bool isCached(int level, const Index3& b, const Region& r) const {
    if (cache->contains({source, level, b})) return true;
    const int axis = thinAxis(level, r);
    return axis >= 0 && cache->contains(planeKey(level, b, r, axis));
  }

  std::vector<Index3> blocksCovering(int level, const Region& region) const {
    const Level& l = levels[std::size_t(level)];
    const Region r = region.clippedTo(l.info.size);
    std::vector<Index3> out;
    if (r.empty()) return out;
    const Index3 e = r.end();
    for (std::int64_t z = r.start.z / l.block.z; z * l.block.z < e.z; ++z)
      for (std::int64_t y = r.start.y / l.block.y; y * l.block.y < e.y; ++y)
        for (std::int64_t x = r.start.x / l.block.x; x * l.block.x < e.x; ++x) out.push_back({x, y, z});
    return out;
  }

  void checkLevel(int level) const {
    if (level < 0 || level >= int(levels.size()))
      throw std::runtime_error(quoted(path) + " has " + std::to_string(levels.size()) + " resolution level(s); level " +
                               std::to_string(level) + " does not exist");
  }

  void work(int niceness) {
    lowerThreadPriority(niceness);
    for (;;) {
      Task t;
      bool cached = false;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stopping || (!paused && !queue.empty()); });
        if (stopping) return;
        t = queue.front();
        queue.pop_front();
        const auto v = views.find(t.who.view);
        if (v == views.end() || v->second.ticket != t.who.ticket) continue; // superseded
        const auto inFlight = loading.find(t.key);
        if (inFlight != loading.end()) { // another worker reads it: wait for that one
          inFlight->second.push_back(t.who);
          continue;
        }
        cached = cache->contains(t.key);
        if (!cached) loading[t.key].push_back(t.who);
      }
      std::string error;
      if (!cached) {
        try {
          cache->insert(t.key, readBlock(t.key, stopToken));
        } catch (const jobs::Cancelled&) {
          error = "cancelled";
        } catch (const std::exception& e) {
          error = e.what();
        }
      }
      deliver(t, cached, error);
    }
  }

  void deliver(const Task& t, bool cached, const std::string& error) {
    std::lock_guard<std::mutex> deliverLock(deliverMutex);
    std::vector<std::pair<BlockCallback, BlockEvent>> events;
    {
      std::lock_guard<std::mutex> lock(mutex);
      std::vector<Waiter> waiters;
      if (cached) {
        waiters.push_back(t.who);
      } else {
        const auto it = loading.find(t.key);
        waiters = std::move(it->second);
        loading.erase(it);
      }
      for (const Waiter& w : waiters) {
        const auto v = views.find(w.view);
        if (v == views.end() || v->second.ticket != w.ticket) continue;
        BlockEvent e;
        e.view = w.view;
        e.ticket = w.ticket;
        e.level = t.key.level;
        e.block = t.key.block;
        e.region = keyRegion(t.key);
        e.error = error;
        events.emplace_back(v->second.callback, std::move(e));
      }
    }
    for (auto& [callback, event] : events)
      if (callback) callback(event);
  }

  /// Removes the view's queued tasks and its waits on loads in flight (needs mutex).
  void dropPending(std::uint64_t view) {
    queue.erase(std::remove_if(queue.begin(), queue.end(), [&](const Task& t) { return t.who.view == view; }),
                queue.end());
    for (auto& [key, waiters] : loading)
      waiters.erase(std::remove_if(waiters.begin(), waiters.end(), [&](const Waiter& w) { return w.view == view; }),
                    waiters.end());
  }
};

LazyVolume::LazyVolume(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

std::unique_ptr<LazyVolume> LazyVolume::open(const std::string& path, std::shared_ptr<ChunkCache> cache,
                                             const LazyOptions& options) {
  auto d = std::make_unique<Impl>();
  d->path = path;
  d->open = options.open;
  d->cache = cache ? std::move(cache) : std::make_shared<ChunkCache>();
  const std::vector<VolumeInfo> fileLevels = resolutionLevels(path, options.open); // the file's own spacings
  d->idleReaders.resize(fileLevels.size());
  for (int k = 0; k < int(fileLevels.size()); ++k) {
    auto reader = d->openReader(k);
    Impl::Level l;
    l.info = reader->info();
    if (k == 0) d->format = reader->formatName();
    if (l.info.size.empty()) throw std::runtime_error(quoted(path) + ": resolution level " + std::to_string(k) + " is empty");
    const auto* chunked = dynamic_cast<const io::ChunkedReader*>(reader.get());
    const Size3 chunk = chunked ? chunked->chunkShape() : Size3{};
    l.planes = chunked && chunked->readsPlanesCheaply();
    if (chunked) l.fileOffset = chunked->chunkFileOffsets();
    Size3 b = options.block;
    if (b.empty()) {
      const bool useChunk = !chunk.empty() && std::uint64_t(chunk.count()) * voxelSize(l.info.type) <= kMaxChunkBlockBytes;
      b = useChunk ? chunk : kDefaultBlock;
    }
    l.block = {std::clamp<std::int64_t>(b.x, 1, l.info.size.x), std::clamp<std::int64_t>(b.y, 1, l.info.size.y),
               std::clamp<std::int64_t>(b.z, 1, l.info.size.z)};
    l.count = {ceilDiv(l.info.size.x, l.block.x), ceilDiv(l.info.size.y, l.block.y), ceilDiv(l.info.size.z, l.block.z)};
    // Voxel size relative to level 0 from the file's spacings (a spacing given by hand applies to
    // every level alike); from the sizes when the file's spacings say nothing useful.
    const VolumeInfo& f0 = fileLevels[0];
    const VolumeInfo& fk = fileLevels[std::size_t(k)];
    auto rel = [](double sk, double s0, std::int64_t n0, std::int64_t nk) {
      const double r = sk / s0;
      return std::isfinite(r) && r > 0 ? r : double(n0) / double(nk);
    };
    l.scale = {rel(fk.spacing.x, f0.spacing.x, f0.size.x, fk.size.x), rel(fk.spacing.y, f0.spacing.y, f0.size.y, fk.size.y),
               rel(fk.spacing.z, f0.spacing.z, f0.size.z, fk.size.z)};
    d->levels.push_back(l);
    d->idleReaders[std::size_t(k)].push_back(std::move(reader));
  }
  Impl* impl = d.get();
  const int threads = std::max(1, options.threads);
  for (int i = 0; i < threads; ++i) impl->workers.emplace_back([impl, n = options.niceness] { impl->work(n); });
  return std::unique_ptr<LazyVolume>(new LazyVolume(std::move(d)));
}

LazyVolume::~LazyVolume() {
  {
    std::lock_guard<std::mutex> deliverLock(d->deliverMutex);
    std::lock_guard<std::mutex> lock(d->mutex);
    d->stopping = true;
    d->views.clear();
    d->queue.clear();
  }
  d->stopToken.cancel();
  d->wake.notify_all();
  for (std::thread& t : d->workers) t.join();
  d->cache->eraseSource(d->source);
}

const std::string& LazyVolume::path() const { return d->path; }
std::string LazyVolume::formatName() const { return d->format; }
std::uint64_t LazyVolume::sourceId() const { return d->source; }
ChunkCache& LazyVolume::cache() const { return *d->cache; }
int LazyVolume::levels() const { return int(d->levels.size()); }

const VolumeInfo& LazyVolume::levelInfo(int level) const {
  d->checkLevel(level);
  return d->levels[std::size_t(level)].info;
}

Size3 LazyVolume::blockShape(int level) const {
  d->checkLevel(level);
  return d->levels[std::size_t(level)].block;
}

Size3 LazyVolume::blockCount(int level) const {
  d->checkLevel(level);
  return d->levels[std::size_t(level)].count;
}

Region LazyVolume::blockRegion(int level, const Index3& b) const {
  d->checkLevel(level);
  return d->blockRegion(level, b);
}

std::vector<Index3> LazyVolume::blocksCovering(int level, const Region& r) const {
  d->checkLevel(level);
  return d->blocksCovering(level, r);
}

Region LazyVolume::mapRegion(const Region& r, int from, int to) const {
  d->checkLevel(from);
  d->checkLevel(to);
  const Vec3 a = d->levels[std::size_t(from)].scale, b = d->levels[std::size_t(to)].scale;
  const Size3 n = d->levels[std::size_t(to)].info.size;
  auto axis = [](std::int64_t start, std::int64_t size, double f, std::int64_t count, std::int64_t& s0, std::int64_t& s1) {
    std::int64_t lo = std::int64_t(std::floor(double(start) * f + 1e-9));
    std::int64_t hi = std::int64_t(std::ceil(double(start + size) * f - 1e-9));
    lo = std::clamp<std::int64_t>(lo, 0, count - 1);
    hi = std::clamp<std::int64_t>(hi, lo + 1, count);
    s0 = lo;
    s1 = hi - lo;
  };
  if (r.empty()) return {};
  Region out;
  axis(r.start.x, r.size.x, a.x / b.x, n.x, out.start.x, out.size.x);
  axis(r.start.y, r.size.y, a.y / b.y, n.y, out.start.y, out.size.y);
  axis(r.start.z, r.size.z, a.z / b.z, n.z, out.start.z, out.size.z);
  return out;
}

int LazyVolume::levelForScale(double level0VoxelsPerPixel) const {
  int best = 0;
  for (int k = 1; k < levels(); ++k) {
    const Vec3& s = d->levels[std::size_t(k)].scale;
    if (std::min(s.x, s.y) <= level0VoxelsPerPixel * (1 + 1e-9)) best = k;
  }
  return best;
}

Volume LazyVolume::read(int level, const Region& r, jobs::CancelToken& cancel) {
  d->checkLevel(level);
  const VolumeInfo& li = d->levels[std::size_t(level)].info;
  if (r.empty() || !r.inside(li.size))
    throw std::runtime_error("region is not inside level " + std::to_string(level) + " of " + quoted(d->path));
  Volume out(r.size, li.type, li.spacing,
             {li.origin.x + double(r.start.x) * li.spacing.x, li.origin.y + double(r.start.y) * li.spacing.y,
              li.origin.z + double(r.start.z) * li.spacing.z});
  for (const Index3& b : d->blocksCovering(level, r)) {
    cancel.throwIfCancelled();
    const BlockKey key{d->source, level, b};
    BlockPtr p = d->cache->find(key);
    if (!p) p = d->cache->insert(key, d->readBlock(level, b, cancel));
    copyOverlap(*p, d->blockRegion(level, b), out, r);
  }
  return out;
}

BlockPtr LazyVolume::block(int level, const Index3& b) {
  d->checkLevel(level);
  const BlockKey key{d->source, level, b};
  BlockPtr p = d->cache->find(key);
  return p ? p : d->cache->insert(key, d->readBlock(level, b, jobs::neverCancelled()));
}

Volume LazyVolume::assemble(int level, const Region& region, std::size_t* missing) const {
  d->checkLevel(level);
  const VolumeInfo& li = d->levels[std::size_t(level)].info;
  const Region r = region.clippedTo(li.size);
  if (missing) *missing = 0;
  if (r.empty()) return {};
  Volume out(r.size, li.type, li.spacing,
             {li.origin.x + double(r.start.x) * li.spacing.x, li.origin.y + double(r.start.y) * li.spacing.y,
              li.origin.z + double(r.start.z) * li.spacing.z});
  for (const Index3& b : d->blocksCovering(level, r)) {
    BlockKey key;
    if (const BlockPtr p = d->cached(level, b, r, &key)) copyOverlap(*p, d->keyRegion(key), out, r);
    else if (missing) ++*missing;
  }
  return out;
}

int LazyVolume::bestAvailableLevel(int level, const Region& r) const {
  d->checkLevel(level);
  for (int k = level; k < levels(); ++k) {
    const Region rk = mapRegion(r, level, k);
    const auto blocks = d->blocksCovering(k, rk);
    if (!blocks.empty() &&
        std::all_of(blocks.begin(), blocks.end(), [&](const Index3& b) { return d->isCached(k, b, rk); }))
      return k;
  }
  return -1;
}

std::uint64_t LazyVolume::newViewId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

LazyAnswer LazyVolume::request(std::uint64_t view, int level, const Region& r, BlockCallback onBlock, bool coarsestFirst) {
  d->checkLevel(level);
  // A slice after a jump is read plane by plane where that is cheap (uncompressed chunks): a
  // 64^3 chunk holds 64 planes of which the view shows one. Scrolling on to the next slice reads
  // whole blocks, so that the slices after it come from the cache.
  int previousAxis = -1, previousLevel = -1;
  std::int64_t previousPlane = 0;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    const auto v = d->views.find(view);
    if (v != d->views.end()) {
      previousAxis = v->second.thinAxis;
      previousLevel = v->second.thinLevel;
      previousPlane = v->second.thinPlane;
    }
  }
  const int thin = d->thinAxis(level, r);
  const bool scrolling = thin >= 0 && thin == previousAxis && level == previousLevel &&
                         std::abs(along(r.start, thin) - previousPlane) == 1;
  auto keyFor = [&](int k, const Index3& b, const Region& rk) {
    const int axis = scrolling ? -1 : d->thinAxis(k, rk);
    return d->cache->contains({d->source, k, b}) ? BlockKey{d->source, k, b} : d->planeKey(k, b, rk, axis);
  };
  std::vector<BlockKey> keys;
  const int last = levels() - 1;
  if (coarsestFirst && level < last && bestAvailableLevel(level, r) < 0) {
    const Region rl = mapRegion(r, level, last);
    for (const Index3& b : d->blocksCovering(last, rl)) keys.push_back(keyFor(last, b, rl));
  }
  // The level's blocks nearest the region's centre first (what the eye is on).
  std::vector<Index3> blocks = d->blocksCovering(level, r);
  const Size3 bs = d->levels[std::size_t(level)].block;
  const double cx = double(r.start.x) + double(r.size.x) / 2, cy = double(r.start.y) + double(r.size.y) / 2,
               cz = double(r.start.z) + double(r.size.z) / 2;
  auto dist = [&](const Index3& b) {
    const double dx = (double(b.x) + 0.5) * double(bs.x) - cx, dy = (double(b.y) + 0.5) * double(bs.y) - cy,
                 dz = (double(b.z) + 0.5) * double(bs.z) - cz;
    return dx * dx + dy * dy + dz * dz;
  };
  std::stable_sort(blocks.begin(), blocks.end(), [&](const Index3& a, const Index3& b) { return dist(a) < dist(b); });
  // Planes after a jump are small reads scattered over the file (cold, each waits on the disk):
  // the workers take them in the file's order where the reader knows it.
  const Impl::Level& lv = d->levels[std::size_t(level)];
  if (thin >= 0 && !scrolling && lv.fileOffset) {
    auto offset = [&](const Index3& b) { return lv.fileOffset({b.x * bs.x, b.y * bs.y, b.z * bs.z}); };
    std::stable_sort(blocks.begin(), blocks.end(), [&](const Index3& a, const Index3& b) { return offset(a) < offset(b); });
  }
  for (const Index3& b : blocks) keys.push_back(keyFor(level, b, r));

  LazyAnswer answer;
  {
    std::lock_guard<std::mutex> deliverLock(d->deliverMutex);
    std::lock_guard<std::mutex> lock(d->mutex);
    d->dropPending(view);
    Impl::ViewState& v = d->views[view];
    v.ticket = answer.ticket = ++d->nextTicket;
    v.callback = std::move(onBlock);
    v.thinAxis = thin;
    v.thinLevel = level;
    v.thinPlane = thin >= 0 ? along(r.start, thin) : 0;
    for (const BlockKey& k : keys) {
      if (d->cache->contains(k)) {
        answer.ready.push_back(k);
      } else {
        answer.missing.push_back(k);
        d->queue.push_back({k, {view, answer.ticket}});
      }
    }
  }
  d->wake.notify_all();
  return answer;
}

void LazyVolume::setPaused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->paused = paused;
  }
  d->wake.notify_all();
}

void LazyVolume::cancel(std::uint64_t view) {
  std::lock_guard<std::mutex> deliverLock(d->deliverMutex);
  std::lock_guard<std::mutex> lock(d->mutex);
  d->dropPending(view);
  d->views.erase(view);
}

std::size_t LazyVolume::pendingBlocks() const {
  std::lock_guard<std::mutex> lock(d->mutex);
  std::size_t n = d->queue.size();
  for (const auto& [key, waiters] : d->loading) n += waiters.size();
  return n;
}

std::size_t LazyVolume::pendingBlocks(std::uint64_t view) const {
  std::lock_guard<std::mutex> lock(d->mutex);
  std::size_t n = std::size_t(
      std::count_if(d->queue.begin(), d->queue.end(), [&](const Impl::Task& t) { return t.who.view == view; }));
  for (const auto& [key, waiters] : d->loading)
    n += std::size_t(std::count_if(waiters.begin(), waiters.end(), [&](const Impl::Waiter& w) { return w.view == view; }));
  return n;
}

} // namespace core::volume
