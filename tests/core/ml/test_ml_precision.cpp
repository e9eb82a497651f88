// Precision of prediction and empty tiles (issue 21): bf16 stays within 0.02 of fp32 with the
// starter model on a realistic phantom slice; fp32 is exactly the plain forward pass; bf16 is
// refused on a CPU without AVX512_BF16 / AMX-BF16 (detection forced through the test hook or
// CDNET_CPU_BF16=0, so the branch runs on every CPU); tiles with no solid phase are skipped
// without changing the prediction on the phantom's particles.
#include "MlTestData.h"
#include "ModelTestUtil.h"
#include "support/RunCdnet.h"
#include "core/ml/Model.h"
#include "core/ml/Precision.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingData.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace core::ml;
using mltest::ForcedBf16;
using mltest::maxDiff;
using core::volume::Volume;
using core::volume::VoxelType;

class TestMlPrecision : public QObject {
  Q_OBJECT
  Model m_starter;
  core::phantom::Phantom m_phantom;
  std::vector<float> m_slice; // normalised middle slice of the phantom
  int m_n = 256;
  QTemporaryDir m_dir;

  std::vector<float> run(Precision p, const std::vector<float>& img, int w, int h, PredictOptions po = {},
                         Predictor** keep = nullptr) {
    po.precision = p;
    static std::unique_ptr<Predictor> last;
    last = std::make_unique<Predictor>(m_starter, po);
    std::vector<float> out(std::size_t(w) * std::size_t(h));
    last->predictNormalised(img.data(), w, h, out.data());
    if (keep) *keep = last.get();
    return out;
  }

private Q_SLOTS:
  void initTestCase() {
    m_starter = Model::load(CDNET_SOURCE_DIR "/models/starter-b16.pt", {DeviceRequest::Cpu});
    core::phantom::PhantomOptions po;
    po.size = {m_n, m_n, 3};
    po.seed = 21;
    m_phantom = core::phantom::generatePhantom(po);
    m_slice.resize(std::size_t(m_n) * std::size_t(m_n));
    normaliseSlice(m_phantom.image, 1, m_slice.data());
  }

  void bf16WithinTwoHundredthsOfFp32() {
    // The hook only says what the CPU offers; the bf16 kernels run on any x86-64 CPU (natively
    // with AVX512_BF16, emulated without), so this comparison runs everywhere.
    ForcedBf16 has(true);
    Predictor* p = nullptr;
    const auto fp32 = run(Precision::Fp32, m_slice, m_n, m_n);
    const auto bf16 = run(Precision::Bf16, m_slice, m_n, m_n, {}, &p);
    QCOMPARE(p->precision(), Precision::Bf16);
    const auto autoP = run(Precision::Auto, m_slice, m_n, m_n, {}, &p);
    QCOMPARE(p->precision(), Precision::Bf16);
    const double d = maxDiff(fp32, bf16);
    qInfo("starter model, phantom slice %d x %d: max |bf16 - fp32| = %.4f", m_n, m_n, d);
    QVERIFY2(d < 0.02, qPrintable(QString::number(d)));
    QVERIFY2(d > 0, "bf16 gave exactly the fp32 output: the bf16 path did not run");
    QCOMPARE(maxDiff(autoP, bf16), 0.0);
  }

  void fp32IsThePlainForwardPass() {
    // One tile covering the slice: fp32 prediction is Model::predict's fp32 output, bit for bit.
    PredictOptions po;
    po.skipEmptyTiles = false;
    const auto tiled = run(Precision::Fp32, m_slice, m_n, m_n, po);
    std::vector<float> plain(tiled.size());
    m_starter.predict(m_slice.data(), 1, m_n, m_n, plain.data());
    QVERIFY(std::memcmp(tiled.data(), plain.data(), sizeof(float) * plain.size()) == 0);
  }

