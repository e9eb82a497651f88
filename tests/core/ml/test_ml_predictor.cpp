// Tiled prediction: tiles blend to the whole-slice result, batches, cancel, the out-of-memory
// fallback, slab-wise reading and writing, slice ranges.
#include "MemoryVolumeIO.h"
#include "MlTestData.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingData.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {
QString errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

double maxDiff(const float* a, const float* b, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
  return m;
}

// A progress sink that cancels after a number of reports.
class CancelAfter final : public core::jobs::ProgressSink {
public:
  CancelAfter(core::jobs::CancelToken& t, int n) : m_token(t), m_n(n) {}
  void setProgress(double, const std::string&) override {
    if (++reports == m_n) m_token.cancel();
  }
  int reports = 0;

private:
  core::jobs::CancelToken& m_token;
  int m_n;
};
} // namespace

using mltest::MemoryReader;
using mltest::MemoryWriter;

class TestMlPredictor : public QObject {
  Q_OBJECT
  Model m_model;
  Volume m_images;

private Q_SLOTS:
  void initTestCase() {
    // A briefly trained model: its outputs carry structure, unlike a random one.
    auto [img, lab] = mltest::crackVolume(64, 64, 2, 3);
    TrainOptions o;
    o.model = ModelOptions::paper(8);
    o.epochs = 1;
    o.iterationsPerEpoch = 20;
    o.batch = 2;
    o.crop = 64;
    o.valFraction = 0;
    o.learningRate = 2e-3;
    o.device = DeviceRequest::Cpu;
    o.outDir = QDir::tempPath().toStdString() + "/cdnet_test_predictor_" + std::to_string(QCoreApplication::applicationPid());
    Trainer(o).run(TrainingData::fromVolumes(img, lab, {}));
    m_model = Model::load(o.outDir, {DeviceRequest::Cpu});
    QDir(QString::fromStdString(o.outDir)).removeRecursively();
    m_images = mltest::crackVolume(200, 168, 3, 9, 6).first;
  }

  void tiledMatchesWholeSlice() {
    // Tiles must be larger than the network's reach (about 100 pixels) for a fair comparison.
    const auto big = mltest::crackVolume(768, 640, 1, 12, 12).first;
    const int w = 768, h = 640;
    std::vector<float> norm(std::size_t(w * h)), whole(norm.size()), tiled(norm.size());
    normaliseSlice(big, 0, norm.data());
    m_model.predict(norm.data(), 1, h, w, whole.data());
    PredictOptions po;
    po.tile = 384;
    po.overlap = 192;
    po.batch = 3;
    po.precision = Precision::Fp32; // the whole-slice reference is fp32
    Predictor(m_model, po).predictNormalised(norm.data(), w, h, tiled.data());
    const double d = maxDiff(whole.data(), tiled.data(), whole.size());
    qInfo("tile 384, overlap 192: max |tiled - whole| = %.4f", d);
    QVERIFY2(d < 0.01, qPrintable(QString::number(d)));
    // With too little overlap the seams show: the comparison can fail.
    po.overlap = 0;
    Predictor(m_model, po).predictNormalised(norm.data(), w, h, tiled.data());
    const double seams = maxDiff(whole.data(), tiled.data(), whole.size());
    qInfo("tile 384, no overlap: max |tiled - whole| = %.4f", seams);
    QVERIFY(seams > 0.05);
    // A tile as large as the (padded) slice is the whole slice; sizes off the 32 grid work too.
    const int w2 = 200, h2 = 168;
    normaliseSlice(m_images, 1, norm.data());
    m_model.predict(norm.data(), 1, h2, w2, whole.data());
    po.tile = 256;
    po.overlap = 64;
    Predictor(m_model, po).predictNormalised(norm.data(), w2, h2, tiled.data());
    QVERIFY(maxDiff(whole.data(), tiled.data(), std::size_t(w2 * h2)) < 1e-6);
  }

