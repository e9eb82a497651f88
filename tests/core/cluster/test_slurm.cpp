// The Slurm side: array specifications, the batch script's directives (--gres only when GPUs are
// asked), parsing sbatch and `scontrol show job -o`, and the restart rule of submitMissing() with
// stand-in sbatch and scontrol programs (only tasks without a marker, and not still running, are
// submitted again).
#include "core/cluster/ClusterJob.h"
#include "core/cluster/Process.h"
#include "core/cluster/SlurmScript.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace core::cluster;
namespace fs = std::filesystem;

namespace {
Manifest job(const std::string& dir, int n) {
  Manifest m;
  m.kind = "predict";
  m.program = "/opt/cdnet dir/bin/cdnet"; // a space: must be quoted in the script
  m.input = "/data/in.h5";
  m.begin = 0;
  m.end = 10 * n;
  m.outputs = {{"--out", PieceType::Volume, ""}};
  const auto slabs = splitSlabs({0, m.end, n, 0, 0});
  for (int i = 0; i < n; ++i) {
    Task t;
    t.index = i;
    t.slab = slabs[std::size_t(i)];
    t.pieces = {WorkDir::pieceName(i, "out", ".txt")};
    t.marker = WorkDir::markerName(i);
    t.argv = {"/bin/sh", "-c", "echo " + std::to_string(i) + " > '" + dir + "/" + t.pieces[0] + "'"};
    m.tasks.push_back(t);
  }
  return m;
}

void writeExecutable(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  fs::permissions(path, fs::perms::owner_all);
}

QString lines(const std::string& s) { return QString::fromStdString(s); }
} // namespace

