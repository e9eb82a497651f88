// Reading OME-Zarr chunks allocates no buffer per chunk (issue 16, the studio's memory): the reader
// reuses one buffer for a chunk file's bytes and decodes a whole chunk straight into the block, so
// the worker threads of a LazyVolume do not leave a trail of freed temporaries of varying sizes
// between the cached blocks in their malloc arenas (which kept the resident memory of a scroll
// through a big OME-Zarr volume hundreds of MiB above the cache). Counted: every operator new of
// 4 KiB or more while reading (Volume buffers come from calloc and are not counted), for whole
// chunks, single planes of chunks (a slice after a jump), and a LazyVolume scrolled end to end
// with a tiny budget, whose voxels equal the eager read.
#include "IoTestUtil.h"

#include "core/volume/io/ChunkedReader.h"
#include "core/volume/lazy/LazyVolume.h"

#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <thread>

namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::uint64_t> g_bytes{0};

void* allocate(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed) && n >= 4096) g_bytes.fetch_add(n, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

/// Bytes allocated in large pieces (>= 4 KiB, through operator new) while \p f runs.
template <class F> std::uint64_t largeAllocations(F&& f) {
  g_bytes = 0;
  g_counting = true;
  f();
  g_counting = false;
  return g_bytes.load();
}

} // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace core::volume;
using namespace iotest;

class TestZarrReadAllocations : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  Volume m_volume;
  std::string m_zarr;
  static constexpr std::int64_t kChunk = 64;
  static constexpr std::uint64_t kChunkBytes = std::uint64_t(kChunk * kChunk * kChunk) * 2;
  static constexpr int kChunks = 4 * 4 * 2;

  std::unique_ptr<VolumeReader> uncachedReader() const {
    auto r = openVolume(m_zarr);
    auto* chunked = dynamic_cast<io::ChunkedReader*>(r.get());
    if (!chunked) return nullptr;
    chunked->setChunkCacheBytes(0); // as LazyVolume opens it
    return r;
  }

