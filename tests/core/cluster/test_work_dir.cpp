// The task manifest (JSON round trip, damaged files refused), the work directory's restart rule
// and the task runner: a task without a done marker is (re)run, a task with one is not; a task
// that fails or leaves no piece gets no marker.
#include "core/cluster/TaskRunner.h"
#include "core/cluster/WorkDir.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace core::cluster;
namespace fs = std::filesystem;

namespace {
/// A job of \p n tasks over slices [0, 4n) whose command writes "<z0>:<z1>" into its piece and
/// appends a line to a run log (so the test can count how often each task ran).
Manifest shellJob(const std::string& dir, int n, const std::string& failTask = "") {
  Manifest m;
  m.kind = "test";
  m.program = "/bin/sh";
  m.input = "/data/in.h5";
  m.begin = 0;
  m.end = 4 * n;
  m.halo = 2;
  m.userArgs = {"--input", "/data/in.h5", "--threshold", "0.5"};
  m.outputs = {{"--out", PieceType::Csv, "/data/out.csv"}};
  m.slurm.cpusPerTask = 2;
  m.slurm.mem = "2G";
  m.slurm.gpus = 1;
  m.created = isoTimeNow();
  const auto slabs = splitSlabs({0, 4 * std::int64_t(n), n, 0, 2});
  for (int i = 0; i < n; ++i) {
    Task t;
    t.index = i;
    t.slab = slabs[std::size_t(i)];
    t.pieces = {WorkDir::pieceName(i, "out", ".csv")};
    t.marker = WorkDir::markerName(i);
    const std::string piece = dir + "/" + t.pieces[0];
    std::string script = "echo " + std::to_string(i) + " >> '" + dir + "/runs.log'; ";
    if (std::to_string(i) == failTask) script += "exit 3";
    else script += "printf 'id\\n%s\\n' " + std::to_string(t.slab.z0) + " > '" + piece + "'";
    t.argv = {"/bin/sh", "-c", script};
    m.tasks.push_back(t);
  }
  return m;
}

int runsOf(const std::string& dir, int task) {
  std::ifstream in(dir + "/runs.log");
  int count = 0;
  std::string line;
  while (std::getline(in, line))
    if (line == std::to_string(task)) ++count;
  return count;
}
} // namespace

