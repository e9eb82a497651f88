// Labels on disk: NRRD and TIFF round trips, Save / Save As / Open of a project with its labels,
// label files that do not fit the image, and label saves killed at random moments.
#include "core/labels/Brush.h"
#include "core/project/ProjectIO.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace core::labels;
using core::volume::Region;
using core::volume::Size3;
using core::volume::Volume;
using core::volume::VolumeInfo;
using core::volume::VoxelType;
namespace fs = std::filesystem;

namespace {

VolumeInfo imageInfo(Size3 s) {
  VolumeInfo i;
  i.size = s;
  i.type = VoxelType::UInt16;
  i.spacing = {0.05, 0.05, 0.05};
  return i;
}

void paintSomething(LabelVolume& labels, int seed) {
  std::mt19937 rng{std::uint32_t(seed)};
  for (int k = 0; k < 5; ++k) {
    BrushSettings s;
    s.size = 3 + int(rng() % 9);
    s.value = std::uint8_t(1 + rng() % 2);
    BrushStroke stroke(labels, s);
    const double z = double(rng() % std::uint32_t(labels.size().z));
    for (int i = 0; i < 4; ++i)
      stroke.moveTo({double(rng() % std::uint32_t(labels.size().x)), double(rng() % std::uint32_t(labels.size().y)), z});
    stroke.finish();
  }
  labels.edit("Mark slice annotated", [](LabelEdit& e) { e.setSliceAnnotated(1, true); });
}

bool sameVoxels(const Volume& a, const Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), std::size_t(a.bytes())) == 0;
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    qInfo("%s", e.what());
    return e.what();
  }
  return {};
}

} // namespace

