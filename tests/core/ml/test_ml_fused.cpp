// The fused fp32 CPU path (issue 21, detail/FusedUNet.h): it equals the eager LibTorch forward
// pass within 1e-4 on random weights and biases, odd slice sizes, 1 and 3 (2.5D) channels and a
// batch of two; it follows changed weights; the predictor runs it for precision auto on a CPU
// without bf16 (its pass counter moves) and not when it is switched off. Its Winograd variant
// (detail/WinoUNet.h, where built) equals eager fp32 within 1e-4 on the same inputs, really runs
// (pass counter; Winograd layers on an AVX-512 CPU) and follows changed weights, with oneDNN's
// Winograd and with our own AVX2 one (forced by CDNET_WINOGRAD_OWN=1); the own convolution alone
// equals torch::conv2d on odd sizes, channels off the 16-channel blocks, with accumulation and ReLU.
#include <torch/torch.h> // before Qt (Qt's keywords clash with Torch)

#include "ModelTestUtil.h"
#include "core/ml/Model.h"
#include "core/ml/Precision.h"
#include "core/ml/Predictor.h"
#include "core/ml/detail/ModelImpl.h"
#include "core/ml/detail/WinogradAvx2.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
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

bool cpuHasFlags(std::initializer_list<const char*> flags) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0) {
      line += ' ';
      for (const char* f : flags)
        if (line.find(std::string(" ") + f + " ") == std::string::npos) return false;
      return true;
    }
  return false;
}

// oneDNN's Winograd kernels (jit_wino_4x3) need AVX-512 (avx512_core: F, BW, VL, DQ).
bool cpuHasAvx512Core() { return cpuHasFlags({"avx512f", "avx512bw", "avx512vl", "avx512dq"}); }

// N x C x H x W -> oneDNN's nChw<L>c (channels padded to L with zeros), and back.
torch::Tensor toBlocked(const torch::Tensor& x, int64_t L) {
  const int64_t c = x.size(1), cp = (c + L - 1) / L * L;
  const torch::Tensor p = torch::constant_pad_nd(x, {0, 0, 0, 0, 0, cp - c});
  return p.view({x.size(0), cp / L, L, x.size(2), x.size(3)}).permute({0, 1, 3, 4, 2}).contiguous();
}
torch::Tensor fromBlocked(const torch::Tensor& b, int64_t c) {
  const int64_t L = b.size(4);
  return b.permute({0, 1, 4, 2, 3}).reshape({b.size(0), b.size(1) * L, b.size(2), b.size(3)}).narrow(1, 0, c);
}

