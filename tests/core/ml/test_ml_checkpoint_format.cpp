// Checkpoint format versions: a version-1 checkpoint (written by the version-1 layout, as the
// program wrote it before the recipe fields) loads, reads as the recipe it trained with (bce, a
// constant learning rate), predicts, and resumes into a version-2 file; a checkpoint of a newer
// version than the program's is refused with an error naming the file.
#include <torch/torch.h> // before Qt (Qt's keywords clash with Torch)

#include "MlTestData.h"
#include "core/ml/Model.h"
#include "core/ml/Trainer.h"
#include "core/ml/detail/CheckpointIO.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace core::ml;
namespace fs = std::filesystem;

namespace {

QString errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

// A small checkpoint in the layout of \p version.
void writeOfVersion(const std::string& path, int version) {
  torch::manual_seed(3);
  core::ml::detail::UNet net(ModelOptions::paper(4));
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
  CheckpointInfo info;
  info.role = "last";
  info.model = ModelOptions::paper(4);
  info.training.batch = 2;
  info.training.crop = 64;
  info.training.seed = 9;
  // Recipe values a version-1 file cannot hold: they must not come back from one.
  info.training.loss = LossKind::BceClDice;
  info.training.lrSchedule = LrSchedule::Cosine;
  info.epoch = 2;
  info.iterations = 10;
  info.bestLoss = 0.4;
  info.history.resize(2);
  info.history[0].epoch = 1;
  info.history[1].epoch = 2;
  info.history[1].iterations = 10;
  core::ml::detail::writeCheckpoint(path, net, &opt, info, version);
}

} // namespace

class TestMlCheckpointFormat : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string path(const std::string& name) { return (fs::path(m_dir.path().toStdString()) / name).string(); }

private Q_SLOTS:
  void versionOneLoadsWithTheRecipeItTrainedWith() {
    writeOfVersion(path("v1.pt"), 1);
    const CheckpointInfo info = readCheckpointInfo(path("v1.pt"));
    QCOMPARE(info.formatVersion, 1);
    QVERIFY(info.training.loss == LossKind::Bce);
    QVERIFY(info.training.lrSchedule == LrSchedule::Constant);
    QCOMPARE(info.training.batch, 2);
    QCOMPARE(info.epoch, 2);
    QCOMPARE(int(info.history.size()), 2);
    const Model m = Model::load(path("v1.pt"), {DeviceRequest::Cpu});
    std::vector<float> x(64 * 64, 0.1f), y(x.size(), -1.0f);
    m.predict(x.data(), 1, 64, 64, y.data());
    QVERIFY(y[0] >= 0.0f && y[0] <= 1.0f);

    // Resuming converts: the run continues with bce and a constant rate, and writes version 2.
    auto [img, lab] = mltest::crackVolume(64, 64, 2, 4);
    const TrainingData data = TrainingData::fromVolumes(img, lab, {});
    TrainOptions o;
    o.model = ModelOptions::paper(4);
    o.epochs = 1;
    o.batch = 2;
    o.crop = 64;
    o.iterationsPerEpoch = 2;
    o.device = DeviceRequest::Cpu;
    o.resumeFrom = path("v1.pt");
    o.outDir = path("resumed");
    const TrainResult r = Trainer(o).run(data);
    QCOMPARE(r.history.back().epoch, 3);
    const CheckpointInfo after = readCheckpointInfo(path("resumed/last.pt"));
    QCOMPARE(after.formatVersion, kCheckpointFormatVersion);
    QVERIFY(after.training.loss == LossKind::Bce);
    QVERIFY(after.training.lrSchedule == LrSchedule::Constant);
    QCOMPARE(after.iterations, std::int64_t(12));
  }

  void aNewerVersionIsRefusedNamingTheFile() {
    writeOfVersion(path("future.pt"), kCheckpointFormatVersion + 1);
    const QString e = errorOf([&] { readCheckpointInfo(path("future.pt")); });
    QVERIFY2(e.contains("future.pt") && e.contains("format version " + QString::number(kCheckpointFormatVersion + 1)),
             qPrintable(e));
    const QString l = errorOf([&] { Model::load(path("future.pt"), {DeviceRequest::Cpu}); });
    QVERIFY2(l.contains("future.pt") && l.contains("format version"), qPrintable(l));
  }
};

QTEST_APPLESS_MAIN(TestMlCheckpointFormat)
#include "test_ml_checkpoint_format.moc"
