// Evaluation metrics on known masks, JSON/CSV text, Otsu's threshold.
#include "core/ml/Metrics.h"

#include <QtTest>
#include <cmath>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

class TestMlMetrics : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void knownMasks() {
    // Slice 0: truth 4 crack voxels, prediction hits 3 and adds 1 -> tp 3 fp 1 fn 1 tn 11.
    // Slice 1: both empty.
    Volume truth({4, 4, 2}, VoxelType::UInt8), pred({4, 4, 2}, VoxelType::Float32);
    std::uint8_t* t = truth.as<std::uint8_t>();
    float* p = pred.as<float>();
    for (int i : {0, 1, 2, 3}) t[i] = 255;
    for (int i : {1, 2, 3, 7}) p[i] = 0.9f;
    p[0] = 0.49f;
    const Evaluation e = evaluate(pred, truth);
    QCOMPARE(e.perSlice[0].tp, std::int64_t(3));
    QCOMPARE(e.perSlice[0].fp, std::int64_t(1));
    QCOMPARE(e.perSlice[0].fn, std::int64_t(1));
    QCOMPARE(e.perSlice[0].tn, std::int64_t(11));
    QCOMPARE(e.overall.dice(), 6.0 / 8.0);
    QCOMPARE(e.overall.iou(), 3.0 / 5.0);
    QCOMPARE(e.overall.precision(), 0.75);
    QCOMPARE(e.overall.recall(), 0.75);
    QCOMPARE(e.perSlice[1].dice(), 1.0);
    QVERIFY(std::isnan(e.perSlice[1].precision()));
    // A lower threshold turns the 0.49 voxel into a hit.
    EvaluationOptions low;
    low.threshold = 0.4;
    QCOMPARE(evaluate(pred, truth, low).overall.tp, std::int64_t(4));
  }

  void conventionTruthIgnoresUnlabelled() {
    Volume truth({4, 1, 1}, VoxelType::UInt8), pred({4, 1, 1}, VoxelType::UInt8);
    const std::uint8_t t[4] = {0, 1, 2, 2}, p[4] = {1, 1, 1, 0};
    std::copy(t, t + 4, truth.as<std::uint8_t>());
    std::copy(p, p + 4, pred.as<std::uint8_t>());
    const Evaluation e = evaluate(pred, truth);
    QVERIFY(e.truthIsConvention);
    QCOMPARE(e.overall.total(), std::int64_t(3));
    QCOMPARE(e.overall.tp, std::int64_t(1));
    QCOMPARE(e.overall.fp, std::int64_t(1));
    QCOMPARE(e.overall.fn, std::int64_t(1));
  }

  void uint8ProbabilitiesAndErrors() {
    Volume truth({3, 1, 1}, VoxelType::UInt8), pred({3, 1, 1}, VoxelType::UInt8);
    truth.as<std::uint8_t>()[0] = 1;
    pred.as<std::uint8_t>()[0] = 200; // 0.78
    pred.as<std::uint8_t>()[1] = 100; // 0.39
    const Evaluation e = evaluate(pred, truth);
    QCOMPARE(e.overall.tp, std::int64_t(1));
    QCOMPARE(e.overall.fp, std::int64_t(0));
    Volume small({2, 1, 1}, VoxelType::UInt8);
    bool threw = false;
    try {
      evaluate(pred, small, {}, "p.tif", "t.tif");
    } catch (const std::runtime_error& ex) {
      threw = QString(ex.what()).contains("differ in size") && QString(ex.what()).contains("t.tif");
    }
    QVERIFY(threw);
  }

  void jsonAndCsv() {
    Volume truth({2, 1, 2}, VoxelType::UInt8), pred({2, 1, 2}, VoxelType::UInt8);
    truth.as<std::uint8_t>()[0] = 1;
    pred.as<std::uint8_t>()[0] = 1;
    const Evaluation e = evaluate(pred, truth);
    const QString json = QString::fromStdString(toJson(e));
    QVERIFY2(json.contains("\"overall\":{\"dice\":1,\"iou\":1,\"precision\":1,\"recall\":1,\"tp\":1"), qPrintable(json));
    QVERIFY(json.contains("{\"z\":1,\"dice\":1,\"iou\":1,\"precision\":null,\"recall\":null"));
    QVERIFY(QJsonDocument::fromJson(json.toUtf8()).isObject());
    const QStringList csv = QString::fromStdString(toCsv(e)).trimmed().split('\n');
    QCOMPARE(csv.size(), 4);
    QCOMPARE(csv[0], QString("slice,dice,iou,precision,recall,tp,fp,fn,tn"));
    QCOMPARE(csv[2], QString("1,1,1,,,0,0,0,2"));
    QVERIFY(csv[3].startsWith("all,1,1,1,1,1,0,0,"));
  }

  void otsuSeparatesTwoModes() {
    std::vector<float> v;
    for (int i = 0; i < 1000; ++i) v.push_back(100.0f + float(i % 10));
    for (int i = 0; i < 500; ++i) v.push_back(200.0f + float(i % 10));
    const double t = otsuThreshold(v);
    QVERIFY2(t > 109 && t < 200, qPrintable(QString::number(t)));
  }
};

QTEST_APPLESS_MAIN(TestMlMetrics)
#include "test_ml_metrics.moc"
