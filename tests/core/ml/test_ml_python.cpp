// TorchScript interop with Python's torch: a model exported by CDNet runs in Python with the same
// output, and a model scripted in Python runs in CDNet with the same output. Needs /usr/bin/python3
// with torch (python3-torch, installed by packaging/setup.sh); without it the binary exits 77.
#include "ModelTestUtil.h"
#include "support/Skip.h"
#include "core/ml/Model.h"

#include <QtTest>
#include <filesystem>
#include <fstream>

using namespace core::ml;
using namespace mltest;
namespace fs = std::filesystem;

namespace {
const char* kPython = "/usr/bin/python3";
bool pythonHasTorch() {
  QProcess p;
  p.start(kPython, {"-c", "import torch"});
  return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}
// Runs \p script from a file (torch.jit.script needs the source of the classes it compiles).
QString runPython(const QString& script, const QStringList& args) {
  QTemporaryFile file(QDir::tempPath() + "/cdnet_test_XXXXXX.py");
  if (!file.open()) return "cannot write the Python script";
  file.write(script.toUtf8());
  file.flush();
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  QStringList all{file.fileName()};
  all << args;
  p.start(kPython, all);
  if (!p.waitForFinished(60000)) return "timeout";
  return p.exitCode() == 0 ? QString() : QString::fromUtf8(p.readAll());
}
void writeFloats(const std::string& path, const std::vector<float>& v) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * 4));
}
std::vector<float> readFloats(const std::string& path, std::size_t n) {
  std::vector<float> v(n);
  std::ifstream(path, std::ios::binary).read(reinterpret_cast<char*>(v.data()), std::streamsize(n * 4));
  return v;
}
} // namespace

class TestMlPython : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string path(const char* name) { return (fs::path(m_dir.path().toStdString()) / name).string(); }

private Q_SLOTS:
  void initTestCase() {
    if (!pythonHasTorch())
      testsupport::skipTestBinary("needs Python's torch: /usr/bin/python3 -c 'import torch' failed "
                                  "(apt-get install python3-torch)");
    QVERIFY(m_dir.isValid());
  }

  void exportedTorchScriptRunsInPython() {
    const Model m = Model::create(ModelOptions::paper(8), resolveDevice(DeviceRequest::Cpu), 9);
    const std::string ts = path("exported.ts.pt");
    m.exportTorchScript(ts);
    const int h = 48, w = 70; // not multiples of 32: padding inside must match too
    const auto in = randomImage(2 * h * w, 4);
    std::vector<float> ours(in.size());
    m.predict(in.data(), 2, h, w, ours.data());
    writeFloats(path("in.f32"), in);
    const QString err = runPython(
        "import sys, array, torch\n"
        "m = torch.jit.load(sys.argv[1])\n"
        "x = torch.from_file(sys.argv[2], size=2*48*70, dtype=torch.float32).reshape(2, 1, 48, 70)\n"
        "with torch.no_grad():\n"
        "    y = m(x)\n"
        "assert tuple(y.shape) == (2, 1, 48, 70), y.shape\n"
        "array.array('f', y.flatten().tolist()).tofile(open(sys.argv[3], 'wb'))\n",
        {QString::fromStdString(ts), QString::fromStdString(path("in.f32")), QString::fromStdString(path("out.f32"))});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const auto py = readFloats(path("out.f32"), in.size());
    QVERIFY2(maxDiff(ours, py) < 1e-5, qPrintable(QString::number(maxDiff(ours, py))));
  }

  void exported25dModelRunsInPython() {
    // A 2.5D model exports as N x 3 x H x W input and says so in its attribute.
    ModelOptions o = ModelOptions::paper(8);
    o.contextSlices = 1;
    const Model m = Model::create(o, resolveDevice(DeviceRequest::Cpu), 10);
    const std::string ts = path("exported25.ts.pt");
    m.exportTorchScript(ts);
    const int h = 40, w = 36;
    const auto in = randomImage(3 * h * w, 5);
    std::vector<float> ours(std::size_t(h * w));
    m.predict(in.data(), 1, h, w, ours.data());
    writeFloats(path("in25.f32"), in);
    const QString err = runPython(
        "import sys, array, torch\n"
        "m = torch.jit.load(sys.argv[1])\n"
        "assert m.cdnet_context_slices == 1, m.cdnet_context_slices\n"
        "x = torch.from_file(sys.argv[2], size=3*40*36, dtype=torch.float32).reshape(1, 3, 40, 36)\n"
        "with torch.no_grad():\n"
        "    y = m(x)\n"
        "assert tuple(y.shape) == (1, 1, 40, 36), y.shape\n"
        "array.array('f', y.flatten().tolist()).tofile(open(sys.argv[3], 'wb'))\n",
        {QString::fromStdString(ts), QString::fromStdString(path("in25.f32")), QString::fromStdString(path("out25.f32"))});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const auto py = readFloats(path("out25.f32"), ours.size());
    QVERIFY2(maxDiff(ours, py) < 1e-5, qPrintable(QString::number(maxDiff(ours, py))));
  }

  void loadsTorchScriptTrainedInPython() {
    const auto in = randomImage(64 * 64, 8);
    writeFloats(path("pin.f32"), in);
    const std::string ts = path("python_unet.pt");
    const QString err = runPython(
        "import sys, array, torch\n"
        "torch.manual_seed(0)\n"
        "class TinyUNet(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.a = torch.nn.Conv2d(1, 8, 3, padding=1)\n"
        "        self.b = torch.nn.Conv2d(8, 8, 3, padding=1)\n"
        "        self.c = torch.nn.Conv2d(16, 1, 1)\n"
        "    def forward(self, x):\n"
        "        e = torch.relu(self.a(x))\n"
        "        d = torch.relu(self.b(torch.nn.functional.max_pool2d(e, 2)))\n"
        "        d = torch.nn.functional.interpolate(d, scale_factor=2.0, mode='nearest')\n"
        "        return torch.sigmoid(self.c(torch.cat([e, d], 1)))\n"
        "m = TinyUNet()\n"
        "opt = torch.optim.Adam(m.parameters(), 1e-3)\n"
        "x = torch.randn(2, 1, 64, 64)\n"
        "for _ in range(3):\n"
        "    opt.zero_grad(); l = m(x).mean(); l.backward(); opt.step()\n"
        "s = torch.jit.script(m.eval())\n"
        "s.save(sys.argv[1])\n"
        "x = torch.from_file(sys.argv[2], size=64*64, dtype=torch.float32).reshape(1, 1, 64, 64)\n"
        "with torch.no_grad():\n"
        "    y = s(x)\n"
        "array.array('f', y.flatten().tolist()).tofile(open(sys.argv[3], 'wb'))\n",
        {QString::fromStdString(ts), QString::fromStdString(path("pin.f32")), QString::fromStdString(path("pout.f32"))});
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const Model m = Model::load(ts, {DeviceRequest::Cpu});
    QVERIFY(m.kind() == ModelKind::TorchScript);
    std::vector<float> ours(in.size());
    m.predict(in.data(), 1, 64, 64, ours.data());
    const auto py = readFloats(path("pout.f32"), in.size());
    QVERIFY2(maxDiff(ours, py) < 1e-5, qPrintable(QString::number(maxDiff(ours, py))));
  }
};

QTEST_GUILESS_MAIN(TestMlPython)
#include "test_ml_python.moc"
