// The fused fp32 CPU path (issue 21, detail/FusedUNet.h): it equals the eager LibTorch forward
// pass within 1e-4 on random weights and biases, odd slice sizes, 1 and 3 (2.5D) channels and a
// batch of two; it follows changed weights; the predictor runs it for precision auto on a CPU
// without bf16 (its pass counter moves) and not when it is switched off. Its Winograd variant
// (detail/WinoUNet.h, where built) equals eager fp32 within 1e-4 on the same inputs, really runs
// (pass counter; Winograd layers on an AVX-512 CPU) and follows changed weights.
#include <torch/torch.h> // before Qt (Qt's keywords clash with Torch)

#include "ModelTestUtil.h"
#include "core/ml/Model.h"
#include "core/ml/Precision.h"
#include "core/ml/Predictor.h"
#include "core/ml/detail/ModelImpl.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

using namespace core::ml;
using mltest::ForcedBf16;

namespace {

struct Spread {
  double maxDiff = 0, lo = 1, hi = 0;
};

Spread compare(const std::vector<float>& fused, const std::vector<float>& eager) {
  Spread s;
  for (std::size_t i = 0; i < fused.size(); ++i) {
    s.maxDiff = std::max(s.maxDiff, double(std::fabs(fused[i] - eager[i])));
    s.lo = std::min(s.lo, double(eager[i]));
    s.hi = std::max(s.hi, double(eager[i]));
  }
  return s;
}

// Every weight and bias random (the network's own initialisation leaves the biases at zero, which
// would hide a bias applied wrongly), scaled so that the output is not saturated.
void randomise(Model& model, std::uint64_t seed) {
  torch::NoGradGuard noGrad;
  torch::manual_seed(seed);
  for (auto& p : model.impl().net->named_parameters()) {
    auto& v = p.value();
    const double fanIn = v.dim() == 4 ? double(v.size(1) * v.size(2) * v.size(3)) : 1.0;
    if (v.dim() == 4) v.normal_(0.0, std::sqrt(2.0 / fanIn));
    else v.uniform_(-0.2, 0.2);
  }
}

std::vector<float> randomImages(int n, int channels, int h, int w, unsigned seed) {
  std::vector<float> x(std::size_t(n) * channels * h * w);
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd;
  for (auto& v : x) v = nd(rng);
  return x;
}

std::vector<float> predict(Model& model, bool fused, const std::vector<float>& x, int n, int h, int w) {
  model.setFusedFp32(fused);
  model.setWinogradFp32(false); // the ATen fused path (Winograd is the default where the CPU has it)
  std::vector<float> p(std::size_t(n) * h * w);
  model.predict(x.data(), n, h, w, p.data(), Precision::Fp32);
  return p;
}

std::vector<float> predictWinograd(Model& model, const std::vector<float>& x, int n, int h, int w) {
  model.setFusedFp32(true);
  model.setWinogradFp32(true);
  std::vector<float> p(std::size_t(n) * h * w);
  model.predict(x.data(), n, h, w, p.data(), Precision::Fp32);
  model.setWinogradFp32(false);
  return p;
}

// oneDNN's Winograd kernels (jit_wino_4x3) need AVX-512 (avx512_core: F, BW, VL, DQ).
bool cpuHasAvx512Core() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0)
      return line.find(" avx512f") != std::string::npos && line.find(" avx512bw") != std::string::npos &&
             line.find(" avx512vl") != std::string::npos && line.find(" avx512dq") != std::string::npos;
  return false;
}

} // namespace

