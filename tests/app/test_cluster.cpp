// The real thing: starts a private single-node Slurm (packaging/slurm-local.sh: munged,
// slurmctld, slurmd), submits a job array through `cdnet submit`, waits, merges, and checks the
// merged volume equals one cdnet run over the whole volume voxel for voxel. Then kills one task's
// result and resumes: only that task runs again. Where Slurm cannot start (not root, packages
// missing, no free port, the daemons fail) the test FAILS under CI (CI=true) and outside CI the
// binary exits 77 (skipped) with the reason.
#include "AnalyzeCsvCompare.h"
#include "ClusterTestSupport.h"
#include "support/Skip.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace clustertest;

namespace {
bool portFree(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(std::uint16_t(port));
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}
} // namespace

class TestCluster : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
  bool m_started = false;
  QString m_input, m_reference;

  QString path(const QString& name) const { return m_tmp.filePath(name); }
  QString script() const { return QStringLiteral(CDNET_SOURCE_DIR "/packaging/slurm-local.sh"); }
  /// The cheap real command the test distributes (uint16 to float32 into chunked HDF5 pieces).
  static QString command() { return "convert"; }
  QStringList commandArgs(const QString& out) const { return {m_input, out, "--type", "float32"}; }
  Run cdnetIn(const QStringList& args, int timeoutMs = 120000) { return run(cdnet(), args, m_env, m_tmp.path(), timeoutMs); }
  /// Slurm cannot run here: outside CI the binary skips (exit 77, never returns); under CI the
  /// returned message fails the test.
  QString slurmUnavailable(const QString& why) {
    if (!testsupport::runningInCi()) m_tmp.remove(); // skipping exits without destructors
    return testsupport::skipUnlessCi(why);
  }
  QStringList logsOfJob(const QString& work, const QString& jobId) const {
    return QDir(work + "/logs").entryList({"task-*-job" + jobId + ".out"}, QDir::Files, QDir::Name);
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    if (geteuid() != 0)
      QFAIL(qPrintable(slurmUnavailable("the local Slurm needs root (slurmd runs jobs as their users)")));
    for (const char* tool : {"munged", "slurmctld", "slurmd", "sbatch", "scontrol"})
      if (QStandardPaths::findExecutable(tool).isEmpty() &&
          QStandardPaths::findExecutable(tool, {"/usr/sbin", "/sbin"}).isEmpty())
        QFAIL(qPrintable(slurmUnavailable(
            QString("%1 is not installed (packaging/setup.sh installs slurm-wlm and munge)").arg(tool))));
    int port = 0;
    for (int candidate = 17000 + int(getpid() % 2000) * 2; candidate < 30000; candidate += 2)
      if (portFree(candidate) && portFree(candidate + 1)) {
        port = candidate;
        break;
      }
    if (port == 0) QFAIL(qPrintable(slurmUnavailable("no two free TCP ports for slurmctld and slurmd")));

    m_env.insert("CDNET_SLURM_DIR", path("slurm"));
    m_env.insert("CDNET_SLURM_PORT", QString::number(port));
    m_env.insert("CDNET_SLURM_TIMEOUT", "30");
    QElapsedTimer timer;
    timer.start();
    const Run start = run("bash", {script(), "start"}, m_env, {}, 60000);
    if (start.exitCode != 0) {
      run("bash", {script(), "stop"}, m_env, {}, 60000);
      QFAIL(qPrintable(
          slurmUnavailable("slurmctld/slurmd could not start on this machine: " + start.out.trimmed())));
    }
    m_started = true;
    qInfo("local Slurm started in %.1f s", double(timer.elapsed()) / 1000.0);
    m_env.insert("SLURM_CONF", path("slurm/slurm.conf"));

    m_input = path("in.h5");
    core::volume::writeVolume(testVolume({48, 40, 30}), m_input.toStdString());
    m_reference = path("reference.h5");
    const Run ref = cdnetIn(QStringList{command()} + commandArgs(m_reference));
    QVERIFY2(ref.exitCode == 0, qPrintable(ref.out));
  }

  void cleanupTestCase() {
    if (!m_started) return;
    const Run stop = run("bash", {script(), "stop"}, m_env, {}, 90000);
    QVERIFY2(stop.exitCode == 0, qPrintable(stop.out));
  }

  void jobArrayMergesToTheSingleProcessResult() {
    const QString work = path("job");
    QElapsedTimer timer;
    timer.start();
    const Run r = cdnetIn(QStringList{"submit", command(), "--tasks", "4", "--cpus", "1", "--mem", "500M", "--time", "0:05:00",
                                      "--merge", "--poll", "0.5", "--timeout", "60", "--work-dir", work, "--"} +
                          commandArgs("merged.h5"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    qInfo("submit, wait and merge of 4 tasks: %.1f s", double(timer.elapsed()) / 1000.0);
    QVERIFY2(r.out.contains("all 4 tasks done") && r.out.contains("from 4 pieces"), qPrintable(r.out));
    const QString diff = compareVolumes(path("merged.h5"), m_reference);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    // Slurm ran each task once, as an array task of one job, and logged it.
    const QString firstJob = r.out.section("submitted job ", 1).section(':', 0, 0);
    QVERIFY2(!firstJob.isEmpty(), qPrintable(r.out));
    QCOMPARE(logsOfJob(work, firstJob).size(), 4);
    const Run show = run("scontrol", {"show", "job", firstJob}, m_env);
    QVERIFY2(show.exitCode == 0 && show.out.contains("ArrayJobId=" + firstJob) && show.out.contains("JobState=COMPLETED"),
             qPrintable(show.out));

    // Task 2 "died": no marker, half a piece. Resume reruns it alone; the others keep their pieces.
    QVERIFY(QFile::remove(work + "/done/task-0002.done"));
    QFile half(work + "/pieces/out-0002.h5");
    QVERIFY(half.open(QIODevice::WriteOnly | QIODevice::Truncate));
    half.write("half a piece");
    half.close();
    const QDateTime kept = QFileInfo(work + "/pieces/out-0001.h5").lastModified();
    const Run resume = cdnetIn({"submit", "--resume", work, "--merge", "--poll", "0.5", "--timeout", "60"});
    QVERIFY2(resume.exitCode == 0, qPrintable(resume.out));
    QVERIFY2(resume.out.contains("1 task (2)"), qPrintable(resume.out));
    const QString secondJob = resume.out.section("submitted job ", 1).section(':', 0, 0);
    QCOMPARE(logsOfJob(work, secondJob), QStringList{"task-2-job" + secondJob + ".out"});
    QCOMPARE(QFileInfo(work + "/pieces/out-0001.h5").lastModified(), kept);
    const QString diff2 = compareVolumes(path("merged.h5"), m_reference);
    QVERIFY2(diff2.isEmpty(), qPrintable(diff2));

    // Nothing missing: resume submits nothing.
    const Run nothing = cdnetIn({"submit", "--resume", work});
    QVERIFY2(nothing.exitCode == 0 && nothing.out.contains("nothing to submit"), qPrintable(nothing.out));
  }

  void predictArrayEqualsSingleProcess() {
    // cdnet predict over a phantom with a small, barely trained model: each task predicts its slices
    // into an HDF5 piece; the merged probabilities equal one predict over the whole volume.
    const Run phantom = cdnetIn({"phantom", "--out", path("ph"), "--size", "48,48,4", "--format", "hdf5"});
    QVERIFY2(phantom.exitCode == 0, qPrintable(phantom.out));
    const Run train = cdnetIn({"train", "--images", path("ph/image.h5"), "--labels", path("ph/cracks.h5"), "--out",
                               path("model"), "--base-width", "16", "--epochs", "1", "--iterations-per-epoch", "1",
                               "--batch", "1", "--crop-size", "32", "--no-augment"});
    QVERIFY2(train.exitCode == 0, qPrintable(train.out));
    const QStringList args{"--model", path("model"), "--input", path("ph/image.h5"), "--tile", "64", "--overlap", "16"};
    const Run single = cdnetIn(QStringList{"predict"} + args + QStringList{"--out", path("pred-single.h5")});
    QVERIFY2(single.exitCode == 0, qPrintable(single.out));
    QElapsedTimer timer;
    timer.start();
    const Run r = cdnetIn(QStringList{"submit", "predict", "--tasks", "2", "--merge", "--poll", "0.5", "--timeout", "90",
                                      "--work-dir", path("pred-job"), "--"} +
                          args + QStringList{"--out", path("pred-merged.h5")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    qInfo("predict: submit, wait and merge of 2 tasks: %.1f s", double(timer.elapsed()) / 1000.0);
    const QString diff = compareVolumes(path("pred-merged.h5"), path("pred-single.h5"));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
  }

  void analyzeArrayEqualsSingleProcess() {
    // cdnet analyze over a phantom: each task analyses its slices with a halo and writes the rows
    // of the particles whose centroid it holds; the merged CSV equals one whole-volume run.
    // The simple preset, as in test_analyze_slabs: on the realistic one at radius 5-10 the
    // automatic threshold finds particles too sparsely for a halo of 36 (reported to the lead).
    const Run phantom = cdnetIn({"phantom", "--out", path("aph"), "--size", "96", "--radius", "5,10", "--format",
                                 "hdf5", "--threads", "2", "--preset", "simple"});
    QVERIFY2(phantom.exitCode == 0, qPrintable(phantom.out));
    // No --solid-threshold: each task computes the whole volume's automatic threshold.
    const QStringList args{"--image", path("aph/image.h5"), "--cracks", path("aph/cracks.h5")};
    const Run single = cdnetIn(QStringList{"analyze"} + args + QStringList{"--out-csv", path("an-single.csv")});
    QVERIFY2(single.exitCode == 0, qPrintable(single.out));
    QElapsedTimer timer;
    timer.start();
    const Run r = cdnetIn(QStringList{"submit", "analyze", "--tasks", "3", "--halo", "36", "--merge", "--poll", "0.5",
                                      "--timeout", "90", "--work-dir", path("an-job"), "--"} +
                          args + QStringList{"--out-csv", path("an-merged.csv")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    qInfo("analyze: submit, wait and merge of 3 tasks: %.1f s", double(timer.elapsed()) / 1000.0);
    QVERIFY2(r.out.contains("from 3 pieces"), qPrintable(r.out));
    int exact = 0;
    const QString diff = analyzetest::compareCsv(path("an-single.csv").toStdString(),
                                                 path("an-merged.csv").toStdString(), &exact);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QVERIFY(analyzetest::csvRows(path("an-merged.csv").toStdString()).size() > 40);
  }

  void aFailingTaskIsReportedWithItsLog() {
    // The input disappears after submission: every task fails, no marker is written, and
    // --wait says which tasks failed, where their logs are and how to resume.
    const QString input = path("gone.h5");
    QVERIFY(QFile::copy(m_input, input));
    const QString work = path("failing");
    const Run dry = cdnetIn({"submit", command(), "--tasks", "2", "--dry-run", "--work-dir", work, "--", input, "x.h5"});
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.out));
    QVERIFY(QFile::remove(input));
    const Run r = cdnetIn({"submit", "--resume", work, "--wait", "--poll", "0.5", "--timeout", "60"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("2 of 2 tasks did not finish") && r.out.contains("logs/task-0-job") &&
                 r.out.contains("cdnet submit --resume"), qPrintable(r.out));
    QVERIFY(QDir(work + "/done").isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "test_cluster.moc"
