// ChunkCache and LazyVolume (issue 16, "views read what they show"): the cache keeps resident
// bytes within budget + one block and evicts least recently used first, counts hits and misses;
// a region read through the cache equals a direct read at every level of an OME-Zarr pyramid and of
// a plain file; asynchronous requests deliver every missing block exactly once, a superseded or
// cancelled request's pending blocks are dropped, destroying a volume while loads run joins
// cleanly; many threads reading at once get the same bytes; a damaged chunk is an error naming
// the file, never a crash.
#include "IoTestUtil.h"

#include "core/volume/lazy/LazyVolume.h"

#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>
#include <mutex>
#include <random>
#include <thread>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t MiB = std::uint64_t(1) << 20;

/// Polls \p done for up to 60 s.
template <class F> bool waitFor(F done) {
  for (int i = 0; i < 6000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// Events of asynchronous requests, counted per (ticket, level, block).
struct Events {
  std::mutex mutex;
  std::map<std::tuple<std::uint64_t, int, std::int64_t, std::int64_t, std::int64_t>, int> count;
  std::vector<BlockEvent> all;
  BlockCallback callback() {
    return [this](const BlockEvent& e) {
      std::lock_guard<std::mutex> lock(mutex);
      ++count[{e.ticket, e.level, e.block.x, e.block.y, e.block.z}];
      all.push_back(e);
    };
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex);
    return all.size();
  }
  std::size_t ofTicket(std::uint64_t t) {
    std::lock_guard<std::mutex> lock(mutex);
    return std::size_t(std::count_if(all.begin(), all.end(), [&](const BlockEvent& e) { return e.ticket == t; }));
  }
};

} // namespace

class TestLazyVolume : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  Volume m_volume;
  std::string m_zarr, m_nrrd;

  static Volume block(std::int64_t bytes) { return Volume({bytes, 1, 1}, VoxelType::UInt8); }

