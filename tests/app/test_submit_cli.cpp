// cdnet submit, task-run and merge without a Slurm cluster: a dry run writes the manifest and the
// batch script (with --gres only when GPUs are asked); running the tasks by hand with task-run and
// merging gives the same voxels as one process over the whole volume; a task is rerun only when
// its marker is missing; bad input gets one clear line and exit code 1. The distributed command is
// cdnet convert (cheap and real; uint16 to float32 into chunked HDF5 pieces).
#include "ClusterTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace clustertest;

class TestSubmitCli : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  QString m_input, m_reference;

  QString path(const QString& name) const { return m_tmp.filePath(name); }
  /// The cheap real command the tests distribute, and its arguments.
  static QString command() { return "convert"; }
  QStringList commandArgs(const QString& out) const { return {m_input, out, "--type", "float32"}; }
  Run cdnetIn(const QStringList& args) { return run(cdnet(), args, QProcessEnvironment::systemEnvironment(), m_tmp.path()); }
  static QString readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_input = path("in.h5");
    const core::volume::Volume v = testVolume({40, 32, 23});
    core::volume::writeVolume(v, m_input.toStdString());
    QFile raw(path("in.raw"));
    QVERIFY(raw.open(QIODevice::WriteOnly));
    raw.write(static_cast<const char*>(v.data()), qint64(v.bytes()));
    m_reference = path("reference.h5");
    const Run ref = cdnetIn(QStringList{command()} + commandArgs(m_reference));
    QVERIFY2(ref.exitCode == 0, qPrintable(ref.out));
  }

  void dryRunWritesManifestAndScript() {
    const QString work = path("dry");
    const Run r = cdnetIn(QStringList{"submit", command(), "--tasks", "3", "--gpus", "2", "--mem", "1G", "--time", "0:10:00",
                                      "--dry-run", "--work-dir", work, "--"} + commandArgs("out.h5"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("dry run"), qPrintable(r.out));
    const QString script = readAll(work + "/job.sbatch");
    for (const char* d : {"#SBATCH --array=0-2\n", "#SBATCH --gres=gpu:2\n", "#SBATCH --mem=1G\n", "#SBATCH --time=0:10:00\n",
                          "task-run"})
      QVERIFY2(script.contains(d), d);
    const QString manifest = readAll(work + "/manifest.json");
    QVERIFY(manifest.contains("\"kind\": \"convert\""));
    QVERIFY(manifest.contains(path("out.h5"))); // the merge target, made absolute
    QVERIFY(QDir(work + "/pieces").exists() && QDir(work + "/done").exists() && QDir(work + "/logs").exists());

    // Without GPUs there is no --gres line. A raw input is opened with the command's own options.
    const Run cpu = cdnetIn({"submit", command(), "--slab-size", "10", "--dry-run", "--work-dir", path("dry-cpu"), "--",
                             path("in.raw"), "out.h5", "--raw-size", "40,32,23", "--raw-type", "uint16"});
    QVERIFY2(cpu.exitCode == 0, qPrintable(cpu.out));
    const QString cpuScript = readAll(path("dry-cpu/job.sbatch"));
    QVERIFY(!cpuScript.contains("--gres"));
    QVERIFY(cpuScript.contains("#SBATCH --array=0-2\n")); // 23 slices, at most 10 per task
  }

  void tasksRunByHandMergeToTheSingleProcessResult() {
    const QString work = path("byhand");
    const Run r = cdnetIn(QStringList{"submit", command(), "--tasks", "3", "--dry-run", "--work-dir", work, "--"} +
                          commandArgs("joined.h5"));
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));

    // Not done yet: merge refuses and says how to resume.
    const Run early = cdnetIn({"merge", work});
    QCOMPARE(early.exitCode, 1);
    QVERIFY2(early.out.contains("tasks 0-2 have no done marker") && early.out.contains("--resume"), qPrintable(early.out));

    for (int t = 0; t < 3; ++t) {
      const Run task = cdnetIn({"task-run", work + "/manifest.json", QString::number(t)});
      QVERIFY2(task.exitCode == 0, qPrintable(task.out));
    }
    const QDateTime firstDone = QFileInfo(work + "/done/task-0001.done").lastModified();
    // A finished task is not recomputed.
    const Run again = cdnetIn({"task-run", work, "1"});
    QVERIFY2(again.exitCode == 0 && again.out.contains("already done"), qPrintable(again.out));
    QCOMPARE(QFileInfo(work + "/done/task-0001.done").lastModified(), firstDone);

    const Run status = cdnetIn({"submit", "--status", work});
    QVERIFY2(status.exitCode == 0 && status.out.contains("3 of 3 done"), qPrintable(status.out));

    const Run merged = cdnetIn({"merge", work});
    QVERIFY2(merged.exitCode == 0, qPrintable(merged.out));
    QVERIFY2(merged.out.contains("from 3 pieces"), qPrintable(merged.out));
    const QString diff = compareVolumes(path("joined.h5"), m_reference);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));

    // A lost piece makes its task missing again; merging refuses until it is rerun.
    QVERIFY(QFile::remove(work + "/pieces/out-0002.h5"));
    const Run lost = cdnetIn({"merge", work, "--out", path("other.h5")});
    QCOMPARE(lost.exitCode, 1);
    QVERIFY2(lost.out.contains("tasks 2 have no done marker"), qPrintable(lost.out));
    QVERIFY(!QFileInfo::exists(path("other.h5")));
    QVERIFY(cdnetIn({"task-run", work, "2"}).exitCode == 0);
    QCOMPARE(QFileInfo(work + "/done/task-0001.done").lastModified(), firstDone);
    QVERIFY(cdnetIn({"merge", work, "--out", path("other.h5")}).exitCode == 0);
    QVERIFY(compareVolumes(path("other.h5"), m_reference).isEmpty());
  }

  void badInputGetsOneClearLine() {
    struct Case {
      QStringList args;
      const char* expect;
    };
    QFile::remove(path("exists"));
    QDir().mkpath(path("exists"));
    QVERIFY(cdnetIn(QStringList{"submit", command(), "--tasks", "2", "--dry-run", "--work-dir", path("exists"), "--"} +
                    commandArgs("o.h5")).exitCode == 0);
    const QList<Case> cases = {
        {QStringList{"submit", "train", "--tasks", "2", "--work-dir", path("x"), "--"} + commandArgs("o.h5"), "cannot distribute 'train'"},
        {QStringList{"submit", command(), "--tasks", "2", "--"} + commandArgs("o.h5"), "--work-dir DIR is required"},
        {QStringList{"submit", command(), "--tasks", "2", "--slab-size", "4", "--work-dir", path("x"), "--"} + commandArgs("o.h5"),
         "either --tasks N or --slab-size Z"},
        {{"submit", command(), "--tasks", "2", "--work-dir", path("x"), "--", path("missing.h5"), "o.h5"}, "missing.h5"},
        {{"submit", command(), "--tasks", "2", "--work-dir", path("x"), "--", m_input, "o.h5", "--crop", "0,0,0,4,4,4"},
         "cannot distribute --crop"},
        {{"submit", command(), "--tasks", "2", "--work-dir", path("x"), "--", m_input, "o.h5", "--typo"},
         "do not suit cdnet convert"},
        {QStringList{"submit", command(), "--tasks", "2", "--work-dir", path("exists"), "--"} + commandArgs("o.h5"),
         "already holds a cluster job"},
        {{"submit", "--resume", path("nowhere")}, "not a cluster work directory"},
        {{"task-run", path("exists"), "9"}, "task 9 does not exist"},
    };
    for (const Case& c : cases) {
      const Run r = cdnetIn(c.args);
      QVERIFY2(r.exitCode == 1, qPrintable(c.args.join(' ') + "\n" + r.out));
      QVERIFY2(r.out.contains(c.expect), qPrintable(c.args.join(' ') + "\n" + r.out));
      QVERIFY2(r.out.trimmed().count('\n') == 0, qPrintable("more than one line: " + r.out));
    }
    QVERIFY(!QFileInfo::exists(path("x"))); // nothing created by a refused submission
    // A damaged manifest is named.
    QFile damaged(path("exists/manifest.json"));
    QVERIFY(damaged.open(QIODevice::WriteOnly));
    damaged.write("{ broken");
    damaged.close();
    const Run r = cdnetIn({"submit", "--status", path("exists")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("manifest.json: not a valid JSON file"), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(TestSubmitCli)
#include "test_submit_cli.moc"
