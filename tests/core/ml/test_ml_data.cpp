// Training data: normalisation, the label convention and its errors, augmentation.
#include "MlTestData.h"
#include "core/ml/Augmentation.h"
#include "core/ml/EarlyStopping.h"
#include "core/ml/TrainingData.h"

#include <QtTest>
#include <cmath>
#include <limits>
#include <numeric>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {
QString errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}
/// A 64 x 64 slice whose image is 10 on crack and 0 elsewhere: an 8-pixel checkerboard, so that
/// interpolation changes values only at edges.
TrainingSlice checkerboard(int channels = 1) {
  const int w = 64;
  TrainingSlice s;
  s.width = s.height = w;
  s.channels = channels;
  s.image.resize(std::size_t(w * w * channels));
  s.labels.resize(w * w);
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x) {
      const bool crack = (x / 8 + y / 8) % 2 == 0;
      s.labels[std::size_t(y * w + x)] = crack ? 2 : 1;
      for (int c = 0; c < channels; ++c) s.image[std::size_t(c * w * w + y * w + x)] = crack ? 10.0f : 0.0f;
      s.labelledCount++;
      s.crackCount += crack;
    }
  return s;
}

/// Every option beyond the reference on.
AugmentOptions strongAugmentation() {
  AugmentOptions a;
  a.elastic = 4;
  a.gamma = 0.4;
  a.contrast = 0.3;
  a.brightness = 0.3;
  a.blur = 1.0;
  a.noise = 0.2;
  return a;
}

struct Crop {
  std::vector<float> image;
  std::vector<std::uint8_t> labels;
};

Crop crop(const TrainingSlice& s, int side, const AugmentOptions& a, std::uint64_t seed) {
  Crop c{std::vector<float>(std::size_t(side * side * s.channels)), std::vector<std::uint8_t>(std::size_t(side * side))};
  std::mt19937_64 rng(seed);
  sampleCrop(s, side, a, rng, c.image.data(), c.labels.data());
  return c;
}
} // namespace

