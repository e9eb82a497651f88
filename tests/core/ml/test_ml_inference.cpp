// Prediction-time options and 2.5D input: test-time augmentation (the 8 flips and rotations),
// tri-planar fusion, and models that see neighbour slices (training, volume and slab-wise
// prediction, checkpoints, TorchScript export, volumes too thin for the context).
#include "MemoryVolumeIO.h"
#include "MlTestData.h"
#include "ModelTestUtil.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingData.h"

#include <QtTest>
#include <cmath>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;
using mltest::errorOf;

namespace {

// A plane of h x w floats rotated by 90 degrees counter-clockwise r times, then mirrored left to
// right when \p mirror; written independently of the Predictor's own index arithmetic.
std::vector<float> orient(const std::vector<float>& src, int h, int w, int r, bool mirror, int& oh, int& ow) {
  std::vector<float> cur = src;
  int ch = h, cw = w;
  for (int k = 0; k < r; ++k) { // (y, x) -> (cw - 1 - x, y) in a cw x ch plane
    std::vector<float> next(cur.size());
    for (int y = 0; y < ch; ++y)
      for (int x = 0; x < cw; ++x) next[std::size_t(cw - 1 - x) * ch + y] = cur[std::size_t(y) * cw + x];
    cur.swap(next);
    std::swap(ch, cw);
  }
  if (mirror)
    for (int y = 0; y < ch; ++y) std::reverse(cur.begin() + std::ptrdiff_t(y) * cw, cur.begin() + std::ptrdiff_t(y + 1) * cw);
  oh = ch;
  ow = cw;
  return cur;
}

// The inverse of orient(r, mirror) on a plane of h x w (the oriented size).
std::vector<float> unorient(const std::vector<float>& src, int h, int w, int r, bool mirror) {
  std::vector<float> cur = src;
  int oh = 0, ow = 0;
  if (mirror)
    for (int y = 0; y < h; ++y) std::reverse(cur.begin() + std::ptrdiff_t(y) * w, cur.begin() + std::ptrdiff_t(y + 1) * w);
  return orient(cur, h, w, (4 - r) % 4, false, oh, ow);
}

Model trainBriefly(int contextSlices, const std::string& outDir) {
  auto [img, lab] = mltest::crackVolume(64, 64, 5, 3);
  TrainOptions o;
  o.model = ModelOptions::paper(4);
  o.model.contextSlices = contextSlices;
  o.epochs = 1;
  o.iterationsPerEpoch = 12;
  o.batch = 2;
  o.crop = 64;
  o.valFraction = 0;
  o.learningRate = 3e-3;
  o.device = DeviceRequest::Cpu;
  o.outDir = outDir;
  Trainer(o).run(TrainingData::fromVolumes(img, lab, {}, "img", "lab", contextSlices));
  return Model::load(outDir, {DeviceRequest::Cpu});
}

std::vector<float> sliceOf(const Volume& v, std::int64_t z) {
  const std::size_t n = std::size_t(v.size().x * v.size().y);
  return std::vector<float>(v.as<float>() + n * std::size_t(z), v.as<float>() + n * std::size_t(z + 1));
}

} // namespace

class TestMlInference : public QObject {
  Q_OBJECT
  QString m_dir;
  Model m_flat, m_context; // 2D, and 2.5D with one neighbour on each side

private Q_SLOTS:
  void initTestCase() {
    m_dir = QDir::tempPath() + "/cdnet_test_inference_" + QString::number(QCoreApplication::applicationPid());
    m_flat = trainBriefly(0, (m_dir + "/flat").toStdString());
    m_context = trainBriefly(1, (m_dir + "/context").toStdString());
  }
  void cleanupTestCase() { QDir(m_dir).removeRecursively(); }

