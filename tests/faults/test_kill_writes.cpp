// kill -9 at random points during `cdnet convert` (every streaming format and a slice folder) and
// `cdnet train` (checkpoints), all running at once: after every kill each destination holds its
// old or its new content, never a part; and the next complete write of the same destination
// leaves no temporary behind (those of the killed processes are removed). Most kills are aimed
// at the moment a child is writing (its temporary exists), the others at any moment.
#include "FaultTestUtil.h"

#include "core/ml/Checkpoint.h"
#include "core/volume/io/VolumeIO.h"

#include <QProcess>
#include <QtTest>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

using namespace faulttest;
using namespace core::volume;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// One kind of write, run once per round.
struct Job {
  QString name;
  fs::path folder;                          ///< holds the destination and its temporaries
  std::function<QStringList(bool final)> args;
  std::function<void()> before;             ///< before each round
  std::function<void(bool finished)> check; ///< after each round: whole old or new content
  double window = 0.02; ///< seconds: kills land within this long after the child's temporary appears
  // per round
  std::unique_ptr<QProcess> process;
  qint64 pid = 0;
  std::optional<double> killAt;
  bool killed = false;
};

bool hasTemporaryOf(const fs::path& folder, qint64 pid) {
  const std::string mark = ".tmp-" + std::to_string(pid) + "-";
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.path().filename().string().find(mark) != std::string::npos) return true;
  return false;
}

using testsupport::cdnetPath;

// A tmpfs when there is one (no disk traffic, fsync is free), else the temporary folder.
QString scratchTemplate() {
  const QFileInfo shm("/dev/shm");
  return (shm.isDir() && shm.isWritable() ? QStringLiteral("/dev/shm") : QDir::tempPath()) + "/cdnet-kill-XXXXXX";
}

} // namespace