class TestMlData : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void normalisesPerSliceWithNanToZero() {
    Volume v({4, 1, 2}, VoxelType::Float32);
    float* p = v.as<float>();
    const float vals[8] = {1, 2, std::numeric_limits<float>::quiet_NaN(), 5, 7, 7, 7, 7};
    std::copy(vals, vals + 8, p);
    float out[4];
    normaliseSlice(v, 0, out);
    // NaN -> 0 first: values 1 2 0 5, mean 2, std sqrt(3.5)
    const double sd = std::sqrt(3.5);
    QVERIFY(std::abs(out[0] - (1 - 2) / sd) < 1e-6);
    QVERIFY(std::abs(out[2] - (0 - 2) / sd) < 1e-6);
    QVERIFY(std::abs(out[3] - (5 - 2) / sd) < 1e-6);
    normaliseSlice(v, 1, out); // constant slice: std floor 1e-7, all zero, finite
    for (float f : out) QCOMPARE(f, 0.0f);
  }

  void detectsEncodings() {
    Volume v({3, 1, 1}, VoxelType::UInt8);
    auto set = [&](int a, int b, int c) {
      v.as<std::uint8_t>()[0] = std::uint8_t(a);
      v.as<std::uint8_t>()[1] = std::uint8_t(b);
      v.as<std::uint8_t>()[2] = std::uint8_t(c);
    };
    set(0, 1, 1);
    QVERIFY(detectLabelEncoding(v, "m") == LabelEncoding::BinaryMask);
    set(0, 255, 0);
    QVERIFY(detectLabelEncoding(v, "m") == LabelEncoding::BinaryMask);
    set(0, 1, 2);
    QVERIFY(detectLabelEncoding(v, "m") == LabelEncoding::Convention);
    set(0, 3, 2);
    const QString e = errorOf([&] { detectLabelEncoding(v, "labels.tif"); });
    QVERIFY2(e.contains("labels.tif") && e.contains("value 3") && e.contains("outside the label convention"), qPrintable(e));
    set(2, 255, 0);
    QVERIFY(errorOf([&] { detectLabelEncoding(v, "m"); }).contains("255"));
    Volume f({2, 1, 1}, VoxelType::Float32);
    f.as<float>()[0] = 0.5f;
    QVERIFY(errorOf([&] { detectLabelEncoding(f, "p.nrrd"); }).contains("0.5"));
  }

  void binaryMaskBecomesFullyLabelled() {
    Volume m({4, 1, 1}, VoxelType::UInt8);
    m.as<std::uint8_t>()[1] = 255;
    Volume c = toConventionLabels(m, "mask");
    QCOMPARE(int(c.as<std::uint8_t>()[0]), 1);
    QCOMPARE(int(c.as<std::uint8_t>()[1]), 2);
    QCOMPARE(int(c.as<std::uint8_t>()[3]), 1);
  }

  void fromVolumesChecksInput() {
    auto [img, lab] = mltest::crackVolume(32, 32, 3, 1);
    Volume other({32, 32, 4}, VoxelType::UInt8);
    QString e = errorOf([&] { TrainingData::fromVolumes(img, other, {}, "img.tif", "lab.tif"); });
    QVERIFY2(e.contains("img.tif") && e.contains("lab.tif") && e.contains("differ in size"), qPrintable(e));
    Volume none({32, 32, 3}, VoxelType::UInt8);
    e = errorOf([&] { TrainingData::fromVolumes(img, none, {}, "img.tif", "lab.tif"); });
    QVERIFY2(e.contains("no labelled voxel"), qPrintable(e));
    Volume bad = lab.clone();
    bad.as<std::uint8_t>()[5] = 9;
    e = errorOf([&] { TrainingData::fromVolumes(img, bad, {}, "img.tif", "lab.tif"); });
    QVERIFY2(e.contains("value 9") && e.contains("lab.tif"), qPrintable(e));
  }

  void fullyAnnotatedCountsUnlabelledAsNotCrack() {
    auto [img, lab] = mltest::crackVolume(32, 32, 3, 2);
    // Keep only the crack labels; slice 1 is fully annotated, slice 2 has nothing.
    std::uint8_t* l = lab.as<std::uint8_t>();
    for (std::int64_t i = 0; i < lab.voxelCount(); ++i)
      if (l[i] == 1 || i >= 2 * 32 * 32) l[i] = 0;
    std::int64_t cracks0 = 0;
    for (int i = 0; i < 32 * 32; ++i) cracks0 += l[i] == 2;
    TrainingData d = TrainingData::fromVolumes(img, lab, {false, true, false});
    QCOMPARE(int(d.slices.size()), 2); // slice 2: no labels, not flagged -> skipped
    QCOMPARE(d.slices[0].labelledCount, cracks0);
    QVERIFY(!d.slices[0].labelledPixels.empty()); // sparse
    QCOMPARE(d.slices[1].labelledCount, std::int64_t(32 * 32));
    QCOMPARE(d.slices[1].sourceZ, std::int64_t(1));
  }

  void cropWithoutAugmentationCopiesPixels() {
    auto [img, lab] = mltest::crackVolume(64, 64, 1, 3);
    TrainingData d = TrainingData::fromVolumes(img, lab, {});
    AugmentOptions off;
    off.enabled = false;
    std::mt19937_64 rng(5);
    std::vector<float> im(32 * 32);
    std::vector<std::uint8_t> lb(32 * 32);
    sampleCrop(d.slices[0], 32, off, rng, im.data(), lb.data());
    // The crop is a plain copy (reflected "abc|cba" past the border) at one offset.
    const auto& s = d.slices[0];
    auto reflect = [](int i, int n) {
      while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
      return i;
    };
    int matches = 0;
    for (int oy = -32; oy <= 64; ++oy)
      for (int ox = -32; ox <= 64; ++ox) {
        bool ok = true;
        for (int y = 0; y < 32 && ok; ++y)
          for (int x = 0; x < 32 && ok; ++x) {
            const std::size_t src = std::size_t(reflect(oy + y, 64) * 64 + reflect(ox + x, 64));
            ok = im[std::size_t(y * 32 + x)] == s.image[src] && lb[std::size_t(y * 32 + x)] == s.labels[src];
          }
        matches += ok;
      }
    QCOMPARE(matches, 1);
  }

  void augmentationMovesImageAndLabelsTogether() {
    // Image equals 10 * label: after any warp, crack labels must sit on dark... here: bright pixels.
    const int w = 64;
    TrainingSlice s;
    s.width = s.height = w;
    s.image.resize(w * w);
    s.labels.resize(w * w);
    for (int y = 0; y < w; ++y)
      for (int x = 0; x < w; ++x) {
        const bool crack = (x / 8 + y / 8) % 2 == 0; // 8-px checkerboard: interpolation only at edges
        s.labels[std::size_t(y * w + x)] = crack ? 2 : 1;
        s.image[std::size_t(y * w + x)] = crack ? 10.0f : 0.0f;
        s.labelledCount++;
        s.crackCount += crack;
      }
    AugmentOptions on;
    std::mt19937_64 rng(11);
    std::vector<float> im(64 * 64);
    std::vector<std::uint8_t> lb(64 * 64);
    for (int rep = 0; rep < 5; ++rep) {
      sampleCrop(s, 64, on, rng, im.data(), lb.data());
      int agree = 0;
      for (std::size_t i = 0; i < im.size(); ++i) {
        QVERIFY(lb[i] == 1 || lb[i] == 2); // nearest: no new label values
        agree += (lb[i] == 2) == (im[i] > 5.0f);
      }
      QVERIFY2(agree > int(im.size() * 0.95), qPrintable(QString::number(agree)));
    }
  }

  void strongAugmentationKeepsShapeAndWritesNoMore() {
    const TrainingSlice s = checkerboard(3);
    const int side = 64;
    const std::size_t n = std::size_t(side * side);
    std::vector<float> im(3 * n + 16, -777.0f);
    std::vector<std::uint8_t> lb(n + 16, 99);
    std::mt19937_64 rng(3);
    sampleCrop(s, side, strongAugmentation(), rng, im.data(), lb.data());
    for (std::size_t i = 0; i < 3 * n; ++i) QVERIFY(std::isfinite(im[i]) && im[i] != -777.0f);
    for (std::size_t i = 3 * n; i < im.size(); ++i) QCOMPARE(im[i], -777.0f); // nothing past the crop
    for (std::size_t i = 0; i < n; ++i) QVERIFY(lb[i] == 1 || lb[i] == 2);
    for (std::size_t i = n; i < lb.size(); ++i) QCOMPARE(lb[i], std::uint8_t(99));
  }

  void elasticDeformationMovesLabelsWithTheImage() {
    const TrainingSlice s = checkerboard();
    AugmentOptions elastic;
    elastic.elastic = 6;
    int changed = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const Crop c = crop(s, 64, elastic, seed);
      AugmentOptions plain = elastic;
      plain.elastic = 0;
      const Crop p = crop(s, 64, plain, seed);
      int agree = 0;
      for (std::size_t i = 0; i < c.image.size(); ++i) {
        agree += (c.labels[i] == 2) == (c.image[i] > 5.0f);
        changed += c.labels[i] != p.labels[i];
      }
      QVERIFY2(agree > int(c.image.size() * 0.95), qPrintable(QString::number(agree)));
    }
    QVERIFY2(changed > 5 * 64 * 64 / 50, qPrintable(QString::number(changed))); // the field does deform
  }

  void scaleAugmentationMagnifiesImageAndLabelsAlike() {
    // No rotation, shear, zoom jitter or flips: only the magnification changes the 8-pixel squares.
    const TrainingSlice s = checkerboard();
    AugmentOptions a;
    a.maxRotationDegrees = 0;
    a.shear = 0;
    a.zoom = 0;
    a.flips = false;
    auto transitionsPerRow = [](const Crop& c) {
      int t = 0;
      for (int y = 0; y < 64; ++y)
        for (int x = 1; x < 64; ++x) t += c.labels[std::size_t(y * 64 + x)] != c.labels[std::size_t(y * 64 + x - 1)];
      return double(t) / 64.0;
    };
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const Crop plain = crop(s, 64, a, seed);
      AugmentOptions twice = a;
      twice.scaleMin = twice.scaleMax = 2;
      const Crop big = crop(s, 64, twice, seed);
      // 64 crop pixels cross 8 squares unmagnified (7 or 8 edges), 4 at twice the size (3 or 4).
      QVERIFY2(transitionsPerRow(plain) >= 7 && transitionsPerRow(plain) <= 8, qPrintable(QString::number(transitionsPerRow(plain))));
      QVERIFY2(transitionsPerRow(big) >= 3 && transitionsPerRow(big) <= 4, qPrintable(QString::number(transitionsPerRow(big))));
      int agree = 0;
      for (std::size_t i = 0; i < big.image.size(); ++i) agree += (big.labels[i] == 2) == (big.image[i] > 5.0f);
      QVERIFY2(agree > int(big.image.size() * 0.95), qPrintable(QString::number(agree)));
    }
    // A range draws a magnification per crop; 1,1 is off (hasScale() guards the draw, so crops are as before).
    AugmentOptions range = a;
    range.scaleMin = 0.5;
    range.scaleMax = 2;
    double fewest = 1e9, most = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      const double t = transitionsPerRow(crop(s, 64, range, seed));
      fewest = std::min(fewest, t);
      most = std::max(most, t);
    }
    QVERIFY2(fewest < 6 && most > 10, qPrintable(QString("%1 %2").arg(fewest).arg(most)));
    AugmentOptions off = strongAugmentation();
    off.scaleMin = off.scaleMax = 1;
    QVERIFY(!off.hasScale());
    QVERIFY(range.hasScale());
    AugmentOptions upOnly = a;
    upOnly.scaleMax = 1.5;
    QVERIFY(upOnly.hasScale());
  }

  void intensityJitterChangesTheImageOnlyAndKeepsItsOrder() {
    const TrainingSlice s = checkerboard();
    AugmentOptions jitter = strongAugmentation();
    jitter.elastic = 0;
    jitter.blur = 0; // blur and noise break the order; checked apart below
    jitter.noise = 0;
    AugmentOptions plain; // the same warp without the jitter
    plain.elastic = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const Crop j = crop(s, 64, jitter, seed), p = crop(s, 64, plain, seed);
      QVERIFY(j.labels == p.labels); // the geometry draws come first: same warp, same labels
      QVERIFY(j.image != p.image);
      // Gamma, contrast and brightness are monotone: brighter stays brighter.
      for (std::size_t i = 1; i < p.image.size(); ++i)
        if (p.image[i] > p.image[i - 1] + 1e-3f) QVERIFY(j.image[i] > j.image[i - 1]);
    }
    AugmentOptions noisy = plain;
    noisy.noise = 0.5;
    noisy.blur = 2;
    const Crop n = crop(s, 64, noisy, 7), p = crop(s, 64, plain, 7);
    QVERIFY(n.labels == p.labels);
    double diff = 0;
    for (std::size_t i = 0; i < n.image.size(); ++i) diff += std::abs(n.image[i] - p.image[i]);
    QVERIFY(diff / double(n.image.size()) > 0.05);
  }

  void augmentationRepeatsFromASeed() {
    const TrainingSlice s = checkerboard(3);
    const Crop a = crop(s, 64, strongAugmentation(), 12), b = crop(s, 64, strongAugmentation(), 12);
    QVERIFY(a.image == b.image);
    QVERIFY(a.labels == b.labels);
    const Crop c = crop(s, 64, strongAugmentation(), 13);
    QVERIFY(a.image != c.image);
  }

  void intensityJitterThatIsOffChangesAndDrawsNothing() {
    // Off (the default) means the former crops exactly: no pixel changes and no random number is used.
    std::vector<float> im(64 * 64), before;
    for (std::size_t i = 0; i < im.size(); ++i) im[i] = float(i % 7) - 3.0f;
    before = im;
    std::mt19937_64 r1(5), r2(5);
    jitterIntensity(im.data(), 1, 64, 64, AugmentOptions{}, r1);
    QVERIFY(im == before);
    QCOMPARE(r1(), r2());
    AugmentOptions on;
    on.noise = 0.1;
    jitterIntensity(im.data(), 1, 64, 64, on, r1);
    QVERIFY(im != before);
  }

  void heldOutStripsSplitEverySliceByRows() {
    auto [img, lab] = mltest::crackVolume(40, 20, 2, 4);
    const TrainingData d = TrainingData::fromVolumes(img, lab, {true});
    TrainingData train, val;
    holdOutStrips(d, 0.25, train, val);
    QCOMPARE(int(train.slices.size()), 2);
    QCOMPARE(int(val.slices.size()), 2);
    for (int i = 0; i < 2; ++i) {
      const TrainingSlice &s = d.slices[std::size_t(i)], &t = train.slices[std::size_t(i)], &v = val.slices[std::size_t(i)];
      QCOMPARE(t.width, 40);
      QCOMPARE(t.height, 15);
      QCOMPARE(v.height, 5);
      // The rows themselves, images and labels together: top rows train, bottom rows validate.
      QVERIFY(std::equal(t.image.begin(), t.image.end(), s.image.begin()));
      QVERIFY(std::equal(v.image.begin(), v.image.end(), s.image.begin() + 15 * 40));
      QVERIFY(std::equal(v.labels.begin(), v.labels.end(), s.labels.begin() + 15 * 40));
      QCOMPARE(t.labelledCount + v.labelledCount, s.labelledCount);
      QCOMPARE(t.crackCount + v.crackCount, s.crackCount);
    }
    QVERIFY(errorOf([&] { holdOutStrips(d, 0, train, val); }).contains("strip"));
    QVERIFY(errorOf([&] { holdOutStrips(d, 1, train, val); }).contains("strip"));
  }

  void earlyStoppingKeepsTheBestAndCountsPatience() {
    EarlyStopping e(2);
    QVERIFY(e.record(1, 0.5));
    QVERIFY(!e.record(2, 0.6));
    QVERIFY(!e.shouldStop());
    QVERIFY(e.record(3, 0.4)); // a new best resets the count
    QCOMPARE(e.bestEpoch(), 3);
    QVERIFY(!e.record(4, std::numeric_limits<double>::quiet_NaN())); // NaN never improves
    QVERIFY(!e.record(5, 0.4));                                      // equal is not better
    QVERIFY(e.shouldStop());
    QCOMPARE(e.best(), 0.4);
    QCOMPARE(e.epochsSinceBest(), 2);
    EarlyStopping never(0);
    for (int i = 1; i <= 50; ++i) never.record(i, 1.0);
    QVERIFY(!never.shouldStop());
    // Dice is watched as -Dice (higher is better); without validation the training loss counts.
    QCOMPARE(selectionScore(BestMetric::Dice, true, 0.3, 0.2, 0.7), -0.7);
    QCOMPARE(selectionScore(BestMetric::Loss, true, 0.3, 0.2, 0.7), 0.2);
    QCOMPARE(selectionScore(BestMetric::Dice, false, 0.3, 0.2, 0.7), 0.3);
    QVERIFY(parseBestMetric("dice") == BestMetric::Dice);
    QVERIFY(errorOf([] { parseBestMetric("f1"); }).contains("loss or dice"));
  }

  void cropSizesAreMultiplesOf32() {
    QCOMPARE(cropSizeFor(256, 1000, 1000), 256);
    QCOMPARE(cropSizeFor(250, 1000, 1000), 224);
    QCOMPARE(cropSizeFor(256, 64, 50), 64);
    QCOMPARE(cropSizeFor(256, 20, 20), 32);
  }
};

QTEST_APPLESS_MAIN(TestMlData)
#include "test_ml_data.moc"