  void autoTilesPassSeamToleranceAndMatchWholeSlice() {
    const auto big = mltest::crackVolume(768, 640, 1, 12, 12).first;
    const int w = 768, h = 640;
    std::vector<float> norm(std::size_t(w * h)), whole(norm.size()), tiled(norm.size());
    normaliseSlice(big, 0, norm.data());
    m_model.predict(norm.data(), 1, h, w, whole.data());
    clearTileCache();
    const QString cache = QDir::tempPath() + "/cdnet_test_tiles_" + QString::number(QCoreApplication::applicationPid()) + ".tsv";
    QFile::remove(cache);
    PredictOptions po;
    po.tile = kAutoTile;
    po.overlap = 0; // ignored with auto tiles
    po.precision = Precision::Fp32;
    po.skipEmptyTiles = false;
    // Tiles smaller than the slice, and no overlap, which leaves seams (9 tiles per slice against
    // 20 with overlap 128: tried first, and it must be rejected).
    po.tileTuning.tiles = {256};
    po.tileTuning.overlaps = {0, 128};
    po.tileTuning.cacheFile = cache.toStdString();
    po.tileTuning.budgetSeconds = 600; // a loaded machine must not fall back to the default
    Predictor p(m_model, po);
    p.predictNormalised(norm.data(), w, h, tiled.data());
    const TileChoice* c = p.tileChoice();
    QVERIFY(c);
    qInfo("%s", c->describe().c_str());
    for (const auto& t : c->tried)
      qInfo("  tile %d overlap %d: %lld tiles, %.3f s per slice, seam error %.4f", t.tile, t.overlap,
            static_cast<long long>(t.tilesPerSlice), t.secondsPerSlice, t.seamError);
    QVERIFY(!c->fallback && !c->fromCache);
    QCOMPARE(p.options().tile, c->tile);
    QCOMPARE(p.options().overlap, c->overlap);
    QVERIFY2(c->seamError >= 0 && c->seamError <= po.tileTuning.seamTolerance, qPrintable(QString::number(c->seamError)));
    // The check did reject something: a cheaper candidate showed seams.
    QVERIFY(std::any_of(c->tried.begin(), c->tried.end(),
                        [&](const TileCandidate& t) { return t.seamError > po.tileTuning.seamTolerance; }));
    // The chosen configuration tiles the slice (not one tile) and its output over the whole slice
    // stays within the tolerance of whole-slice prediction.
    QVERIFY(Predictor::tilesPerSlice(w, h, c->tile, c->overlap) > 1);
    const double d = maxDiff(whole.data(), tiled.data(), whole.size());
    qInfo("auto tiles %d / %d: max |tiled - whole| = %.4f", c->tile, c->overlap, d);
    QVERIFY2(d <= po.tileTuning.seamTolerance, qPrintable(QString::number(d)));
    // Remembered: in memory, then from the file after the memory cache is gone.
    Predictor again(m_model, po);
    again.predictNormalised(norm.data(), w, h, tiled.data());
    QVERIFY(again.tileChoice() && again.tileChoice()->fromCache);
    QCOMPARE(again.options().tile, c->tile);
    QCOMPARE(again.options().overlap, c->overlap);
    clearTileCache();
    Predictor fromFile(m_model, po);
    fromFile.predictNormalised(norm.data(), w, h, tiled.data());
    QVERIFY(fromFile.tileChoice() && fromFile.tileChoice()->fromCache);
    QCOMPARE(fromFile.options().tile, c->tile);
    QCOMPARE(fromFile.options().overlap, c->overlap);
    clearTileCache();
    QFile::remove(cache);
  }

  void volumeAndSlabsAgree() {
    PredictOptions po;
    po.tile = 96;
    po.overlap = 48;
    Predictor p(m_model, po);
    const Volume all = p.predict(m_images, 0, 3);
    QCOMPARE(all.size(), m_images.size());
    QCOMPARE(all.type(), VoxelType::Float32);
    // Slab-wise with slabs of one slice, through reader and writers.
    po.slabBytes = 1; // one slice per slab
    Predictor slabs(m_model, po);
    MemoryReader reader(m_images);
    core::volume::VolumeInfo info = m_images.info();
    info.size.z = 2;
    info.type = VoxelType::UInt8;
    MemoryWriter probWriter(info), maskWriter(info);
    const std::int64_t n = 200 * 168;
    const float* p1 = all.as<float>() + n; // slice 1 of the in-memory result = slice 0 of the outputs
    double mean = 0;
    for (std::int64_t i = 0; i < 2 * n; ++i) mean += p1[i] / double(2 * n);
    PredictOutputs out;
    out.probability = &probWriter;
    out.probabilityType = VoxelType::UInt8;
    out.mask = &maskWriter;
    out.threshold = mean;
    slabs.predict(reader, 1, 3, out);
    QCOMPARE(reader.reads, 2);
    QCOMPARE(reader.maxSlab, std::int64_t(1));
    std::int64_t masked = 0;
    for (std::int64_t i = 0; i < 2 * n; ++i) {
      const float pf = p1[i];
      QVERIFY(std::abs(probWriter.volume.as<std::uint8_t>()[i] - pf * 255.0f) <= 0.5f + 1e-3f);
      QCOMPARE(maskWriter.volume.as<std::uint8_t>()[i], std::uint8_t(pf >= mean ? 255 : 0));
      masked += pf >= mean;
    }
    QVERIFY(masked > 0 && masked < 2 * n);
  }

