// `cdnet predict --threshold auto` makes the mask at the decision threshold stored in the model's
// checkpoint, a number is used as given, and `cdnet evaluate --model M --threshold auto` uses it
// (the default of both stays 0.5: the calibration did not transfer on the real sample). The checkpoint is a tiny network written through the engine's writer with a threshold
// chosen here (a quantile of its own probabilities, so that the masks at it and at 0.5 differ).
#include <torch/torch.h> // before Qt (Qt's keywords clash with Torch)

#include "core/ml/MlTestData.h"
#include "core/ml/detail/CheckpointIO.h"
#include "core/volume/io/VolumeIO.h"
#include "support/RunCdnet.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <vector>

using namespace core::ml;
using core::volume::Volume;

namespace {

testsupport::CdnetResult cdnet(const QStringList& args) { return testsupport::runCdnet(args); }

Volume readVolume(const QString& path) { return core::volume::openVolume(path.toStdString())->read(); }

// Voxels where the mask (0/255) disagrees with "probability >= t", and voxels at or above t.
std::pair<std::int64_t, std::int64_t> compareMask(const Volume& mask, const Volume& prob, double t) {
  std::int64_t wrong = 0, above = 0;
  for (std::int64_t i = 0; i < prob.voxelCount(); ++i) {
    const bool a = prob.as<float>()[i] >= t;
    above += a;
    wrong += a != (mask.as<std::uint8_t>()[i] == 255);
  }
  return {wrong, above};
}

} // namespace

class TestCliThreshold : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString p(const QString& name) { return m_dir.filePath(name); }

private Q_SLOTS:
  void predictThresholdAutoUsesTheCheckpointsThreshold() {
    QVERIFY2(QFile::exists(testsupport::cdnetPath()), "build the cdnet target first");
    auto [img, lab] = mltest::crackVolume(64, 64, 2, 5);
    core::volume::writeVolume(img, p("images.nrrd").toStdString());
    torch::manual_seed(11);
    core::ml::detail::UNet net(ModelOptions::paper(4));
    CheckpointInfo info;
    info.role = "last";
    info.model = ModelOptions::paper(4);
    const std::string ck = p("model.pt").toStdString();
    core::ml::detail::writeCheckpoint(ck, net, nullptr, info); // not calibrated yet

    // Its probabilities; the calibrated threshold becomes their 30 % quantile.
    auto r = cdnet({"predict", "--model", p("model.pt"), "--input", p("images.nrrd"), "--out", p("prob.nrrd"),
                    "--device", "cpu", "--precision", "fp32"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Volume prob = readVolume(p("prob.nrrd"));
    std::vector<float> v(prob.as<float>(), prob.as<float>() + prob.voxelCount());
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() * 3 / 10), v.end());
    const double t = v[v.size() * 3 / 10];
    QVERIFY2(t > 0 && t < 1, qPrintable(QString::number(t)));
    info.calibration.threshold = t;
    info.calibration.source = "validation";
    core::ml::detail::writeCheckpoint(ck, net, nullptr, info);

    // auto: the mask is "p >= t", which differs from "p >= 0.5".
    r = cdnet({"predict", "--model", p("model.pt"), "--input", p("images.nrrd"), "--threshold", "auto", "--out",
               p("mask-auto.nrrd"), "--probability-out", p("prob-auto.nrrd"), "--device", "cpu", "--precision", "fp32"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("calibrated on the validation data"), qPrintable(r.out));
    const Volume pa = readVolume(p("prob-auto.nrrd"));
    const auto [wrongAuto, aboveAuto] = compareMask(readVolume(p("mask-auto.nrrd")), pa, t);
    QCOMPARE(wrongAuto, std::int64_t(0));
    const auto [wrongHalf, aboveHalf] = compareMask(readVolume(p("mask-auto.nrrd")), pa, 0.5);
    QVERIFY2(wrongHalf > 0 && aboveHalf != aboveAuto,
             qPrintable(QString("t %1: %2 above t, %3 above 0.5").arg(t).arg(aboveAuto).arg(aboveHalf)));

    // A number is used as given.
    r = cdnet({"predict", "--model", p("model.pt"), "--input", p("images.nrrd"), "--threshold", "0.5", "--out",
               p("mask-half.nrrd"), "--probability-out", p("prob-half.nrrd"), "--device", "cpu", "--precision", "fp32"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(compareMask(readVolume(p("mask-half.nrrd")), readVolume(p("prob-half.nrrd")), 0.5).first, std::int64_t(0));
    r = cdnet({"predict", "--model", p("model.pt"), "--input", p("images.nrrd"), "--threshold", "often", "--out",
               p("bad.nrrd")});
    QVERIFY2(r.code != 0 && r.err.contains("auto"), qPrintable(r.err));

    // cdnet evaluate --model --threshold auto: the same threshold; the default stays 0.5.
    r = cdnet({"evaluate", "--prediction", p("prob-auto.nrrd"), "--truth", p("mask-auto.nrrd"), "--model", p("model.pt"),
               "--threshold", "auto"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("Dice 1.0000") && r.out.contains("calibrated"), qPrintable(r.out));
    r = cdnet({"evaluate", "--prediction", p("prob-auto.nrrd"), "--truth", p("mask-auto.nrrd"), "--model", p("model.pt")});
    QVERIFY2(r.code == 0 && !r.out.contains("Dice 1.0000") && r.out.contains("threshold 0.5"), qPrintable(r.out));
    r = cdnet({"evaluate", "--prediction", p("prob-auto.nrrd"), "--truth", p("mask-auto.nrrd"), "--threshold", "auto"});
    QVERIFY2(r.code != 0 && r.err.contains("--model"), qPrintable(r.err));
  }
};

QTEST_APPLESS_MAIN(TestCliThreshold)
#include "test_cli_threshold.moc"
