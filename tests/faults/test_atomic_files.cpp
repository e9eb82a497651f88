// core/files and the writers without root: temporaries are named after the destination and the
// process, removed on every failure path (exceptions, writers dropped before finish(), failed
// constructors), and those of dead processes are removed by the next write of the same
// destination. Write failures are injected with RLIMIT_FSIZE (writes fail with EFBIG).
#include "FaultTestUtil.h"

#include "core/analysis/Csv.h"
#include "core/files/AtomicFile.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <chrono>
#include <csignal>
#include <thread>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace faulttest;
using namespace core::volume;
namespace files = core::files;

namespace {

// The id of a process that has just ended (reaped).
long deadPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return long(pid);
}

void touch(const fs::path& p, const std::string& bytes = "x") { std::ofstream(p, std::ios::binary) << bytes; }

// Runs \p body with files limited to \p bytes (writes beyond fail with EFBIG); returns its error.
template <class F> std::string withFileSizeLimit(std::uint64_t bytes, F body) {
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit lim = old;
  lim.rlim_cur = rlim_t(bytes);
  ::setrlimit(RLIMIT_FSIZE, &lim);
  std::string error;
  try {
    body();
  } catch (const std::exception& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  return error;
}

} // namespace

class TestAtomicFiles : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  fs::path dir(const char* name) {
    const fs::path p = fs::path(m_tmp.path().toStdString()) / name;
    fs::create_directories(p);
    return p;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    std::signal(SIGXFSZ, SIG_IGN); // a write beyond RLIMIT_FSIZE then fails with EFBIG
  }

  void temporaryNames() {
    long pid = 0;
    const std::string name = fs::path(files::temporarySibling("/a/b/out.nrrd", ".nrrd")).filename().string();
    QVERIFY(files::isTemporaryOf(name, "out.nrrd", &pid));
    QCOMPARE(pid, long(::getpid()));
    QCOMPARE(fs::path(files::temporarySibling("/a/b/slices/")).parent_path().string(), std::string("/a/b"));
    QVERIFY(files::isTemporaryOf(".out.nrrd.tmp-12-0", "out.nrrd", &pid) && pid == 12);
    QVERIFY(files::isTemporaryOf(".out.nrrd.tmp-12-3.nrrd", "out.nrrd"));
    for (const char* other : {"out.nrrd.tmp-12-0", ".out.nrrd.tmp-12", ".out.nrrd.tmp--0", ".out.nrrd.tmp-a-0",
                              ".out.nrrd.tmp-12-", ".xout.nrrd.tmp-12-0", ".out.nrrd", "out.nrrd"})
      QVERIFY2(!files::isTemporaryOf(other, "out.nrrd"), other);
  }

  void staleTemporariesOfDeadProcessesAreRemoved() {
    const fs::path d = dir("stale");
    const std::string dead = std::to_string(deadPid()), self = std::to_string(::getpid());
    touch(d / (".out.nrrd.tmp-" + dead + "-0.nrrd"));
    fs::create_directories(d / ("slices.tmp-x") / "a");
    fs::create_directories(d / (".out.nrrd.tmp-" + dead + "-7") / "inner");
    touch(d / (".out.nrrd.tmp-" + dead + "-7") / "inner" / "slice.tif");
    const QStringList kept = {QString::fromStdString(".out.nrrd.tmp-" + self + "-9.nrrd"), // this process: alive
                              ".out.nrrd.tmp-1-0.nrrd",                                   // init: alive
                              QString::fromStdString(".other.nrrd.tmp-" + dead + "-0"),   // another destination
                              QString::fromStdString("out.nrrd.tmp-" + dead),             // not our naming
                              "out.nrrd"};
    for (const auto& k : kept) touch(d / k.toStdString());
    // A process that ended but is not reaped yet by its parent (a zombie) writes nothing either.
    const pid_t zombie = ::fork();
    if (zombie == 0) ::_exit(0);
    while (true) { // until it is a zombie
      std::ifstream stat("/proc/" + std::to_string(zombie) + "/stat");
      std::string line;
      std::getline(stat, line);
      if (line.find(") Z") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    touch(d / (".out.nrrd.tmp-" + std::to_string(zombie) + "-2.nrrd"));
    QCOMPARE(files::removeStaleTemporaries((d / "out.nrrd").string()), 3);
    ::waitpid(zombie, nullptr, 0);
    for (const auto& k : kept) QVERIFY2(fs::exists(d / k.toStdString()), qPrintable(k));
    QVERIFY(!fs::exists(d / (".out.nrrd.tmp-" + dead + "-0.nrrd")));
    QVERIFY(!fs::exists(d / (".out.nrrd.tmp-" + dead + "-7")));
  }

  void staleTemporariesOfAnyDestinationInAFolderAreRemoved() {
    // Periodic checkpoints change their name from run to run, so training clears the whole folder.
    const fs::path d = dir("stale-folder");
    const std::string dead = std::to_string(deadPid()), self = std::to_string(::getpid());
    touch(d / (".epoch-0020.pt.tmp-" + dead + "-40"));
    touch(d / (".best.pt.tmp-" + dead + "-3"));
    const QStringList kept = {QString::fromStdString(".epoch-0040.pt.tmp-" + self + "-1"), // this process: alive
                              "epoch-0020.pt", ".hidden", QString::fromStdString(".tmp-" + dead + "-1"),
                              QString::fromStdString("x.tmp-" + dead + "-1")};
    for (const auto& k : kept) touch(d / k.toStdString());
    QCOMPARE(files::removeStaleTemporariesIn(d.string()), 2);
    for (const auto& k : kept) QVERIFY2(fs::exists(d / k.toStdString()), qPrintable(k));
    QCOMPARE(files::removeStaleTemporariesIn((d / "missing").string()), 0);
  }

  void writersRemoveStaleTemporariesOfTheirDestination() {
    // What a kill -9 leaves: a temporary file, and a temporary slice folder.
    const fs::path d = dir("writers-stale");
    const std::string dead = std::to_string(deadPid());
    const Volume v = randomVolume({16, 12, 3}, VoxelType::UInt8, 1);
    for (const char* name : {"v.nrrd", "v.tif", "v.h5", "v.mha", "v.nii.gz", "slices"}) {
      const fs::path stale = d / ("." + std::string(name) + ".tmp-" + dead + "-0.part");
      touch(stale, std::string(1000, 's'));
      writeVolume(v, (d / name).string());
      QVERIFY2(!fs::exists(stale), name);
    }
    fs::create_directories(d / (".folder.tmp-" + dead + "-4") / "x");
    writeVolume(v, (d / "folder").string());
    QVERIFY(temporaries(d).isEmpty());
    core::analysis::Table t;
    touch(d / (".t.csv.tmp-" + dead + "-1"));
    core::analysis::writeCsv(t, (d / "t.csv").string());
    QVERIFY(temporaries(d).isEmpty());
  }

  void unfinishedAndFailedWritersLeaveNothing() {
    const fs::path d = dir("unfinished");
    const Volume v = randomVolume({16, 12, 4}, VoxelType::UInt16, 2);
    for (const char* name : {"v.nrrd", "v.tif", "v.h5", "v.mha", "v.nii", "slices"}) {
      auto w = createWriter((d / name).string(), v.info());
      w->writeSlab(v.crop({{0, 0, 0}, {16, 12, 2}}), 0);
      QVERIFY(!temporaries(d).isEmpty() || std::string(name) == "v.mha" || std::string(name) == "v.nii");
      w.reset(); // dropped before finish(): an exception on the way, a cancelled job
      QVERIFY2(fs::is_empty(d), name);
    }
    // Constructors that fail after creating their temporary.
    WriteOptions bad;
    bad.hdf5Dataset = "/";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, createWriter((d / "v.h5").string(), v.info(), bad));
    QVERIFY(fs::is_empty(d));
    // finish() with slices missing.
    auto w = createWriter((d / "v.nrrd").string(), v.info());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, w->finish());
    w.reset();
    QVERIFY(fs::is_empty(d));
  }

  void writeFailuresAreReportedAndCleanedUp_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("compress");
    for (const char* n : {"v.nrrd", "v.tif", "v.h5", "v.mha", "v.nii", "v.nii.gz", "slices"}) QTest::newRow(n) << n << false;
    for (const char* n : {"z.nrrd", "z.tif", "z.h5", "z.mha"}) QTest::newRow(n) << n << true;
  }
  void writeFailuresAreReportedAndCleanedUp() {
    // Files limited to 20 KB: every write beyond fails (EFBIG) like on a full disk.
    QFETCH(QString, name);
    QFETCH(bool, compress);
    const fs::path d = dir("limit");
    const std::string path = (d / name.toStdString()).string();
    WriteOptions o;
    o.compress = compress;
    const Volume old = randomVolume({16, 12, 4}, VoxelType::UInt16, 3);
    if (name != "slices") writeVolume(old, path, o);
    const auto before = snapshot(d);
    const Volume next = randomVolume({128, 96, 8}, VoxelType::UInt16, 4); // 192 KiB
    const std::string error = withFileSizeLimit(20000, [&] { writeVolume(next, path, o); });
    QVERIFY2(error.find(path) != std::string::npos && error.find("File too large") != std::string::npos, error.c_str());
    QVERIFY(snapshot(d) == before);
    fs::remove_all(d);
  }

  void atomicFileChecksEveryStep() {
    const fs::path d = dir("atomic");
    const std::string path = (d / "a.json").string();
    files::writeFileAtomically(path, std::string("old"));
    {
      files::AtomicFile f(path);
      f.write(std::string(100, 'n'));
      QCOMPARE(temporaries(d).size(), 1);
    } // dropped without commit
    QVERIFY(temporaries(d).isEmpty());
    const std::string error = withFileSizeLimit(50, [&] { files::writeFileAtomically(path, std::string(100, 'n')); });
    QVERIFY2(error == "cannot write '" + path + "': File too large", error.c_str());
    QCOMPARE(snapshot(d), (std::map<std::string, std::string>{{"a.json", "old"}}));
    // The size check of commitExpecting() catches bytes written around write() going missing.
    {
      files::AtomicFile f(path);
      f.write(std::string(10, 'n'));
      QVERIFY_THROWS_EXCEPTION(std::runtime_error, f.commitExpecting(11));
    }
    QCOMPARE(snapshot(d), (std::map<std::string, std::string>{{"a.json", "old"}}));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, files::writeFileAtomically((d / "no" / "a").string(), "x"));
  }
};

QTEST_GUILESS_MAIN(TestAtomicFiles)
#include "test_atomic_files.moc"