  void ttaEqualsMeanOfEightTransformedPredictions() {
    const int h = 64, w = 96; // not square: rotations swap the sides
    const auto img = mltest::randomImage(h * w, 5);
    PredictOptions plainOptions;
    Predictor plain(m_flat, plainOptions);
    std::vector<float> expected(img.size(), 0.0f), once(img.size());
    for (int r = 0; r < 4; ++r)
      for (bool mirror : {false, true}) {
        int oh = 0, ow = 0;
        const auto t = orient(img, h, w, r, mirror, oh, ow);
        std::vector<float> p(t.size());
        plain.predictNormalised(t.data(), ow, oh, p.data());
        const auto back = unorient(p, oh, ow, r, mirror);
        for (std::size_t i = 0; i < back.size(); ++i) expected[i] += back[i] / 8.0f;
      }
    plain.predictNormalised(img.data(), w, h, once.data());
    PredictOptions ttaOptions;
    ttaOptions.tta = true;
    std::vector<float> tta(img.size());
    Predictor(m_flat, ttaOptions).predictNormalised(img.data(), w, h, tta.data());
    const double d = mltest::maxDiff(tta, expected), plainDiff = mltest::maxDiff(once, expected);
    qInfo("max |tta - mean of 8| = %.2e; |plain - mean of 8| = %.2e", d, plainDiff);
    QVERIFY2(d < 1e-5, qPrintable(QString::number(d)));
    QVERIFY2(plainDiff > 1e-3, "the model is orientation invariant already: the test could not fail");
  }

  void ttaIsInvariantUnderFlips() {
    const int h = 64, w = 96;
    const auto img = mltest::randomImage(h * w, 6);
    for (bool tta : {true, false}) {
      PredictOptions po;
      po.tta = tta;
      Predictor p(m_flat, po);
      std::vector<float> a(img.size()), b(img.size());
      p.predictNormalised(img.data(), w, h, a.data());
      double worst = 0;
      for (int r : {0, 2}) // mirrored left-right, and mirrored top-bottom (rotated 180 and mirrored)
      {
        int oh = 0, ow = 0;
        const auto flipped = orient(img, h, w, r, true, oh, ow);
        p.predictNormalised(flipped.data(), ow, oh, b.data());
        worst = std::max(worst, mltest::maxDiff(unorient(b, oh, ow, r, true), a));
      }
      qInfo("tta %d: max |f^-1(P(f(x))) - P(x)| over flips = %.2e", int(tta), worst);
      if (tta)
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
      else
        QVERIFY2(worst > 1e-3, "plain prediction is flip invariant already: the test could not fail");
    }
  }

  void contextModelTrainsAndPredictsVolume() {
    QCOMPARE(m_context.options().contextSlices, 1);
    QCOMPARE(m_context.options().channels(), 3);
    const std::string ckpt = resolveModelPath((m_dir + "/context").toStdString());
    QCOMPARE(readCheckpointInfo(ckpt).model.contextSlices, 1); // checkpoint round-trip keeps k
    Volume vol = mltest::crackVolume(80, 72, 5, 11, 5).first;
    const Volume p = Predictor(m_context).predict(vol, 0, 5);
    QCOMPARE(p.size(), vol.size());
    for (std::int64_t i = 0; i < p.voxelCount(); ++i)
      QVERIFY(std::isfinite(p.as<float>()[i]) && p.as<float>()[i] >= 0 && p.as<float>()[i] <= 1);
    // The neighbours are fed: changing slice 3 changes the prediction of slice 2 (not of slice 0).
    const auto before2 = sliceOf(p, 2), before0 = sliceOf(p, 0);
    std::uint16_t* s3 = vol.as<std::uint16_t>() + 3 * 80 * 72;
    for (int i = 0; i < 80 * 72; ++i) s3[i] = std::uint16_t(2000 - s3[i]);
    const Volume q = Predictor(m_context).predict(vol, 0, 5);
    QVERIFY(mltest::maxDiff(sliceOf(q, 2), before2) > 1e-4);
    QVERIFY(mltest::maxDiff(sliceOf(q, 0), before0) < 1e-7);
    // The first slice's missing neighbour is the mirrored slice 1: slice 0 of a volume equals
    // the prediction from an explicit (1, 0, 1) stack.
    std::vector<float> stack(3 * 80 * 72), direct(80 * 72);
    normaliseSlice(vol, 1, stack.data());
    normaliseSlice(vol, 0, stack.data() + 80 * 72);
    normaliseSlice(vol, 1, stack.data() + 2 * 80 * 72);
    Predictor(m_context).predictNormalised(stack.data(), 80, 72, direct.data());
    QVERIFY(mltest::maxDiff(direct, sliceOf(q, 0)) < 1e-6);
  }

