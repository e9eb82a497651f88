// `cdnet bench real` without the real sample: a missing --real, a missing folder or file and a
// zero-shot run without a model are clear errors (exit 1, one line naming what is missing); on a
// small synthetic "sample" (dark lines and pores on a bright field, mask on the lines) the whole
// benchmark runs, its tuned top-hat finds the lines on the unseen half, and a zero-shot run
// predicts with the model the first run kept; --loss and --aug-scale reach the trainer (a bad
// magnification range is a clear error); --self-train never reads
// the test half's truth; bench phantom --real measures crack widths next to the particles; bench
// accuracy trains 2.5D models and scores tri-planar fusion; bench analysis analyses predicted
// cracks at a second threshold.
#include "support/RunCdnet.h"

#include <QtTest>
#include <QImage>
#include <random>

namespace {

using Result = testsupport::CdnetResult;
using testsupport::failsWith;

Result cdnet(const QStringList& args) { return testsupport::runCdnet(args, {}, 110000); }

/// The starter model as the build installs it.
const char* const kStarter = CDNET_BINARY_DIR "/share/cdnet/models/starter-b16.pt";

/// Writes region1_image.png and (unless \p withMask is false) region1_cdnet_mask.png into \p dir.
/// \p garbleLeftMask marks the whole left half of the mask as crack (a wrong test-half truth).
void writeSample(const QString& dir, bool withMask = true, bool garbleLeftMask = false) {
  const int w = 128, h = 96;
  QImage image(w, h, QImage::Format_Grayscale8), mask(w, h, QImage::Format_Grayscale8);
  mask.fill(0);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 6);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double v = 200;
      const bool pore = ((x - 30) * (x - 30) + (y - 60) * (y - 60) <= 64) || ((x - 95) * (x - 95) + (y - 35) * (y - 35) <= 64);
      const bool line = y == 20 || y == 75 || (x > 10 && x < 118 && y == 40 + x / 8);
      if (pore || line) v = 70;
      if (line && !pore) mask.setPixel(x, y, qRgb(255, 255, 255));
      const int g = std::clamp(int(v + noise(rng)), 0, 255);
      image.scanLine(y)[x] = uchar(g);
    }
  if (garbleLeftMask)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w / 2; ++x) mask.setPixel(x, y, qRgb(255, 255, 255));
  QVERIFY(image.save(dir + "/region1_image.png"));
  if (withMask) QVERIFY(mask.save(dir + "/region1_cdnet_mask.png"));
}

QString resultLine(const QString& out) {
  const QStringList lines = out.trimmed().split('\n');
  return lines.isEmpty() ? QString() : lines.last();
}

double value(const QString& line, const QString& key) {
  for (const QString& f : line.split(' '))
    if (f.startsWith(key + "=")) return f.mid(key.size() + 1).toDouble();
  return -1;
}

} // namespace

class TestBenchReal : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  void initTestCase() { QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first"); }

  void missingSampleIsAClearError() {
    QVERIFY(failsWith(cdnet({"bench", "real"}), {"--real DIR", "region1_image.png", "region1_cdnet_mask.png"}));
    const QString nowhere = m_dir.filePath("nowhere");
    QVERIFY(failsWith(cdnet({"bench", "real", "--real", nowhere}), {nowhere, "does not exist"}));
    const QString noMask = m_dir.filePath("no-mask");
    QVERIFY(QDir().mkpath(noMask));
    writeSample(noMask, false);
    QVERIFY(failsWith(cdnet({"bench", "real", "--real", noMask}), {noMask, "region1_cdnet_mask.png"}));
  }

  void badMagnificationRangeIsAClearError() {
    const QString dir = m_dir.filePath("sample-scale");
    QVERIFY(QDir().mkpath(dir));
    writeSample(dir);
    // A bad option value is refused while parsing (CLI11's exit code), before anything runs.
    const auto refused = [](const Result& r) {
      const bool ok = r.code != 0 && r.err.contains("--aug-scale") && r.out.isEmpty();
      if (!ok) qWarning("exit %d, stdout: %s, stderr: %s", r.code, qPrintable(r.out), qPrintable(r.err));
      return ok;
    };
    for (const char* range : {"2,1", "0,2", "1,11", "1", "1,2x"})
      QVERIFY2(refused(cdnet({"bench", "real", "--real", dir, "--aug-scale", range})), range);
    QVERIFY(refused(cdnet({"pretrain", "--out", m_dir.filePath("never.pt"), "--aug-scale", "3,2"})));
    QVERIFY(!QFile::exists(m_dir.filePath("never.pt")));
  }