class TestKillWrites : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp{scratchTemplate()};
  std::mt19937 m_rng{20};
  std::vector<std::unique_ptr<Job>> m_jobs;
  Volume m_a, m_b;

  // Starts every job, kills each at a random moment (\p kill) or lets it finish; returns how many
  // kills left a temporary behind.
  int round(bool kill) {
    const auto start = Clock::now();
    for (auto& j : m_jobs) {
      if (j->before) j->before();
      j->process = std::make_unique<QProcess>();
      QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
      e.insert("CDNET_PROGRESS", "0");
      j->process->setProcessEnvironment(e);
      j->process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
      j->process->start(cdnetPath(), j->args(!kill));
      j->process->waitForStarted();
      j->pid = j->process->processId();
      j->killed = false;
      j->killAt.reset();
      // One kill in four at any early moment (starting up, reading); the others while it writes.
      if (kill && std::uniform_int_distribution<int>(0, 3)(m_rng) == 0)
        j->killAt = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
    }
    for (bool running = true; running;) {
      running = false;
      for (auto& j : m_jobs) {
        if (j->process->state() == QProcess::NotRunning || j->process->waitForFinished(0)) continue;
        running = true;
        const double t = secondsSince(start);
        if (kill && !j->killAt && hasTemporaryOf(j->folder, j->pid))
          j->killAt = t + std::uniform_real_distribution<double>(0.0, j->window)(m_rng);
        if (kill && !j->killAt && t > 10) j->killAt = t; // never seen writing (training runs on)
        if (kill && j->killAt && t >= *j->killAt) {
          j->process->kill(); // SIGKILL
          j->process->waitForFinished();
          j->killed = true;
        }
        if (t > 90) { // a hang: fail instead of waiting for CTest's timeout
          j->process->kill();
          j->process->waitForFinished();
          qWarning("%s did not end", qPrintable(j->name));
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    int left = 0;
    for (auto& j : m_jobs) {
      const bool finished = !j->killed && j->process->exitStatus() == QProcess::NormalExit && j->process->exitCode() == 0;
      if (!j->killed && !finished) qWarning("%s failed (exit %d)", qPrintable(j->name), j->process->exitCode());
      left += j->killed && hasTemporaryOf(j->folder, j->pid);
      j->check(finished);
    }
    return left;
  }

  void addConvertJob(const QString& dest) {
    auto job = std::make_unique<Job>();
    Job* j = job.get();
    const fs::path dir = fs::path(m_tmp.path().toStdString()) / ("convert-" + dest.toStdString());
    fs::create_directories(dir);
    const std::string path = (dir / dest.toStdString()).string();
    const std::string a = (fs::path(m_tmp.path().toStdString()) / "a.nrrd").string();
    const std::string b = (fs::path(m_tmp.path().toStdString()) / "b.nrrd").string();
    const bool folder = !dest.contains('.');
    // What the destination holds now (nothing, a or b), and what this round writes.
    auto current = std::make_shared<const Volume*>(nullptr), next = std::make_shared<const Volume*>(nullptr);
    j->name = "convert to " + dest;
    j->folder = dir;
    if (!folder) { // the old content
      writeVolume(m_a, path);
      *current = &m_a;
    }
    j->before = [=] {
      if (folder && *current) { // a slice folder is never written over: remove the finished one
        fs::remove_all(path);
        *current = nullptr;
      }
      *next = *current == &m_a ? &m_b : &m_a;
    };
    j->args = [=](bool) { return QStringList{"convert", QString::fromStdString(*next == &m_a ? a : b), QString::fromStdString(path)}; };
    j->check = [=](bool finished) {
      if (finished) *current = *next;
      if (!fs::exists(path)) {
        QVERIFY2(*current == nullptr || (folder && !finished), qPrintable(j->name + ": the destination disappeared"));
        *current = nullptr;
        return;
      }
      Volume got;
      try {
        got = readVolume(path);
      } catch (const std::exception& e) {
        QFAIL(qPrintable(j->name + ": the destination is damaged after a kill: " + e.what()));
      }
      const auto same = [&](const Volume* v) { return v && got.bytes() == v->bytes() && std::memcmp(got.data(), v->data(), v->bytes()) == 0; };
      QVERIFY2(same(*current) || same(*next), qPrintable(j->name + ": the destination holds neither the old nor the new volume"));
      *current = same(*next) ? *next : *current;
    };
    m_jobs.push_back(std::move(job));
  }

  void addTrainJob() {
    auto job = std::make_unique<Job>();
    Job* j = job.get();
    const fs::path base(m_tmp.path().toStdString());
    const fs::path run = base / "train";
    fs::create_directories(run);
    j->name = "train";
    j->folder = run;
    j->window = 0.6; // a few epochs, each writing its checkpoints
    j->args = [=](bool final) {
      return QStringList{"train", "--images", QString::fromStdString((base / "train-images.nrrd").string()), "--labels",
                         QString::fromStdString((base / "train-mask.nrrd").string()), "--out",
                         QString::fromStdString(run.string()), "--base-width", "2", "--epochs", final ? "1" : "400",
                         "--iterations-per-epoch", "1", "--batch", "1", "--crop-size", "32", "--device", "cpu",
                         "--save-every-minutes", "0"}; // every epoch, so kills land in writes
    };
    j->check = [=](bool) {
      for (const auto& e : fs::directory_iterator(run)) {
        const std::string n = e.path().filename().string();
        if (n.size() < 3 || n.compare(n.size() - 3, 3, ".pt") != 0 || n[0] == '.') continue;
        try {
          core::ml::readCheckpointInfo(e.path().string());
        } catch (const std::exception& ex) {
          QFAIL(qPrintable("a checkpoint is damaged after a kill: " + QString(ex.what())));
        }
      }
    };
    m_jobs.push_back(std::move(job));
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    QVERIFY2(QFile::exists(cdnetPath()), "build the cdnet target first");
    const fs::path base(m_tmp.path().toStdString());
    m_a = randomVolume({256, 256, 32}, VoxelType::UInt16, 1); // 4 MiB
    m_b = randomVolume({256, 256, 32}, VoxelType::UInt16, 2);
    writeVolume(m_a, (base / "a.nrrd").string());
    writeVolume(m_b, (base / "b.nrrd").string());
    Volume images = randomVolume({32, 32, 4}, VoxelType::UInt16, 3), mask({32, 32, 4}, VoxelType::UInt8);
    for (std::int64_t i = 0; i < mask.voxelCount(); ++i) mask.as<std::uint8_t>()[i] = i % 7 == 0 ? 255 : 0;
    writeVolume(images, (base / "train-images.nrrd").string());
    writeVolume(mask, (base / "train-mask.nrrd").string());
  }

  void killedWritesLeaveOldOrNewAndNoTemporaries() {
    for (const char* dest : {"out.nrrd", "out.tif", "out.h5", "out.mha", "slices"}) addConvertJob(dest);
    addTrainJob();
    int kills = 0, left = 0;
    for (int r = 0; r < 4 && (r < 2 || left < 3); ++r) {
      left += round(true);
      if (QTest::currentTestFailed()) return;
      for (auto& j : m_jobs) kills += j->killed;
    }
    qInfo("%d kills, %d of them left a temporary", kills, left);
    QVERIFY2(left > 0, "no kill landed while a child was writing: the clean-up of temporaries was not exercised");
    round(false); // complete writes of the same destinations
    for (auto& j : m_jobs) {
      QVERIFY2(j->process->exitCode() == 0, qPrintable(j->name + " failed"));
      const QStringList tmp = temporaries(j->folder);
      QVERIFY2(tmp.isEmpty(), qPrintable(j->name + " left temporaries: " + tmp.join(", ")));
    }
  }
};

QTEST_GUILESS_MAIN(TestKillWrites)
#include "test_kill_writes.moc"