class TestMlFused : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    if (!Model::create(ModelOptions::paper(4), resolveDevice(DeviceRequest::Cpu), 1).fusedFp32())
      QFAIL("this LibTorch has no oneDNN (MKL-DNN): the fused fp32 path cannot run (Debian's has it)");
  }

  void fusedEqualsEagerOnOddSizes_data() {
    QTest::addColumn<int>("context");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::newRow("2D 37x53") << 0 << 1 << 37 << 53;
    QTest::newRow("2.5D 3 channels, batch 2, 53x37") << 1 << 2 << 53 << 37;
    QTest::newRow("2D 96x64, no padding") << 0 << 1 << 96 << 64;
  }

  void fusedEqualsEagerOnOddSizes() {
    QFETCH(int, context);
    QFETCH(int, batch);
    QFETCH(int, height);
    QFETCH(int, width);
    ModelOptions mo = ModelOptions::paper(8);
    mo.contextSlices = context;
    Model model = Model::create(mo, resolveDevice(DeviceRequest::Cpu), 5);
    randomise(model, 11);
    const auto x = randomImages(batch, mo.channels(), height, width, 3);
    const auto eager = predict(model, false, x, batch, height, width);
    const std::int64_t before = model.fusedFp32Passes();
    const auto fused = predict(model, true, x, batch, height, width);
    QCOMPARE(model.fusedFp32Passes(), before + 1);
    const Spread s = compare(fused, eager);
    QVERIFY2(s.hi - s.lo > 0.05, "the eager output hardly varies: the comparison would prove nothing");
    QVERIFY2(s.maxDiff <= 1e-4, qPrintable(QString("max |fused - eager| = %1").arg(s.maxDiff)));
  }

  void winogradEqualsEagerOnOddSizes_data() { fusedEqualsEagerOnOddSizes_data(); }

  void winogradEqualsEagerOnOddSizes() {
    QFETCH(int, context);
    QFETCH(int, batch);
    QFETCH(int, height);
    QFETCH(int, width);
    ModelOptions mo = ModelOptions::paper(16);
    mo.contextSlices = context;
    Model model = Model::create(mo, resolveDevice(DeviceRequest::Cpu), 5);
    model.setWinogradFp32(true);
    if (!core::ml::detail::WinoUNet::available() || !core::ml::detail::WinoUNet::cpuHasWinograd()) {
      QVERIFY2(!model.winogradFp32(), "the Winograd path claims to run without oneDNN's Winograd");
      return;
    }
    QVERIFY(model.winogradFp32());
    model.setWinogradFp32(false);
    randomise(model, 11);
    const auto x = randomImages(batch, mo.channels(), height, width, 3);
    const auto eager = predict(model, false, x, batch, height, width);
    const std::int64_t before = model.winogradFp32Passes(), fusedBefore = model.fusedFp32Passes();
    const auto wino = predictWinograd(model, x, batch, height, width);
    QCOMPARE(model.winogradFp32Passes(), before + 1);
    QCOMPARE(model.fusedFp32Passes(), fusedBefore); // not the ATen fused path
    if (cpuHasAvx512Core())
      QVERIFY2(model.winogradLayers() > 0, "an AVX-512 CPU ran no convolution through Winograd");
    const auto [arena, endToEnd] = model.winogradActivationBytes();
    QVERIFY2(arena > 0 && arena * 2 < endToEnd,
             qPrintable(QString("activation arena %1 bytes against %2 laid end to end: not shared").arg(arena).arg(endToEnd)));
    const Spread s = compare(wino, eager);
    qInfo("max |winograd - eager| = %.3g over probabilities from %.3f to %.3f, %d Winograd layers", s.maxDiff, s.lo,
          s.hi, model.winogradLayers());
    QVERIFY2(s.hi - s.lo > 0.05, "the eager output hardly varies: the comparison would prove nothing");
    QVERIFY2(s.maxDiff <= 1e-4, qPrintable(QString("max |winograd - eager| = %1").arg(s.maxDiff)));
  }

  void winogradFollowsChangedWeights() {
    if (!core::ml::detail::WinoUNet::cpuHasWinograd()) return; // winogradEqualsEagerOnOddSizes checks it stays off
    Model model = Model::create(ModelOptions::paper(16), resolveDevice(DeviceRequest::Cpu), 2);
    randomise(model, 1);
    const auto x = randomImages(1, 1, 45, 61, 9);
    const auto first = predictWinograd(model, x, 1, 45, 61);
    randomise(model, 2);
    const auto wino = predictWinograd(model, x, 1, 45, 61);
    const auto eager = predict(model, false, x, 1, 45, 61);
    QVERIFY2(compare(first, eager).maxDiff > 1e-2, "the new weights did not change the output");
    QVERIFY2(compare(wino, eager).maxDiff <= 1e-4, "the Winograd path kept the old weights");
    ::setenv("CDNET_WINOGRAD", "0", 1);
    const Model off = Model::create(ModelOptions::paper(16), resolveDevice(DeviceRequest::Cpu), 1);
    ::unsetenv("CDNET_WINOGRAD");
    QVERIFY(!off.winogradFp32());
  }

  // The default fp32 path on a CPU: Winograd where oneDNN makes it for this CPU (AVX-512), the
  // fused ATen path elsewhere (ONEDNN_MAX_CPU_ISA=AVX2 shows the latter here).
  void winogradIsTheDefaultWhereTheCpuHasIt() {
    const bool cpuHasIt = core::ml::detail::WinoUNet::cpuHasWinograd();
    if (cpuHasAvx512Core() && core::ml::detail::WinoUNet::available() && !std::getenv("ONEDNN_MAX_CPU_ISA"))
      QVERIFY2(cpuHasIt, "an AVX-512 CPU with oneDNN 2.x made no Winograd convolution");
    QCOMPARE(Model::create(ModelOptions::paper(16), resolveDevice(DeviceRequest::Cpu), 1).winogradFp32(), cpuHasIt);
    // Base widths off the 16-channel blocks stay on the fused path (oneDNN's kernels were slow there).
    Model base8 = Model::create(ModelOptions::paper(8), resolveDevice(DeviceRequest::Cpu), 1);
    base8.setWinogradFp32(true);
    QVERIFY(!base8.winogradFp32());
    QVERIFY(base8.fusedFp32());
  }

  void fusedFollowsChangedWeights() {
    Model model = Model::create(ModelOptions::paper(4), resolveDevice(DeviceRequest::Cpu), 2);
    randomise(model, 1);
    const auto x = randomImages(1, 1, 45, 61, 9);
    const auto first = predict(model, true, x, 1, 45, 61);
    randomise(model, 2); // as a training step would: the fused copy must be made again
    const auto fused = predict(model, true, x, 1, 45, 61);
    const auto eager = predict(model, false, x, 1, 45, 61);
    QVERIFY2(compare(first, eager).maxDiff > 1e-2, "the new weights did not change the output");
    QVERIFY2(compare(fused, eager).maxDiff <= 1e-4, "the fused path kept the old weights");
  }

  // Auto without bf16 runs the default fp32 path: the Winograd variant where the CPU has it, else fused.
  void predictorAutoWithoutBf16RunsFused() {
    ForcedBf16 none(false);
    Model model = Model::create(ModelOptions::paper(16), resolveDevice(DeviceRequest::Cpu), 3);
    randomise(model, 4);
    PredictOptions po;
    po.precision = Precision::Auto;
    po.skipEmptyTiles = false;
    const int w = 70, h = 50;
    const auto x = randomImages(1, 1, h, w, 5);
    std::vector<float> fused(std::size_t(w) * h), eager(fused.size());
    {
      Predictor p(model, po);
      QCOMPARE(p.precision(), Precision::Fp32);
      const bool wino = model.winogradFp32();
      QCOMPARE(wino, core::ml::detail::WinoUNet::cpuHasWinograd());
      const std::int64_t before = wino ? model.winogradFp32Passes() : model.fusedFp32Passes();
      p.predictNormalised(x.data(), w, h, fused.data());
      QVERIFY2((wino ? model.winogradFp32Passes() : model.fusedFp32Passes()) > before,
               "the predictor's auto precision did not run the default fp32 path");
    }
    model.setFusedFp32(false);
    QVERIFY(!model.fusedFp32());
    QVERIFY(!model.winogradFp32()); // it needs the fused path
    {
      Predictor p(model, po);
      const std::int64_t before = model.fusedFp32Passes();
      p.predictNormalised(x.data(), w, h, eager.data());
      QCOMPARE(model.fusedFp32Passes(), before); // switched off: eager LibTorch
    }
    QVERIFY(compare(fused, eager).maxDiff <= 1e-4);
  }

  void environmentSwitchesItOff() {
    ::setenv("CDNET_FUSED_FP32", "0", 1);
    const Model off = Model::create(ModelOptions::paper(4), resolveDevice(DeviceRequest::Cpu), 1);
    ::unsetenv("CDNET_FUSED_FP32");
    QVERIFY(!off.fusedFp32());
    QVERIFY(Model::create(ModelOptions::paper(4), resolveDevice(DeviceRequest::Cpu), 1).fusedFp32());
  }
};

QTEST_GUILESS_MAIN(TestMlFused)
#include "test_ml_fused.moc"
