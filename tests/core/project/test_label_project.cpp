// Project files and crash safety without volume I/O: the project JSON round trip and its bad
// inputs, atomic saves that survive SIGKILL at random moments, and autosave / recovery.
#include "core/project/AtomicFile.h"
#include "core/labels/Brush.h"
#include "core/project/ProjectFile.h"
#include "core/project/RecoveryStore.h"

#include <QtTest>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
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

VolumeInfo info(Size3 s) {
  VolumeInfo i;
  i.size = s;
  i.spacing = {0.05, 0.05, 0.05};
  return i;
}

void writeText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

ProjectFile sampleProject(const fs::path& dir) {
  ProjectFile p;
  p.imagePath = (dir / "data" / "cathode.tif").string();
  p.imageOpen.format = "raw";
  p.imageOpen.raw = core::volume::RawParams{{100, 80, 60}, VoxelType::UInt16, true, 512, {0.05, 0.05, 0.1}};
  p.imageRead.crop = Region{{1, 2, 3}, {40, 30, 20}};
  p.imageRead.downsample = 2;
  p.imageRead.mode = core::volume::DownsampleMode::Nearest;
  p.labelsPath = (dir / "cathode.labels.nrrd").string();
  p.predictionPath = "/elsewhere/prediction.nrrd";
  p.modelPaths = {(dir / "models" / "best.pt").string(), "/shared/models/paper.pt"};
  p.annotatedSlices = {3, 4, 5, 9, 20};
  p.labelClasses.push_back({7, "pore", 0x10203040u});
  p.viewSettingsJson = R"({"layout":"2x2","slices":[10,20,30],"window":{"level":0.5,"width":0.25}})";
  return p;
}

/// Runs \p body in a child process and SIGKILLs it after \p delay; returns whether it was still
/// running when killed.
template <class Body> bool runAndKill(std::chrono::microseconds delay, Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  std::this_thread::sleep_for(delay);
  const bool alive = ::kill(pid, 0) == 0;
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return alive && WIFSIGNALED(status);
}

} // namespace

