// The tuned baselines of CrackFilters.h on small synthetic slices: a 1-pixel dark line beside a
// dark round pore (dark, but not crack). A tuned top-hat finds the line and leaves the pore; a
// global threshold cannot; a ridge filter finds the line at a small scale; thresholds are the
// Dice-best ones; unlabelled pixels do not count; bad settings and empty labels are errors.
#include "core/analysis/CrackFilters.h"

#include <QtTest>
#include <cmath>
#include <random>

using namespace core::analysis;

namespace {

struct Scene {
  int w = 96, h = 96;
  std::vector<float> image;
  std::vector<std::uint8_t> labels; // 1 not crack, 2 crack
};

/// Bright background with mild noise, a dark 1-pixel line (row \p row, then diagonal) and a dark
/// pore of radius 9 at (\p px, \p py); z-scored like normaliseSlice.
Scene scene(int row, int px, int py, unsigned seed) {
  Scene s;
  s.image.assign(std::size_t(s.w * s.h), 1.0f);
  s.labels.assign(std::size_t(s.w * s.h), 1);
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.03f);
  for (int y = 0; y < s.h; ++y)
    for (int x = 0; x < s.w; ++x) {
      float& v = s.image[std::size_t(y * s.w + x)];
      if ((x - px) * (x - px) + (y - py) * (y - py) <= 81) v = 0.2f;
      v += noise(rng);
    }
  auto crack = [&](int x, int y) {
    s.image[std::size_t(y * s.w + x)] = 0.2f + noise(rng);
    s.labels[std::size_t(y * s.w + x)] = 2;
  };
  for (int x = 5; x < 50; ++x) crack(x, row);
  for (int i = 0; i < 30; ++i) crack(50 + i, row + i);
  double sum = 0, sum2 = 0;
  for (float v : s.image) {
    sum += v;
    sum2 += double(v) * v;
  }
  const double mean = sum / double(s.image.size()), sd = std::sqrt(sum2 / double(s.image.size()) - mean * mean);
  for (float& v : s.image) v = float((v - mean) / sd);
  return s;
}

double dice(const Scene& s, const CrackFilterParams& p) {
  std::vector<std::uint8_t> mask(s.image.size());
  applyCrackFilter(p, s.image.data(), s.w, s.h, mask.data());
  std::int64_t tp = 0, fp = 0, fn = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (s.labels[i] == 0) continue;
    const bool c = s.labels[i] == 2;
    if (mask[i] && c) ++tp;
    else if (mask[i]) ++fp;
    else if (c) ++fn;
  }
  return 2.0 * double(tp) / double(2 * tp + fp + fn);
}

std::vector<FilterSlice> slices(const Scene& s) { return {FilterSlice{s.w, s.h, s.image.data(), s.labels.data()}}; }

} // namespace

