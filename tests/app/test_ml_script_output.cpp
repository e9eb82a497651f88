// A TorchScript model from elsewhere whose output is not a probability: logits (values outside
// [0, 1]) or NaN are refused with the file named (and --script-logits suggested), in the engine and
// through `cdnet predict`; the same logits model runs with --script-logits. The models are tiny
// TorchScript modules written here (x * 10 + 3, sqrt(x - x - 1)).
#include <torch/script.h> // before Qt (Qt's keywords clash with Torch)

#include "core/ml/Model.h"
#include "core/volume/io/VolumeIO.h"
#include "support/RunCdnet.h"

#include <QTemporaryDir>
#include <QtTest>

#include <vector>

using namespace core::ml;

namespace {

/// Saves a TorchScript module whose forward is \p body (one expression of x) to \p path.
void saveScript(const std::string& path, const std::string& body) {
  torch::jit::Module m("__torch__.TestModel");
  m.define("def forward(self, x):\n    return " + body + "\n");
  m.save(path);
}

std::string predictError(const Model& model) {
  std::vector<float> in(40 * 36, 0.5f), out(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = float(i % 7) - 3.0f;
  try {
    model.predict(in.data(), 1, 36, 40, out.data());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

testsupport::CdnetResult cdnet(const QStringList& args) { return testsupport::runCdnet(args); }

} // namespace

class TestMlScriptOutput : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string p(const char* name) const { return m_dir.filePath(name).toStdString(); }

private Q_SLOTS:
  void initTestCase() {
    saveScript(p("logits.pt"), "x * 10.0 + 3.0");
    saveScript(p("nan.pt"), "torch.sqrt(x - x - 1.0)");
    saveScript(p("probability.pt"), "torch.sigmoid(x)");
  }

  void engineRefusesOutputThatIsNotAProbability() {
    const LoadOptions cpu{DeviceRequest::Cpu, 1};
    std::string msg = predictError(Model::load(p("logits.pt"), cpu));
    QVERIFY2(msg.find(p("logits.pt")) != std::string::npos && msg.find("not probabilities in [0, 1]") != std::string::npos &&
                 msg.find("--script-logits") != std::string::npos,
             msg.c_str());
    msg = predictError(Model::load(p("nan.pt"), cpu));
    QVERIFY2(msg.find(p("nan.pt")) != std::string::npos && msg.find("NaN") != std::string::npos, msg.c_str());
    // Declared logits: the sigmoid makes them probabilities, nothing is refused.
    LoadOptions logits = cpu;
    logits.scriptOutputsLogits = true;
    QCOMPARE(predictError(Model::load(p("logits.pt"), logits)), std::string());
    QCOMPARE(predictError(Model::load(p("probability.pt"), cpu)), std::string());
  }

  void cdnetPredictRefusesIt() {
    QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first");
    core::volume::Volume image({40, 36, 2}, core::volume::VoxelType::UInt8);
    for (std::int64_t i = 0; i < image.voxelCount(); ++i) image.as<std::uint8_t>()[i] = std::uint8_t(i % 13);
    core::volume::writeVolume(image, p("image.nrrd"));
    const QString img = QString::fromStdString(p("image.nrrd")), out = QString::fromStdString(p("out.nrrd"));
    auto r = cdnet({"predict", "--model", QString::fromStdString(p("logits.pt")), "--input", img, "--out", out,
                   "--device", "cpu", "--threads", "1"});
    QVERIFY2(r.code == 1 && r.err.contains("logits.pt") && r.err.contains("--script-logits"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
    r = cdnet({"predict", "--model", QString::fromStdString(p("nan.pt")), "--input", img, "--out", out, "--device", "cpu",
               "--threads", "1"});
    QVERIFY2(r.code == 1 && r.err.contains("nan.pt") && r.err.contains("NaN"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
    r = cdnet({"predict", "--model", QString::fromStdString(p("logits.pt")), "--script-logits", "--input", img, "--out",
               out, "--device", "cpu", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto prob = core::volume::readVolume(out.toStdString());
    const auto stats = core::volume::computeStats(prob);
    QVERIFY(stats.min >= 0 && stats.max <= 1 && stats.max > stats.min);
  }
};

QTEST_GUILESS_MAIN(TestMlScriptOutput)
#include "test_ml_script_output.moc"