class TestLabelProject : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  fs::path dir(const char* name) {
    const fs::path p = fs::path(m_tmp.path().toStdString()) / name;
    fs::create_directories(p);
    return p;
  }

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_tmp.isValid()); }

  void projectRoundTrip() {
    const fs::path d = dir("round");
    const ProjectFile p = sampleProject(d);
    const std::string path = (d / "cathode.cdnet").string();
    p.save(path);
    const ProjectFile q = ProjectFile::load(path);
    QCOMPARE(q.imagePath, p.imagePath);
    QCOMPARE(q.imageOpen.format, std::string("raw"));
    QVERIFY(q.imageOpen.raw.has_value());
    QCOMPARE(q.imageOpen.raw->size, (Size3{100, 80, 60}));
    QCOMPARE(q.imageOpen.raw->type, VoxelType::UInt16);
    QCOMPARE(q.imageOpen.raw->bigEndian, true);
    QCOMPARE(q.imageOpen.raw->headerOffset, std::uint64_t(512));
    QCOMPARE(q.imageOpen.raw->spacing.z, 0.1);
    QVERIFY(q.imageRead.crop.has_value());
    QCOMPARE(*q.imageRead.crop, (Region{{1, 2, 3}, {40, 30, 20}}));
    QCOMPARE(q.imageRead.downsample, 2);
    QCOMPARE(q.imageRead.mode, core::volume::DownsampleMode::Nearest);
    QCOMPARE(q.labelsPath, p.labelsPath);
    QCOMPARE(q.predictionPath, p.predictionPath);
    QCOMPARE(q.modelPaths, p.modelPaths);
    QCOMPARE(q.annotatedSlices, p.annotatedSlices);
    QVERIFY(q.labelClasses == p.labelClasses);
    QCOMPARE(q.labelClasses[2].name, std::string("crack"));
    QCOMPARE(nlohmannFree(q.viewSettingsJson), nlohmannFree(p.viewSettingsJson));
    // Paths inside the project folder are stored relative, others absolute; slices as ranges.
    const std::string text = readWholeFile(path);
    QVERIFY(text.find("\"data/cathode.tif\"") != std::string::npos);
    QVERIFY(text.find("\"models/best.pt\"") != std::string::npos);
    QVERIFY(text.find("\"/elsewhere/prediction.nrrd\"") != std::string::npos);
    QVERIFY(text.find("\"formatVersion\": 1") != std::string::npos);
    // A moved project folder still finds its files.
    const fs::path moved = fs::path(m_tmp.path().toStdString()) / "moved";
    fs::rename(d, moved);
    const ProjectFile r = ProjectFile::load((moved / "cathode.cdnet").string());
    QCOMPARE(r.imagePath, (moved / "data" / "cathode.tif").string());
    QCOMPARE(r.labelsPath, (moved / "cathode.labels.nrrd").string());
    QCOMPARE(r.predictionPath, std::string("/elsewhere/prediction.nrrd"));
  }

  void trainingAndAnalysisRoundTrip() {
    const fs::path d = dir("extras");
    ProjectFile p = sampleProject(d);
    ProjectTraining t;
    t.baseWidth = 16;
    t.epochs = 0;
    t.maxMinutes = 2.5;
    t.batch = 2;
    t.crop = 96;
    t.iterationsPerEpoch = 7;
    t.learningRate = 3e-4;
    t.valFraction = 0.1;
    t.augment = false;
    t.device = "cpu";
    t.contextSlices = 2;
    t.loss = "bce+cldice";
    t.lrSchedule = "cosine";
    t.precision = "bf16";
    p.training = t;
    ProjectAnalysis a;
    a.particlesPath = (d / "cathode.particles.nrrd").string();
    a.phasesPath = (d / "cathode.phases.nrrd").string();
    a.tablePath = (d / "cathode.particles.csv").string();
    a.solidThreshold = 1234.5;
    a.minVolume = 77;
    a.splitHeight = 0.45;
    a.contactRatio = 0.7;
    a.depthAxis = 1;
    a.depthFromLast = true;
    a.packingRadiusFactor = 1.25;
    a.binWidthUm = 2.5;
    a.crackSource = "labels";
    a.usedSolidThreshold = 1234.5;
    a.thresholdMethod = "user";
    a.provenanceSource = "phantom";
    a.provenanceCracks = "labels";
    p.analysis = a;
    const std::string path = (d / "cathode.cdnet").string();
    p.save(path);
    const std::string text = readWholeFile(path);
    QVERIFY(text.find("\"cathode.particles.csv\"") != std::string::npos); // relative to the project
    const ProjectFile q = ProjectFile::load(path);
    QVERIFY(q.training.has_value());
    QVERIFY(*q.training == t);
    QCOMPARE(q.training->contextSlices, 2);
    QCOMPARE(q.training->loss, std::string("bce+cldice"));
    QCOMPARE(q.training->lrSchedule, std::string("cosine"));
    QCOMPARE(q.training->precision, std::string("bf16"));
    QVERIFY(q.analysis.has_value());
    QVERIFY(*q.analysis == a);
    // An automatic threshold stays automatic.
    p.analysis->solidThreshold.reset();
    p.save(path);
    QVERIFY(!ProjectFile::load(path).analysis->solidThreshold.has_value());
    // The second time point (issue 19): paths relative to the project, transform, correlation.
    core::labels::ProjectEvolution e;
    e.imageBPath = (d / "b" / "image.nrrd").string();
    e.cracksBPath = (d / "b" / "cracks.nrrd").string();
    e.csvPath = (d / "cathode.evolution.csv").string();
    e.affine = true;
    e.transform = {0.99, 0.01, 0, -0.01, 0.99, 0, 0, 0, 1, 1.5, -2.25, 0.125};
    e.correlation = 0.625;
    p.evolution = e;
    p.save(path);
    QVERIFY(readWholeFile(path).find("\"b/image.nrrd\"") != std::string::npos);
    const ProjectFile r = ProjectFile::load(path);
    QVERIFY(r.evolution.has_value());
    QVERIFY(*r.evolution == e);
  }

  void projectsWithoutNewKeysStillLoad() {
    // A project as the first versions wrote it: no "training", no "analysis", models listed.
    const fs::path d = dir("old");
    const std::string path = (d / "old.cdnet").string();
    writeText(path, R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": "a.nrrd"},
                       "labels": {"path": "a.labels.nrrd"}, "models": ["m/best.pt"], "annotatedSlices": [[2, 3]]})");
    const ProjectFile q = ProjectFile::load(path);
    QVERIFY(!q.training.has_value());
    QVERIFY(!q.analysis.has_value());
    QCOMPARE(q.modelPaths, std::vector<std::string>{(d / "m" / "best.pt").string()});
    QCOMPARE(q.annotatedSlices, (std::vector<std::int64_t>{2, 3}));
    // Saved again without them, the keys stay absent (an older studio reads it unchanged).
    q.save(path);
    const std::string text = readWholeFile(path);
    QVERIFY(text.find("\"training\"") == std::string::npos);
    QVERIFY(text.find("\"analysis\"") == std::string::npos);
    // A "training" object of an older version (no 2.5D, loss or schedule): the 2D recipe's defaults.
    writeText(path, R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": "a.nrrd"},
                       "training": {"batch": 3}})");
    const ProjectFile t = ProjectFile::load(path);
    QVERIFY(t.training.has_value());
    QCOMPARE(t.training->batch, 3);
    QCOMPARE(t.training->contextSlices, 0);
    QCOMPARE(t.training->loss, std::string("bce"));
    QCOMPARE(t.training->lrSchedule, std::string("constant"));
    QCOMPARE(t.training->precision, std::string("fp32"));
  }

  void badProjectsGiveClearErrors() {
    const fs::path d = dir("bad");
    const auto expectError = [](const std::string& path, const char* needle) {
      try {
        ProjectFile::load(path);
      } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        qInfo("%s", e.what());
        return msg.find(path) != std::string::npos && msg.find(needle) != std::string::npos;
      }
      return false;
    };
    const std::string corrupt = (d / "corrupt.cdnet").string();
    writeText(corrupt, R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": "a.tif")");
    QVERIFY(expectError(corrupt, "not valid JSON"));
    const std::string newer = (d / "newer.cdnet").string();
    writeText(newer, R"({"format": "cdnet-project", "formatVersion": 99, "image": {"path": "a.tif"}, "future": true})");
    QVERIFY(expectError(newer, "newer CDNet Studio"));
    const std::string other = (d / "other.cdnet").string();
    writeText(other, R"({"name": "something else"})");
    QVERIFY(expectError(other, "not a CDNet Studio project"));
    const std::string wrongField = (d / "wrong.cdnet").string();
    writeText(wrongField, R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": 5}})");
    QVERIFY(expectError(wrongField, "wrong value in image.path"));
    const std::string badColor = (d / "color.cdnet").string();
    writeText(badColor, R"({"format": "cdnet-project", "formatVersion": 1, "image": {"path": "a"},
                           "labelClasses": [{"value": 2, "name": "crack", "color": "red"}]})");
    QVERIFY(expectError(badColor, "colour"));
    QVERIFY(expectError((d / "missing.cdnet").string(), "does not exist"));
    ProjectFile p;
    p.viewSettingsJson = "[1, 2]";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, p.save((d / "x.cdnet").string()));
    QVERIFY(!fs::exists(d / "x.cdnet"));
  }

  void corruptedProjectsNameTheFileAndTheProblem_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("needle");
    // JSON written with ' for " (moc misreads raw strings).
    const auto q = [](const char* text) { return QByteArray(text).replace('\'', '"'); };
    const QByteArray head = "{" + q("'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a.nrrd'}");
    auto with = [&](const char* more) { return head + ", " + q(more) + "}"; };
    QTest::newRow("empty") << QByteArray() << "is empty";
    QTest::newRow("blank") << QByteArray(" \n\t ") << "is empty";
    QByteArray binary(300, '\0');
    for (int i = 0; i < binary.size(); ++i) binary[i] = char((i * 37 + 11) & 255);
    QTest::newRow("binary") << binary << "goes wrong at byte 1 of 300";
    QTest::newRow("half cut") << QByteArray("{\"format\": \"cdnet-project\", \"formatVersion\": 1, \"image\": {\"pa")
                              << "ends too early";
    QTest::newRow("not an object") << QByteArray("[1, 2, 3]") << "not a CDNet Studio project";
    QTest::newRow("version 999") << q("{'format': 'cdnet-project', 'formatVersion': 999, 'image': {'path': 'a'}}")
                                 << "newer CDNet Studio";
    QTest::newRow("version 0") << q("{'format': 'cdnet-project', 'formatVersion': 0, 'image': {'path': 'a'}}")
                               << "invalid format version 0";
    QTest::newRow("version text") << q("{'format': 'cdnet-project', 'formatVersion': '1', 'image': {'path': 'a'}}")
                                  << "invalid format version \"1\"";
    QTest::newRow("version 1.5") << q("{'format': 'cdnet-project', 'formatVersion': 1.5, 'image': {'path': 'a'}}")
                                 << "invalid format version 1.5";
    QTest::newRow("no version") << q("{'format': 'cdnet-project', 'image': {'path': 'a'}}")
                                << "no format version";
    QTest::newRow("no image") << q("{'format': 'cdnet-project', 'formatVersion': 1}") << "\"image\" is missing";
    QTest::newRow("image path number") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 5}}")
                                       << "image.path: 5 is not a text";
    QTest::newRow("class 300") << with("'labelClasses': [{'value': 300, 'name': 'x', 'color': '#ff0000'}]")
                               << "labelClasses[0].value: 300 is not a whole number from 0 to 255";
    QTest::newRow("class -1") << with("'labelClasses': [{'value': -1, 'name': 'x', 'color': '#ff0000'}]")
                              << "labelClasses[0].value: -1 is not";
    QTest::newRow("class 2.5") << with("'labelClasses': [{'value': 2.5, 'name': 'x', 'color': '#ff0000'}]")
                               << "labelClasses[0].value: 2.5 is not";
    QTest::newRow("class text") << with("'labelClasses': [{'value': '2', 'name': 'x', 'color': '#ff0000'}]")
                                << "labelClasses[0].value: \"2\" is not";
    QTest::newRow("class twice") << with("'labelClasses': [{'value': 2, 'color': '#ff0000'}, {'value': 2, 'color': '#00ff00'}]")
                                 << "labelClasses[1].value: the class value 2 appears twice";
    QTest::newRow("colour word") << with("'labelClasses': [{'value': 2, 'name': 'x', 'color': 'red'}]")
                                 << "labelClasses[0].color: 'red' is not a colour";
    QTest::newRow("colour bad hex") << with("'labelClasses': [{'value': 2, 'name': 'x', 'color': '#ggg000'}]")
                                    << "'#ggg000' is not a colour";
    QTest::newRow("colour number") << with("'labelClasses': [{'value': 2, 'name': 'x', 'color': 16711680}]")
                                   << "labelClasses[0].color: 16711680 is not a text";
    QTest::newRow("colour missing") << with("'labelClasses': [{'value': 2, 'name': 'x'}]")
                                    << "labelClasses[0]: \"color\" is missing";
    QTest::newRow("slices backwards") << with("'annotatedSlices': [[5, 2]]") << "annotatedSlices[0]: [5,2] ends before it starts";
    QTest::newRow("slices negative") << with("'annotatedSlices': [[-1, 2]]") << "annotatedSlices[0][0]: -1 is not";
    QTest::newRow("slices fraction") << with("'annotatedSlices': [[1.5, 2]]") << "annotatedSlices[0][0]: 1.5 is not";
    QTest::newRow("slices huge") << with("'annotatedSlices': [[0, 1e15]]") << "annotatedSlices[0][1]: 1e+15 is not";
    QTest::newRow("slices not pairs") << with("'annotatedSlices': [3, 4]") << "annotatedSlices[0]: 3 is not a range";
    QTest::newRow("read mode") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a', 'read': {'mode': 'bogus'}}}")
                               << "image.read.mode: \"bogus\" is neither";
    QTest::newRow("downsample 0") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a', 'read': {'downsample': 0}}}")
                                  << "image.read.downsample: 0 is not a whole number from 1 to 4096";
    QTest::newRow("crop short") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a', 'read': {'crop': [1, 2]}}}")
                                << "image.read.crop: [1,2] is not a list of 6 numbers";
    QTest::newRow("raw spacing 0") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a', 'open': {'raw': {'size': [4, 4, 4], 'type': 'uint8', 'spacing': [1, 0, 1]}}}}")
                                   << "image.open.raw.spacing[1]: 0 is not a positive number";
    QTest::newRow("raw type") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'a', 'open': {'raw': {'size': [4, 4, 4], 'type': 'int7'}}}}")
                              << "image.open.raw.type: unknown voxel type 'int7'";
    QTest::newRow("view list") << with("'view': [1, 2]") << "view: [1,2] is not an object";
    QTest::newRow("training list") << with("'training': [1]") << "training: [1] is not an object";
    QTest::newRow("training batch 0") << with("'training': {'batch': 0}") << "training.batch: 0 is not a whole number from 1";
    QTest::newRow("training rate text") << with("'training': {'learningRate': 'fast'}")
                                        << "training.learningRate: \"fast\" is not a number";
    QTest::newRow("training split 2") << with("'training': {'valFraction': 2}") << "training.valFraction: 2 is not a number from 0 to 0.9";
    QTest::newRow("training device") << with("'training': {'device': 'tpu'}") << "training.device: \"tpu\" is not one of";
    QTest::newRow("training context 9") << with("'training': {'contextSlices': 9}")
                                        << "training.contextSlices: 9 is not a whole number from 0";
    QTest::newRow("training loss") << with("'training': {'loss': 'focal'}") << "training.loss: \"focal\" is not one of";
    QTest::newRow("training schedule") << with("'training': {'lrSchedule': 'step'}")
                                       << "training.lrSchedule: \"step\" is not one of";
    QTest::newRow("training precision") << with("'training': {'precision': 'fp16'}")
                                        << "training.precision: \"fp16\" is not one of";
    QTest::newRow("analysis no table") << with("'analysis': {'particles': 'p.nrrd', 'phases': 'f.nrrd'}")
                                       << "analysis: \"table\" is missing";
    QTest::newRow("analysis axis 3") << with("'analysis': {'particles': 'p', 'phases': 'f', 'table': 't', 'parameters': {'depthAxis': 3}}")
                                     << "analysis.parameters.depthAxis: 3 is not a whole number from 0 to 2";
    QTest::newRow("analysis source") << with("'analysis': {'particles': 'p', 'phases': 'f', 'table': 't', 'parameters': {'crackSource': 'x'}}")
                                     << "analysis.parameters.crackSource: \"x\" is not one of";
    QTest::newRow("evolution no image") << with("'evolution': {'csv': 'e.csv'}") << "evolution: \"imageB\" is missing";
    QTest::newRow("evolution transform") << with("'evolution': {'imageB': 'b.nrrd', 'transform': [1, 0, 0]}")
                                         << "evolution.transform: [1,0,0] is not a list of 12 numbers";
  }

  void corruptedProjectsNameTheFileAndTheProblem() {
    QFETCH(QByteArray, content);
    QFETCH(QString, needle);
    const fs::path d = dir("corrupted");
    const std::string path = (d / "study.cdnet").string();
    writeText(path, content.toStdString());
    try {
      ProjectFile::load(path);
      QFAIL("the project was accepted");
    } catch (const std::runtime_error& e) {
      const QString msg = QString::fromUtf8(e.what());
      QVERIFY2(msg.contains(QString::fromStdString(path)) && msg.contains(needle), qPrintable(msg));
    }
  }

  void projectLoaderRefusesFoldersAndHugeFiles() {
    const fs::path d = dir("odd");
    fs::create_directories(d / "folder.cdnet");
    const auto message = [](const std::string& path) -> std::string {
      try {
        ProjectFile::load(path);
      } catch (const std::runtime_error& e) {
        return e.what();
      }
      return {};
    };
    QVERIFY(message((d / "folder.cdnet").string()).find("is a folder") != std::string::npos);
    const std::string big = (d / "big.cdnet").string();
    {
      std::ofstream out(big, std::ios::binary);
      out.seekp(std::streamoff(ProjectFile::kMaxBytes) + 10);
      out.put('x');
    }
    QVERIFY(message(big).find("far too large") != std::string::npos);
    // Whole floats count as whole numbers; overlapping slice ranges merge.
    const std::string ok = (d / "ok.cdnet").string();
    writeText(ok, "{\"format\": \"cdnet-project\", \"formatVersion\": 1.0, \"image\": {\"path\": \"a\", \"read\": "
                  "{\"downsample\": 2.0}}, \"annotatedSlices\": [[4, 6], [1, 2], [5, 8]]}");
    const ProjectFile p = ProjectFile::load(ok);
    QCOMPARE(p.imageRead.downsample, 2);
    QCOMPARE(p.annotatedSlices, (std::vector<std::int64_t>{1, 2, 4, 5, 6, 7, 8}));
  }

  void projectSaveSurvivesSigkill() {
    // A child saves ever newer versions of a ~2 MB project in a loop; it is killed at random
    // moments. The file must always parse and be one of the complete versions.
    const fs::path d = dir("killjson");
    const std::string path = (d / "p.cdnet").string();
    const auto version = [](int k) {
      ProjectFile p;
      p.imagePath = "/data/image.tif";
      std::string view = "{\"version\":" + std::to_string(k) + ",\"pad\":\"";
      view.append(std::size_t(2) << 20, char('a' + k % 26));
      view += "\"}";
      p.viewSettingsJson = view;
      return p;
    };
    version(0).save(path);
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> delayUs(2000, 60000);
    int kills = 0, lastSeen = 0;
    for (int round = 0; round < 12; ++round) {
      const int base = 1000 * (round + 1);
      kills += runAndKill(std::chrono::microseconds(delayUs(rng)), [&] {
        for (int k = base; k < base + 999; ++k) version(k).save(path);
      });
      const ProjectFile q = ProjectFile::load(path); // throws if damaged
      const std::string& view = q.viewSettingsJson;
      const auto at = view.find("\"version\":");
      QVERIFY(at != std::string::npos);
      const int k = std::atoi(view.c_str() + at + 10);
      QVERIFY(k == lastSeen || (k >= base && k < base + 999));
      const auto pad = view.find("\"pad\":\"");
      QVERIFY(pad != std::string::npos);
      const std::size_t n = std::size_t(2) << 20;
      QVERIFY(view.size() >= pad + 7 + n + 1);
      QVERIFY(view.find_first_not_of(char('a' + k % 26), pad + 7) == pad + 7 + n);
      lastSeen = k;
    }
    int leftovers = 0; // temporary files of writes the kill interrupted
    for (const auto& e : fs::directory_iterator(d)) leftovers += e.path().filename().string().find(".tmp-") != std::string::npos;
    qInfo("project saves killed %d times (%d in the middle of a write); the file always read back whole", kills, leftovers);
    QVERIFY(kills >= 10);
    // The next save of the same file removes the temporaries of the killed processes.
    version(1).save(path);
    for (const auto& e : fs::directory_iterator(d))
      QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
  }

  void recoveryRestoresLastAutosave() {
    const std::string root = dir("recovery").string();
    const fs::path proj = dir("recproj");
    const std::string projectPath = (proj / "work.cdnet").string();
    ProjectFile project = sampleProject(proj);
    const Size3 size{96, 80, 40};
    // The same deterministic edits in child and parent.
    const auto edits = [](LabelVolume& labels, int from, int to) {
      for (int k = from; k < to; ++k) {
        BrushSettings s;
        s.size = 5 + k;
        s.value = std::uint8_t(1 + k % 2);
        BrushStroke stroke(labels, s);
        stroke.moveTo({10.0 + 5 * k, 10, double(k)});
        stroke.moveTo({10.0 + 5 * k, 70, double(k)});
        stroke.finish();
      }
      labels.edit("Mark slice annotated", [to](LabelEdit& e) { e.setSliceAnnotated(to, true); });
    };
    // The child: a session that autosaves twice, edits more, and crashes.
    const pid_t pid = ::fork();
    if (pid == 0) {
      RecoveryStore store(projectPath, root);
      if (!store.beginSession()) ::_exit(3);
      LabelVolume labels(info(size));
      edits(labels, 0, 4);
      store.autosave(labels, project, projectPath);
      edits(labels, 4, 8);
      if (!store.needsAutosave(labels)) ::_exit(4);
      store.autosave(labels, project, projectPath);
      if (store.needsAutosave(labels)) ::_exit(5);
      edits(labels, 8, 12); // lost: never autosaved
      ::raise(SIGKILL);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    QVERIFY(WIFSIGNALED(status));
    LabelVolume expected(info(size));
    edits(expected, 0, 4);
    edits(expected, 4, 8);

    const auto found = RecoveryStore::findRecoverable(root);
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found[0].projectPath, projectPath);
    QCOMPARE(found[0].key, projectPath);
    QCOMPARE(found[0].imagePath, project.imagePath);
    QCOMPARE(found[0].size, size);
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count() - found[0].savedAtUnix;
    QVERIFY(age >= 0 && age < 60);
    RecoveredWork work = RecoveryStore::restore(found[0]);
    QCOMPARE(work.labels.size(), size);
    QCOMPARE(work.labels.spacing().x, 0.05);
    QVERIFY(std::memcmp(work.labels.data(), expected.volume().data(), std::size_t(expected.volume().bytes())) == 0);
    QCOMPARE(work.project.annotatedSlices, expected.annotatedSlices());
    QCOMPARE(work.project.imagePath, project.imagePath);
    QCOMPARE(work.project.modelPaths, project.modelPaths);
    // The UI puts the work back into a LabelVolume; it counts as unsaved.
    LabelVolume restored(info(size));
    restored.reset(work.labels, work.project.annotatedSlices);
    QVERIFY(restored.isModified());
    // Discard removes it.
    RecoveryStore::discard(found[0]);
    QVERIFY(RecoveryStore::findRecoverable(root).empty());
  }

  void liveAndCleanSessionsOfferNothing() {
    const std::string root = dir("recovery-live").string();
    RecoveryStore store("/some/image.tif", root);
    QVERIFY(store.beginSession());
    LabelVolume labels(info({20, 20, 5}));
    QVERIFY(!store.needsAutosave(labels));
    labels.edit("Fill", [](LabelEdit& e) { e.fill({{0, 0, 0}, {5, 5, 1}}, kCrack); });
    QVERIFY(store.needsAutosave(labels));
    store.autosave(labels, ProjectFile{});
    QVERIFY(fs::exists(fs::path(store.directory()) / "recovery.cdnetrec"));
    QVERIFY(RecoveryStore::findRecoverable(root).empty()); // this process is alive: not a crash
    // A second store on the same key (the project opened twice) is refused while this one lives.
    RecoveryStore twice("/some/image.tif", root);
    QVERIFY(twice.beginSession()); // same process: allowed
    store.endSession();
    QVERIFY(!fs::exists(store.directory()));
    QVERIFY(RecoveryStore::findRecoverable(root).empty());
    // Default root follows CDNET_RECOVERY_DIR, then XDG_STATE_HOME.
    qputenv("CDNET_RECOVERY_DIR", "");
    qputenv("XDG_STATE_HOME", "/state");
    QCOMPARE(RecoveryStore::defaultRoot(), std::string("/state/cdnet/recovery"));
    qputenv("CDNET_RECOVERY_DIR", "/rec");
    QCOMPARE(RecoveryStore::defaultRoot(), std::string("/rec"));
  }

  void damagedRecoveryIsReported() {
    const std::string root = dir("recovery-bad").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      RecoveryStore store("k", root);
      store.beginSession();
      LabelVolume labels(info({30, 30, 10}));
      labels.edit("Fill", [](LabelEdit& e) { e.fill({{0, 0, 0}, {30, 30, 5}}, kNotCrack); });
      store.autosave(labels, ProjectFile{});
      ::_exit(0); // exits without endSession: like a crash
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto found = RecoveryStore::findRecoverable(root);
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(countOf(RecoveryStore::restore(found[0]).labels, kNotCrack), std::int64_t(30 * 30 * 5));
    const fs::path file = fs::path(found[0].directory) / "recovery.cdnetrec";
    std::string bytes = readWholeFile(file.string());
    bytes[bytes.size() / 2] ^= 0x5a;
    writeFileAtomically(file.string(), bytes);
    try {
      RecoveryStore::restore(found[0]);
      QFAIL("a damaged recovery file was accepted");
    } catch (const std::runtime_error& e) {
      QVERIFY(std::string(e.what()).find("damaged") != std::string::npos);
      QVERIFY(std::string(e.what()).find(file.string()) != std::string::npos);
    }
  }

  void labelRleRoundTripAndSize() {
    Volume v({256, 256, 64}, VoxelType::UInt8);
    std::mt19937 rng(1);
    auto* p = v.as<std::uint8_t>();
    for (int k = 0; k < 200; ++k) {
      const auto at = std::size_t(rng() % std::uint32_t(v.voxelCount() - 300));
      std::memset(p + at, int(rng() % 3), rng() % 300);
    }
    const std::string enc = RecoveryStore::encodeLabels(v);
    const Volume back = RecoveryStore::decodeLabels(enc, "test");
    QVERIFY(std::memcmp(back.data(), v.data(), std::size_t(v.bytes())) == 0);
    qInfo("recovery encoding of a sparse 256x256x64 label volume: %zu bytes", enc.size());
    QVERIFY(enc.size() < 10000);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, RecoveryStore::decodeLabels(enc.substr(0, enc.size() - 3), "cut"));
  }

  void atomicWriteReportsFailures() {
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically("/proc/version/x/y", std::string("data")));
    const fs::path d = dir("atomic");
    writeFileAtomically((d / "a" / "b.txt").string(), std::string("hello"));
    QCOMPARE(readWholeFile((d / "a" / "b.txt").string()), std::string("hello"));
    QCOMPARE(std::distance(fs::directory_iterator(d / "a"), fs::directory_iterator{}), std::ptrdiff_t(1));
  }

private:
  static std::string nlohmannFree(const std::string& json) {
    std::string s;
    for (char c : json)
      if (c != ' ' && c != '\n') s += c;
    return s;
  }
  static std::int64_t countOf(const Volume& v, std::uint8_t value) {
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) n += v.as<std::uint8_t>()[i] == value;
    return n;
  }
};

QTEST_GUILESS_MAIN(TestLabelProject)
#include "test_label_project.moc"
