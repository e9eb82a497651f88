// Where CDNet runs: the device requests, and --device cuda without a GPU is a clear error while
// auto falls back to the CPU (with a GPU: both resolve to it). Runs everywhere, never skips.
#include "ModelTestUtil.h"
#include "core/ml/Device.h"

#include <QtTest>

using namespace core::ml;
using namespace mltest;

class TestMlDevice : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void requestsParse() {
    QVERIFY(parseDeviceRequest("auto") == DeviceRequest::Auto);
    QVERIFY(parseDeviceRequest("cpu") == DeviceRequest::Cpu);
    QVERIFY(parseDeviceRequest("cuda") == DeviceRequest::Cuda);
    QVERIFY(parseDeviceRequest("gpu") == DeviceRequest::Cuda);
    const QString e = errorOf([] { parseDeviceRequest("tpu"); });
    QVERIFY2(e.contains("tpu"), qPrintable(e));
  }

  void cudaRequestFollowsTheMachine() {
    QVERIFY(!resolveDevice(DeviceRequest::Cpu).cuda);
    if (cudaAvailable()) {
      // A GPU: cuda and auto both choose it (test_ml_gpu checks that it computes the same).
      QVERIFY(resolveDevice(DeviceRequest::Cuda).cuda);
      QVERIFY(resolveDevice(DeviceRequest::Auto).cuda);
      return;
    }
    const QString e = errorOf([] { resolveDevice(DeviceRequest::Cuda); });
    QVERIFY2(e.contains("--device cuda") && e.contains("no CUDA GPU"), qPrintable(e));
    const Device automatic = resolveDevice(DeviceRequest::Auto);
    QVERIFY(!automatic.cuda);
    QVERIFY2(QString::fromStdString(automatic.describe()).startsWith("cpu"), automatic.describe().c_str());
  }
};

QTEST_GUILESS_MAIN(TestMlDevice)
#include "test_ml_device.moc"
