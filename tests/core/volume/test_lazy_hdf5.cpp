// Lazily read chunked HDF5 (issue 16): a chunked HDF5 file with its "<dataset>_levels/<k>" pyramid
// opens as a LazyVolume with every level, blocks follow the file's chunks, every level read
// through the cache equals the eager reader of that level, a tiny cache budget forces evictions
// and still reads the same voxels (asynchronous requests too), a slice after a jump is read plane
// by plane (through the chunk table the probe listed, with the same voxels as libhdf5's look-up, queued
// in the file's order),
// 65,536 chunks are checked quickly and a damaged chunk size among them is found, and
// a pyramid level of the wrong size is an error naming the file.
#include "IoTestUtil.h"

#include "core/volume/io/Hdf5Support.h"
#include "core/volume/lazy/LazyVolume.h"

#include <QFile>
#include <QTemporaryDir>

#include <hdf5.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace core::volume;
using namespace iotest;

class TestLazyHdf5 : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  Volume m_volume;
  std::string m_h5;

  static Volume eager(const std::string& path, int level) {
    OpenOptions o;
    o.level = level;
    return openVolume(path, o)->read();
  }

private Q_SLOTS:
  void initTestCase() {
    m_volume = makeVolume({70, 45, 33}, VoxelType::UInt16, 3);
    WriteOptions o;
    o.hdf5Chunk = {16, 8, 6};
    o.pyramidLevels = 3;
    m_h5 = m_dir.filePath("v.h5").toStdString();
    writeVolume(m_volume, m_h5, o);
  }

  void everyLevelReadsEqualToTheEagerReader() {
    auto cache = std::make_shared<ChunkCache>(std::uint64_t(64) << 20);
    auto lazy = LazyVolume::open(m_h5, cache);
    QCOMPARE(lazy->levels(), 3);
    QCOMPARE(QString::fromStdString(lazy->formatName()), QStringLiteral("hdf5"));
    // Blocks are the file's chunks (x, y, z), clipped to each level.
    QCOMPARE(lazy->blockShape(0), (Size3{16, 8, 6}));
    QCOMPARE(lazy->blockShape(2), (Size3{16, 8, 6}));
    for (int k = 0; k < 3; ++k) {
      const Volume ref = eager(m_h5, k);
      QCOMPARE(lazy->levelInfo(k).size, ref.size());
      QVERIFY2(sameVoxels(lazy->read(k, Region::whole(ref.size())), ref), qPrintable(QString("level %1").arg(k)));
      // A region that does not line up with the chunks, twice (the second from the cache).
      const Region r{{3, 5, 1}, {std::min<std::int64_t>(20, ref.size().x - 3), std::min<std::int64_t>(11, ref.size().y - 5),
                                 std::min<std::int64_t>(7, ref.size().z - 1)}};
      QVERIFY(sameVoxels(lazy->read(k, r), ref.crop(r)));
      QVERIFY(sameVoxels(lazy->read(k, r), ref.crop(r)));
    }
    QVERIFY(sameVoxels(eager(m_h5, 0), m_volume));
  }

  void tinyBudgetEvictsAndStillReadsTheSame() {
    // Three chunks of level 0 fit (16 * 8 * 6 * 2 bytes each): reading the whole volume evicts.
    const std::uint64_t chunk = 16 * 8 * 6 * 2;
    auto cache = std::make_shared<ChunkCache>(3 * chunk);
    auto lazy = LazyVolume::open(m_h5, cache);
    for (int k = 0; k < lazy->levels(); ++k)
      QVERIFY(sameVoxels(lazy->read(k, Region::whole(lazy->levelInfo(k).size)), eager(m_h5, k)));
    const CacheStats s = cache->stats();
    QVERIFY2(s.evictions > 50, qPrintable(QString::number(s.evictions)));
    QVERIFY(s.bytesResident <= s.budget + chunk);
    // Asynchronously: every block of a slice arrives, and the slice assembled right after each
    // arrival holds the file's voxels for that block.
    const Region slice{{0, 0, 17}, {70, 45, 1}};
    std::atomic<int> arrived{0}, wrong{0}, errors{0};
    const std::uint64_t view = LazyVolume::newViewId();
    const Volume& ref = m_volume;
    LazyVolume* l = lazy.get();
    const LazyAnswer a = lazy->request(view, 0, slice, [&, l](const BlockEvent& e) {
      std::size_t notCached = 0;
      if (!e.error.empty()) ++errors;
      else if (!sameVoxels(l->assemble(e.level, e.region, &notCached), ref.crop(e.region)) || notCached != 0)
        ++wrong;
      ++arrived;
    });
    for (int i = 0; i < 6000 && arrived.load() < int(a.missing.size()); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    QCOMPARE(arrived.load(), int(a.missing.size()));
    QCOMPARE(errors.load(), 0);
    QCOMPARE(wrong.load(), 0);
  }

  void sliceAfterAJumpIsReadPlaneByPlane() {
    // Uncompressed chunks: a slice asked for alone is read as one z plane of each chunk (the cache
    // holds planes, not chunks) with the file's voxels; the next slice (scrolling) reads whole chunks.
    auto cache = std::make_shared<ChunkCache>(std::uint64_t(64) << 20);
    auto lazy = LazyVolume::open(m_h5, cache);
    const std::uint64_t view = LazyVolume::newViewId();
    auto fetch = [&](const Region& r) {
      std::atomic<int> arrived{0};
      const LazyAnswer a = lazy->request(view, 0, r, [&](const BlockEvent&) { ++arrived; });
      for (int i = 0; i < 6000 && (arrived.load() < int(a.missing.size()) || lazy->pendingBlocks() > 0); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return a;
    };
    const Region slice{{0, 0, 20}, {70, 45, 1}};
    const LazyAnswer a = fetch(slice);
    const std::size_t blocks = lazy->blocksCovering(0, slice).size();
    QCOMPARE(a.missing.size(), blocks);
    QCOMPARE(cache->stats().bytesResident, std::uint64_t(70 * 45 * 1 * 2)); // edge blocks are smaller
    std::size_t notCached = 1;
    QVERIFY(sameVoxels(lazy->assemble(0, slice, &notCached), m_volume.crop(slice)));
    QCOMPARE(notCached, std::size_t(0));
    QCOMPARE(lazy->bestAvailableLevel(0, slice), 0);
    const Region next{{0, 0, 21}, {70, 45, 1}};
    (void)fetch(next);
    QCOMPARE(cache->stats().bytesResident, std::uint64_t(70 * 45 * 1 * 2 + 70 * 45 * 6 * 2)); // + chunks of z 18..23
    QVERIFY(sameVoxels(lazy->assemble(0, next, &notCached), m_volume.crop(next)));
    QCOMPARE(notCached, std::size_t(0));
  }

  // A plane of uncompressed chunks is read at the address the probe listed for each chunk (its
  // table), not found by libhdf5's look-up by coordinate; both give the file's voxels, also for a
  // region that does not line up with the chunks, on every level of the pyramid.
  void planesAreFoundThroughTheProbesTableWithTheLookUpsVoxels() {
    auto readPlanes = [&](int level) {
      OpenOptions oo;
      oo.level = level;
      auto reader = openVolume(m_h5, oo);
      std::vector<Volume> planes;
      const Size3 n = reader->info().size;
      for (std::int64_t z : {std::int64_t(0), n.z / 2, n.z - 1}) {
        ReadOptions ro;
        ro.crop = Region{{0, 0, z}, {n.x, n.y, 1}};
        planes.push_back(reader->read(ro));
        ro.crop = Region{{3, 5, z}, {std::min<std::int64_t>(n.x - 3, 29), std::min<std::int64_t>(n.y - 5, 13), 1}};
        planes.push_back(reader->read(ro));
      }
      return planes;
    };
    for (int k = 0; k < 3; ++k) {
      const Volume ref = eager(m_h5, k);
      const std::uint64_t before = core::volume::io::hdf5PlanesFoundByTable();
      const std::vector<Volume> byTable = readPlanes(k);
      QVERIFY2(core::volume::io::hdf5PlanesFoundByTable() > before, qPrintable(QString("level %1: no table").arg(k)));
      core::volume::io::useHdf5ChunkTables(false);
      const std::uint64_t offBefore = core::volume::io::hdf5PlanesFoundByTable();
      const std::vector<Volume> byLookUp = readPlanes(k);
      const std::uint64_t offAfter = core::volume::io::hdf5PlanesFoundByTable();
      core::volume::io::useHdf5ChunkTables(true);
      QCOMPARE(offAfter, offBefore); // the fallback really looked up
      const Size3 n = ref.size();
      std::size_t i = 0;
      for (std::int64_t z : {std::int64_t(0), n.z / 2, n.z - 1})
        for (const Region& r : {Region{{0, 0, z}, {n.x, n.y, 1}},
                                Region{{3, 5, z}, {std::min<std::int64_t>(n.x - 3, 29), std::min<std::int64_t>(n.y - 5, 13), 1}}}) {
          QVERIFY2(sameVoxels(byTable[i], ref.crop(r)), qPrintable(QString("level %1 plane %2, table").arg(k).arg(i)));
          QVERIFY2(sameVoxels(byLookUp[i], byTable[i]), qPrintable(QString("level %1 plane %2, look-up").arg(k).arg(i)));
          ++i;
        }
    }
  }

  // After a jump the plane reads are queued in the order of their chunks in the file (small reads
  // scattered over a cold file), not nearest the centre first; the workers take them in turn.
  void planesAfterAJumpAreQueuedInFileOrder() {
    auto cache = std::make_shared<ChunkCache>(std::uint64_t(64) << 20);
    auto lazy = LazyVolume::open(m_h5, cache);
    const auto table = core::volume::io::hdf5ChunkTable(m_h5, "/exchange/data");
    QVERIFY(table);
    const Region slice{{0, 0, 14}, {70, 45, 1}};
    std::atomic<int> arrived{0};
    const LazyAnswer a = lazy->request(LazyVolume::newViewId(), 0, slice, [&](const BlockEvent&) { ++arrived; }, false);
    QCOMPARE(a.missing.size(), lazy->blocksCovering(0, slice).size());
    std::vector<std::uint64_t> addresses;
    for (const BlockKey& k : a.missing) {
      QCOMPARE(k.axis, 2); // a plane of each chunk
      addresses.push_back(table->at(hsize_t(k.block.z), hsize_t(k.block.y), hsize_t(k.block.x)).address);
    }
    QVERIFY2(std::is_sorted(addresses.begin(), addresses.end()), "the plane reads are not in the file's order");
    for (int i = 0; i < 6000 && arrived.load() < int(a.missing.size()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    QCOMPARE(arrived.load(), int(a.missing.size()));
  }

  // The probe that guards libhdf5 checks every stored chunk's size and place before the first
  // read. libhdf5 1.10 looks one chunk up by iterating over the index up to it, so a walk of
  // look-ups over 65,536 chunks takes about 25 s; listed in one pass it takes well under 1 s. The
  // size field of the last chunk in the index, made one byte too large, is still found.
  void manyChunksAreCheckedInOnePassAndADamagedSizeIsStillFound() {
    const Volume v = makeVolume({256, 256, 64}, VoxelType::UInt8, 5);
    WriteOptions o;
    o.hdf5Chunk = {4, 4, 4}; // 64 x 64 x 16 = 65,536 chunks of 64 bytes
    const std::string path = m_dir.filePath("many.h5").toStdString();
    writeVolume(v, path, o);
    auto cache = std::make_shared<ChunkCache>(std::uint64_t(16) << 20);
    // Checked in one pass over the chunk index, not by a look-up per chunk (each of which walks
    // the index: 65,536 chunks took 58 s that way).
    const std::uint64_t listedBefore = core::volume::io::hdf5DatasetsCheckedByListing();
    auto lazy = LazyVolume::open(path, cache);
    QVERIFY2(core::volume::io::hdf5DatasetsCheckedByListing() > listedBefore, "the chunks were not checked in one pass");
    const Region last{{0, 0, 60}, {256, 256, 4}};
    QVERIFY(sameVoxels(lazy->read(0, last), v.crop(last)));
    lazy.reset();
    // The index key of chunk (z 60, y 252, x 252) in the version 1 B-tree: stored bytes (32 bits),
    // filter mask (32 bits), then the offsets z, y, x and 0 (64 bits each).
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    QByteArray key;
    for (const std::uint64_t field : {64, 60, 252, 252, 0}) // bytes and mask read as one field
      for (int i = 0; i < 8; ++i) key.append(char((field >> (8 * i)) & 0xff));
    int found = 0; // in its leaf, and in the node above when it begins a leaf
    for (int at = int(bytes.indexOf(key)); at >= 0; at = int(bytes.indexOf(key, at + 1)), ++found) bytes[at] = char(65);
    QVERIFY2(found >= 1, "the chunk's index key is not in the file");
    QVERIFY(file.seek(0) && file.write(bytes) == bytes.size());
    file.close();
    QVERIFY(throwsWith([&] { LazyVolume::open(path, cache); },
                       {QString::fromStdString(path), "damaged", "wrong size"}));
  }

  void levelOfTheWrongSizeIsAnErrorNamingTheFile() {
    const std::string path = m_dir.filePath("bad.h5").toStdString();
    WriteOptions o;
    o.hdf5Chunk = {16, 8, 6};
    o.pyramidLevels = 3;
    writeVolume(m_volume, path, o);
    {
      const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      QVERIFY(f >= 0);
      QVERIFY(H5Ldelete(f, "/exchange/data_levels/2", H5P_DEFAULT) >= 0);
      const hsize_t dims[3] = {2, 2, 2};
      const hid_t space = H5Screate_simple(3, dims, nullptr);
      const hid_t set = H5Dcreate2(f, "/exchange/data_levels/2", H5T_NATIVE_UINT16, space, H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT);
      QVERIFY(set >= 0);
      const std::uint16_t zeros[8] = {};
      QVERIFY(H5Dwrite(set, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros) >= 0);
      H5Dclose(set);
      H5Sclose(space);
      H5Fclose(f);
    }
    auto cache = std::make_shared<ChunkCache>(std::uint64_t(1) << 20);
    QVERIFY(throwsWith([&] { LazyVolume::open(path, cache); },
                       {QString::fromStdString(path), "level 2", "2x2x2", "expected 18x12x9"}));
  }
};

QTEST_GUILESS_MAIN(TestLazyHdf5)
#include "test_lazy_hdf5.moc"