class TestCrackFilters : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void bestThresholdMaximisesDice() {
    // Crack at responses 3, 4, 5; not crack at 0, 1, 2 and 3.5: the best cut keeps 3..5 and
    // 3.5 (Dice 6/7) over 4..5 (Dice 4/5): a threshold in (2, 3].
    const std::vector<float> r = {0, 1, 2, 3, 3.5f, 4, 5, std::nanf("")};
    const std::vector<std::uint8_t> c = {0, 0, 0, 1, 0, 1, 1, 0};
    const ThresholdChoice t = bestThreshold(r.data(), c.data(), r.size());
    QVERIFY2(t.threshold > 2 && t.threshold <= 3, qPrintable(QString::number(t.threshold)));
    QVERIFY(std::abs(t.dice - 6.0 / 7.0) < 1e-12);
    // Perfectly separable: Dice 1.
    const std::vector<std::uint8_t> c2 = {0, 0, 0, 1, 1, 1, 1, 0};
    QCOMPARE(bestThreshold(r.data(), c2.data(), r.size()).dice, 1.0);
  }

  void topHatFindsTheLineAndLeavesThePore() {
    const Scene train = scene(20, 70, 70, 1), test = scene(60, 25, 30, 2);
    const TunedFilter hat = tuneCrackFilter(CrackFilter::BlackTopHat, slices(train));
    qInfo("top-hat %s: train Dice %.3f, test Dice %.3f", hat.params.describe().c_str(), hat.trainDice, dice(test, hat.params));
    QVERIFY2(hat.trainDice > 0.9, qPrintable(QString::fromStdString(hat.params.describe())));
    QVERIFY2(hat.params.radius < 9, qPrintable(QString::fromStdString(hat.params.describe())));
    QCOMPARE(hat.candidates >= 16, true);
    // Tuned on one slice, it transfers to another with the line and the pore elsewhere.
    QVERIFY2(dice(test, hat.params) > 0.85, qPrintable(QString::number(dice(test, hat.params))));
    // A global threshold cannot tell the pore (254 pixels) from the line (75 pixels).
    const TunedFilter grey = tuneCrackFilter(CrackFilter::Threshold, slices(train));
    qInfo("threshold %s: train Dice %.3f", grey.params.describe().c_str(), grey.trainDice);
    QVERIFY2(grey.trainDice < 0.6, qPrintable(QString::number(grey.trainDice)));
    QVERIFY(hat.trainDice > grey.trainDice + 0.3);
  }

  void ridgeFindsTheLineAtASmallScale() {
    const Scene train = scene(20, 70, 70, 3), test = scene(60, 25, 30, 4);
    const TunedFilter ridge = tuneCrackFilter(CrackFilter::Ridge, slices(train));
    const QString what = QString::fromStdString(ridge.params.describe());
    qInfo("ridge %s: train Dice %.3f, test Dice %.3f", ridge.params.describe().c_str(), ridge.trainDice,
          dice(test, ridge.params));
    QVERIFY2(ridge.trainDice > 0.75, qPrintable(what + " " + QString::number(ridge.trainDice)));
    QVERIFY2(ridge.params.scales.front() <= 1.5, qPrintable(what));
    QVERIFY2(dice(test, ridge.params) > 0.7, qPrintable(what));
    QVERIFY(ridge.candidates > 12); // the coarse grid and at least one run of scales
  }

  void unlabelledPixelsDoNotCount() {
    // With the pore unlabelled, even a plain threshold separates line from background.
    Scene s = scene(20, 70, 70, 5);
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x)
        if ((x - 70) * (x - 70) + (y - 70) * (y - 70) <= 144) s.labels[std::size_t(y * s.w + x)] = 0;
    const TunedFilter grey = tuneCrackFilter(CrackFilter::Threshold, slices(s));
    qInfo("threshold, pore unlabelled: %s, train Dice %.3f", grey.params.describe().c_str(), grey.trainDice);
    QVERIFY2(grey.trainDice > 0.9, qPrintable(QString::number(grey.trainDice)));
  }

  void badInput() {
    Scene s = scene(20, 70, 70, 6);
    std::fill(s.labels.begin(), s.labels.end(), 0);
    QVERIFY_EXCEPTION_THROWN(tuneCrackFilter(CrackFilter::BlackTopHat, slices(s)), std::invalid_argument);
    QVERIFY_EXCEPTION_THROWN(tuneCrackFilter(CrackFilter::Ridge, {}), std::invalid_argument);
    CrackFilterParams p;
    p.filter = CrackFilter::BlackTopHat;
    p.radius = 0;
    std::vector<float> out(s.image.size());
    QVERIFY_EXCEPTION_THROWN(crackResponse(p, s.image.data(), s.w, s.h, out.data()), std::invalid_argument);
    p.filter = CrackFilter::Ridge;
    p.scales = {};
    QVERIFY_EXCEPTION_THROWN(crackResponse(p, s.image.data(), s.w, s.h, out.data()), std::invalid_argument);
  }
};

QTEST_APPLESS_MAIN(TestCrackFilters)
#include "test_crack_filters.moc"
