// Weight averaging (TrainOptions::weightAverage, issue 14): the saved model is the exponential
// moving average of the weights after every step, compared with a hand computation over the
// weights of a plain run of the same steps. Reads weights through the engine's reader (Torch).
#include "TinyTraining.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Trainer.h"
#include "core/ml/detail/CheckpointIO.h"

#include <QtTest>
#include <algorithm>

using namespace core::ml;

class TestMlWeightAverage : public QObject {
  Q_OBJECT
  mltest::TinyTrainingSet m_set;
  std::string path(const std::string& name) const { return m_set.path(name); }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_set.dir.isValid()); }

  void weightAverageSavesTheMovingAverageOfTheSteps() {
    // Both runs start from the same weights and take 4 epochs of 1 step: the plain run keeps every
    // step's weights (epoch-NNNN.pt); the averaged run's last.pt must be their moving average.
    TrainOptions start = mltest::tinyTraining(1);
    start.outDir = path("avg-start");
    Trainer(start).run(m_set.data);
    auto run = [&](const std::string& dir, double decay) {
      TrainOptions o = mltest::tinyTraining(4);
      o.fineTuneFrom = path("avg-start/last.pt");
      o.iterationsPerEpoch = o.minIterationsPerEpoch = 1;
      o.saveEveryMinutes = 0;
      o.checkpointEvery = 1;
      o.keepCheckpoints = 0;
      o.learningRate = 1e-2; // steps large beside float rounding, so the warm-up shows
      o.weightAverage = decay;
      o.outDir = path(dir);
      return Trainer(o).run(m_set.data);
    };
    const TrainResult plain = run("avg-plain", 0);
    const TrainResult averaged = run("avg-ema", 0.5);
    auto weights = [](const std::string& p) { return core::ml::detail::loadCheckpoint(p, torch::kCPU).net->parameters(); };
    std::vector<torch::Tensor> expected = weights(path("avg-start/last.pt"));
    for (int n = 1; n <= 4; ++n) {
      const double d = std::min(0.5, (1.0 + n) / (10.0 + n)); // warm-up: 2/11 .. 5/14
      const auto w = weights(path("avg-plain/epoch-000" + std::to_string(n) + ".pt"));
      for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = d * expected[i] + (1 - d) * w[i];
    }
    const auto got = weights(averaged.lastCheckpoint), newest = weights(plain.lastCheckpoint);
    QCOMPARE(got.size(), expected.size());
    double error = 0, fromNewest = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      error = std::max(error, (got[i] - expected[i]).abs().max().item<double>());
      fromNewest = std::max(fromNewest, (got[i] - newest[i]).abs().max().item<double>());
    }
    QVERIFY2(error < 1e-6, qPrintable(QString::number(error)));
    QVERIFY2(fromNewest > 1e-5, qPrintable(QString::number(fromNewest))); // not simply the newest weights
    // Validation scored the average: the runs' last epochs differ although their steps were the same.
    QVERIFY(averaged.history.back().valLoss != plain.history.back().valLoss);
  }

};

QTEST_APPLESS_MAIN(TestMlWeightAverage)
#include "test_ml_weight_average.moc"