  void contextSlabsEqualInMemory() {
    const Volume vol = mltest::crackVolume(70, 64, 7, 12, 4).first;
    PredictOptions po;
    const Volume whole = Predictor(m_context, po).predict(vol, 1, 7);
    po.slabBytes = 1; // one slice per slab, each read with its halo
    mltest::MemoryReader reader(vol);
    core::volume::VolumeInfo info = vol.info();
    info.size.z = 6;
    info.type = VoxelType::Float32;
    mltest::MemoryWriter writer(info);
    PredictOutputs out;
    out.probability = &writer;
    Predictor(m_context, po).predict(reader, 1, 7, out);
    QCOMPARE(reader.reads, 6);
    QCOMPARE(reader.maxSlab, std::int64_t(3)); // the slice and one neighbour on each side
    const std::vector<float> a(whole.as<float>(), whole.as<float>() + whole.voxelCount());
    const std::vector<float> b(writer.volume.as<float>(), writer.volume.as<float>() + writer.volume.voxelCount());
    QVERIFY2(mltest::maxDiff(a, b) < 1e-6, qPrintable(QString::number(mltest::maxDiff(a, b))));
  }

  void thinVolumeIsAClearError() {
    auto [img, lab] = mltest::crackVolume(64, 64, 1, 4);
    QString e = errorOf([&] { TrainingData::fromVolumes(img, lab, {}, "single.tif", "lab.tif", 1); });
    QVERIFY2(e.contains("single.tif") && e.contains("too thin"), qPrintable(e));
    e = errorOf([&] { Predictor(m_context).predict(img, 0, 1); });
    QVERIFY2(e.contains("too thin"), qPrintable(e));
    mltest::MemoryReader reader(img, "thin.nrrd");
    core::volume::VolumeInfo info = img.info();
    info.type = VoxelType::Float32;
    mltest::MemoryWriter writer(info);
    PredictOutputs out;
    out.probability = &writer;
    e = errorOf([&] { Predictor(m_context).predict(reader, 0, 1, out); });
    QVERIFY2(e.contains("thin.nrrd") && e.contains("too thin"), qPrintable(e));
    // A 2D model still predicts a single image, and 2D data still trains a 2D model only.
    QCOMPARE(Predictor(m_flat).predict(img, 0, 1).size(), img.size());
    TrainOptions o;
    o.model = ModelOptions::paper(4);
    o.model.contextSlices = 1;
    o.epochs = 1;
    o.iterationsPerEpoch = 1;
    o.device = DeviceRequest::Cpu;
    e = errorOf([&] { Trainer(o).run(TrainingData::fromVolumes(img, lab, {})); });
    QVERIFY2(e.contains("channel"), qPrintable(e));
  }

  void exportKeepsContext() {
    const std::string path = (m_dir + "/context.script.pt").toStdString();
    m_context.exportTorchScript(path);
    const Model script = Model::load(path, {DeviceRequest::Cpu});
    QCOMPARE(script.kind(), ModelKind::TorchScript);
    QCOMPARE(script.options().contextSlices, 1);
    const auto in = mltest::randomImage(3 * 40 * 36, 8);
    std::vector<float> a(40 * 36), b(40 * 36);
    m_context.predict(in.data(), 1, 40, 36, a.data());
    script.predict(in.data(), 1, 40, 36, b.data());
    QVERIFY(mltest::maxDiff(a, b) < 1e-5);
    // The exported model predicts volumes like the checkpoint.
    const Volume vol = mltest::crackVolume(48, 40, 4, 13).first;
    PredictOptions fp32; // a TorchScript model runs fp32 on "auto"; the checkpoint would run bf16 where the CPU has it
    fp32.precision = Precision::Fp32;
    const Volume p = Predictor(m_context, fp32).predict(vol, 0, 4), q = Predictor(script).predict(vol, 0, 4);
    const std::vector<float> pa(p.as<float>(), p.as<float>() + p.voxelCount());
    const std::vector<float> qa(q.as<float>(), q.as<float>() + q.voxelCount());
    QVERIFY(mltest::maxDiff(pa, qa) < 1e-5);
  }

