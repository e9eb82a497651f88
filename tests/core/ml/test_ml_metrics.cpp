// Evaluation metrics on known masks, JSON/CSV text, Otsu's threshold; clDice and boundary F1 on
// small hand-drawn slices whose values are worked out in the comments.
#include "core/ml/Metrics.h"

#include <QtTest>
#include <cmath>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {
/// A w x h mask with pixels (x, y) for x in [x0, x1] and y in [y0, y1] set to \p v.
void fill(std::vector<std::uint8_t>& m, int w, int x0, int x1, int y0, int y1, std::uint8_t v = 1) {
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) m[std::size_t(y * w + x)] = v;
}
int count(const std::vector<std::uint8_t>& m) {
  int n = 0;
  for (auto v : m) n += v != 0;
  return n;
}
} // namespace

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
    QVERIFY(csv[0].startsWith("slice,dice,iou,precision,recall,tp,fp,fn,tn,"));
    QVERIFY(csv[3].startsWith("all,1,1,1,1,1,0,0,"));
    QVERIFY2(json.contains("\"cldice\":1,") && json.contains("\"boundary_f1\":1,"), qPrintable(json));
    QVERIFY(csv[0].endsWith(",tn,cldice,topology_precision,topology_sensitivity,boundary_f1,boundary_precision,boundary_recall,"
                              "relaxed_f1,relaxed_precision,relaxed_recall"));
    QCOMPARE(csv[2], QString("1,1,1,,,0,0,0,2,1,,,1,,,1,,"));
    QVERIFY2(json.contains("\"relaxed_f1\":1,"), qPrintable(json));
  }

  void skeletonKeepsLinesAndThinsBars() {
    const int w = 16, h = 16;
    // A 1-pixel line (straight or diagonal) is its own skeleton: every inner pixel has two
    // neighbours on opposite sides (two 0->1 transitions), ends have one neighbour.
    std::vector<std::uint8_t> line(w * h, 0), diagonal(w * h, 0);
    fill(line, w, 2, 13, 5, 5);
    for (int i = 2; i < 12; ++i) diagonal[std::size_t(i * w + i)] = 1;
    QVERIFY(skeletonize(line.data(), w, h) == line);
    QVERIFY(skeletonize(diagonal.data(), w, h) == diagonal);
    // A bar 3 pixels wide thins to pixels of its middle row only.
    std::vector<std::uint8_t> bar(w * h, 0);
    fill(bar, w, 2, 13, 4, 6);
    const std::vector<std::uint8_t> s = skeletonize(bar.data(), w, h);
    QVERIFY(count(s) >= 8);
    for (int i = 0; i < w * h; ++i)
      if (s[std::size_t(i)]) QCOMPARE(i / w, 5);
    // Plain Zhang-Suen erases a 2x2 block; ours keeps one pixel of it.
    std::vector<std::uint8_t> block(w * h, 0);
    fill(block, w, 7, 8, 7, 8);
    QCOMPARE(count(skeletonize(block.data(), w, h)), 1);
  }

  void lineShiftedByOnePixel() {
    // Truth: row 5, x 2..13; prediction: row 6. No pixel shared: Dice 0, and neither skeleton lies
    // in the other mask: clDice 0. Every boundary pixel (the whole line) has a boundary pixel of
    // the other side one row away: boundary F1 1.
    const int w = 16, h = 16;
    std::vector<std::uint8_t> t(w * h, 0), p(w * h, 0);
    fill(t, w, 2, 13, 5, 5);
    fill(p, w, 2, 13, 6, 6);
    const ThinCounts c = thinCounts(p.data(), t.data(), w, h);
    QCOMPARE(c.predSkeleton, std::int64_t(12));
    QCOMPARE(c.predSkeletonInTruth, std::int64_t(0));
    QCOMPARE(c.clDice(), 0.0);
    QCOMPARE(c.predBoundary, std::int64_t(12));
    QCOMPARE(c.boundaryPrecision(), 1.0);
    QCOMPARE(c.boundaryRecall(), 1.0);
    QCOMPARE(c.boundaryF1(), 1.0);
    // So is every pixel: relaxed F1 1.
    QCOMPARE(c.predPixels, std::int64_t(12));
    QCOMPARE(c.truthNearPred, std::int64_t(12));
    QCOMPARE(c.relaxedF1(), 1.0);
    // Two rows away no pixel is within one pixel of the other side; three rows away nothing matches.
    std::vector<std::uint8_t> two(w * h, 0), far(w * h, 0);
    fill(two, w, 2, 13, 7, 7);
    QCOMPARE(thinCounts(two.data(), t.data(), w, h).relaxedF1(), 0.0);
    fill(far, w, 2, 13, 8, 8);
    QCOMPARE(thinCounts(far.data(), t.data(), w, h).boundaryF1(), 0.0);
    // Half a line one row away: precision 6/6; recall: truth pixels x 2..8 are within one pixel
    // of prediction pixels x 2..7, 7 of 12. F1 = 2 * 1 * 7/12 / (1 + 7/12) = 14/19.
    std::vector<std::uint8_t> half(w * h, 0);
    fill(half, w, 2, 7, 6, 6);
    const ThinCounts hc = thinCounts(half.data(), t.data(), w, h);
    QCOMPARE(hc.boundaryPrecision(), 1.0);
    QCOMPARE(hc.boundaryRecall(), 7.0 / 12.0);
    QVERIFY(std::abs(hc.boundaryF1() - 14.0 / 19.0) < 1e-12);
    // The line is all boundary, so the relaxed measures agree here.
    QCOMPARE(hc.relaxedPrecision(), 1.0);
    QCOMPARE(hc.relaxedRecall(), 7.0 / 12.0);
    QVERIFY(std::abs(hc.relaxedF1() - 14.0 / 19.0) < 1e-12);
  }

  void relaxedF1CountsEveryPixel() {
    // Truth: row 5, x 2..13; a line one row off (row 6) for the labelled-pixel case below.
    const int w = 16, h = 16;
    std::vector<std::uint8_t> t(w * h, 0), one(w * h, 0);
    fill(t, w, 2, 13, 5, 5);
    fill(one, w, 2, 13, 6, 6);
    // A bar 5 rows wide (3..7) marked for the one-row truth: rows 4..6 are near it, 3 and 7 are
    // not: precision 36/60, recall 1.
    std::vector<std::uint8_t> bar(w * h, 0);
    fill(bar, w, 2, 13, 3, 7);
    const ThinCounts bc = thinCounts(bar.data(), t.data(), w, h);
    QCOMPARE(bc.relaxedPrecision(), 36.0 / 60.0);
    QCOMPARE(bc.relaxedRecall(), 1.0);
    // Its boundary alone (rows 3 and 7 and the two end columns) would say otherwise: the long
    // edges are two rows from the truth.
    QVERIFY(bc.boundaryPrecision() < 0.5);
    // Only counted pixels count: with row 6 alone counted, the truth (row 5) has no pixel.
    std::vector<std::uint8_t> counted(w * h, 0);
    fill(counted, w, 0, 15, 6, 6);
    const ThinCounts cc = thinCounts(one.data(), t.data(), w, h, counted.data());
    QCOMPARE(cc.truthPixels, std::int64_t(0));
    QCOMPARE(cc.predPixels, std::int64_t(12));
    QCOMPARE(cc.relaxedF1(), 0.0);
    // Both empty: 1, as clDice and boundary F1.
    std::vector<std::uint8_t> none(w * h, 0);
    QCOMPARE(thinCounts(none.data(), none.data(), w, h).relaxedF1(), 1.0);
  }

  void thickBarAgainstItsCentreline() {
    // Truth: a bar 3 rows x 12; prediction: its middle row. Dice 2*12/(36+12) = 0.5, but the
    // prediction's skeleton lies in the bar (Tprec 1) and the bar's skeleton lies on the middle
    // row (Tsens 1): clDice 1. The bar's boundary (36 pixels less the 10 inner ones) is all
    // within one pixel of the line, and the line of the bar's rows 4 and 6: boundary F1 1.
    const int w = 16, h = 16;
    Volume truth({w, h, 1}, VoxelType::UInt8), pred({w, h, 1}, VoxelType::UInt8);
    std::vector<std::uint8_t> t(w * h, 0), p(w * h, 0);
    fill(t, w, 2, 13, 4, 6);
    fill(p, w, 2, 13, 5, 5);
    std::copy(t.begin(), t.end(), truth.as<std::uint8_t>());
    std::copy(p.begin(), p.end(), pred.as<std::uint8_t>());
    const Evaluation e = evaluate(pred, truth);
    QCOMPARE(e.overall.dice(), 0.5);
    QCOMPARE(e.overallThin.topologyPrecision(), 1.0);
    QCOMPARE(e.overallThin.topologySensitivity(), 1.0);
    QCOMPARE(e.overallThin.clDice(), 1.0);
    QCOMPARE(e.overallThin.truthBoundary, std::int64_t(26));
    QCOMPARE(e.overallThin.boundaryF1(), 1.0);
    // The other way round (a bar predicted for a thin crack): clDice stays 1, precision of Dice drops.
    const ThinCounts swapped = thinCounts(t.data(), p.data(), w, h);
    QCOMPARE(swapped.clDice(), 1.0);
    // A prediction that covers only the left half of the bar: Tsens is the share of the bar's
    // skeleton at x <= 7, strictly between 0 and 1, so clDice < 1.
    std::vector<std::uint8_t> left(w * h, 0);
    fill(left, w, 2, 7, 4, 6);
    const ThinCounts lc = thinCounts(left.data(), t.data(), w, h);
    QCOMPARE(lc.topologyPrecision(), 1.0);
    QVERIFY(lc.topologySensitivity() > 0.2 && lc.topologySensitivity() < 0.8);
    QVERIFY(lc.clDice() < 0.9);
  }

  void emptyCasesAndLabels() {
    const int w = 8, h = 8;
    std::vector<std::uint8_t> none(w * h, 0), some(w * h, 0);
    fill(some, w, 1, 6, 3, 3);
    const ThinCounts both = thinCounts(none.data(), none.data(), w, h);
    QCOMPARE(both.clDice(), 1.0);
    QCOMPARE(both.boundaryF1(), 1.0);
    QVERIFY(std::isnan(both.topologyPrecision()) && std::isnan(both.boundaryRecall()));
    const ThinCounts missed = thinCounts(none.data(), some.data(), w, h);
    QCOMPARE(missed.clDice(), 0.0);
    QCOMPARE(missed.boundaryF1(), 0.0);
    QVERIFY(std::isnan(missed.topologyPrecision()));
    QCOMPARE(missed.topologySensitivity(), 0.0);
    QCOMPARE(thinCounts(some.data(), none.data(), w, h).clDice(), 0.0);
    // Labels: a predicted line on unlabelled voxels is not counted; the binary reading of the
    // same reference counts it as a false centreline (Tprec 6/12).
    Volume labels({w, h, 1}, VoxelType::UInt8), pred({w, h, 1}, VoxelType::UInt8);
    std::uint8_t* l = labels.as<std::uint8_t>();
    for (int x = 1; x <= 6; ++x) l[3 * w + x] = 2;
    for (int x = 0; x < w; ++x) l[2 * w + x] = l[4 * w + x] = 1;
    std::uint8_t* q = pred.as<std::uint8_t>();
    for (int x = 1; x <= 6; ++x) q[3 * w + x] = q[6 * w + x] = 1;
    const Evaluation e = evaluate(pred, labels);
    QVERIFY(e.truthIsConvention);
    QCOMPARE(e.overallThin.predSkeleton, std::int64_t(6));
    QCOMPARE(e.overallThin.clDice(), 1.0);
    EvaluationOptions asMask;
    asMask.truth = TruthEncoding::BinaryMask;
    const Evaluation m = evaluate(pred, labels, asMask);
    QCOMPARE(m.overallThin.topologyPrecision(), 0.5); // nonzero labels (1 and 2) are all "crack" here
  }

  void slabsAppend() {
    Volume truth({8, 8, 2}, VoxelType::UInt8), pred({8, 8, 2}, VoxelType::UInt8);
    for (int x = 1; x <= 6; ++x) {
      truth.as<std::uint8_t>()[3 * 8 + x] = 1;
      pred.as<std::uint8_t>()[64 + 3 * 8 + x] = 1;
    }
    const Evaluation whole = evaluate(pred, truth);
    Evaluation parts = evaluate(pred.crop(core::volume::Region{{0, 0, 0}, {8, 8, 1}}),
                                truth.crop(core::volume::Region{{0, 0, 0}, {8, 8, 1}}));
    parts.append(evaluate(pred.crop(core::volume::Region{{0, 0, 1}, {8, 8, 1}}),
                          truth.crop(core::volume::Region{{0, 0, 1}, {8, 8, 1}})));
    QCOMPARE(parts.perSliceThin.size(), std::size_t(2));
    QCOMPARE(parts.overallThin.truthSkeleton, whole.overallThin.truthSkeleton);
    QCOMPARE(parts.overallThin.predSkeleton, whole.overallThin.predSkeleton);
    QCOMPARE(whole.overallThin.clDice(), 0.0); // each slice has only one side
    QCOMPARE(whole.perSliceThin[0].truthSkeleton, std::int64_t(6));
  }

  void otsuSeparatesTwoModes() {
    std::vector<float> v;
    for (int i = 0; i < 1000; ++i) v.push_back(100.0f + float(i % 10));
    for (int i = 0; i < 500; ++i) v.push_back(200.0f + float(i % 10));
    const double t = otsuThreshold(v);
    QVERIFY2(t > 109 && t < 200, qPrintable(QString::number(t)));
  }

  void entropyIsZeroWhenSureAndOneAtOneHalf() {
    const std::vector<std::uint8_t> sure{0, 255, 0, 255}, unsure(10, 128);
    QCOMPARE(meanBinaryEntropy(sure.data(), sure.size()), 0.0);
    QVERIFY(std::abs(meanBinaryEntropy(unsure.data(), unsure.size()) - 1.0) < 1e-3);
    QCOMPARE(meanBinaryEntropy(nullptr, 0), 0.0);
  }

  void slicesRankMostUncertainFirst() {
    core::volume::Volume p({4, 4, 4}, core::volume::VoxelType::UInt8);
    const std::uint8_t values[4] = {0, 128, 230, 64}; // slice 1 most uncertain, then 3, then 2, then 0
    for (std::int64_t z = 0; z < 4; ++z) std::fill_n(p.as<std::uint8_t>() + z * 16, 16, values[z]);
    const SliceRanking r = rankSlicesByUncertainty(p, {0, 1, 2, 3, 9, -1});
    QCOMPARE(r.size(), std::size_t(4)); // 9 and -1 lie outside
    QCOMPARE(r[0].first, std::int64_t(1));
    QCOMPARE(r[1].first, std::int64_t(3));
    QCOMPARE(r[2].first, std::int64_t(2));
    QCOMPARE(r[3].first, std::int64_t(0));
    QVERIFY(r[0].second > r[1].second && r[1].second > r[2].second && r[2].second > r[3].second);
  }
};

QTEST_APPLESS_MAIN(TestMlMetrics)
#include "test_ml_metrics.moc"