class TestLabelFiles : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  fs::path dir(const char* name) {
    const fs::path p = fs::path(m_tmp.path().toStdString()) / name;
    fs::create_directories(p);
    return p;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_tmp.isValid()); }

  void labelsRoundTripNrrdAndTiff() {
    const VolumeInfo img = imageInfo({70, 50, 12});
    LabelVolume labels(img);
    paintSomething(labels, 1);
    labels.edit("Class 200", [](LabelEdit& e) { e.fill({{0, 0, 5}, {7, 7, 1}}, 200); }); // 0..255 stay usable
    const fs::path d = dir("roundtrip");
    for (const char* name : {"l.nrrd", "l.tif", "l.tiff"}) {
      const std::string path = (d / name).string();
      writeLabelsFile(labels, path);
      const Volume back = readLabelsFile(path, img);
      QVERIFY2(sameVoxels(back, labels.volume()), name);
      QCOMPARE(back.spacing().x, 0.05);
    }
  }

  void saveSaveAsOpen() {
    const fs::path d = dir("project");
    const VolumeInfo img = imageInfo({64, 48, 10});
    LabelVolume labels(img);
    paintSomething(labels, 2);
    ProjectFile project;
    project.imagePath = (d / "image.nrrd").string();
    project.viewSettingsJson = R"({"slice": 4})";
    const std::string path = (d / "cathode.cdnet").string();
    QVERIFY(labels.isModified());
    saveProject(project, path, labels);
    QVERIFY(!labels.isModified());
    QCOMPARE(project.labelsPath, (d / "cathode.labels.nrrd").string());
    QVERIFY(fs::exists(project.labelsPath));
    QCOMPARE(project.annotatedSlices, (std::vector<std::int64_t>{1}));

    // Open: project, then labels for the image the UI has read.
    const ProjectFile opened = ProjectFile::load(path);
    QCOMPARE(opened.labelsPath, project.labelsPath);
    auto reopened = loadProjectLabels(opened, img);
    QVERIFY(sameVoxels(reopened->volume(), labels.volume()));
    QCOMPARE(reopened->annotatedSlices(), (std::vector<std::int64_t>{1}));
    QVERIFY(!reopened->isModified());

    // Saving again without changes leaves the labels file alone.
    const auto stamp = fs::last_write_time(project.labelsPath);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    saveProject(project, path, labels);
    QVERIFY(fs::last_write_time(project.labelsPath) == stamp);
    // After an edit it is rewritten.
    labels.edit("Fill", [](LabelEdit& e) { e.fill({{0, 0, 0}, {10, 10, 1}}, kCrack); });
    saveProject(project, path, labels);
    QVERIFY(fs::last_write_time(project.labelsPath) != stamp);
    QVERIFY(sameVoxels(readLabelsFile(project.labelsPath, img), labels.volume()));

    // Save As: labels next to the new project; the old files stay.
    const fs::path other = dir("elsewhere");
    const std::string path2 = (other / "copy.cdnet").string();
    saveProjectAs(project, path2, labels);
    QCOMPARE(project.labelsPath, (other / "copy.labels.nrrd").string());
    QVERIFY(sameVoxels(readLabelsFile(project.labelsPath, img), labels.volume()));
    QVERIFY(fs::exists(d / "cathode.labels.nrrd"));
    // A project without labels yet opens with empty labels.
    ProjectFile fresh;
    fresh.imagePath = project.imagePath;
    auto empty = loadProjectLabels(fresh, img);
    QCOMPARE(empty->size(), img.size);
    QCOMPARE(empty->at(0, 0, 0), kUnlabelled);
  }

  void labelFilesThatDoNotFitGiveClearErrors() {
    const fs::path d = dir("bad");
    const VolumeInfo img = imageInfo({32, 32, 8});
    // Another size.
    const std::string small = (d / "small.nrrd").string();
    core::volume::writeVolume(Volume({32, 32, 6}, VoxelType::UInt8), small);
    std::string msg = errorOf([&] { readLabelsFile(small, img); });
    QVERIFY(msg.find(small) != std::string::npos);
    QVERIFY(msg.find("32 x 32 x 6") != std::string::npos && msg.find("32 x 32 x 8") != std::string::npos);
    // uint16 labels with values 0..2 are fine; a value of 300 is not a label.
    Volume wide({32, 32, 8}, VoxelType::UInt16);
    wide.setValueAt(1, 2, 3, 2);
    const std::string widePath = (d / "wide.nrrd").string();
    core::volume::writeVolume(wide, widePath);
    const Volume converted = readLabelsFile(widePath, img);
    QCOMPARE(converted.type(), VoxelType::UInt8);
    QCOMPARE(converted.valueAt(1, 2, 3), 2.0);
    wide.setValueAt(4, 4, 4, 300);
    core::volume::writeVolume(wide, widePath);
    msg = errorOf([&] { readLabelsFile(widePath, img); });
    QVERIFY(msg.find(widePath) != std::string::npos && msg.find("300") != std::string::npos);
    // A project whose labels file went missing.
    ProjectFile p;
    p.imagePath = (d / "image.nrrd").string();
    p.labelsPath = (d / "gone.labels.nrrd").string();
    msg = errorOf([&] { loadProjectLabels(p, img); });
    QVERIFY(msg.find("gone.labels.nrrd") != std::string::npos);
    // Annotated slices beyond the volume.
    p.labelsPath = (d / "ok.nrrd").string();
    core::volume::writeVolume(Volume({32, 32, 8}, VoxelType::UInt8), p.labelsPath);
    p.annotatedSlices = {2, 9};
    msg = errorOf([&] { loadProjectLabels(p, img); });
    QVERIFY(msg.find("slice 9") != std::string::npos);
  }

  void annotatedSlicesOutsideTheImageFailWithoutLabelsFile() {
    // A project that has no labels file yet still may not mark slices the image lacks.
    ProjectFile p;
    p.imagePath = "/data/image.nrrd";
    p.annotatedSlices = {1, 8};
    const std::string msg = errorOf([&] { loadProjectLabels(p, imageInfo({32, 32, 8})); });
    QVERIFY(msg.find("slice 8") != std::string::npos && msg.find("/data/image.nrrd") != std::string::npos);
    p.annotatedSlices = {1, 7};
    const auto labels = loadProjectLabels(p, imageInfo({32, 32, 8}));
    QVERIFY(labels->isSliceAnnotated(7) && labels->isSliceAnnotated(1) && !labels->isSliceAnnotated(2));
  }

  void predictionFilesOfEveryKindLoad() {
    // cdnet predict writes float probabilities 0..1 by default; the studio saves uint8 (255 = 1).
    const fs::path d = dir("prediction");
    const VolumeInfo img = imageInfo({16, 16, 4});
    Volume prob({16, 16, 4}, VoxelType::Float32);
    prob.setValueAt(1, 2, 3, 0.5);
    prob.setValueAt(4, 5, 1, 1.0);
    const std::string floatPath = (d / "cracks.nrrd").string();
    core::volume::writeVolume(prob, floatPath);
    const Volume fromFloat = readPredictionFile(floatPath, img);
    QCOMPARE(fromFloat.type(), VoxelType::UInt8);
    QCOMPARE(fromFloat.valueAt(1, 2, 3), 128.0);
    QCOMPARE(fromFloat.valueAt(4, 5, 1), 255.0);
    QCOMPARE(fromFloat.valueAt(0, 0, 0), 0.0);
    QCOMPARE(fromFloat.spacing().x, 0.05);
    Volume bytes({16, 16, 4}, VoxelType::UInt8);
    bytes.setValueAt(3, 3, 3, 77);
    const std::string bytePath = (d / "studio.prediction.nrrd").string();
    core::volume::writeVolume(bytes, bytePath);
    QCOMPARE(readPredictionFile(bytePath, img).valueAt(3, 3, 3), 77.0);
    Volume wide({16, 16, 4}, VoxelType::UInt16);
    wide.setValueAt(2, 2, 2, 255);
    const std::string widePath = (d / "mask16.nrrd").string();
    core::volume::writeVolume(wide, widePath);
    QCOMPARE(readPredictionFile(widePath, img).valueAt(2, 2, 2), 255.0);
    // Not probabilities: named with the value.
    prob.setValueAt(0, 1, 0, 3.5);
    core::volume::writeVolume(prob, floatPath);
    std::string msg = errorOf([&] { readPredictionFile(floatPath, img); });
    QVERIFY(msg.find(floatPath) != std::string::npos && msg.find("3.5") != std::string::npos);
    prob.setValueAt(0, 1, 0, std::nan(""));
    core::volume::writeVolume(prob, floatPath);
    msg = errorOf([&] { readPredictionFile(floatPath, img); });
    QVERIFY(msg.find(floatPath) != std::string::npos && msg.find("nan") != std::string::npos);
    wide.setValueAt(2, 2, 2, 256);
    core::volume::writeVolume(wide, widePath);
    msg = errorOf([&] { readPredictionFile(widePath, img); });
    QVERIFY(msg.find(widePath) != std::string::npos && msg.find("256") != std::string::npos);
    msg = errorOf([&] { readPredictionFile(bytePath, imageInfo({16, 16, 5})); });
    QVERIFY(msg.find(bytePath) != std::string::npos && msg.find("16 x 16 x 5") != std::string::npos);
  }

  void labelSaveSurvivesSigkill_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("nrrd") << "labels.nrrd";
    QTest::newRow("tiff") << "labels.tif";
  }
  void labelSaveSurvivesSigkill() {
    // A child saves ever newer versions of a 16 MB label volume (every voxel = the version) in a
    // loop and is killed at random moments: the file must always read, whole, as one version.
    QFETCH(QString, name);
    const fs::path d = dir(("kill-" + name.toStdString()).c_str());
    const std::string path = (d / name.toStdString()).string();
    const VolumeInfo img = imageInfo({256, 256, 256});
    {
      LabelVolume labels(img);
      writeLabelsFile(labels, path);
    }
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> delayMs(20, 400);
    int kills = 0;
    int last = 0;
    for (int round = 0; round < 8; ++round) {
      const int base = 10 * (round + 1);
      const pid_t pid = ::fork();
      if (pid == 0) {
        LabelVolume labels(img);
        for (int k = base; k < base + 9; ++k) {
          labels.edit("Fill", [k](LabelEdit& e) { e.fill(Region::whole(e.volume().size()), std::uint8_t(k)); });
          writeLabelsFile(labels, path);
        }
        ::_exit(0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
      kills += ::kill(pid, SIGKILL) == 0;
      int status = 0;
      ::waitpid(pid, &status, 0);
      const Volume back = readLabelsFile(path, img); // throws if damaged
      const std::uint8_t* p = back.as<std::uint8_t>();
      const int k = p[0];
      QVERIFY2(k == last || (k >= base && k < base + 9), qPrintable(QString("version %1 after round %2").arg(k).arg(round)));
      QVERIFY(std::memcmp(p, p + 1, std::size_t(back.voxelCount() - 1)) == 0); // complete: one version throughout
      last = k;
    }
    int leftovers = 0;
    for (const auto& e : fs::directory_iterator(d)) leftovers += e.path().filename().string() != name.toStdString();
    qInfo("%s: %d saves killed (%d left a temporary file behind); the previous file always read back whole",
          qPrintable(name), kills, leftovers);
  }
};

QTEST_GUILESS_MAIN(TestLabelFiles)
#include "test_label_files.moc"