class TestSlurm : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void arraySpecs() {
    QCOMPARE(arraySpec({0, 1, 2, 3}), std::string("0-3"));
    QCOMPARE(arraySpec({7, 0, 2, 1, 5, 8, 2}), std::string("0-2,5,7-8"));
    QCOMPARE(arraySpec({4}), std::string("4"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, arraySpec({}));
    QVERIFY(parseArraySpec("0-2,5,7-8%2") == (std::vector<int>{0, 1, 2, 5, 7, 8}));
    QVERIFY(parseArraySpec("1-7:3") == (std::vector<int>{1, 4, 7}));
    QVERIFY(parseArraySpec("3") == (std::vector<int>{3}));
    for (const char* bad : {"", "a", "3-1", "1-", "-2", "1,,2"})
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseArraySpec(bad));
    std::vector<int> many;
    for (int i = 0; i < 500; i += 3) many.push_back(i);
    QVERIFY(parseArraySpec(arraySpec(many)) == many);
  }

  void batchScriptDirectives() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("job").toStdString();
    Manifest m = job(dir, 4);
    m.slurm.cpusPerTask = 4;
    m.slurm.mem = "8G";
    m.slurm.time = "02:30:00";
    m.slurm.partition = "batch";
    m.slurm.maxParallel = 2;
    m.slurm.extraArgs = {"--constraint=skylake"};
    WorkDir w = WorkDir::create(dir, m);
    const QString s = lines(batchScript(w, {0, 1, 3}));
    QVERIFY(s.startsWith("#!/bin/bash\n"));
    for (const char* d : {"#SBATCH --array=0-1,3%2\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --mem=8G\n",
                          "#SBATCH --time=02:30:00\n", "#SBATCH --partition=batch\n", "#SBATCH --job-name=cdnet-predict\n",
                          "#SBATCH --constraint=skylake\n", "#SBATCH --ntasks=1\n"})
      QVERIFY2(s.contains(d), d);
    QVERIFY(s.contains(QString("#SBATCH --output=%1/logs/task-%a-job%A.out\n").arg(QString::fromStdString(dir))));
    QVERIFY(!s.contains("--gres")); // no GPU asked, none requested
    QVERIFY(!s.contains("--account") && !s.contains("--qos"));
    QVERIFY(s.contains("exec '/opt/cdnet dir/bin/cdnet' task-run " + QString::fromStdString(dir) +
                       "/manifest.json \"$SLURM_ARRAY_TASK_ID\"\n"));
    QVERIFY(s.contains("OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\""));
    QVERIFY(s.contains("export HDF5_USE_FILE_LOCKING=\"${HDF5_USE_FILE_LOCKING:-FALSE}\""));
    // The script is valid shell.
    const std::string path = tmp.filePath("check.sh").toStdString();
    std::ofstream(path) << s.toStdString();
    QVERIFY(runCaptured({"bash", "-n", path}).ok());

    // Paths with spaces are quoted in directives (Slurm splits them at white space otherwise).
    const std::string spaced = tmp.filePath("my job").toStdString();
    Manifest sm = job(spaced, 2);
    sm.workingDirectory = "/home/me/my data";
    const QString q = lines(batchScript(WorkDir::create(spaced, sm), {0, 1}));
    QVERIFY(q.contains(QString("#SBATCH --output=\"%1/logs/task-%a-job%A.out\"\n").arg(QString::fromStdString(spaced))));
    QVERIFY(q.contains("#SBATCH --chdir=\"/home/me/my data\"\n"));

    w.manifest().slurm.gpus = 2;
    w.manifest().slurm.maxParallel = 0;
    const QString g = lines(batchScript(w, {2}));
    QVERIFY(g.contains("#SBATCH --gres=gpu:2\n"));
    QVERIFY(g.contains("#SBATCH --array=2\n"));
    w.manifest().slurm = SlurmOptions{};
    w.manifest().slurm.cpusPerTask = 0;
    const QString bare = lines(batchScript(w, {0, 1, 2, 3}));
    QVERIFY(!bare.contains("--mem") && !bare.contains("--time") && !bare.contains("--cpus-per-task") &&
            !bare.contains("--gres") && !bare.contains("--partition"));
  }

  void parsesSlurmOutput() {
    QCOMPARE(parseSbatchJobId("1234\n"), std::string("1234"));
    QCOMPARE(parseSbatchJobId("77;mycluster\n"), std::string("77"));
    QCOMPARE(parseSbatchJobId("Submitted batch job 5678\n"), std::string("5678"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseSbatchJobId("sbatch: error: Batch job submission failed"));

    // What Slurm 22.05 prints for an array with two tasks done, one running and two pending.
    const std::string text =
        "JobId=12 ArrayJobId=10 ArrayTaskId=0 JobName=cdnet-predict UserId=root(0) JobState=COMPLETED Reason=None "
        "Dependency=(null) ExitCode=0:0 RunTime=00:00:03\n"
        "JobId=13 ArrayJobId=10 ArrayTaskId=1 JobName=cdnet-predict JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0\n"
        "JobId=14 ArrayJobId=10 ArrayTaskId=2 JobName=cdnet-predict JobState=RUNNING Reason=None ExitCode=0:0\n"
        "JobId=10 ArrayJobId=10 ArrayTaskId=3-4%2 JobName=cdnet-predict JobState=PENDING Reason=JobArrayTaskLimit "
        "ExitCode=0:0\n";
    const auto st = parseScontrolJobs(text);
    QCOMPARE(st.size(), std::size_t(4));
    QCOMPARE(st[0].jobId, std::string("12"));
    QVERIFY(st[0].tasks == std::vector<int>{0});
    QCOMPARE(st[0].state, std::string("COMPLETED"));
    QVERIFY(!st[0].active());
    QCOMPARE(st[1].reason, std::string("NonZeroExitCode"));
    QCOMPARE(st[1].exitCode, std::string("1:0"));
    QVERIFY(!st[1].active());
    QVERIFY(st[2].active());
    QVERIFY(st[3].tasks == (std::vector<int>{3, 4}));
    QVERIFY(st[3].active());
    QVERIFY(parseScontrolJobs("").empty());
  }

  void resubmitsOnlyMissingTasksNotStillRunning() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("job").toStdString();
    const std::string fake = tmp.filePath("fake").toStdString();
    fs::create_directories(fake);
    // Stand-ins: sbatch records its arguments and answers job 500 + n; scontrol prints a canned state.
    writeExecutable(fake + "/sbatch", "#!/bin/sh\nn=$(cat '" + fake + "/count' 2>/dev/null || echo 0)\n"
                                      "echo $((n+1)) > '" + fake + "/count'\necho \"$@\" >> '" + fake +
                                      "/sbatch.args'\necho $((500+n))\n");
    writeExecutable(fake + "/scontrol", "#!/bin/sh\nif [ -f '" + fake + "/state' ]; then cat '" + fake +
                                        "/state'; else echo 'slurm_load_jobs error: Invalid job id specified' >&2; "
                                        "exit 1; fi\n");
    SlurmClient slurm({fake + "/sbatch", fake + "/scontrol", "true"});

    WorkDir w = WorkDir::create(dir, job(dir, 5));
    const SubmitResult dry = submitMissing(w, slurm, /*dryRun*/ true);
    QVERIFY(dry.jobId.empty());
    QVERIFY(dry.tasks == (std::vector<int>{0, 1, 2, 3, 4}));
    QVERIFY(fs::exists(w.scriptPath()));
    QVERIFY(!fs::exists(fake + "/sbatch.args")); // a dry run does not submit
    QVERIFY(w.manifest().submissions.empty());

    const SubmitResult first = submitMissing(w, slurm);
    QCOMPARE(first.jobId, std::string("500"));
    QVERIFY(first.tasks == (std::vector<int>{0, 1, 2, 3, 4}));
    QVERIFY(lines(readFile(w.scriptPath())).contains("#SBATCH --array=0-4\n"));
    QCOMPARE(WorkDir::open(dir).manifest().submissions.size(), std::size_t(1)); // recorded on disk

    // Tasks 0 and 3 finished (markers); task 4 is still running in job 500; 1 and 2 died.
    for (int t : {0, 3}) {
      std::ofstream(w.piecePaths(t)[0]) << "piece";
      writeFileAtomically(w.markerPath(t), "{}");
    }
    std::ofstream(fake + "/state") << "JobId=501 ArrayJobId=500 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode "
                                      "ExitCode=1:0\nJobId=502 ArrayJobId=500 ArrayTaskId=4 JobState=RUNNING "
                                      "Reason=None ExitCode=0:0\n";
    const SubmitResult second = submitMissing(w, slurm);
    QCOMPARE(second.jobId, std::string("501"));
    QVERIFY(second.tasks == (std::vector<int>{1, 2}));
    QVERIFY(second.stillActive == std::vector<int>{4});
    QVERIFY(lines(readFile(w.scriptPath())).contains("#SBATCH --array=1-2\n"));
    QCOMPARE(w.manifest().submissions.back().jobId, std::string("501"));
    QVERIFY(w.manifest().submissions.back().tasks == (std::vector<int>{1, 2}));

    // Everything done: nothing is submitted.
    fs::remove(fake + "/state");
    for (int t : {1, 2, 4}) {
      std::ofstream(w.piecePaths(t)[0]) << "piece";
      writeFileAtomically(w.markerPath(t), "{}");
    }
    const SubmitResult none = submitMissing(w, slurm);
    QVERIFY(none.jobId.empty() && none.tasks.empty());
    QCOMPARE(readFile(fake + "/count"), std::string("2\n"));
  }

  void sbatchErrorsReachTheUser() {
    QTemporaryDir tmp;
    const std::string fake = tmp.filePath("sbatch").toStdString();
    writeExecutable(fake, "#!/bin/sh\necho 'sbatch: error: invalid partition specified: gpu' >&2\nexit 1\n");
    SlurmClient slurm({fake, "scontrol", "scancel"});
    try {
      slurm.submit("/dev/null");
      QFAIL("sbatch failure must throw");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("invalid partition specified: gpu"), e.what());
    }
    SlurmClient missing({tmp.filePath("no-such-sbatch").toStdString(), "scontrol", "scancel"});
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, missing.submit("/dev/null"));
  }

  void capturedProcessesAndTimeouts() {
    const ProcessResult r = runCaptured({"sh", "-c", "echo out; echo err >&2; exit 4"});
    QCOMPARE(r.exitCode, 4);
    QCOMPARE(r.out, std::string("out\n"));
    QCOMPARE(r.err, std::string("err\n"));
    const ProcessResult slow = runCaptured({"sleep", "5"}, 0.3);
    QVERIFY(slow.timedOut);
    QVERIFY(!slow.ok());
    QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
    QCOMPARE(shellJoin({"a", "b c", ""}), std::string("a 'b c' ''"));
  }
};

QTEST_GUILESS_MAIN(TestSlurm)
#include "test_slurm.moc"
