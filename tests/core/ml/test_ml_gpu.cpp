// CDNet on an NVIDIA GPU: a checkpoint made on the CPU loads on the GPU and predicts what the CPU
// predicts, and a model created there saves a checkpoint the CPU reads. Needs a GPU and a CUDA
// LibTorch: without them the binary exits 77 (skipped; tests/skip-allowlist.txt allows it).
#include "ModelTestUtil.h"
#include "common/Skip.h"
#include "core/ml/Model.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace core::ml;
using namespace mltest;

class TestMlGpu : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  void initTestCase() {
    if (!cudaAvailable()) testsupport::skipTestBinary("needs an NVIDIA GPU (LibTorch sees no CUDA device)");
    QVERIFY(m_dir.isValid());
  }

  void gpuPredictsWhatTheCpuPredicts() {
    const Device gpu = resolveDevice(DeviceRequest::Cuda);
    QVERIFY(gpu.cuda);
    QVERIFY2(QString::fromStdString(gpu.describe()).startsWith("cuda"), gpu.describe().c_str());
    const std::string p = m_dir.filePath("cpu.pt").toStdString();
    Model::create(ModelOptions::paper(8), resolveDevice(DeviceRequest::Cpu), 5).saveCheckpoint(p);
    const Model onCpu = Model::load(p, {DeviceRequest::Cpu});
    const Model onGpu = Model::load(p, {DeviceRequest::Cuda});
    QVERIFY(onGpu.device().cuda);
    const int h = 96, w = 80;
    const auto in = randomImage(2 * h * w, 3);
    std::vector<float> a(in.size()), b(in.size());
    onCpu.predict(in.data(), 2, h, w, a.data());
    onGpu.predict(in.data(), 2, h, w, b.data());
    // bf16 autocast keeps about 3 significant digits; fp32 on the GPU agrees far closer.
    const double tolerance = onGpu.device().mixedPrecision ? 0.05 : 1e-3;
    QVERIFY2(maxDiff(a, b) < tolerance, qPrintable(QString("max difference %1").arg(maxDiff(a, b))));
  }

  void checkpointFromTheGpuLoadsOnTheCpu() {
    const std::string p = m_dir.filePath("gpu.pt").toStdString();
    const Model m = Model::create(ModelOptions::paper(8), resolveDevice(DeviceRequest::Cuda), 7);
    m.saveCheckpoint(p);
    const Model back = Model::load(p, {DeviceRequest::Cpu});
    QVERIFY(!back.device().cuda);
    QVERIFY(back.weights() == m.weights());
  }
};

QTEST_GUILESS_MAIN(TestMlGpu)
#include "test_ml_gpu.moc"
