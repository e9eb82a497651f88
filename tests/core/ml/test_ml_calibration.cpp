// The decision threshold (core/ml/Calibration.h): the calibration picks the Dice-maximising
// threshold of the grid on a constructed probability map with a known optimum; the threshold
// survives a checkpoint's save and load, Model::saveCheckpoint and a TorchScript export; an
// older checkpoint without one loads with 0.5; training stores the threshold that maximises Dice
// on its validation data for the weights it writes.
#include <torch/torch.h> // before Qt (Qt's keywords clash with Torch)

#include "MlTestData.h"
#include "core/labels/LabelConvention.h"
#include "core/ml/Calibration.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/detail/CheckpointIO.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace core::ml;
namespace fs = std::filesystem;

namespace {

// Dice of "crack where p >= t" computed directly from the voxels.
double directDice(const std::vector<float>& p, const std::vector<std::uint8_t>& crack, double t) {
  std::int64_t tp = 0, fp = 0, fn = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const bool pred = p[i] >= t;
    tp += pred && crack[i];
    fp += pred && !crack[i];
    fn += !pred && crack[i];
  }
  return (2 * tp + fp + fn) ? 2.0 * double(tp) / double(2 * tp + fp + fn) : 1.0;
}

void writeWith(const std::string& path, const ThresholdCalibration& c, int version = kCheckpointFormatVersion) {
  torch::manual_seed(3);
  core::ml::detail::UNet net(ModelOptions::paper(4));
  CheckpointInfo info;
  info.role = "last";
  info.model = ModelOptions::paper(4);
  info.calibration = c;
  core::ml::detail::writeCheckpoint(path, net, nullptr, info, version);
}

} // namespace

class TestMlCalibration : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string path(const std::string& name) { return (fs::path(m_dir.path().toStdString()) / name).string(); }