  void cancelStopsWithinOneTile() {
    PredictOptions po;
    po.tile = 64;
    po.overlap = 16;
    po.batch = 1;
    Predictor p(m_model, po);
    core::jobs::CancelToken token;
    CancelAfter sink(token, 3);
    bool cancelled = false;
    try {
      p.predict(m_images, 0, 3, sink, token);
    } catch (const core::jobs::Cancelled&) {
      cancelled = true;
    }
    QVERIFY(cancelled);
    QCOMPARE(sink.reports, 3); // no tile ran after the one that saw the cancel
  }

  void outOfMemoryShrinksBatchThenTiles() {
    const int w = 200, h = 168;
    std::vector<float> norm(std::size_t(w * h)), ref(norm.size()), out(norm.size());
    normaliseSlice(m_images, 0, norm.data());
    PredictOptions po;
    PredictOptions direct;
    direct.tile = 64;
    direct.overlap = 32;
    direct.batch = 1;
    Predictor(m_model, direct).predictNormalised(norm.data(), w, h, ref.data());
    po.tile = 128;
    po.overlap = 64;
    po.batch = 4;
    po.simulatedDevicePixels = 64 * 64; // a "GPU" that fits one 64 x 64 tile
    Predictor small(m_model, po);
    small.predictNormalised(norm.data(), w, h, out.data());
    QCOMPARE(small.options().batch, 1);
    QCOMPARE(small.options().tile, 64);
    QVERIFY(small.options().overlap <= 32);
    const double d = maxDiff(ref.data(), out.data(), ref.size());
    QVERIFY2(d == 0.0, qPrintable(QString::number(d))); // exactly what 64-pixel tiles give
    po.simulatedDevicePixels = 100;
    QVERIFY(errorOf([&] { Predictor(m_model, po).predictNormalised(norm.data(), w, h, out.data()); }).contains("memory"));
  }

  void sliceRanges() {
    std::int64_t a = 0, b = 0;
    parseSliceRange("2:5", 10, a, b);
    QCOMPARE(a, std::int64_t(2));
    QCOMPARE(b, std::int64_t(5));
    parseSliceRange(":", 10, a, b);
    QCOMPARE(b - a, std::int64_t(10));
    parseSliceRange("7", 10, a, b);
    QCOMPARE(b, std::int64_t(8));
    parseSliceRange("-2:", 10, a, b);
    QCOMPARE(a, std::int64_t(8));
    QVERIFY(errorOf([&] { parseSliceRange("5:5", 10, a, b); }).contains("empty"));
    QVERIFY(errorOf([&] { parseSliceRange("5:2", 10, a, b); }).contains("empty"));
    QVERIFY(errorOf([&] { parseSliceRange("3:20", 10, a, b); }).contains("outside"));
    QVERIFY(errorOf([&] { parseSliceRange("x:2", 10, a, b); }).contains("A:B"));
    Predictor p(m_model);
    QVERIFY(errorOf([&] { p.predict(m_images, 2, 2); }).contains("empty"));
  }

  void badOptions() {
    PredictOptions po;
    po.tile = 128;
    po.overlap = 100;
    QVERIFY(errorOf([&] { Predictor(m_model, po); }).contains("overlap"));
    po.overlap = 16;
    po.tile = 16;
    QVERIFY(errorOf([&] { Predictor(m_model, po); }).contains("tile"));
  }
};

QTEST_GUILESS_MAIN(TestMlPredictor)
#include "test_ml_predictor.moc"