private Q_SLOTS:
  void initTestCase() {
    m_volume = makeVolume({70, 45, 33}, VoxelType::UInt16, 3);
    WriteOptions o;
    o.hdf5Chunk = {16, 8, 6};
    o.pyramidLevels = 3;
    m_zarr = m_dir.filePath("v.zarr").toStdString();
    writeVolume(m_volume, m_zarr, o);
    m_nrrd = m_dir.filePath("v.nrrd").toStdString();
    writeVolume(m_volume, m_nrrd);
  }

  void defaultBudgetIsAnEighthOfMemoryWithinLimits() {
    QCOMPARE(defaultCacheBudget(std::uint64_t(8) << 30), std::uint64_t(1) << 30);
    QCOMPARE(defaultCacheBudget(std::uint64_t(64) << 30), std::uint64_t(4) << 30);
    QCOMPARE(defaultCacheBudget(128 * MiB), 64 * MiB);
    QVERIFY(physicalMemory() > 0);
    QCOMPARE(ChunkCache().budget(), defaultCacheBudget());
  }

  void cacheEvictsLeastRecentlyUsedWithinBudget() {
    ChunkCache cache(10000);
    std::mt19937 rng(7);
    std::uint64_t largest = 0;
    for (int i = 0; i < 200; ++i) {
      const std::int64_t bytes = 200 + std::int64_t(rng() % 3000);
      largest = std::max<std::uint64_t>(largest, std::uint64_t(bytes));
      cache.insert({1, 0, {i, 0, 0}}, block(bytes));
      // Keep block 0 in use: it must survive every eviction.
      QVERIFY2(cache.find({1, 0, {0, 0, 0}}), qPrintable(QString("block 0 evicted at %1").arg(i)));
      const CacheStats s = cache.stats();
      QVERIFY2(s.bytesResident <= s.budget + largest, qPrintable(QString::number(s.bytesResident)));
    }
    QVERIFY(cache.stats().evictions > 100);
    // Least recently used goes first: touch the oldest survivor (other than 0), insert one more
    // block than fits, and the block that was second-oldest is gone while the touched one stays.
    ChunkCache small(4000);
    for (int i = 0; i < 4; ++i) small.insert({2, 0, {i, 0, 0}}, block(1000));
    QVERIFY(small.find({2, 0, {0, 0, 0}}));
    small.insert({2, 0, {4, 0, 0}}, block(1000));
    QVERIFY(small.contains({2, 0, {0, 0, 0}}));
    QVERIFY(!small.contains({2, 0, {1, 0, 0}}));
    QVERIFY(small.contains({2, 0, {2, 0, 0}}));
    // A block larger than the budget is stored alone; lowering the budget evicts at once.
    small.insert({2, 0, {9, 0, 0}}, block(5000));
    QCOMPARE(small.stats().blocks, std::uint64_t(1));
    QCOMPARE(small.stats().bytesResident, std::uint64_t(5000));
    small.setBudget(0);
    QCOMPARE(small.stats().bytesResident, std::uint64_t(0));
  }

  void cacheCountsHitsMissesAndKeepsTheFirstOfTwoInserts() {
    ChunkCache cache(MiB);
    QVERIFY(!cache.find({1, 0, {0, 0, 0}}));
    const BlockPtr first = cache.insert({1, 0, {0, 0, 0}}, block(10));
    QVERIFY(cache.find({1, 0, {0, 0, 0}}));
    QVERIFY(cache.find({1, 0, {0, 0, 0}}));
    QVERIFY(!cache.find({1, 1, {0, 0, 0}})); // another level is another block
    QVERIFY(!cache.find({2, 0, {0, 0, 0}})); // another source too
    QCOMPARE(cache.stats().hits, std::uint64_t(2));
    QCOMPARE(cache.stats().misses, std::uint64_t(3));
    QCOMPARE(cache.insert({1, 0, {0, 0, 0}}, block(20)).get(), first.get());
    QCOMPARE(cache.stats().bytesResident, std::uint64_t(10));
    cache.insert({2, 0, {0, 0, 0}}, block(30));
    cache.eraseSource(1);
    QCOMPARE(cache.stats().blocks, std::uint64_t(1));
    QCOMPARE(cache.stats().bytesResident, std::uint64_t(30));
  }

  void regionReadThroughCacheEqualsDirectReadAtEveryLevel() {
    // A budget of three chunks forces evictions throughout.
    for (std::uint64_t budget : {std::uint64_t(3 * 16 * 8 * 6 * 2), 64 * MiB}) {
      auto cache = std::make_shared<ChunkCache>(budget);
      auto lazy = LazyVolume::open(m_zarr, cache);
      QCOMPARE(lazy->levels(), 3);
      QCOMPARE(lazy->blockShape(0), (Size3{16, 8, 6}));
      std::mt19937 rng(11);
      for (int k = 0; k < 3; ++k) {
        OpenOptions oo;
        oo.level = k;
        auto direct = openVolume(m_zarr, oo);
        const Size3 n = direct->info().size;
        QCOMPARE(lazy->levelInfo(k).size, n);
        std::vector<Region> regions{Region::whole(n), {{1, 2, 3}, {1, 1, 1}}};
        for (int i = 0; i < 12; ++i) {
          Region r;
          r.start = {std::int64_t(rng() % n.x), std::int64_t(rng() % n.y), std::int64_t(rng() % n.z)};
          r.size = {1 + std::int64_t(rng() % (n.x - r.start.x)), 1 + std::int64_t(rng() % (n.y - r.start.y)),
                    1 + std::int64_t(rng() % (n.z - r.start.z))};
          regions.push_back(r);
        }
        for (const Region& r : regions) {
          ReadOptions ro;
          ro.crop = r;
          const Volume want = direct->read(ro);
          const Volume got = lazy->read(k, r);
          QVERIFY2(sameVoxels(got, want), qPrintable(QString("level %1 budget %2").arg(k).arg(budget)));
          QVERIFY(nearVec(got.origin(), want.origin()));
          QVERIFY(nearVec(got.spacing(), want.spacing()));
          QVERIFY(cache->stats().bytesResident <= budget + 16 * 8 * 6 * 2);
        }
      }
      if (budget == 64 * MiB) { // everything fits: a second read is all hits
        const CacheStats before = cache->stats();
        (void)lazy->read(0, Region::whole(lazy->levelInfo(0).size));
        const CacheStats after = cache->stats();
        QCOMPARE(after.misses, before.misses);
        const Size3 c = lazy->blockCount(0);
        QCOMPARE(after.hits - before.hits, std::uint64_t(c.count()));
      } else {
        QVERIFY(cache->stats().evictions > 0);
      }
    }
  }

  void plainFileIsLevelZeroInDefaultBlocks() {
    auto lazy = LazyVolume::open(m_nrrd, std::make_shared<ChunkCache>(MiB));
    QCOMPARE(lazy->levels(), 1);
    QCOMPARE(lazy->blockShape(0), (Size3{70, 45, 16})); // kDefaultBlock clipped to the volume
    QVERIFY(sameVoxels(lazy->read(0, Region::whole(m_volume.size())), m_volume));
    const Region r{{5, 7, 9}, {40, 30, 20}};
    QVERIFY(sameVoxels(lazy->read(0, r), m_volume.crop(r)));
  }

  void levelsMapAndMatchTheZoom() {
    auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(MiB));
    QCOMPARE(lazy->mapRegion({{32, 10, 4}, {1, 1, 1}}, 0, 1), (Region{{16, 5, 2}, {1, 1, 1}}));
    QCOMPARE(lazy->mapRegion(Region::whole({70, 45, 33}), 0, 2), Region::whole(lazy->levelInfo(2).size));
    QCOMPARE(lazy->mapRegion({{3, 2, 1}, {2, 2, 2}}, 1, 0), (Region{{6, 4, 2}, {4, 4, 4}}));
    QCOMPARE(lazy->levelForScale(0.5), 0);
    QCOMPARE(lazy->levelForScale(1.9), 0);
    QCOMPARE(lazy->levelForScale(2), 1);
    QCOMPARE(lazy->levelForScale(3.9), 1);
    QCOMPARE(lazy->levelForScale(100), 2);
  }

  void bloscSliceAfterAJumpDecodesOnePlanePerChunk() {
    // Blosc chunks: a slice asked for alone is decoded as one z plane of each chunk (blosc_getitem;
    // the cache holds planes, not chunks) with the file's voxels; the next slice reads whole chunks.
    auto cache = std::make_shared<ChunkCache>(64 * MiB);
    auto lazy = LazyVolume::open(m_zarr, cache);
    QCOMPARE(lazy->blockShape(0), (Size3{16, 8, 6}));
    const std::uint64_t view = LazyVolume::newViewId();
    std::atomic<int> errors{0};
    auto fetch = [&](const Region& r) {
      std::atomic<int> arrived{0};
      const LazyAnswer a = lazy->request(view, 0, r, [&](const BlockEvent& e) {
        if (!e.error.empty()) ++errors;
        ++arrived;
      });
      for (int i = 0; i < 6000 && (arrived.load() < int(a.missing.size()) || lazy->pendingBlocks() > 0); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return a;
    };
    const Region slice{{0, 0, 20}, {70, 45, 1}};
    const LazyAnswer a = fetch(slice);
    QCOMPARE(errors.load(), 0);
    QCOMPARE(a.missing.size(), lazy->blocksCovering(0, slice).size());
    QCOMPARE(cache->stats().bytesResident, std::uint64_t(70 * 45 * 1 * 2));
    std::size_t notCached = 1;
    QVERIFY(sameVoxels(lazy->assemble(0, slice, &notCached), m_volume.crop(slice)));
    QCOMPARE(notCached, std::size_t(0));
    const Region next{{0, 0, 21}, {70, 45, 1}};
    (void)fetch(next);
    QCOMPARE(errors.load(), 0);
    QCOMPARE(cache->stats().bytesResident, std::uint64_t(70 * 45 * 1 * 2 + 70 * 45 * 6 * 2)); // + chunks of z 18..23
    QVERIFY(sameVoxels(lazy->assemble(0, next, &notCached), m_volume.crop(next)));
    QCOMPARE(notCached, std::size_t(0));
  }

  void bestAvailableLevelRefinesAsBlocksArrive() {
    auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(64 * MiB));
    const Region slice{{0, 0, 20}, {70, 45, 1}};
    QCOMPARE(lazy->bestAvailableLevel(0, slice), -1);
    std::size_t missing = 0;
    (void)lazy->assemble(0, slice, &missing);
    QCOMPARE(missing, lazy->blocksCovering(0, slice).size());
    (void)lazy->read(2, lazy->mapRegion(slice, 0, 2));
    QCOMPARE(lazy->bestAvailableLevel(0, slice), 2);
    QCOMPARE(lazy->bestAvailableLevel(1, lazy->mapRegion(slice, 0, 1)), 2);
    (void)lazy->read(0, slice);
    QCOMPARE(lazy->bestAvailableLevel(0, slice), 0);
    const Volume drawn = lazy->assemble(0, slice, &missing);
    QCOMPARE(missing, std::size_t(0));
    QVERIFY(sameVoxels(drawn, m_volume.crop(slice)));
  }

  void asyncDeliversEveryMissingBlockOnce() {
    LazyOptions lo;
    lo.threads = 3;
    auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(64 * MiB), lo);
    const std::uint64_t view = LazyVolume::newViewId();
    const Region whole = Region::whole(m_volume.size());
    Events events;
    const LazyAnswer a = lazy->request(view, 0, whole, events.callback(), true);
    const std::size_t level0 = std::size_t(lazy->blockCount(0).count()), coarse = std::size_t(lazy->blockCount(2).count());
    QVERIFY(a.ready.empty());
    QCOMPARE(a.missing.size(), level0 + coarse);
    QVERIFY(a.missing.front().level == 2); // the coarsest level first
    QVERIFY(waitFor([&] { return events.size() >= a.missing.size() && lazy->pendingBlocks() == 0; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // nothing more may come
    QCOMPARE(events.size(), a.missing.size());
    for (const BlockKey& k : a.missing) {
      const int n = events.count[{a.ticket, k.level, k.block.x, k.block.y, k.block.z}];
      QCOMPARE(n, 1);
    }
    for (const BlockEvent& e : events.all) {
      QVERIFY2(e.error.empty(), e.error.c_str());
      QCOMPARE(e.view, view);
      QVERIFY(lazy->cache().contains({lazy->sourceId(), e.level, e.block}));
    }
    // Asked again: everything is there at once and nothing is scheduled.
    const LazyAnswer b = lazy->request(view, 0, whole, events.callback(), true);
    QCOMPARE(b.ready.size(), level0);
    QVERIFY(b.missing.empty());
    QCOMPARE(lazy->pendingBlocks(view), std::size_t(0));
    QVERIFY(sameVoxels(lazy->assemble(0, whole), m_volume));
  }

  void supersededRequestDropsItsPendingBlocks() {
    LazyOptions lo;
    lo.threads = 1;
    lo.block = {4, 4, 4}; // many blocks
    auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(64 * MiB), lo);
    const std::uint64_t view = LazyVolume::newViewId();
    Events events;
    std::atomic<bool> entered{false};
    BlockCallback slowFirst = [&, record = events.callback()](const BlockEvent& e) {
      record(e);
      if (!entered.exchange(true)) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    };
    const LazyAnswer a = lazy->request(view, 0, Region::whole(m_volume.size()), slowFirst);
    QVERIFY(a.missing.size() > 500);
    QVERIFY(waitFor([&] { return entered.load(); }));
    const Region small{{60, 40, 28}, {10, 5, 5}};
    const LazyAnswer b = lazy->request(view, 0, small, events.callback());
    const std::size_t aAtReturn = events.ofTicket(a.ticket);
    QVERIFY(aAtReturn < a.missing.size() / 2);
    QVERIFY(waitFor([&] { return events.ofTicket(b.ticket) == b.missing.size() && lazy->pendingBlocks() == 0; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    QCOMPARE(events.ofTicket(a.ticket), aAtReturn); // nothing of the old request after it was superseded
    QCOMPARE(events.ofTicket(b.ticket), b.missing.size());
    QCOMPARE(b.ready.size() + b.missing.size(), lazy->blocksCovering(0, small).size());
    QVERIFY(sameVoxels(lazy->assemble(0, small), m_volume.crop(small)));
    // Blocks of the first request that were never read are not in the cache.
    std::size_t cached = 0;
    for (const BlockKey& k : a.missing) cached += lazy->cache().contains(k) ? 1 : 0;
    QVERIFY(cached < a.missing.size() / 2);
  }

  void cancelAndDestroyWhileLoadsRunAreSafe() {
    for (int round = 0; round < 20; ++round) {
      LazyOptions lo;
      lo.threads = 2;
      lo.block = {4, 4, 2};
      auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(MiB), lo);
      auto counter = std::make_shared<std::atomic<int>>(0);
      BlockCallback count = [counter](const BlockEvent&) { ++*counter; };
      const std::uint64_t v1 = LazyVolume::newViewId(), v2 = LazyVolume::newViewId();
      (void)lazy->request(v1, 0, Region::whole(m_volume.size()), count);
      (void)lazy->request(v2, 1, Region::whole(lazy->levelInfo(1).size), count);
      std::this_thread::sleep_for(std::chrono::microseconds(500 * (round % 5)));
      lazy->cancel(v1);
      QCOMPARE(lazy->pendingBlocks(v1), std::size_t(0));
      lazy.reset(); // joins the workers while v2's loads run
      const int after = counter->load();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      QCOMPARE(counter->load(), after);
    }
  }

  void manyThreadsReadTheSameBytes() {
    std::vector<Volume> levels;
    for (int k = 0; k < 3; ++k) {
      OpenOptions oo;
      oo.level = k;
      levels.push_back(readVolume(m_zarr, oo));
    }
    // A budget of a few chunks: threads evict each other's blocks while they read.
    LazyOptions lo;
    lo.threads = 2;
    auto lazy = LazyVolume::open(m_zarr, std::make_shared<ChunkCache>(8 * 16 * 8 * 6 * 2), lo);
    std::atomic<int> wrong{0}, reads{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&, t] {
        std::mt19937 rng(std::uint32_t(100 + t));
        const std::uint64_t view = LazyVolume::newViewId();
        for (int i = 0; i < 40; ++i) {
          const int k = int(rng() % 3);
          const Size3 n = levels[std::size_t(k)].size();
          Region r;
          r.start = {std::int64_t(rng() % n.x), std::int64_t(rng() % n.y), std::int64_t(rng() % n.z)};
          r.size = {1 + std::int64_t(rng() % (n.x - r.start.x)), 1 + std::int64_t(rng() % (n.y - r.start.y)),
                    1 + std::int64_t(rng() % (n.z - r.start.z))};
          if (i % 4 == 0) (void)lazy->request(view, k, r, nullptr); // asynchronous loads run alongside
          if (!sameVoxels(lazy->read(k, r), levels[std::size_t(k)].crop(r))) ++wrong;
          ++reads;
        }
      });
    for (auto& t : threads) t.join();
    QCOMPARE(reads.load(), 8 * 40);
    QCOMPARE(wrong.load(), 0);
  }

  void damagedChunkIsAnErrorNamingTheFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("d.zarr").toStdString();
    WriteOptions o;
    o.hdf5Chunk = {16, 8, 6};
    o.pyramidLevels = 2;
    writeVolume(m_volume, path, o);
    { std::ofstream(path + "/0/1/1/1", std::ios::binary | std::ios::trunc) << "garbage"; }
    auto lazy = LazyVolume::open(path, std::make_shared<ChunkCache>(MiB));
    const Region bad = lazy->blockRegion(0, {1, 1, 1});
    try {
      (void)lazy->read(0, bad);
      QFAIL("a damaged chunk was read");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("d.zarr") != std::string::npos, e.what());
    }
    Events events;
    const Region around{{0, 0, 0}, {48, 24, 18}};
    const LazyAnswer a = lazy->request(LazyVolume::newViewId(), 0, around, events.callback());
    QVERIFY(waitFor([&] { return events.size() == a.missing.size(); }));
    int failed = 0;
    for (const BlockEvent& e : events.all)
      if (!e.error.empty()) {
        ++failed;
        QCOMPARE(e.block, (Index3{1, 1, 1}));
      }
    QCOMPARE(failed, 1);
    std::size_t missing = 0;
    (void)lazy->assemble(0, around, &missing);
    QCOMPARE(missing, std::size_t(1));
    // The rest of the volume still reads.
    QVERIFY(sameVoxels(lazy->read(0, lazy->blockRegion(0, {0, 0, 0})), m_volume.crop(lazy->blockRegion(0, {0, 0, 0}))));
  }
};

QTEST_GUILESS_MAIN(TestLazyVolume)
#include "test_lazy_volume.moc"