// Sets an environment variable for its lifetime.
struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* value) : name(n) {
    if (value) ::setenv(n, value, 1);
  }
  ~ScopedEnv() { ::unsetenv(name); }
};

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

  void winogradEqualsEagerOnOddSizes_data() {
    QTest::addColumn<int>("context");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("own"); // CDNET_WINOGRAD_OWN: "" (per CPU), "1" (own kernel), "8" (and 8-channel blocks)
    for (const QString own : {"", "1", "8"}) {
      const QString kind = own.isEmpty() ? "" : "own AVX2 Winograd (" + own + "), ";
      QTest::newRow(qPrintable(kind + "2D 37x53")) << 0 << 1 << 37 << 53 << own;
      QTest::newRow(qPrintable(kind + "2.5D 3 channels, batch 2, 53x37")) << 1 << 2 << 53 << 37 << own;
      QTest::newRow(qPrintable(kind + "2D 96x64, no padding")) << 0 << 1 << 96 << 64 << own;
    }
  }

  void winogradEqualsEagerOnOddSizes() {
    QFETCH(int, context);
    QFETCH(int, batch);
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(QString, own);
    const ScopedEnv forceOwn("CDNET_WINOGRAD_OWN", own.isEmpty() ? nullptr : qPrintable(own));
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
    if (cpuHasAvx512Core() || core::ml::detail::cpuHasAvx2Fma())
      QVERIFY2(model.winogradLayers() > 0, "an AVX-512 or (own) AVX2 CPU ran no convolution through Winograd");
    const auto [arena, endToEnd] = model.winogradActivationBytes();
    QVERIFY2(arena > 0 && arena * 2 < endToEnd,
             qPrintable(QString("activation arena %1 bytes against %2 laid end to end: not shared").arg(arena).arg(endToEnd)));
    const Spread s = compare(wino, eager);
    qInfo("max |winograd - eager| = %.3g over probabilities from %.3f to %.3f, %d Winograd layers", s.maxDiff, s.lo,
          s.hi, model.winogradLayers());
    QVERIFY2(s.hi - s.lo > 0.05, "the eager output hardly varies: the comparison would prove nothing");
    QVERIFY2(s.maxDiff <= 1e-4, qPrintable(QString("max |winograd - eager| = %1").arg(s.maxDiff)));
  }

  void ownWinogradEqualsConv2d_data() {
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("cin");
    QTest::addColumn<int>("cout");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("relu");
    QTest::addColumn<bool>("accumulate");
    QTest::addColumn<int>("lanes");
    for (const int lanes : {16, 8}) {
      const QString l = QString(", nChw%1c").arg(lanes);
      QTest::newRow(qPrintable("1x16->16 8x8" + l)) << 1 << 16 << 16 << 8 << 8 << false << false << lanes;
      QTest::newRow(qPrintable("batch 2, 5->21, 13x7, ReLU" + l)) << 2 << 5 << 21 << 13 << 7 << true << false << lanes;
      QTest::newRow(qPrintable("batch 2, 37->19, 1x9, accumulate" + l)) << 2 << 37 << 19 << 1 << 9 << false << true << lanes;
      QTest::newRow(qPrintable("64->48, 31x33, accumulate, ReLU" + l)) << 1 << 64 << 48 << 31 << 33 << true << true << lanes;
      QTest::newRow(qPrintable("batch 2, 32->32, 41x29 (several blocks)" + l)) << 2 << 32 << 32 << 41 << 29 << true << false << lanes;
    }
  }

  // The own F(2x2, 3x3) kernel against torch::conv2d (pad 1), on nChw16c buffers like WinoUNet's.
  void ownWinogradEqualsConv2d() {
    QFETCH(int, batch);
    QFETCH(int, cin);
    QFETCH(int, cout);
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(bool, relu);
    QFETCH(bool, accumulate);
    QFETCH(int, lanes);
    QCOMPARE(core::ml::detail::cpuHasAvx2Fma(), cpuHasFlags({"avx2", "fma"}));
    if (!core::ml::detail::cpuHasAvx2Fma()) return; // WinoUNet does not use it then (checked above)
    torch::manual_seed(cin * 1000 + cout);
    const torch::Tensor x = torch::randn({batch, cin, height, width}), w = torch::randn({cout, cin, 3, 3}),
                        b = torch::randn({cout}), prior = torch::randn({batch, cout, height, width});
    torch::Tensor want = torch::conv2d(x, w, b, 1, 1) + (accumulate ? prior : torch::zeros_like(prior));
    if (relu) want = torch::relu(want);
    const core::ml::detail::WinogradAvx2Conv conv(w.data_ptr<float>(), b.data_ptr<float>(), cout, cin, lanes);
    const torch::Tensor src = toBlocked(x, lanes);
    torch::Tensor dst = toBlocked(accumulate ? prior : torch::full_like(prior, 7.f), lanes); // padding: 0
    conv.run(src.data_ptr<float>(), dst.data_ptr<float>(), batch, height, width, relu, accumulate);
    const torch::Tensor got = fromBlocked(dst, cout);
    const double scale = want.abs().max().item<double>(), diff = (got - want).abs().max().item<double>();
    qInfo("max |own winograd - conv2d| = %.3g of output scale %.3g", diff, scale);
    QVERIFY2(diff <= 1e-5 * scale * std::sqrt(double(cin)),
             qPrintable(QString("max |own winograd - conv2d| = %1 of %2").arg(diff).arg(scale)));
    const int64_t padded = dst.size(1) * lanes - cout;
    if (padded > 0)
      QVERIFY2(fromBlocked(dst, dst.size(1) * lanes).narrow(1, cout, padded).abs().max().item<float>() == 0.f,
               "the padding channels of the output are not zero");
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

  // The default fp32 path on a CPU: Winograd where this CPU has it (oneDNN's with AVX-512, our own
  // with AVX2 + FMA), the fused ATen path elsewhere.
  void winogradIsTheDefaultWhereTheCpuHasIt() {
    const bool cpuHasIt = core::ml::detail::WinoUNet::cpuHasWinograd();
    if (cpuHasAvx512Core() && core::ml::detail::WinoUNet::available() && !std::getenv("ONEDNN_MAX_CPU_ISA"))
      QVERIFY2(cpuHasIt, "an AVX-512 CPU with oneDNN 2.x made no Winograd convolution");
    if (cpuHasFlags({"avx2", "fma"}) && core::ml::detail::WinoUNet::available()) // also under ONEDNN_MAX_CPU_ISA=AVX2
      QVERIFY2(cpuHasIt, "an AVX2 + FMA CPU does not run the own Winograd convolution");
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
