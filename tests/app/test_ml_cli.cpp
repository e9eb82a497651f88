// The built `cdnet` binary: train, predict, evaluate and export end to end on tiny volumes, and
// the exit code and one-line message of every bad input of the engine issue.
#include "core/ml/MlTestData.h"
#include "support/RunCdnet.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>
#include <filesystem>

using namespace core::ml;
using core::volume::Volume;
using core::volume::VoxelType;
namespace fs = std::filesystem;

namespace {

using Result = testsupport::CdnetResult;
using testsupport::failsWith;

Result cdnet(const QStringList& args) { return testsupport::runCdnet(args); }

// Formats as cdnet evaluate prints a metric.
QString formatMetricText(double v) { return std::isnan(v) ? QString("-") : QString::number(v, 'f', 4); }

double maxDiff(const Volume& a, const Volume& b) {
  double m = 0;
  for (std::int64_t i = 0; i < a.voxelCount(); ++i) m = std::max(m, std::abs(a.valueAt(i, 0, 0) - b.valueAt(i, 0, 0)));
  return m;
}

} // namespace

class TestMlCli : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_images, m_mask, m_run;
  QString p(const QString& name) { return m_dir.filePath(name); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY2(QFile::exists(CDNET_BINARY_DIR "/app/cdnet"), "build the cdnet target first");
    auto [img, lab] = mltest::crackVolume(64, 64, 4, 31);
    // The command line takes binary masks (0/255): fully annotated.
    Volume mask(lab.size(), VoxelType::UInt8);
    for (std::int64_t i = 0; i < lab.voxelCount(); ++i) mask.as<std::uint8_t>()[i] = lab.as<std::uint8_t>()[i] == 2 ? 255 : 0;
    m_images = p("images.nrrd");
    m_mask = p("mask.tif");
    core::volume::writeVolume(img, m_images.toStdString());
    core::volume::writeVolume(mask, m_mask.toStdString());
    m_run = p("run");
  }

  void trainPrintsEpochsAndWritesCheckpoints() {
    const Result r = cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", m_run, "--base-width", "4",
                            "--epochs", "2", "--iterations-per-epoch", "3", "--batch", "2", "--crop-size", "64", "--device",
                            "cpu", "--seed", "3"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("binary mask, fully annotated"), qPrintable(r.out));
    QVERIFY(r.out.contains("3 training and 1 validation slices"));
    QVERIFY(r.out.contains(QRegularExpression("epoch +1 +train loss \\d\\.\\d+ +val loss 0\\.\\d+ +Dice [0-9.]+ ")));
    QVERIFY(r.out.contains(QRegularExpression("epoch +2 ")));
    QVERIFY(QFile::exists(m_run + "/best.pt") && QFile::exists(m_run + "/last.pt"));
    QVERIFY2(r.out.contains(QRegularExpression("checkpoints: 2 files, [0-9.]+ MB kept in .*; this run wrote \\d+ ")),
             qPrintable(r.out));
  }

  void trainTakesTheRecipeAndBoundsPeriodicCheckpoints() {
    const QString run = p("recipe");
    const Result r = cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", run, "--base-width", "4",
                            "--epochs", "4", "--iterations-per-epoch", "1", "--batch", "2", "--crop-size", "64",
                            "--device", "cpu", "--loss", "bce+cldice", "--lr-schedule", "cosine", "--checkpoint-every",
                            "1", "--keep-checkpoints", "2", "--save-every-minutes", "0"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("loss bce+cldice, cosine learning rate"), qPrintable(r.out));
    QVERIFY2(r.out.contains("last.pt 4x") && r.out.contains("periodic 4x, 2 older periodic removed"), qPrintable(r.out));
    QStringList periodic = QDir(run).entryList({"epoch-*.pt"}, QDir::Files, QDir::Name);
    QCOMPARE(periodic, (QStringList{"epoch-0003.pt", "epoch-0004.pt"}));
    const CheckpointInfo info = readCheckpointInfo((run + "/last.pt").toStdString());
    QVERIFY(info.training.loss == LossKind::BceClDice && info.training.lrSchedule == LrSchedule::Cosine);
    const Result bad = cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", p("x"), "--loss", "dice"});
    QVERIFY2(bad.code > 0 && bad.err.contains("--loss") && bad.err.contains("bce+dice"), qPrintable(bad.err));
  }

  void predictMatchesTheEngine() {
    const Result r = cdnet({"predict", "--model", m_run, "--input", m_images, "--out", p("prob.nrrd"), "--tile", "64",
                            "--overlap", "32"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Volume prob = core::volume::readVolume(p("prob.nrrd").toStdString());
    QCOMPARE(prob.type(), VoxelType::Float32);
    QCOMPARE(prob.size(), (core::volume::Size3{64, 64, 4}));
    // The same prediction in process.
    PredictOptions po;
    po.tile = 64;
    po.overlap = 32;
    const Volume ref = Predictor(Model::load(m_run.toStdString(), {DeviceRequest::Cpu}), po)
                           .predict(core::volume::readVolume(m_images.toStdString()), 0, 4);
    QVERIFY(maxDiff(prob, ref) < 1e-6);
    // A mask of a slice range, and uint8 probabilities beside it.
    const Result m = cdnet({"predict", "--model", m_run + "/last.pt", "--input", m_images, "--out", p("mask_out.tif"),
                            "--threshold", "0.5", "--probability-out", p("prob8.tif"), "--type", "uint8", "--slices",
                            "1:3", "--tile", "64", "--overlap", "32"});
    QVERIFY2(m.code == 0, qPrintable(m.err));
    const Volume mask = core::volume::readVolume(p("mask_out.tif").toStdString());
    const Volume prob8 = core::volume::readVolume(p("prob8.tif").toStdString());
    QCOMPARE(mask.size().z, std::int64_t(2));
    QCOMPARE(prob8.type(), VoxelType::UInt8);
    const Volume lastRef = Predictor(Model::load((m_run + "/last.pt").toStdString(), {DeviceRequest::Cpu}), po)
                               .predict(core::volume::readVolume(m_images.toStdString()), 1, 3);
    for (std::int64_t i = 0; i < mask.voxelCount(); ++i) {
      const float pr = lastRef.as<float>()[i];
      QCOMPARE(mask.as<std::uint8_t>()[i], std::uint8_t(pr >= 0.5f ? 255 : 0));
      QVERIFY(std::abs(prob8.as<std::uint8_t>()[i] - pr * 255.0f) <= 0.51f);
    }
  }

  void predictOptionsAndContextRunEndToEnd() {
    // --tta and --tri-planar write what the engine computes with the same options.
    Volume images = core::volume::readVolume(m_images.toStdString());
    const Model model = Model::load(m_run.toStdString(), {DeviceRequest::Cpu});
    for (const QString& flag : {QStringLiteral("--tta"), QStringLiteral("--tri-planar")}) {
      const Result r = cdnet({"predict", "--model", m_run, "--input", m_images, "--out", p("opt.nrrd"), flag});
      QVERIFY2(r.code == 0, qPrintable(r.err));
      PredictOptions po;
      po.tta = flag == "--tta";
      po.triPlanar = flag == "--tri-planar";
      const Volume ref = Predictor(model, po).predict(images, 0, 4);
      const double d = maxDiff(core::volume::readVolume(p("opt.nrrd").toStdString()), ref);
      // Batched small planes (tri-planar) may sum in another order in another process: 1e-5, far
      // below what a wrong orientation or mapping changes (1e-2 and more).
      QVERIFY2(d < 1e-5, qPrintable(flag + ": " + QString::number(d)));
    }
    // A 2.5D model: trains with --context, keeps it through export, predicts; a single image is too thin.
    const QString run = p("run25");
    Result r = cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", run, "--base-width", "4", "--context",
                      "1", "--epochs", "1", "--iterations-per-epoch", "2", "--batch", "2", "--crop-size", "64",
                      "--device", "cpu"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(Model::load(run.toStdString(), {DeviceRequest::Cpu}).options().contextSlices, 1);
    r = cdnet({"export", "--model", run, "--out", p("m25.pt")});
    QVERIFY2(r.code == 0 && r.out.contains("N x 3 x H x W"), qPrintable(r.out + r.err));
    r = cdnet({"predict", "--model", p("m25.pt"), "--input", m_images, "--out", p("p25.nrrd")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Volume single = images.crop(core::volume::Region::slab(images.size(), 0, 1));
    core::volume::writeVolume(single, p("single.tif").toStdString());
    QVERIFY(failsWith(cdnet({"predict", "--model", run, "--input", p("single.tif"), "--out", p("never.nrrd")}),
                      {"single.tif", "too thin"}));
    QVERIFY(!QFile::exists(p("never.nrrd")));
    const Volume mask1 = core::volume::readVolume(m_mask.toStdString());
    core::volume::writeVolume(mask1.crop(core::volume::Region::slab(mask1.size(), 0, 1)), p("single_mask.tif").toStdString());
    QVERIFY(failsWith(cdnet({"train", "--images", p("single.tif"), "--labels", p("single_mask.tif"), "--out",
                             p("never_run"), "--base-width", "4", "--context", "1", "--epochs", "1", "--device", "cpu"}),
                      {"single.tif", "too thin"}));
  }

  void evaluateWritesJsonAndCsv() {
    const Result r = cdnet({"evaluate", "--prediction", p("prob.nrrd"), "--truth", m_mask, "--json", p("m.json"), "--csv",
                            p("m.csv")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const Evaluation e = evaluate(core::volume::readVolume(p("prob.nrrd").toStdString()),
                                  core::volume::readVolume(m_mask.toStdString()));
    QVERIFY2(r.out.contains(QString("Dice %1").arg(e.overall.dice(), 0, 'f', 4)), qPrintable(r.out));
    QFile json(p("m.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject j = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(j["overall"].toObject()["tp"].toInteger(), qint64(e.overall.tp));
    QCOMPARE(j["slices"].toArray().size(), 4);
    // clDice and boundary F1 are printed and written, equal to the library's on the whole volume
    // (the command reads slab by slab and sums the counts).
    QVERIFY2(r.out.contains(QString("clDice %1").arg(formatMetricText(e.overallThin.clDice()))) &&
                 r.out.contains(QString("boundary F1 %1").arg(formatMetricText(e.overallThin.boundaryF1()))),
             qPrintable(r.out));
    QVERIFY(std::abs(j["overall"].toObject()["cldice"].toDouble(-1) - e.overallThin.clDice()) < 1e-5 ||
            (std::isnan(e.overallThin.clDice()) && j["overall"].toObject()["cldice"].isNull()));
    QVERIFY2(r.out.contains(QString("relaxed F1 %1").arg(formatMetricText(e.overallThin.relaxedF1()))), qPrintable(r.out));
    // The mask shifted one voxel along x against itself: relaxed F1 (every pixel within one voxel
    // of the other side's) forgives the shift that Dice does not.
    const Volume truth = core::volume::readVolume(m_mask.toStdString()).convertTo(core::volume::VoxelType::UInt8);
    Volume shifted(truth.size(), core::volume::VoxelType::UInt8);
    const std::int64_t w = truth.size().x;
    for (std::int64_t i = 0; i < truth.voxelCount(); ++i)
      shifted.as<std::uint8_t>()[i] = i % w == 0 ? 0 : truth.as<std::uint8_t>()[i - 1];
    core::volume::writeVolume(shifted, p("shifted.tif").toStdString());
    const Result rs = cdnet({"evaluate", "--prediction", p("shifted.tif"), "--truth", m_mask, "--json", p("s.json")});
    QVERIFY2(rs.code == 0, qPrintable(rs.err));
    QFile sj(p("s.json"));
    QVERIFY(sj.open(QIODevice::ReadOnly));
    const QJsonObject so = QJsonDocument::fromJson(sj.readAll()).object()["overall"].toObject();
    QVERIFY2(so["relaxed_precision"].toDouble(-1) == 1.0 && so["relaxed_recall"].toDouble(-1) > 0.98 &&
                 so["dice"].toDouble(2) < 0.9,
             qPrintable(QJsonDocument(so).toJson()));
    QVERIFY2(rs.out.contains(QString("relaxed F1 %1").arg(formatMetricText(so["relaxed_f1"].toDouble(-1)))), qPrintable(rs.out));
    QFile csv(p("m.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString(csv.readAll()).trimmed().split('\n').size(), 6); // header, 4 slices, all
  }

  void exportRunsAsTorchScript() {
    const Result r = cdnet({"export", "--model", m_run, "--out", p("cdnet.ts.pt")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("torch.jit.load"));
    const Model native = Model::load(m_run.toStdString(), {DeviceRequest::Cpu});
    const Model script = Model::load(p("cdnet.ts.pt").toStdString(), {DeviceRequest::Cpu});
    QVERIFY(script.kind() == ModelKind::TorchScript);
    std::vector<float> x(64 * 64), a(x.size()), b(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 17) / 8.0f - 1.0f;
    native.predict(x.data(), 1, 64, 64, a.data());
    script.predict(x.data(), 1, 64, 64, b.data());
    for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-5);
  }

  void badInputs() {
    // Image and labels of different sizes.
    auto [img, lab] = mltest::crackVolume(64, 48, 4, 1);
    core::volume::writeVolume(lab, p("small_labels.nrrd").toStdString());
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", p("small_labels.nrrd"), "--out", p("x"),
                             "--base-width", "4", "--epochs", "1", "--device", "cpu"}),
                      {"images.nrrd", "small_labels.nrrd", "differ in size"}));
    // Labels outside the convention.
    Volume bad = core::volume::readVolume(m_mask.toStdString());
    bad.as<std::uint8_t>()[100] = 7;
    core::volume::writeVolume(bad, p("bad_labels.tif").toStdString());
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", p("bad_labels.tif"), "--out", p("x"),
                             "--base-width", "4", "--epochs", "1", "--device", "cpu"}),
                      {"bad_labels.tif", "value 7", "outside the label convention"}));
    // No labelled voxel at all.
    core::volume::writeVolume(Volume({64, 64, 4}, VoxelType::UInt8), p("empty_labels.tif").toStdString());
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", p("empty_labels.tif"), "--out", p("x"),
                             "--base-width", "4", "--epochs", "1", "--device", "cpu"}),
                      {"empty_labels.tif", "no labelled voxel"}));
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", p("empty_labels.tif"), "--labels-as", "labels",
                             "--out", p("x"), "--base-width", "4", "--epochs", "1", "--device", "cpu"}),
                      {"empty_labels.tif", "no labelled voxel"}));
    QVERIFY(!QFile::exists(p("x/last.pt")));
    // A truncated checkpoint, and a file that is no model.
    fs::copy_file((m_run + "/last.pt").toStdString(), p("cut.pt").toStdString());
    fs::resize_file(p("cut.pt").toStdString(), fs::file_size(p("cut.pt").toStdString()) / 3);
    QVERIFY(failsWith(cdnet({"predict", "--model", p("cut.pt"), "--input", m_images, "--out", p("never.nrrd")}),
                      {"cut.pt", "damaged"}));
    QVERIFY(!QFile::exists(p("never.nrrd")));
    QVERIFY(failsWith(cdnet({"predict", "--model", m_images, "--input", m_images, "--out", p("never.nrrd")}),
                      {"images.nrrd"}));
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", p("y"), "--fine-tune",
                             p("cut.pt"), "--epochs", "1", "--device", "cpu"}),
                      {"cut.pt", "damaged"}));
    // A checkpoint of another base width.
    QVERIFY(failsWith(cdnet({"train", "--images", m_images, "--labels", m_mask, "--out", p("y"), "--fine-tune",
                             m_run + "/best.pt", "--base-width", "8", "--epochs", "1", "--device", "cpu"}),
                      {"best.pt", "base width 4", "8"}));
    // --device cuda without a GPU.
    if (!cudaAvailable())
      QVERIFY(failsWith(cdnet({"predict", "--model", m_run, "--input", m_images, "--out", p("never.nrrd"), "--device",
                               "cuda"}),
                        {"--device cuda", "no CUDA GPU"}));
    // Empty and outside slice ranges.
    QVERIFY(failsWith(cdnet({"predict", "--model", m_run, "--input", m_images, "--out", p("never.nrrd"), "--slices",
                             "3:3"}),
                      {"slice range '3:3' is empty"}));
    QVERIFY(failsWith(cdnet({"predict", "--model", m_run, "--input", m_images, "--out", p("never.nrrd"), "--slices",
                             "2:9"}),
                      {"2:9", "outside"}));
    QVERIFY(!QFile::exists(p("never.nrrd")));
  }
};

QTEST_GUILESS_MAIN(TestMlCli)
#include "test_ml_cli.moc"
