// Training: the masked loss, overfitting a tiny crack image, seeded repeatability, checkpoints,
// resume, fine-tuning with the encoder frozen, cancellation.
#include "MlTestData.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Model.h"
#include "core/ml/Trainer.h"

#include <QtTest>
#include <cmath>
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

TrainOptions tiny(int epochs) {
  TrainOptions o;
  o.model = ModelOptions::paper(8);
  o.epochs = epochs;
  o.batch = 4;
  o.crop = 64;
  o.iterationsPerEpoch = 5;
  o.valFraction = 0.25;
  o.device = DeviceRequest::Cpu;
  o.seed = 42;
  return o;
}
} // namespace

class TestMlTraining : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  TrainingData m_data;
  std::string path(const std::string& name) { return (fs::path(m_dir.path().toStdString()) / name).string(); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    auto [img, lab] = mltest::crackVolume(64, 64, 4, 21);
    m_data = TrainingData::fromVolumes(img, lab, {});
  }

  void maskedLossIgnoresUnlabelled() {
    const std::vector<float> logits{2.0f, -1.0f, 0.5f, 30.0f, -30.0f};
    const std::vector<std::uint8_t> labels{2, 1, 2, 0, 0};
    std::vector<float> grad;
    const double loss = maskedBinaryCrossEntropy(logits, labels, &grad);
    auto bce = [](double z, double y) { return std::log1p(std::exp(-std::abs(z))) + std::max(z, 0.0) - z * y; };
    const double expected = (bce(2.0, 1) + bce(-1.0, 0) + bce(0.5, 1)) / 3.0;
    QVERIFY2(std::abs(loss - expected) < 1e-6, qPrintable(QString::number(loss)));
    QCOMPARE(grad[3], 0.0f);
    QCOMPARE(grad[4], 0.0f);
    QVERIFY(grad[0] < 0 && grad[1] > 0);
    // Changing unlabelled logits changes nothing.
    std::vector<float> other = logits;
    other[3] = -5.0f;
    other[4] = 7.0f;
    QCOMPARE(maskedBinaryCrossEntropy(other, labels), loss);
  }

  void tinyModelOverfitsTinyCrackImage() {
    auto [img, lab] = mltest::crackVolume(64, 64, 1, 5);
    const TrainingData one = TrainingData::fromVolumes(img, lab, {});
    TrainOptions o = tiny(0);
    o.epochs = 1;
    o.iterationsPerEpoch = 100;
    o.batch = 2;
    o.learningRate = 3e-3;
    o.valFraction = 0;
    o.augment.enabled = false;
    std::vector<double> losses;
    TrainCallbacks cb;
    cb.onIteration = [&](const IterationMetrics& m) { losses.push_back(m.loss); };
    Trainer(o, cb).run(one);
    QCOMPARE(int(losses.size()), 100);
    double first = 0, last = 0;
    for (int i = 0; i < 5; ++i) {
      first += losses[std::size_t(i)] / 5;
      last += losses[losses.size() - 1 - std::size_t(i)] / 5;
    }
    qInfo("loss %.4f -> %.4f", first, last);
    QVERIFY2(last < 0.25 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
  }

  void seededRunsRepeat() {
    std::vector<double> a, b;
    for (auto* out : {&a, &b}) {
      TrainCallbacks cb;
      cb.onIteration = [out](const IterationMetrics& m) { out->push_back(m.loss); };
      cb.onEpoch = [out](const EpochMetrics& m) { out->push_back(m.valLoss); };
      Trainer(tiny(2), cb).run(m_data);
    }
    QCOMPARE(a.size(), std::size_t(12));
    for (std::size_t i = 0; i < a.size(); ++i) QVERIFY2(a[i] == b[i], qPrintable(QString("%1 vs %2").arg(a[i]).arg(b[i])));
    // Another seed gives another run.
    TrainOptions o = tiny(1);
    o.seed = 43;
    double other = 0;
    TrainCallbacks cb;
    cb.onIteration = [&](const IterationMetrics& m) { if (m.iteration == 1) other = m.loss; };
    Trainer(o, cb).run(m_data);
    QVERIFY(other != a[0]);
  }

  void writesCheckpointsAndResumes() {
    TrainOptions o = tiny(2);
    o.outDir = path("run");
    o.checkpointEvery = 2;
    std::vector<EpochMetrics> epochs;
    TrainCallbacks cb;
    cb.onEpoch = [&](const EpochMetrics& m) { epochs.push_back(m); };
    const TrainResult r = Trainer(o, cb).run(m_data);
    QCOMPARE(r.trainSlices, 3);
    QCOMPARE(r.validationSlices, 1);
    QCOMPARE(int(epochs.size()), 2);
    for (const auto& e : epochs) {
      QVERIFY(e.hasValidation && std::isfinite(e.valLoss) && e.valDice >= 0 && e.valDice <= 1);
      QVERIFY(e.seconds > 0 && e.elapsedSeconds >= e.seconds);
    }
    QCOMPARE(epochs.back().remainingSeconds, 0.0);
    QVERIFY(fs::exists(path("run/last.pt")) && fs::exists(path("run/best.pt")) && fs::exists(path("run/epoch-0002.pt")));
    const CheckpointInfo last = readCheckpointInfo(path("run/last.pt"));
    QCOMPARE(last.epoch, 2);
    QCOMPARE(last.iterations, std::int64_t(10));
    QCOMPARE(int(last.history.size()), 2);
    QCOMPARE(last.history[1].valLoss, epochs[1].valLoss);
    QCOMPARE(last.training.batch, 4);
    const CheckpointInfo best = readCheckpointInfo(path("run/best.pt"));
    QCOMPARE(best.bestLoss, std::min(epochs[0].valLoss, epochs[1].valLoss));

    // Resume: numbering, optimiser steps and history continue.
    TrainOptions more = tiny(1);
    more.outDir = path("run");
    more.resumeFrom = path("run/last.pt");
    const TrainResult r2 = Trainer(more).run(m_data);
    QCOMPARE(int(r2.history.size()), 3);
    QCOMPARE(r2.history[2].epoch, 3);
    QCOMPARE(r2.history[2].iterations, std::int64_t(15));
    QCOMPARE(readCheckpointInfo(path("run/last.pt")).epoch, 3);
    // Resuming with another base width is refused.
    TrainOptions wrong = more;
    wrong.model = ModelOptions::paper(16);
    const QString e = errorOf([&] { Trainer(wrong).run(m_data); });
    QVERIFY2(e.contains("base width 8") && e.contains("16"), qPrintable(e));
  }

  void fineTuneWithFrozenEncoder() {
    TrainOptions base = tiny(1);
    base.outDir = path("base");
    Trainer(base).run(m_data);
    const auto before = Model::load(path("base"), {DeviceRequest::Cpu}).weights();

    auto [img, lab] = mltest::crackVolume(64, 64, 2, 77); // new labels
    const TrainingData fresh = TrainingData::fromVolumes(img, lab, {});
    TrainOptions ft = tiny(1);
    ft.fineTuneFrom = path("base/last.pt");
    ft.freezeEncoder = true;
    ft.outDir = path("tuned");
    const TrainResult r = Trainer(ft).run(fresh);
    QCOMPARE(r.history.size(), std::size_t(1)); // a new run, not a resumed one
    const auto after = Model::load(path("tuned/last.pt"), {DeviceRequest::Cpu}).weights();
    int frozen = 0, changed = 0;
    for (const auto& [name, w] : before) {
      const bool encoder = name.rfind("enc", 0) == 0 || name.rfind("bottom", 0) == 0;
      if (encoder) {
        QVERIFY2(after.at(name) == w, name.c_str());
        ++frozen;
      } else {
        changed += after.at(name) != w;
      }
    }
    QCOMPARE(frozen, 20);
    QVERIFY(changed > 10);
    QVERIFY(readCheckpointInfo(path("tuned/last.pt")).training.freezeEncoder);
  }

  void cancelStopsWithinOneBatch() {
    TrainOptions o = tiny(3);
    o.outDir = path("cancelled");
    core::jobs::CancelToken token;
    int iterations = 0;
    TrainCallbacks cb;
    cb.onIteration = [&](const IterationMetrics& m) {
      ++iterations;
      if (m.iteration == 7) token.cancel();
    };
    bool cancelled = false;
    try {
      Trainer(o, cb).run(m_data, core::jobs::nullProgress(), token);
    } catch (const core::jobs::Cancelled&) {
      cancelled = true;
    }
    QVERIFY(cancelled);
    QCOMPARE(iterations, 7);
    // Epoch 1 finished before the cancel: its checkpoint is intact.
    QCOMPARE(readCheckpointInfo(path("cancelled/last.pt")).epoch, 1);
  }

  void timeBudgetStops() {
    TrainOptions o = tiny(0);
    o.maxMinutes = 0.02; // 1.2 s
    o.iterationsPerEpoch = 100000;
    const TrainResult r = Trainer(o).run(m_data);
    QVERIFY(r.stoppedByTime);
    QCOMPARE(int(r.history.size()), 1);
    QVERIFY(r.history[0].elapsedSeconds < 30);
  }

  void badOptions() {
    TrainOptions o = tiny(1);
    o.batch = 0;
    QVERIFY(errorOf([&] { Trainer(o).run(m_data); }).contains("batch"));
    o = tiny(0);
    QVERIFY(errorOf([&] { Trainer(o).run(m_data); }).contains("epochs"));
    o = tiny(1);
    o.fineTuneFrom = path("nowhere.pt");
    QVERIFY(errorOf([&] { Trainer(o).run(m_data); }).contains("nowhere.pt"));
  }
};

QTEST_APPLESS_MAIN(TestMlTraining)
#include "test_ml_training.moc"
