// Training: the masked losses (BCE, soft Dice, soft clDice) and the schedule, overfitting a tiny
// crack image, seeded repeatability, checkpoints (bounded by time and steps), resume, fine-tuning
// with the encoder frozen, cancellation.
#include "MlTestData.h"
#include "TinyTraining.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Model.h"
#include "core/ml/Trainer.h"

#include <QtTest>
#include <algorithm>
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

TrainOptions tiny(int epochs) { return mltest::tinyTraining(epochs); }
} // namespace

class TestMlTraining : public QObject {
  Q_OBJECT
  mltest::TinyTrainingSet m_set;
  std::string path(const std::string& name) const { return m_set.path(name); }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_set.dir.isValid()); }

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

  void softDiceLossEqualsHandComputedAndIgnoresUnlabelled() {
    const std::vector<float> logits{2.0f, -1.0f, 0.5f, 30.0f, -30.0f};
    const std::vector<std::uint8_t> labels{2, 1, 2, 0, 0};
    std::vector<float> grad;
    const double loss = maskedSoftDiceLoss(logits, labels, &grad);
    auto sig = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
    const double tp = sig(2.0) + sig(0.5), sumP = sig(2.0) + sig(-1.0) + sig(0.5), sumT = 2.0;
    const double expected = 1.0 - (2.0 * tp + 1.0) / (sumP + sumT + 1.0); // smoothing 1
    QVERIFY2(std::abs(loss - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(loss).arg(expected)));
    QCOMPARE(grad[3], 0.0f);
    QCOMPARE(grad[4], 0.0f);
    QVERIFY(grad[0] < 0 && grad[2] < 0 && grad[1] > 0); // raise cracks, lower not-crack
    std::vector<float> other = logits;
    other[3] = -5.0f;
    other[4] = 7.0f;
    QCOMPARE(maskedSoftDiceLoss(other, labels), loss);
  }

  void softSkeletonThinsABandToItsMiddleLine() {
    // A band three rows thick across a 7 x 5 image: its soft skeleton is the middle row.
    const int w = 7, h = 5;
    std::vector<float> band(w * h, 0.0f);
    for (int y = 1; y <= 3; ++y)
      for (int x = 0; x < w; ++x) band[std::size_t(y * w + x)] = 1.0f;
    const std::vector<float> skel = softSkeleton(band, w, h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) QCOMPARE(skel[std::size_t(y * w + x)], y == 2 ? 1.0f : 0.0f);
  }

  void softClDiceLossEqualsHandComputedAndIgnoresUnlabelled() {
    // Truth: a crack along the middle row of a 7 x 5 image. Logits +-20 make p 0 or 1 within 3e-9.
    const int w = 7, h = 5;
    std::vector<std::uint8_t> labels(w * h, 1);
    for (int x = 0; x < w; ++x) labels[std::size_t(2 * w + x)] = 2;
    auto logitsOf = [&](auto on) {
      std::vector<float> l(w * h);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) l[std::size_t(y * w + x)] = on(x, y) ? 20.0f : -20.0f;
      return l;
    };
    // A prediction three rows thick around it: its skeleton is the truth, so clDice is perfect
    // (topology precision (7 + 1) / (7 + 1), sensitivity (7 + 1) / (7 + 1)), while soft Dice is
    // 1 - (2 * 7 + 1) / (21 + 7 + 1): thickness does not matter to clDice.
    const auto thick = logitsOf([](int, int y) { return y >= 1 && y <= 3; });
    QVERIFY(std::abs(maskedSoftClDiceLoss(thick, labels, w, h)) < 1e-5);
    QVERIFY(std::abs(maskedSoftDiceLoss(thick, labels) - (1.0 - 15.0 / 29.0)) < 1e-5);
    // A prediction of the first three voxels of the line: precision (3 + 1) / (3 + 1) = 1,
    // sensitivity (3 + 1) / (7 + 1) = 0.5, clDice 2 * 0.5 / 1.5 = 2/3.
    const auto part = logitsOf([](int x, int y) { return y == 2 && x < 3; });
    const double partLoss = maskedSoftClDiceLoss(part, labels, w, h);
    QVERIFY2(std::abs(partLoss - (1.0 - 2.0 / 3.0)) < 1e-4, qPrintable(QString::number(partLoss)));
    // Unlabelled voxels: no gradient, and their logits change nothing.
    std::vector<std::uint8_t> sparse = labels;
    for (int x = 0; x < w; ++x) sparse[std::size_t(x)] = sparse[std::size_t(4 * w + x)] = 0; // rows 0 and 4
    std::vector<float> mixed(w * h);
    for (std::size_t i = 0; i < mixed.size(); ++i) mixed[i] = float(int(i * 7 % 11) - 5) * 0.7f;
    std::vector<float> grad;
    const double loss = maskedSoftClDiceLoss(mixed, sparse, w, h, &grad);
    int nonZero = 0;
    for (std::size_t i = 0; i < grad.size(); ++i) {
      if (sparse[i] == 0) QCOMPARE(grad[i], 0.0f);
      else nonZero += grad[i] != 0.0f;
    }
    QVERIFY(nonZero > 5);
    std::vector<float> other = mixed;
    for (int x = 0; x < w; ++x) other[std::size_t(x)] = 9.0f;
    QCOMPARE(maskedSoftClDiceLoss(other, sparse, w, h), loss);
  }

  void clDiceGradientRecoversACrackLine() {
    // Gradient descent on free logits with the clDice gradient alone turns a blank prediction into
    // the crack's centreline (a wrong sign or a gradient lost in the pooling would not).
    const int w = 24, h = 24;
    std::vector<std::uint8_t> labels(w * h, 1);
    for (int i = 0; i < w; ++i) labels[std::size_t(12 * w + i)] = labels[std::size_t(i * w + (i / 2 + 4))] = 2;
    std::vector<float> logits(w * h, -2.0f), grad;
    const double start = maskedSoftClDiceLoss(logits, labels, w, h);
    for (int step = 0; step < 200; ++step) {
      maskedSoftClDiceLoss(logits, labels, w, h, &grad);
      for (std::size_t i = 0; i < logits.size(); ++i) logits[i] -= 0.1f * float((grad[i] > 0) - (grad[i] < 0));
    }
    const double end = maskedSoftClDiceLoss(logits, labels, w, h);
    qInfo("clDice %.4f -> %.4f", start, end);
    QVERIFY2(end < 0.25 * start, qPrintable(QString("%1 -> %2").arg(start).arg(end)));
  }

  void cosineScheduleWarmsUpThenDecays() {
    const double base = 1e-3;
    QCOMPARE(scheduledLearningRate(LrSchedule::Constant, base, 0.0), base);
    QCOMPARE(scheduledLearningRate(LrSchedule::Constant, base, 0.7), base);
    auto near = [](double a, double b) { return std::abs(a - b) < 1e-12; };
    QVERIFY(near(scheduledLearningRate(LrSchedule::Cosine, base, 0.0, 0.05), base / 10));   // start of warm-up
    QVERIFY(near(scheduledLearningRate(LrSchedule::Cosine, base, 0.05, 0.05), base));       // end of warm-up
    QVERIFY(near(scheduledLearningRate(LrSchedule::Cosine, base, 0.525, 0.05), (base + base / 100) / 2)); // middle
    QVERIFY(near(scheduledLearningRate(LrSchedule::Cosine, base, 1.0, 0.05), base / 100));  // end
    double previous = base;
    for (double f = 0.06; f <= 1.0; f += 0.01) {
      const double lr = scheduledLearningRate(LrSchedule::Cosine, base, f, 0.05);
      QVERIFY(lr < previous);
      previous = lr;
    }
  }

  void tinyModelOverfitsTinyCrackImage() {
    // BCE and BCE + soft Dice drive a tiny model to fit one image (the Dice term falls more slowly:
    // it starts near 1). clDice: see clDiceGradientRecoversACrackLine.
    auto [img, lab] = mltest::crackVolume(64, 64, 1, 5);
    const TrainingData one = TrainingData::fromVolumes(img, lab, {});
    for (LossKind loss : {LossKind::Bce, LossKind::BceDice}) {
      TrainOptions o = tiny(0);
      o.epochs = 1;
      o.iterationsPerEpoch = 100;
      o.batch = 2;
      o.learningRate = 3e-3;
      o.valFraction = 0;
      o.augment.enabled = false;
      o.loss = loss;
      o.lrSchedule = LrSchedule::Constant;
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
      qInfo("%s: loss %.4f -> %.4f", toString(loss).c_str(), first, last);
      const double factor = loss == LossKind::Bce ? 0.25 : 0.5;
      QVERIFY2(last < factor * first, qPrintable(QString("%1: loss %2 -> %3").arg(toString(loss).c_str()).arg(first).arg(last)));
    }
  }

  void seededRunsRepeat() {
    std::vector<double> a, b;
    for (auto* out : {&a, &b}) {
      TrainCallbacks cb;
      cb.onIteration = [out](const IterationMetrics& m) { out->push_back(m.loss); };
      cb.onEpoch = [out](const EpochMetrics& m) { out->push_back(m.valLoss); };
      Trainer(tiny(2), cb).run(m_set.data);
    }
    QCOMPARE(a.size(), std::size_t(12));
    for (std::size_t i = 0; i < a.size(); ++i) QVERIFY2(a[i] == b[i], qPrintable(QString("%1 vs %2").arg(a[i]).arg(b[i])));
    // Another seed gives another run.
    TrainOptions o = tiny(1);
    o.seed = 43;
    double other = 0;
    TrainCallbacks cb;
    cb.onIteration = [&](const IterationMetrics& m) { if (m.iteration == 1) other = m.loss; };
    Trainer(o, cb).run(m_set.data);
    QVERIFY(other != a[0]);
  }

  void writesCheckpointsAndResumes() {
    TrainOptions o = tiny(2);
    o.outDir = path("run");
    o.checkpointEvery = 2;
    std::vector<EpochMetrics> epochs;
    TrainCallbacks cb;
    cb.onEpoch = [&](const EpochMetrics& m) { epochs.push_back(m); };
    const TrainResult r = Trainer(o, cb).run(m_set.data);
    QCOMPARE(r.trainSlices, 3);
    QCOMPARE(r.validationSlices, 1);
    QCOMPARE(int(epochs.size()), 2);
    for (const auto& e : epochs) {
      QVERIFY(e.hasValidation && std::isfinite(e.valLoss) && e.valDice >= 0 && e.valDice <= 1);
      // What the Dice was computed on: the labelled voxels of the one validation slice.
      QCOMPARE(e.valSlices, 1);
      QVERIFY(e.valVoxels > 0 && e.valCrackVoxels > 0 && e.valCrackVoxels < e.valVoxels);
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
    const TrainResult r2 = Trainer(more).run(m_set.data);
    QCOMPARE(int(r2.history.size()), 3);
    QCOMPARE(r2.history[2].epoch, 3);
    QCOMPARE(r2.history[2].iterations, std::int64_t(15));
    QCOMPARE(readCheckpointInfo(path("run/last.pt")).epoch, 3);
    // Resuming with another base width is refused.
    TrainOptions wrong = more;
    wrong.model = ModelOptions::paper(16);
    const QString e = errorOf([&] { Trainer(wrong).run(m_set.data); });
    QVERIFY2(e.contains("base width 8") && e.contains("16"), qPrintable(e));
  }

  void fineTuneWithFrozenEncoder() {
    TrainOptions base = tiny(1);
    base.outDir = path("base");
    Trainer(base).run(m_set.data);
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
      Trainer(o, cb).run(m_set.data, core::jobs::nullProgress(), token);
    } catch (const core::jobs::Cancelled&) {
      cancelled = true;
    }
    QVERIFY(cancelled);
    QCOMPARE(iterations, 7);
    // Epoch 1 finished before the cancel; the stop wrote last.pt of the newest weights (7 steps),
    // a valid checkpoint that loads.
    const CheckpointInfo last = readCheckpointInfo(path("cancelled/last.pt"));
    QCOMPARE(last.epoch, 1);
    QCOMPARE(last.iterations, std::int64_t(7));
    QVERIFY(!Model::load(path("cancelled/last.pt"), {DeviceRequest::Cpu}).empty());
  }

  void checkpointsAreBoundedByTimeAndSteps() {
    // 30 one-step epochs: before, 30 writes of last.pt and every periodic file kept.
    TrainOptions o = tiny(30);
    o.iterationsPerEpoch = 1;
    o.outDir = path("bounded");
    o.checkpointEvery = 2;
    o.keepCheckpoints = 3;
    o.saveEveryMinutes = 1;
    std::vector<EpochMetrics> epochs;
    TrainCallbacks cb;
    cb.onEpoch = [&](const EpochMetrics& m) { epochs.push_back(m); };
    std::string disk;
    cb.onMessage = [&](const std::string& m) { if (m.rfind("checkpoints:", 0) == 0) disk = m; };
    const TrainResult r = Trainer(o, cb).run(m_set.data);
    QCOMPARE(int(epochs.size()), 30);
    QVERIFY2(epochs.back().elapsedSeconds < 55, "the run must stay within one saving interval");
    QCOMPARE(r.lastWrites, 2); // after the first epoch and at the end
    QVERIFY(r.bestWrites >= 1 && r.bestWrites <= 2);
    QCOMPARE(r.periodicWrites, 15);
    QCOMPARE(r.periodicRemoved, 12);
    std::vector<std::string> periodic;
    std::uint64_t bytes = 0;
    for (const auto& e : fs::directory_iterator(path("bounded"))) {
      const std::string n = e.path().filename().string();
      if (n.rfind("epoch-", 0) == 0) periodic.push_back(n);
      if (e.path().extension() == ".pt") bytes += fs::file_size(e.path());
    }
    std::sort(periodic.begin(), periodic.end());
    QCOMPARE(periodic, (std::vector<std::string>{"epoch-0026.pt", "epoch-0028.pt", "epoch-0030.pt"}));
    QCOMPARE(r.keptFiles, 5);
    QCOMPARE(r.keptBytes, bytes);
    QVERIFY(r.bytesWritten > bytes);
    QVERIFY2(QString::fromStdString(disk).contains("5 files"), disk.c_str());
    // The end wrote last.pt of epoch 30, and best.pt holds the best validation loss of the run.
    QCOMPARE(readCheckpointInfo(path("bounded/last.pt")).epoch, 30);
    double bestLoss = epochs[0].valLoss;
    for (const auto& e : epochs) bestLoss = std::min(bestLoss, e.valLoss);
    const CheckpointInfo best = readCheckpointInfo(path("bounded/best.pt"));
    QCOMPARE(best.bestLoss, bestLoss);
    QCOMPARE(best.history.back().valLoss, bestLoss);

    // By steps: every 10 steps (the time interval is an hour): epochs 1, 11, 21 and the end.
    o.outDir = path("bounded-steps");
    o.saveEveryMinutes = 60;
    o.saveEverySteps = 10;
    o.checkpointEvery = 0;
    const TrainResult s = Trainer(o).run(m_set.data);
    QCOMPARE(s.lastWrites, 4);
    QCOMPARE(s.periodicWrites, 0);
  }

  void epochsHaveAMinimumOfSteps() {
    // One 64 x 64 crop covers a training slice, so the area alone would give one step per epoch.
    TrainOptions o = tiny(1);
    o.iterationsPerEpoch = 0;
    o.batch = 4;
    int perEpoch = 0, steps = 0;
    TrainCallbacks cb;
    cb.onIteration = [&](const IterationMetrics& m) {
      perEpoch = m.iterationsPerEpoch;
      ++steps;
    };
    Trainer(o, cb).run(m_set.data);
    QCOMPARE(perEpoch, o.minIterationsPerEpoch);
    QCOMPARE(steps, o.minIterationsPerEpoch);
  }

  void recipeIsStoredAndResumeContinuesIt() {
    TrainOptions o = tiny(1);
    o.outDir = path("recipe");
    o.loss = LossKind::BceClDice;
    o.lrSchedule = LrSchedule::Cosine;
    o.keepCheckpoints = 7;
    Trainer(o).run(m_set.data);
    const CheckpointInfo a = readCheckpointInfo(path("recipe/last.pt"));
    QCOMPARE(a.formatVersion, kCheckpointFormatVersion);
    QVERIFY(a.training.loss == LossKind::BceClDice);
    QVERIFY(a.training.lrSchedule == LrSchedule::Cosine);
    QCOMPARE(a.training.keepCheckpoints, 7);
    QCOMPARE(a.training.iterationsPerEpoch, 5);
    TrainOptions more = tiny(1); // the defaults ask for another recipe; the checkpoint's wins
    QVERIFY(more.loss != LossKind::BceClDice && more.lrSchedule != LrSchedule::Cosine);
    more.outDir = path("recipe");
    more.resumeFrom = path("recipe/last.pt");
    std::string said;
    TrainCallbacks cb;
    cb.onMessage = [&](const std::string& m) { said += m + "\n"; };
    Trainer(more, cb).run(m_set.data);
    const CheckpointInfo b = readCheckpointInfo(path("recipe/last.pt"));
    QCOMPARE(b.epoch, 2);
    QVERIFY(b.training.loss == LossKind::BceClDice);
    QVERIFY(b.training.lrSchedule == LrSchedule::Cosine);
    QVERIFY2(QString::fromStdString(said).contains("loss bce+cldice"), said.c_str());
  }

  void timeBudgetStops() {
    TrainOptions o = tiny(0);
    o.maxMinutes = 0.02; // 1.2 s
    o.iterationsPerEpoch = 100000;
    const TrainResult r = Trainer(o).run(m_set.data);
    QVERIFY(r.stoppedByTime);
    QCOMPARE(int(r.history.size()), 1);
    QVERIFY(r.history[0].elapsedSeconds < 30);
  }

  void stepBudgetStopsAfterThatManySteps() {
    TrainOptions o = tiny(0);
    o.maxSteps = 7; // mid-epoch: the epoch ends there (and validates)
    const TrainResult r = Trainer(o).run(m_set.data);
    QCOMPARE(int(r.history.size()), 2);
    QCOMPARE(r.history.back().iterations, std::int64_t(7));
    QVERIFY(!r.stoppedByTime);
  }

  void earlyStoppingStopsAndKeepsTheBestStrip() {
    // A learning rate too small to change anything: the first epoch is the best, and with
    // patience 2 the run stops after epoch 3 of 50; validation runs on held-out strips.
    TrainOptions o = tiny(50);
    o.learningRate = 1e-20;
    o.valStrip = 0.25;
    o.patience = 2;
    o.outDir = path("early");
    const TrainResult r = Trainer(o).run(m_set.data);
    QVERIFY(r.stoppedEarly);
    QCOMPARE(int(r.history.size()), 3);
    QCOMPARE(r.bestEpoch, 1);
    QCOMPARE(r.trainSlices, 4); // every slice trains on its upper rows ...
    QCOMPARE(r.validationSlices, 4); // ... and validates on its bottom strip
    QVERIFY(r.history[0].hasValidation);
    QVERIFY(r.history[0].valVoxels > 0 && r.history[0].valVoxels < m_set.data.labelledCount());
    QCOMPARE(readCheckpointInfo(r.bestCheckpoint).epoch, 1);
    o.patience = 0;
    o.epochs = 4;
    o.outDir.clear();
    QCOMPARE(int(Trainer(o).run(m_set.data).history.size()), 4); // patience 0: never stops early
  }

  void badOptions() {
    TrainOptions o = tiny(1);
    o.batch = 0;
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("batch"));
    o = tiny(0);
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("epochs"));
    o = tiny(1);
    o.valStrip = 1;
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("strip"));
    o = tiny(1);
    o.weightDecay = -1;
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("weight decay"));
    o = tiny(1);
    o.weightAverage = 1;
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("weight-average"));
    o = tiny(1);
    o.fineTuneFrom = path("nowhere.pt");
    QVERIFY(errorOf([&] { Trainer(o).run(m_set.data); }).contains("nowhere.pt"));
  }
};

QTEST_APPLESS_MAIN(TestMlTraining)
#include "test_ml_training.moc"
