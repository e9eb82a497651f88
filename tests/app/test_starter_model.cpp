// The starter model (issue 14, item 4): `cdnet pretrain` makes the same model from the same seed;
// `cdnet predict` without --model and `cdnet train --fine-tune` without a file use the starter
// model, and say clearly when there is none; the shipped model is found from the build tree.
#include "core/ml/MlTestData.h"
#include "support/RunCdnet.h"
#include "core/ml/Model.h"
#include "core/ml/StarterModel.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>

using core::volume::Volume;
using core::volume::VoxelType;
using testsupport::failsWith;
using testsupport::runCdnet;

namespace {
std::string bytesOf(const QString& path) {
  std::ifstream f(path.toStdString(), std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}
} // namespace

class TestStarterModel : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_images, m_mask, m_starter;
  QString p(const QString& name) { return m_dir.filePath(name); }

  QStringList pretrainArgs(const QString& out, const QString& seed) {
    return {"pretrain", "--out", out, "--seed", seed, "--phantoms", "2", "--size", "64", "--slices", "3", "--epochs", "2",
            "--iterations-per-epoch", "2", "--batch", "2", "--crop-size", "64", "--base-width", "4", "--threads", "1"};
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first");
    auto [img, lab] = mltest::crackVolume(64, 64, 3, 5);
    Volume mask(lab.size(), VoxelType::UInt8);
    for (std::int64_t i = 0; i < lab.voxelCount(); ++i) mask.as<std::uint8_t>()[i] = lab.as<std::uint8_t>()[i] == 2 ? 255 : 0;
    m_images = p("images.nrrd");
    m_mask = p("mask.nrrd");
    core::volume::writeVolume(img, m_images.toStdString());
    core::volume::writeVolume(mask, m_mask.toStdString());
    m_starter = p("starter.pt");
  }

  void pretrainGivesTheSameModelFromTheSameSeed() {
    const auto a = runCdnet(pretrainArgs(m_starter, "7"));
    QVERIFY2(a.code == 0, qPrintable(a.err));
    QVERIFY2(a.out.contains("wrote " + m_starter), qPrintable(a.out));
    const auto b = runCdnet(pretrainArgs(p("again.pt"), "7"));
    QVERIFY2(b.code == 0, qPrintable(b.err));
    const auto c = runCdnet(pretrainArgs(p("other.pt"), "8"));
    QVERIFY2(c.code == 0, qPrintable(c.err));
    const std::string first = bytesOf(m_starter);
    QVERIFY(first.size() > 1000);
    QVERIFY2(first == bytesOf(p("again.pt")), "the same seed made another model");
    QVERIFY2(first != bytesOf(p("other.pt")), "another seed made the same model");
    const auto model = core::ml::Model::load(m_starter.toStdString());
    QCOMPARE(model.options().baseWidth, 4);
  }

  void predictWithoutModelUsesTheStarterModel() {
    const std::map<QString, QString> env{{"CDNET_STARTER_MODEL", m_starter}};
    const auto r = runCdnet({"predict", "--input", m_images, "--out", p("starter-probs.nrrd"), "--device", "cpu"}, env);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("using the starter model " + m_starter), qPrintable(r.out));
    const auto explicitModel =
        runCdnet({"predict", "--model", m_starter, "--input", m_images, "--out", p("model-probs.nrrd"), "--device", "cpu"});
    QVERIFY2(explicitModel.code == 0, qPrintable(explicitModel.err));
    const Volume a = core::volume::readVolume(p("starter-probs.nrrd").toStdString());
    const Volume b = core::volume::readVolume(p("model-probs.nrrd").toStdString());
    QCOMPARE(a.size(), b.size());
    QVERIFY(std::equal(a.as<float>(), a.as<float>() + a.voxelCount(), b.as<float>()));
  }

  void predictWithoutModelOrStarterIsAClearError() {
    const auto r = runCdnet({"predict", "--input", m_images, "--out", p("none.nrrd")}, {{"CDNET_STARTER_MODEL", ""}});
    QVERIFY(failsWith(r, {"--model is required", "starter model"}));
    QVERIFY(!QFile::exists(p("none.nrrd")));
  }

  void fineTuneWithoutFileStartsFromTheStarterModel() {
    const QStringList args{"train", "--images", m_images, "--labels", m_mask, "--out", p("ft"), "--fine-tune",
                           "--epochs", "1", "--iterations-per-epoch", "1", "--batch", "1", "--crop-size", "64",
                           "--device", "cpu"};
    const auto r = runCdnet(args, {{"CDNET_STARTER_MODEL", m_starter}});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("fine-tuning the starter model " + m_starter), qPrintable(r.out));
    // The fine-tuned model has the starter's architecture (base width 4 here, not the default 64).
    QCOMPARE(core::ml::Model::load(p("ft").toStdString()).options().baseWidth, 4);
    const auto none = runCdnet(args, {{"CDNET_STARTER_MODEL", ""}});
    QVERIFY(failsWith(none, {"--fine-tune", "starter model"}));
  }
};

QTEST_GUILESS_MAIN(TestStarterModel)
#include "test_starter_model.moc"