  void bf16RefusedWithoutCpuSupport() {
    ForcedBf16 none(false);
    try {
      PredictOptions po;
      po.precision = Precision::Bf16;
      Predictor p(m_starter, po);
      QFAIL("bf16 was accepted on a CPU without bf16 instructions");
    } catch (const std::runtime_error& e) {
      const QString what = e.what();
      QVERIFY2(what.contains("bf16") && what.contains("AVX512_BF16") && what.contains("fp32"), e.what());
    }
    Predictor* p = nullptr;
    const auto autoP = run(Precision::Auto, m_slice, m_n, m_n, {}, &p);
    QCOMPARE(p->precision(), Precision::Fp32);
    QCOMPARE(maxDiff(autoP, run(Precision::Fp32, m_slice, m_n, m_n)), 0.0);
    QCOMPARE(resolvePrecision(Precision::Bf16, /*onGpu=*/true), Precision::Bf16);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parsePrecision("fp16"));
  }

  void emptyBorderSkippedAndSolidUnchanged() {
    // The phantom slice in the middle of a 3x larger canvas of grey value 0 (outside the sample).
    const int n = m_n, big = 3 * n;
    Volume canvas({big, big, 1}, VoxelType::UInt16);
    std::fill(canvas.as<std::uint16_t>(), canvas.as<std::uint16_t>() + canvas.voxelCount(), std::uint16_t(0));
    const auto* src = reinterpret_cast<const std::uint16_t*>(m_phantom.image.slicePtr(1));
    for (int y = 0; y < n; ++y)
      std::memcpy(canvas.as<std::uint16_t>() + std::size_t(y + n) * big + n, src + std::size_t(y) * n, 2 * std::size_t(n));
    std::vector<float> img(std::size_t(big) * big);
    normaliseSlice(canvas, 0, img.data());
    PredictOptions po;
    po.tile = 256;
    po.overlap = 96;
    po.skipEmptyTiles = false;
    Predictor* p = nullptr;
    const auto all = run(Precision::Fp32, img, big, big, po, &p);
    const std::int64_t allTiles = p->tilesRun();
    po.skipEmptyTiles = true;
    const auto skip = run(Precision::Fp32, img, big, big, po, &p);
    qInfo("%d x %d canvas: %lld tiles without skipping, %lld run and %lld skipped with it", big, big,
          static_cast<long long>(allTiles), static_cast<long long>(p->tilesRun()), static_cast<long long>(p->tilesSkipped()));
    QCOMPARE(p->tilesRun() + p->tilesSkipped(), allTiles);
    QVERIFY(p->tilesSkipped() >= allTiles / 3);
    // The same on every particle pixel, 0 where only empty tiles reach. (Next to the sample the
    // network sees the cut edge as a gap, with or without skipping: not asserted.)
    const auto* particles = reinterpret_cast<const std::uint32_t*>(m_phantom.particles.slicePtr(1));
    double solid = 0, inside = 0, border = 0, farBorder = 0, farBorderAll = 0;
    for (int y = 0; y < big; ++y)
      for (int x = 0; x < big; ++x) {
        const std::size_t i = std::size_t(y) * big + x;
        const double d = std::fabs(all[i] - skip[i]);
        const bool in = x >= n && x < 2 * n && y >= n && y < 2 * n;
        if (in) {
          inside = std::max(inside, d);
          if (particles[std::size_t(y - n) * n + (x - n)] != 0) solid = std::max(solid, d);
        } else {
          border = std::max(border, double(skip[i]));
          // Tiles of 256 at stride 160 start at 0, 160, 320, 480, 512: those at 160, 320 and 480
          // touch the sample and cover [160, 736); the rest of the border lies in empty tiles only.
          if (x < 160 || x >= 736 || y < 160 || y >= 736) {
            farBorder = std::max(farBorder, double(skip[i]));
            farBorderAll = std::max(farBorderAll, double(all[i]));
          }
        }
      }
    qInfo("max |skip - all|: %.2g on particles, %.2g inside the sample; max p in the border %.3g, in the empty tiles' "
          "part %.3g (%.3g when they run)",
          solid, inside, border, farBorder, farBorderAll);
    QVERIFY2(solid < 1e-6, qPrintable(QString::number(solid)));
    QVERIFY2(inside < 0.01, qPrintable(QString::number(inside)));
    QCOMPARE(farBorder, 0.0);
  }

  void bf16TrainingStepsFollowFp32() {
    // The same short run (same seed, same crops) with fp32 and with bf16 steps: the losses agree
    // to a few percent, but not exactly (the bf16 steps did run).
    ForcedBf16 has(true);
    auto [img, lab] = mltest::crackVolume(64, 64, 2, 3);
    auto losses = [&](Precision p) {
      TrainOptions o;
      o.model = ModelOptions::paper(8);
      o.epochs = 1;
      o.iterationsPerEpoch = 12;
      o.batch = 2;
      o.crop = 64;
      o.valFraction = 0;
      o.learningRate = 2e-3;
      o.device = DeviceRequest::Cpu;
      o.precision = p;
      std::vector<double> l;
      TrainCallbacks cb;
      cb.onIteration = [&](const IterationMetrics& m) { l.push_back(m.loss); };
      const TrainResult r = Trainer(o, cb).run(TrainingData::fromVolumes(img, lab, {}));
      return std::make_pair(l, r.device);
    };
    const auto [fp32, d32] = losses(Precision::Fp32);
    const auto [bf16, d16] = losses(Precision::Bf16);
    QVERIFY2(QString::fromStdString(d16).contains("bf16") && !QString::fromStdString(d32).contains("bf16"), d16.c_str());
    QCOMPARE(fp32.size(), bf16.size());
    double rel = 0, sum32 = 0, sum16 = 0;
    for (std::size_t i = 0; i < fp32.size(); ++i) {
      rel = std::max(rel, std::fabs(bf16[i] - fp32[i]) / fp32[i]);
      sum32 += fp32[i];
      sum16 += bf16[i];
    }
    const double meanRel = std::fabs(sum16 - sum32) / sum32;
    qInfo("12 steps: loss %.4f -> %.4f (fp32), %.4f -> %.4f (bf16); relative difference of the mean %.4f, of one "
          "step at most %.4f",
          fp32.front(), fp32.back(), bf16.front(), bf16.back(), meanRel, rel);
    QVERIFY2(meanRel < 0.03, qPrintable(QString::number(meanRel)));
    QVERIFY2(rel < 0.15, qPrintable(QString::number(rel)));
    QVERIFY(rel > 0);
    ForcedBf16 none(false);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, losses(Precision::Bf16));
  }

  void cliRefusesBf16WithoutCpuSupport() {
    QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first");
    const QString in = m_dir.filePath("slice.nrrd"), out = m_dir.filePath("prob.nrrd");
    Volume one({m_n, m_n, 1}, m_phantom.image.type());
    std::memcpy(one.data(), m_phantom.image.slicePtr(1), std::size_t(m_phantom.image.info().sliceBytes()));
    core::volume::writeVolume(one, in.toStdString());
    const QStringList args{"predict", "--model", CDNET_SOURCE_DIR "/models/starter-b16.pt", "--input", in,
                           "--out", out, "--threads", "2"};
    const auto r = testsupport::runCdnet(args + QStringList{"--precision", "bf16"}, {{"CDNET_CPU_BF16", "0"}});
    QVERIFY(testsupport::failsWith(r, {"bf16", "AVX512_BF16", "fp32"}));
    QVERIFY2(!QFile::exists(out), "a refused prediction left an output file");
    // fp32 on the command line is the in-process fp32 prediction.
    const auto ok = testsupport::runCdnet(args + QStringList{"--precision", "fp32"}, {{"CDNET_CPU_BF16", "0"}});
    QVERIFY2(ok.code == 0, qPrintable(ok.err));
    QVERIFY2(ok.out.contains("fp32"), qPrintable(ok.out));
    const Volume prob = core::volume::readVolume(out.toStdString());
    const std::vector<float> cli(prob.as<float>(), prob.as<float>() + prob.voxelCount());
    QVERIFY(maxDiff(cli, run(Precision::Fp32, m_slice, m_n, m_n)) < 1e-6);
  }
};

QTEST_GUILESS_MAIN(TestMlPrecision)
#include "test_ml_precision.moc"