private Q_SLOTS:
  void calibrationPicksTheDiceMaximisingThreshold() {
    // Crack voxels at 0.345 and 0.615, other voxels at 0.10, 0.405 and 0.575 (off the grid): Dice
    // is 0.533 from 0.2 to 0.34, 0.308 to 0.40, 0.571 to 0.57 (0.5 is here), 0.667 from 0.58 to
    // 0.61 and 0 beyond: the optimum of the 0.01 grid nearest to 0.5 is 0.58.
    std::vector<float> p;
    std::vector<std::uint8_t> crack;
    auto put = [&](float v, bool c, int n) {
      for (int i = 0; i < n; ++i) {
        p.push_back(v);
        crack.push_back(c);
      }
    };
    put(0.345f, true, 100);
    put(0.615f, true, 100);
    put(0.10f, false, 10000);
    put(0.405f, false, 300);
    put(0.575f, false, 50);
    DiceHistogram h;
    std::vector<std::uint8_t> labels(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) labels[i] = crack[i] ? core::labels::kCrack : core::labels::kNotCrack;
    h.addLabelled(p.data(), labels.data(), p.size());
    const ThresholdCalibration c = h.calibrate("validation");
    QVERIFY(c.calibrated());
    QCOMPARE(c.threshold, 0.58);
    QVERIFY(std::abs(c.dice - 2.0 / 3.0) < 1e-9);
    QVERIFY(std::abs(c.diceAtHalf - 200.0 / 350.0) < 1e-9);
    // The same as trying every grid threshold on the voxels themselves.
    double best = -1;
    for (int k = 20; k <= 80; ++k) best = std::max(best, directDice(p, crack, k / 100.0));
    QVERIFY(std::abs(best - c.dice) < 1e-12);
    QVERIFY(std::abs(directDice(p, crack, c.threshold) - c.dice) < 1e-12);
    QCOMPARE(c.voxels, std::int64_t(p.size()));
    QCOMPARE(c.crackVoxels, std::int64_t(200));

    // Unlabelled voxels do not count; without crack voxels nothing is calibrated.
    std::vector<std::uint8_t> none(p.size(), core::labels::kNotCrack);
    none[0] = core::labels::kUnlabelled;
    DiceHistogram empty;
    empty.addLabelled(p.data(), none.data(), p.size());
    QCOMPARE(empty.voxels(), std::int64_t(p.size() - 1));
    const ThresholdCalibration n = empty.calibrate("validation");
    QVERIFY(!n.calibrated());
    QCOMPARE(n.threshold, 0.5);
  }

  void theThresholdSurvivesSaveAndLoad() {
    ThresholdCalibration c;
    c.threshold = 0.37;
    c.source = "validation";
    c.dice = 0.71;
    c.diceAtHalf = 0.66;
    c.voxels = 1000;
    c.crackVoxels = 50;
    writeWith(path("calibrated.pt"), c);
    const CheckpointInfo info = readCheckpointInfo(path("calibrated.pt"));
    QCOMPARE(info.calibration.threshold, 0.37);
    QCOMPARE(QString::fromStdString(info.calibration.source), QString("validation"));
    QCOMPARE(info.calibration.dice, 0.71);
    QCOMPARE(info.calibration.crackVoxels, std::int64_t(50));
    const Model m = Model::load(path("calibrated.pt"), {DeviceRequest::Cpu});
    QCOMPARE(calibrationOf(m).threshold, 0.37);
    // A copy saved by the model and a TorchScript export keep it.
    m.saveCheckpoint(path("copy.pt"));
    QCOMPARE(calibrationOf(Model::load(path("copy.pt"), {DeviceRequest::Cpu})).threshold, 0.37);
    m.exportTorchScript(path("script.pt"));
    const Model s = Model::load(path("script.pt"), {DeviceRequest::Cpu});
    QVERIFY(s.kind() == ModelKind::TorchScript);
    QCOMPARE(calibrationOf(s).threshold, 0.37);
    QVERIFY(calibrationOf(s).calibrated());
  }

  void anOlderCheckpointLoadsWithHalf() {
    ThresholdCalibration c;
    c.threshold = 0.3;
    c.source = "training";
    writeWith(path("v1.pt"), c, 1); // the version-1 layout has no threshold
    const Model m = Model::load(path("v1.pt"), {DeviceRequest::Cpu});
    QCOMPARE(calibrationOf(m).threshold, 0.5);
    QVERIFY(!calibrationOf(m).calibrated());
    // And a model without one exports none: its TorchScript loads with 0.5 too.
    m.exportTorchScript(path("v1-script.pt"));
    QCOMPARE(calibrationOf(Model::load(path("v1-script.pt"), {DeviceRequest::Cpu})).threshold, 0.5);
  }

  void trainingStoresTheDiceMaximisingThresholdOfItsValidationData() {
    auto [img, lab] = mltest::crackVolume(64, 64, 4, 7);
    const TrainingData data = TrainingData::fromVolumes(img, lab, {});
    TrainOptions o;
    o.model = ModelOptions::paper(4);
    o.epochs = 2;
    o.batch = 2;
    o.crop = 64;
    o.iterationsPerEpoch = 3;
    o.learningRate = 3e-3;
    o.valFraction = 0.5; // slices 2 and 3 validate
    o.device = DeviceRequest::Cpu;
    o.outDir = path("run");
    const TrainResult r = Trainer(o).run(data);
    const CheckpointInfo last = readCheckpointInfo(path("run/last.pt"));
    QCOMPARE(QString::fromStdString(last.calibration.source), QString("validation"));
    QCOMPARE(last.calibration.threshold, r.lastCalibration().threshold);
    QVERIFY(last.calibration.threshold >= 0.2 && last.calibration.threshold <= 0.8);
    // Predicting the validation slices with last.pt's weights gives the same choice.
    const Model m = Model::load(path("run/last.pt"), {DeviceRequest::Cpu});
    Predictor predictor(m);
    DiceHistogram h;
    for (std::size_t s = 2; s < 4; ++s) {
      const TrainingSlice& sl = data.slices[s];
      std::vector<float> prob(sl.image.size());
      predictor.predictNormalised(sl.image.data(), sl.width, sl.height, prob.data());
      h.addLabelled(prob.data(), sl.labels.data(), prob.size());
    }
    const ThresholdCalibration again = h.calibrate("validation");
    QCOMPARE(again.threshold, last.calibration.threshold);
    QVERIFY(std::abs(again.dice - last.calibration.dice) < 1e-9);
    QVERIFY(std::abs(h.diceAt(0.5) - r.history.back().valDice) < 1e-9);

    // Without validation data the training slices decide, and the run says so.
    o.valFraction = 0;
    o.outDir = path("run-noval");
    std::string said;
    TrainCallbacks cb;
    cb.onMessage = [&](const std::string& msg) { said += msg + "\n"; };
    Trainer(o, cb).run(data);
    QCOMPARE(QString::fromStdString(readCheckpointInfo(path("run-noval/last.pt")).calibration.source),
             QString("training"));
    QVERIFY2(QString::fromStdString(said).contains("on the training data"), said.c_str());
  }
};

QTEST_APPLESS_MAIN(TestMlCalibration)
#include "test_ml_calibration.moc"