  void zeroShotNeedsAModel() {
    const QString dir = m_dir.filePath("sample0");
    QVERIFY(QDir().mkpath(dir));
    writeSample(dir);
    QVERIFY(failsWith(cdnet({"bench", "real", "--real", dir, "--minutes", "0"}), {"--init"}));
    QVERIFY(failsWith(cdnet({"bench", "real", "--real", dir, "--minutes", "0", "--init", m_dir.filePath("none.pt")}),
                      {"none.pt"}));
  }

  void syntheticSampleRunsEndToEnd() {
    const QString dir = m_dir.filePath("sample"), keep = m_dir.filePath("keep"), json = m_dir.filePath("r.json");
    QVERIFY(QDir().mkpath(dir));
    writeSample(dir);
    const Result r = cdnet({"bench", "real", "--real", dir, "--minutes", "0.01", "--threads", "1", "--crop", "64",
                            "--batch", "2", "--train-half", "right", "--keep", keep, "--json", json, "--loss",
                            "bce+dice", "--aug-scale", "1,1.5"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QString line = resultLine(r.out);
    QVERIFY2(line.startsWith("result: bench=real "), qPrintable(line));
    for (const char* key : {"model_dice", "model_cldice", "tophat_dice", "best_baseline_dice", "margin_tophat", "margin",
                            "ridge_dice", "threshold_dice"})
      QVERIFY2(value(line, key) >= -1.0 && line.contains(QString(" ") + key + "="), qPrintable(line));
    QVERIFY(line.contains("mode=scratch") && line.contains("train_half=right"));
    QVERIFY2(line.contains(" loss=bce+dice "), qPrintable(line)); // the training loss asked for,
    QVERIFY2(r.out.contains("loss bce+dice,"), qPrintable(r.out)); // and the one the trainer ran
    QVERIFY2(r.out.contains("; magnified 1-1.5x"), qPrintable(r.out)); // --aug-scale reached the trainer
    // The lines are the only thin dark things: a top-hat tuned on the right half finds them on the left.
    QVERIFY2(value(line, "tophat_dice") > 0.8, qPrintable(line));
    QVERIFY2(value(line, "threshold_dice") < value(line, "tophat_dice"), qPrintable(line)); // pores are as dark
    QVERIFY(QFile::exists(json));
    // Zero-shot with the model the run kept.
    const Result z = cdnet({"bench", "real", "--real", dir, "--minutes", "0", "--init", keep + "/last.pt", "--threads", "1"});
    QVERIFY2(z.code == 0, qPrintable(z.out + z.err));
    QVERIFY2(resultLine(z.out).contains("mode=zero-shot") && resultLine(z.out).contains("epochs=0"),
             qPrintable(resultLine(z.out)));
  }

  // bench accuracy takes the same recipe flags as bench real and scores the model with TTA too.
  void accuracyBenchTakesTheRecipe() {
    const Result r = cdnet({"bench", "accuracy", "--steps", "2", "--size", "64", "--train-slices", "4", "--test-slices",
                            "2", "--batch", "2", "--crop", "64", "--threads", "1", "--loss", "bce+dice", "--lr-schedule",
                            "cosine", "--aug-scale", "1,1.5"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QString line = resultLine(r.out);
    QVERIFY2(line.contains(" loss=bce+dice ") && line.contains(" lr_schedule=cosine ") && line.contains(" mode=scratch "),
             qPrintable(line));
    QVERIFY2(r.out.contains("loss bce+dice, cosine learning rate"), qPrintable(r.out)); // what the trainer ran
    QVERIFY2(r.out.contains("; magnified 1-1.5x"), qPrintable(r.out));
    for (const char* key : {"model_tta_dice", "model_rf1", "tophat_rf1"})
      QVERIFY2(line.contains(QString(" ") + key + "="), qPrintable(line));
    QVERIFY2(r.out.contains("+ TTA:"), qPrintable(r.out));
    const Result bad = cdnet({"bench", "accuracy", "--loss", "dice"});
    QVERIFY2(bad.code != 0 && bad.err.contains("--loss") && bad.out.isEmpty(), qPrintable(bad.out + bad.err));
  }

  // bench accuracy --context trains a 2.5D model (the odd training slices as its neighbours) and
  // --tri-planar scores XY, XZ and YZ predictions fused, with and without TTA. The model it keeps
  // is 2.5D: a single 2D image is too thin for it.
  void accuracyBenchTrains25dAndFusesPlanes() {
    const QString keep = m_dir.filePath("acc-context");
    const Result r = cdnet({"bench", "accuracy", "--steps", "2", "--size", "64", "--train-slices", "4", "--test-slices",
                            "3", "--batch", "2", "--crop", "64", "--threads", "1", "--context", "1", "--tri-planar",
                            "--keep", keep});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QString line = resultLine(r.out);
    QVERIFY2(line.contains(" context=1 "), qPrintable(line));
    for (const char* key : {"model_tri_dice", "model_tri_cldice", "model_tri_tta_dice", "model_tta_dice"})
      QVERIFY2(line.contains(QString(" ") + key + "="), qPrintable(line));
    QVERIFY2(r.out.contains("+ tri-planar:") && r.out.contains("+ tri-planar + TTA:"), qPrintable(r.out));
    QVERIFY2(r.out.contains("2.5D: the network sees each slice with its 1 neighbour"), qPrintable(r.out));
    QImage one(64, 64, QImage::Format_Grayscale8);
    one.fill(120);
    const QString png = m_dir.filePath("one-slice.png");
    QVERIFY(one.save(png));
    QVERIFY(failsWith(cdnet({"predict", "--model", keep + "/best.pt", "--input", png, "--out",
                             m_dir.filePath("one-slice-p.nrrd"), "--threads", "1"}),
                      {"too thin for a 2.5D model with 1"}));
    // Without --context the same run trains the paper's 2D network.
    const Result flat = cdnet({"bench", "accuracy", "--steps", "1", "--size", "64", "--train-slices", "2",
                               "--test-slices", "1", "--batch", "1", "--crop", "64", "--threads", "1"});
    QVERIFY2(flat.code == 0 && resultLine(flat.out).contains(" context=0 ") && !flat.out.contains("tri-planar"),
             qPrintable(flat.out + flat.err));
  }

  // bench analysis from a model's predicted cracks analyses at 0.5 (the default of cdnet analyze
  // and the studio) and again at --threshold: a lower threshold finds more of the cracks.
  void analysisBenchAnalysesAtASecondThreshold() {
    const QString starter = kStarter;
    QVERIFY2(QFile::exists(starter), qPrintable(starter));
    const Result r = cdnet({"bench", "analysis", "--size", "48", "--no-python", "--model", starter, "--threshold", "0.3"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QString line = resultLine(r.out);
    QCOMPARE(value(line, "pred_at_threshold"), 0.3);
    for (const char* key : {"pred_crack_fraction_error_median", "pred_at_crack_fraction_error_median",
                            "pred_at_one_to_one_fraction", "pred_at_cracked_broken_fraction"})
      QVERIFY2(line.contains(QString(" ") + key + "="), qPrintable(line));
    QVERIFY2(value(line, "pred_at_crack_recall") > value(line, "pred_crack_recall") + 0.01, qPrintable(line));
    QVERIFY2(r.out.contains("predicted cracks at probability >= 0.30"), qPrintable(r.out));
    const Result half = cdnet({"bench", "analysis", "--size", "48", "--no-python", "--model", starter, "--threshold", "0.5"});
    QVERIFY2(half.code == 0 && !resultLine(half.out).contains("pred_at_crack_dice"), qPrintable(half.out + half.err));
    const Result bad = cdnet({"bench", "analysis", "--threshold", "1.5"});
    QVERIFY2(bad.code != 0 && bad.err.contains("--threshold") && bad.out.isEmpty(), qPrintable(bad.out + bad.err));
  }

  // --tta predicts with the 8 flips and rotations averaged: the same model and phantom give other
  // predicted cracks, so another crack Dice. Without a model to predict with it is refused.
  void analysisBenchPredictsWithTta() {
    const QString starter = kStarter;
    const QStringList args = {"bench", "analysis", "--size", "48", "--no-python", "--model", starter, "--threshold", "0.5"};
    const Result plain = cdnet(args);
    const Result tta = cdnet(args + QStringList{"--tta"});
    QVERIFY2(plain.code == 0 && tta.code == 0, qPrintable(plain.err + tta.out + tta.err));
    QCOMPARE(value(resultLine(plain.out), "tta"), 0.0);
    QCOMPARE(value(resultLine(tta.out), "tta"), 1.0);
    QVERIFY2(std::abs(value(resultLine(tta.out), "pred_crack_dice") - value(resultLine(plain.out), "pred_crack_dice")) > 1e-4,
             qPrintable(resultLine(tta.out) + "\n" + resultLine(plain.out)));
    QVERIFY2(tta.out.contains("with TTA"), qPrintable(tta.out));
    QVERIFY(failsWith(cdnet({"bench", "analysis", "--size", "48", "--no-python", "--tta"}), {"--tta", "--model"}));
  }

  // bench phantom --real measures how wide the cracks are next to the particles. On a synthetic
  // sample of 40-pixel bright squares, each split by a 5-pixel crack, the width is 5 and the chord
  // 40. The realistic phantom's cracks are at least 0.085 of a chord wide: the real sample's are
  // 0.124 (the paper's mask), the phantom's were 0.064 before their widths were drawn to match.
  void phantomComparisonMeasuresCrackWidths() {
    const QString dir = m_dir.filePath("squares");
    QVERIFY(QDir().mkpath(dir));
    QImage image(160, 96, QImage::Format_Grayscale8), mask(160, 96, QImage::Format_Grayscale8);
    image.fill(60);
    mask.fill(0);
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0, 5);
    for (int x0 : {10, 60, 110})
      for (int y = 28; y < 68; ++y)
        for (int x = x0; x < x0 + 40; ++x) {
          const bool crack = x >= x0 + 18 && x < x0 + 23;
          image.scanLine(y)[x] = uchar(std::clamp(int((crack ? 70 : 200) + noise(rng)), 0, 255));
          if (crack) mask.setPixel(x, y, qRgb(255, 255, 255));
        }
    QVERIFY(image.save(dir + "/region1_image.png") && mask.save(dir + "/region1_cdnet_mask.png"));
    const Result r = cdnet({"bench", "phantom", "--real", dir, "--size", "32", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QString line = resultLine(r.out);
    QVERIFY2(std::abs(value(line, "real_crack_width") - 5.0) < 0.01, qPrintable(line));
    QVERIFY2(std::abs(value(line, "real_solid_chord") - 40.0) < 0.01, qPrintable(line));
    QVERIFY2(std::abs(value(line, "real_relative_crack_width") - 0.125) < 0.001, qPrintable(line));
    QVERIFY2(value(line, "realistic_relative_crack_width") > 0.085, qPrintable(line));
    QVERIFY2(value(line, "realistic_crack_width") > 1.6, qPrintable(line));
  }

  // --self-train: more steps over the whole slice with the model's confident marks on the test half
  // as labels. It reports the model before and after, and never reads the test half's truth: with
  // that truth garbled the pseudo-labels and the model trained on them are the same.
  void selfTrainingNeverReadsTheTestTruth() {
    QVERIFY(failsWith(cdnet({"bench", "real", "--real", m_dir.filePath("sample"), "--minutes", "0", "--init",
                             m_dir.filePath("keep/last.pt"), "--self-train", "2"}),
                      {"--self-train", "--minutes or --steps"}));
    QString lines[2], outs[2];
    for (int garbled = 0; garbled < 2; ++garbled) {
      const QString dir = m_dir.filePath(garbled ? "self-garbled" : "self");
      QVERIFY(QDir().mkpath(dir));
      writeSample(dir, true, garbled);
      const Result r = cdnet({"bench", "real", "--real", dir, "--steps", "3", "--self-train", "2", "--threads", "1",
                              "--crop", "64", "--batch", "2", "--train-half", "right", "--pseudo-confidence", "0.6",
                              "--freeze-encoder", "--init", m_dir.filePath("keep/last.pt")});
      QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
      lines[garbled] = resultLine(r.out);
      outs[garbled] = r.out;
    }
    const QString& line = lines[0];
    QVERIFY2(line.contains(" self_train_steps=2 ") && line.contains(" pseudo_confidence=0.6 ") &&
                 line.contains(" steps=5 ") && line.contains(" freeze_encoder=true "),
             qPrintable(line));
    QVERIFY2(outs[0].contains("with the encoder frozen"), qPrintable(outs[0])); // --freeze-encoder reached the trainer
    for (const char* key : {"model_before_self_train_dice", "model_whole_dice", "model_whole_tta_dice"})
      QVERIFY2(value(line, key) >= 0 && value(line, key) <= 1, qPrintable(line + " " + key));
    const auto pseudoLine = [](const QString& out) {
      for (const QString& l : out.split('\n'))
        if (l.startsWith("self-training: pseudo-labels")) return l;
      return QString();
    };
    QVERIFY2(!pseudoLine(outs[0]).isEmpty(), qPrintable(outs[0]));
    QCOMPARE(pseudoLine(outs[1]), pseudoLine(outs[0]));
    // The garbled truth does count where the benchmark scores (the same top-hat scores differently
    // against it), while the model trained with self-training is the same.
    QVERIFY2(value(lines[1], "tophat_dice") != value(line, "tophat_dice"), qPrintable(lines[1]));
    QCOMPARE(outs[1].section("decision threshold", -1).section('\n', 0, 0),
             outs[0].section("decision threshold", -1).section('\n', 0, 0));
  }
};

QTEST_GUILESS_MAIN(TestBenchReal)
#include "test_bench_real.moc"
