// The particle labels of a slab-by-slab analysis (core::cluster::analyzeInSlabs with labelsOut,
// what the studio's "Analyse particles slab by slab" writes for a volume opened lazily): a chunked
// uint32 OME-Zarr on the image's grid whose voxels equal the labels of the same analysis run on
// the whole volume at once (ids too: both are the particles' raster order), read back lazily
// through a chunk cache far smaller than the labels (blocks are evicted while it is checked).
// A second run replaces them only once complete: cancelled part way, the first labels stay.
#include "core/analysis/Analysis.h"
#include "core/analysis/ParticleSegmentation.h"
#include "core/cluster/SlabAnalysis.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/ChunkCache.h"
#include "core/volume/lazy/LazyVolume.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

namespace vol = core::volume;
namespace ca = core::analysis;
namespace cc = core::cluster;
namespace fs = std::filesystem;

namespace {

constexpr vol::Size3 kSize{96, 96, 96};

/// Cancels once the work passed \p at (a fraction).
struct CancelAt final : core::jobs::ProgressSink {
  core::jobs::CancelToken& token;
  double at;
  CancelAt(core::jobs::CancelToken& t, double a) : token(t), at(a) {}
  void setProgress(double f, const std::string&) override {
    if (f >= at) token.cancel();
  }
};

} // namespace

class TestSlabLabels : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_image, m_cracks, m_labels;
  vol::Volume m_dense; ///< the whole-volume analysis's labels
  std::int64_t m_denseParticles = 0;
  cc::SlabAnalysisOptions m_options;

private Q_SLOTS:
  void initTestCase() {
    // As test_analyze_slabs: the simple preset at radius 5-10, whole particles within a halo of 36.
    core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
    o.size = kSize;
    o.seed = 11;
    o.particleRadiusMin = 5;
    o.particleRadiusMax = 10;
    const core::phantom::Phantom ph = core::phantom::generatePhantom(o);
    vol::WriteOptions w;
    w.hdf5Chunk = {16, 16, 8};
    w.pyramidLevels = 1;
    m_image = QDir(m_dir.path()).filePath("image.zarr").toStdString();
    m_cracks = QDir(m_dir.path()).filePath("cracks.zarr").toStdString();
    m_labels = QDir(m_dir.path()).filePath("image-particles.zarr").toStdString();
    vol::writeVolume(ph.image, m_image, w);
    vol::writeVolume(ph.cracks, m_cracks, w);
    m_options.analysis.segmentation.solidThreshold = cc::wholeVolumeSolidThreshold(m_image, {}, 1 << 20);
    m_options.crackThreshold = 1;
    m_options.slabSlices = 16;
    m_options.halo = 36;
    m_options.labelsOut = m_labels;
    m_options.labelsChunk = {16, 16, 8};
    ca::AnalysisResult dense =
        ca::analyzeVolume(vol::readVolume(m_image), ca::makeCrackMask(vol::readVolume(m_cracks), 1.0).mask, m_options.analysis);
    m_dense = std::move(dense.segmentation.labels);
    m_denseParticles = dense.particles.rowCount();
    QVERIFY(m_denseParticles > 40);
  }

  void labelsEqualTheWholeVolumeRun() {
    const cc::SlabAnalysisResult r =
        cc::analyzeInSlabs(m_image, m_cracks, m_options, QDir(m_dir.path()).filePath("p.csv").toStdString());
    QCOMPARE(r.slabs, std::int64_t(6));
    QCOMPARE(r.particles.rowCount(), m_denseParticles);
    // Read lazily, block by block, through a cache of 16 blocks of the 432.
    auto cache = std::make_shared<vol::ChunkCache>(16 * 16 * 16 * 8 * 4);
    std::unique_ptr<vol::LazyVolume> lazy(vol::LazyVolume::open(m_labels, cache, {}));
    QCOMPARE(lazy->levelInfo(0).size, kSize);
    QVERIFY(lazy->levelInfo(0).type == vol::VoxelType::UInt32);
    QCOMPARE(lazy->blockShape(0), (vol::Size3{16, 16, 8}));
    std::int64_t differ = 0, particleVoxels = 0;
    std::uint32_t maxId = 0;
    const vol::Size3 blocks = lazy->blockCount(0);
    for (std::int64_t bz = 0; bz < blocks.z; ++bz)
      for (std::int64_t by = 0; by < blocks.y; ++by)
        for (std::int64_t bx = 0; bx < blocks.x; ++bx) {
          const vol::Region box = lazy->blockRegion(0, {bx, by, bz});
          const vol::Volume got = lazy->read(0, box);
          for (std::int64_t z = 0; z < box.size.z; ++z)
            for (std::int64_t y = 0; y < box.size.y; ++y)
              for (std::int64_t x = 0; x < box.size.x; ++x) {
                const std::uint32_t a = got.as<std::uint32_t>()[got.index(x, y, z)];
                const std::uint32_t b = m_dense.as<std::uint32_t>()[m_dense.index(box.start.x + x, box.start.y + y, box.start.z + z)];
                differ += a != b;
                particleVoxels += a != 0;
                maxId = std::max(maxId, a);
              }
        }
    QCOMPARE(differ, std::int64_t(0));
    QVERIFY(particleVoxels > kSize.count() / 10); // not two empty volumes
    QCOMPARE(std::int64_t(maxId), m_denseParticles);
    QVERIFY(cache->stats().evictions > 0); // bounded: the labels did not stay in memory
    QVERIFY(cache->stats().bytesResident <= cache->stats().budget);
    // Only the labels are left beside the image: no temporaries.
    const QStringList left = QDir(m_dir.path()).entryList({".*tmp*"}, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(' ')));
  }

  void aCancelledRunKeepsTheEarlierLabels() {
    QVERIFY(fs::exists(m_labels));
    const vol::Volume before = vol::readVolume(m_labels);
    core::jobs::CancelToken cancel;
    CancelAt sink(cancel, 0.5); // after three of six slabs
    QVERIFY_THROWS_EXCEPTION(core::jobs::Cancelled,
                             cc::analyzeInSlabs(m_image, m_cracks, m_options, QDir(m_dir.path()).filePath("q.csv").toStdString(),
                                                sink, cancel));
    const vol::Volume after = vol::readVolume(m_labels);
    QVERIFY(after.bytes() == before.bytes() && std::memcmp(after.data(), before.data(), before.bytes()) == 0);
    const QStringList left = QDir(m_dir.path()).entryList({".*tmp*"}, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    QVERIFY2(left.isEmpty(), qPrintable(left.join(' ')));
    // A complete run replaces them (the same labels).
    cc::analyzeInSlabs(m_image, m_cracks, m_options, QDir(m_dir.path()).filePath("q.csv").toStdString());
    const vol::Volume again = vol::readVolume(m_labels);
    QVERIFY(std::memcmp(again.data(), before.data(), before.bytes()) == 0);
  }
};

QTEST_GUILESS_MAIN(TestSlabLabels)
#include "test_slab_labels.moc"