class TestWorkDir : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void manifestRoundTrip() {
    QTemporaryDir tmp;
    Manifest m = shellJob(tmp.path().toStdString(), 3);
    m.slurm.extraArgs = {"--constraint=a100", "--mail-type=END"};
    m.submissions.push_back({"1234", {0, 2}, "2024-01-01T10:00:00"});
    const Manifest back = manifestFromJson(toJson(m), "test");
    QCOMPARE(back.kind, m.kind);
    QCOMPARE(back.program, m.program);
    QCOMPARE(back.input, m.input);
    QCOMPARE(back.begin, m.begin);
    QCOMPARE(back.end, m.end);
    QCOMPARE(back.halo, m.halo);
    QVERIFY(back.userArgs == m.userArgs);
    QCOMPARE(back.outputs.size(), std::size_t(1));
    QCOMPARE(back.outputs[0].name, std::string("--out"));
    QVERIFY(back.outputs[0].type == PieceType::Csv);
    QCOMPARE(back.outputs[0].target, std::string("/data/out.csv"));
    QVERIFY(back.slurm == m.slurm);
    QCOMPARE(back.tasks.size(), m.tasks.size());
    for (std::size_t i = 0; i < m.tasks.size(); ++i) {
      QVERIFY(back.tasks[i].slab == m.tasks[i].slab);
      QVERIFY(back.tasks[i].argv == m.tasks[i].argv);
      QVERIFY(back.tasks[i].pieces == m.tasks[i].pieces);
      QCOMPARE(back.tasks[i].marker, m.tasks[i].marker);
    }
    QCOMPARE(back.submissions.size(), std::size_t(1));
    QCOMPARE(back.submissions[0].jobId, std::string("1234"));
    QVERIFY(back.submissions[0].tasks == (std::vector<int>{0, 2}));
    QCOMPARE(toJson(back), toJson(m)); // stable
  }

  void damagedManifestsAreRefused() {
    QTemporaryDir tmp;
    const std::string good = toJson(shellJob(tmp.path().toStdString(), 2));
    auto refuses = [](const std::string& text, const char* expect) {
      try {
        manifestFromJson(text, "job/manifest.json");
      } catch (const std::runtime_error& e) {
        const QString msg = e.what();
        return msg.startsWith("job/manifest.json") && msg.contains(expect);
      }
      return false;
    };
    QVERIFY(refuses("{ not json", "not a valid JSON"));
    QVERIFY(refuses("{\"a\": 1}", "not a cdnet cluster manifest"));
    std::string newer = good;
    newer.replace(newer.find("\"version\": 1"), 12, "\"version\": 99");
    QVERIFY(refuses(newer, "version 99"));
    std::string gap = good;
    gap.replace(gap.find("\"z0\": 4"), 7, "\"z0\": 5");
    QVERIFY(refuses(gap, "do not tile"));
    std::string noTasks = good;
    noTasks.replace(noTasks.find("\"tasks\""), 7, "\"tasks_\"");
    QVERIFY(refuses(noTasks, "damaged manifest"));
  }

  void createRefusesAnExistingJobAndOpenFindsIt() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("job").toStdString();
    WorkDir w = WorkDir::create(dir, shellJob(dir, 2));
    QVERIFY(fs::is_directory(dir + "/pieces") && fs::is_directory(dir + "/done") && fs::is_directory(dir + "/logs"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, WorkDir::create(dir, shellJob(dir, 2)));
    const WorkDir again = WorkDir::open(dir + "/");
    QCOMPARE(again.dir(), dir);
    QCOMPARE(again.manifest().tasks.size(), std::size_t(2));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, WorkDir::open(tmp.filePath("nothing").toStdString()));
  }

  void onlyTasksWithoutMarkerRunAgain() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("job").toStdString();
    WorkDir w = WorkDir::create(dir, shellJob(dir, 4, /*failTask*/ "2"));
    QVERIFY(w.missingTasks() == (std::vector<int>{0, 1, 2, 3}));

    // First round: tasks 0, 1, 3 succeed; task 2 fails and gets no marker.
    for (int i : {0, 1, 3}) {
      const TaskRunResult r = runTask(w, i);
      QVERIFY(r.ran);
      QVERIFY(fs::exists(w.markerPath(i)));
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, runTask(w, 2));
    QVERIFY(!fs::exists(w.markerPath(2)));
    QVERIFY(w.missingTasks() == (std::vector<int>{2}));

    // Running a finished task again does nothing: its piece is never recomputed.
    QVERIFY(!runTask(w, 0).ran);
    QCOMPARE(runsOf(dir, 0), 1);

    // The failed task is fixed and rerun alone.
    Manifest fixed = shellJob(dir, 4);
    w.manifest().tasks[2] = fixed.tasks[2];
    w.save();
    for (int i : WorkDir::open(dir).missingTasks()) runTask(w, i);
    QVERIFY(w.missingTasks().empty());
    QCOMPARE(runsOf(dir, 0), 1);
    QCOMPARE(runsOf(dir, 1), 1);
    QCOMPARE(runsOf(dir, 2), 2);
    QCOMPARE(runsOf(dir, 3), 1);

    // The piece holds what the task computed; the marker records the slab and the piece.
    std::ifstream piece(w.piecePaths(2)[0]);
    std::string header, value;
    std::getline(piece, header);
    std::getline(piece, value);
    QCOMPARE(value, std::string("8"));
    const QString marker = QString::fromStdString(readFile(w.markerPath(2)));
    QVERIFY(marker.contains("\"z0\": 8") && marker.contains("\"z1\": 12") && marker.contains("out-0002.csv"));
    const QJsonObject j = QJsonDocument::fromJson(marker.toUtf8()).object();
    QVERIFY(j.value("peakRssBytes").toDouble() > 100e3); // a shell takes more than 100 kB
    QVERIFY(j.value("pieces").toArray().at(0).toObject().value("bytes").toInt() == 5); // "id\n8\n"

    // A marker whose piece was deleted does not count as done.
    fs::remove(w.piecePaths(1)[0]);
    QVERIFY(w.status(1) == TaskStatus::Missing);
    QVERIFY(w.missingTasks() == (std::vector<int>{1}));
  }

  void aTaskThatLeavesNoPieceOrAnInvalidOneGetsNoMarker() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("job").toStdString();
    Manifest m = shellJob(dir, 2);
    m.tasks[0].argv = {"/bin/sh", "-c", "true"}; // succeeds, writes nothing
    WorkDir w = WorkDir::create(dir, m);
    try {
      runTask(w, 0);
      QFAIL("a task without its piece must fail");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("did not write its piece"), e.what());
    }
    QVERIFY(!fs::exists(w.markerPath(0)));

    TaskRunOptions strict;
    strict.validate = [](const OutputSpec&, const Task& t, const std::string& path) {
      if (t.index == 1) throw std::runtime_error(path + ": incomplete");
    };
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, runTask(w, 1, strict));
    QVERIFY(!fs::exists(w.markerPath(1)));
    QVERIFY(runTask(w, 1).ran); // without the validator it passes
    QVERIFY(w.status(1) == TaskStatus::Done);
    // A stale piece from a dead attempt is removed before the task runs again.
    std::ofstream(w.piecePaths(0)[0]) << "half written";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, runTask(w, 0));
    QVERIFY(!fs::exists(w.piecePaths(0)[0]));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, runTask(w, 7));
  }

  void atomicWriteLeavesNoTemporaryFiles() {
    QTemporaryDir tmp;
    const std::string path = tmp.filePath("a.json").toStdString();
    writeFileAtomically(path, "one");
    writeFileAtomically(path, "two");
    QCOMPARE(readFile(path), std::string("two"));
    QCOMPARE(int(std::distance(fs::directory_iterator(tmp.path().toStdString()), fs::directory_iterator{})), 1);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeFileAtomically(tmp.filePath("no/such/dir/x").toStdString(), "x"));
  }
};

QTEST_GUILESS_MAIN(TestWorkDir)
#include "test_work_dir.moc"