  void triPlanarIsMeanOfThreeOrientations() {
    const std::int64_t nx = 40, ny = 36, nz = 33; // isotropic spacing, three different sides
    const Volume vol = mltest::crackVolume(int(nx), int(ny), int(nz), 21, 3).first;
    // fp32: bf16 results depend slightly on the batch (the fused planes run in larger batches).
    PredictOptions fp32;
    fp32.precision = Precision::Fp32;
    for (const Model* model : {&m_flat, &m_context}) {
      Predictor plain(*model, fp32);
      const Volume xy = plain.predict(vol, 0, nz);
      // XZ: plane y, rows z, columns x. YZ: plane x, rows z, columns y. Both with 16 mirrored rows
      // beyond each end of z (row m - 1 is z = 1, as at any mirrored border).
      const std::int64_t m = 16, rows = nz + 2 * m;
      Volume xz({nx, rows, ny}, VoxelType::UInt16), yz({ny, rows, nx}, VoxelType::UInt16);
      for (std::int64_t row = 0; row < rows; ++row)
        for (std::int64_t y = 0; y < ny; ++y)
          for (std::int64_t x = 0; x < nx; ++x) {
            const std::int64_t z = row < m ? m - row : (row >= m + nz ? 2 * (nz - 1) - (row - m) : row - m);
            const double v = vol.valueAt(x, y, z);
            xz.setValueAt(x, row, y, v);
            yz.setValueAt(y, row, x, v);
          }
      const Volume pxz = plain.predict(xz, 0, ny), pyz = plain.predict(yz, 0, nx);
      PredictOptions po = fp32;
      po.triPlanar = true;
      const Volume fused = Predictor(*model, po).predict(vol, 0, nz);
      QCOMPARE(fused.size(), vol.size());
      double worst = 0, fromXy = 0;
      for (std::int64_t z = 0; z < nz; ++z)
        for (std::int64_t y = 0; y < ny; ++y)
          for (std::int64_t x = 0; x < nx; ++x) {
            const double mean = (xy.valueAt(x, y, z) + pxz.valueAt(x, z + m, y) + pyz.valueAt(y, z + m, x)) / 3.0;
            worst = std::max(worst, std::abs(fused.valueAt(x, y, z) - mean));
            fromXy = std::max(fromXy, std::abs(fused.valueAt(x, y, z) - xy.valueAt(x, y, z)));
          }
      qInfo("context %d: max |fused - mean of 3| = %.2e, |fused - xy| = %.2e", model->options().contextSlices, worst,
            fromXy);
      QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
      QVERIFY(fromXy > 1e-3);
    }
  }

  void triPlanarSlabPathMatchesAndRespectsBudget() {
    const Volume vol = mltest::crackVolume(40, 36, 12, 22).first;
    PredictOptions po;
    po.triPlanar = true;
    const Volume whole = Predictor(m_flat, po).predict(vol, 2, 10);
    mltest::MemoryReader reader(vol, "big.tif");
    core::volume::VolumeInfo info = vol.info();
    info.size.z = 8;
    info.type = VoxelType::Float32;
    mltest::MemoryWriter writer(info);
    PredictOutputs out;
    out.probability = &writer;
    Predictor(m_flat, po).predict(reader, 2, 10, out);
    QCOMPARE(reader.reads, 1);
    const std::vector<float> a(whole.as<float>(), whole.as<float>() + whole.voxelCount());
    const std::vector<float> b(writer.volume.as<float>(), writer.volume.as<float>() + writer.volume.voxelCount());
    QVERIFY(mltest::maxDiff(a, b) < 1e-6);
    po.slabBytes = 40 * 36 * 4; // far less than 8 slices
    mltest::MemoryWriter unused(info);
    out.probability = &unused;
    const QString e = errorOf([&] { Predictor(m_flat, po).predict(reader, 2, 10, out); });
    QVERIFY2(e.contains("tri-planar") && e.contains("memory budget"), qPrintable(e));
  }
};

QTEST_GUILESS_MAIN(TestMlInference)
#include "test_ml_inference.moc"