private Q_SLOTS:
  void initTestCase() {
    m_volume = makeVolume({4 * kChunk, 4 * kChunk, 2 * kChunk}, VoxelType::UInt16, 4);
    WriteOptions o;
    o.zarrCompressor = "blosc";
    o.hdf5Chunk = {kChunk, kChunk, kChunk};
    o.pyramidLevels = 1;
    m_zarr = m_dir.filePath("v.zarr").toStdString();
    writeVolume(m_volume, m_zarr, o);
  }

  void wholeChunksAllocateNoBufferPerChunk() {
    auto r = uncachedReader();
    QVERIFY(r);
    std::vector<Volume> blocks;
    const std::uint64_t bytes = largeAllocations([&] {
      for (std::int64_t z = 0; z < 2; ++z)
        for (std::int64_t y = 0; y < 4; ++y)
          for (std::int64_t x = 0; x < 4; ++x) {
            ReadOptions o;
            o.crop = {{x * kChunk, y * kChunk, z * kChunk}, {kChunk, kChunk, kChunk}};
            blocks.push_back(r->read(o));
          }
    });
    // One chunk file's bytes (grown a few times) at most; a buffer per chunk was >= 2 chunks each.
    QVERIFY2(bytes <= 4 * kChunkBytes, qPrintable(QString::number(bytes / 1024) + " KiB"));
    for (const Volume& b : blocks) QVERIFY(!b.empty());
    const Region last{{3 * kChunk, 3 * kChunk, kChunk}, {kChunk, kChunk, kChunk}};
    QVERIFY(sameVoxels(blocks.back(), m_volume.crop(last)));
  }

  void planesAllocateNoBufferPerChunk() {
    auto r = uncachedReader();
    QVERIFY(r);
    Volume plane;
    const std::int64_t n = 40;
    const std::uint64_t bytes = largeAllocations([&] {
      for (std::int64_t i = 0; i < n; ++i) {
        ReadOptions o;
        o.crop = {{(i % 4) * kChunk, ((i / 4) % 4) * kChunk, (i * 7) % (2 * kChunk)}, {kChunk, kChunk, 1}};
        plane = r->read(o);
      }
    });
    QVERIFY2(bytes <= 4 * kChunkBytes, qPrintable(QString::number(bytes / 1024) + " KiB"));
    const Region lastPlane{{(39 % 4) * kChunk, ((39 / 4) % 4) * kChunk, (39 * 7) % (2 * kChunk)}, {kChunk, kChunk, 1}};
    QVERIFY(sameVoxels(plane, m_volume.crop(lastPlane)));
  }

  void planesOfStoredAndCompressedChunksEqualTheVolume() {
    // Noise does not compress: blosc stores such a chunk as is, and a plane is read at its place.
    QTemporaryDir dir;
    Volume noise(Size3{kChunk, 2 * kChunk, kChunk}, VoxelType::UInt16);
    std::uint32_t h = 12345;
    for (std::int64_t i = 0; i < noise.size().count(); ++i) {
      h = h * 1664525u + 1013904223u;
      noise.as<std::uint16_t>()[i] = std::uint16_t(h >> 16);
    }
    Volume smooth = makeVolume(noise.size(), VoxelType::UInt16, 9);
    for (std::int64_t i = 0; i < smooth.size().count(); ++i) smooth.as<std::uint16_t>()[i] /= 4096; // compresses
    int n = 0;
    for (const Volume* v : {&noise, &smooth}) {
      WriteOptions o;
      o.zarrCompressor = "blosc";
      o.hdf5Chunk = {kChunk, kChunk, kChunk};
      o.pyramidLevels = 1;
      const std::string path = dir.filePath(QString("p%1.zarr").arg(++n)).toStdString();
      writeVolume(*v, path, o);
      auto r = openVolume(path);
      for (std::int64_t z : {std::int64_t(0), std::int64_t(1), kChunk / 2, kChunk - 1}) {
        ReadOptions ro;
        const Region plane{{0, 0, z}, {kChunk, 2 * kChunk, 1}};
        ro.crop = plane;
        QVERIFY2(sameVoxels(r->read(ro), v->crop(plane)), qPrintable(QString("volume %1 plane %2").arg(n).arg(z)));
      }
    }
  }

  void lazyScrollWithTinyBudgetAllocatesNoBufferPerChunk() {
    const std::uint64_t budget = 24 * kChunkBytes; // a slice (16 chunks) fits, the volume (32) does not
    auto cache = std::make_shared<ChunkCache>(budget);
    auto lazy = LazyVolume::open(m_zarr, cache); // two worker threads, one reader each
    const std::uint64_t view = LazyVolume::newViewId();
    std::atomic<int> errors{0};
    std::uint64_t maxResident = 0;
    bool allEqual = true;
    const std::uint64_t bytes = largeAllocations([&] {
      for (std::int64_t z = 0; z < m_volume.size().z; ++z) { // every slice (jump, then steps)
        const Region slice{{0, 0, z}, {m_volume.size().x, m_volume.size().y, 1}};
        std::atomic<int> arrived{0};
        const LazyAnswer a = lazy->request(view, 0, slice, [&](const BlockEvent& e) {
          if (!e.error.empty()) ++errors;
          ++arrived;
        });
        for (int i = 0; i < 6000 && (arrived.load() < int(a.missing.size()) || lazy->pendingBlocks() > 0); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        maxResident = std::max(maxResident, cache->stats().bytesResident);
        if (z % 16 == 0) { // spot checks (assembling is counted too: it allocates a slice, from calloc)
          std::size_t missing = 1;
          allEqual = allEqual && sameVoxels(lazy->assemble(0, slice, &missing), m_volume.crop(slice)) && missing == 0;
        }
      }
    });
    QCOMPARE(errors.load(), 0);
    QVERIFY(allEqual);
    QVERIFY(cache->stats().evictions > 0); // the tiny budget evicted: blocks were read again and again
    QVERIFY(maxResident <= budget + kChunkBytes);
    // Two readers, each with one chunk file's bytes and one decoded chunk; 128 slices of 16 chunks
    // read with a buffer per chunk were hundreds of chunk sizes.
    QVERIFY2(bytes <= 12 * kChunkBytes, qPrintable(QString::number(bytes / 1024) + " KiB"));
  }
};

QTEST_GUILESS_MAIN(TestZarrReadAllocations)
#include "test_zarr_read_allocations.moc"
