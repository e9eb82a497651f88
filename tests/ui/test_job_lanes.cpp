// The studio's one way to run background work (ui/jobs): lanes side by side, one job per lane,
// lowered priority, throttled progress, Cancel, the finish on the GUI thread, errors as a finish.
#include "ui/jobs/JobRunner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace {

struct Ended {
  int calls = 0;
  ui::JobState state = ui::JobState::Idle;
  QString error;
  bool onGuiThread = false;
};

/// A finish callback that records what it got and on which thread it ran.
ui::JobLane::Finish recordTo(Ended& e) {
  return [&e](ui::JobState state, const QString& error) {
    ++e.calls;
    e.state = state;
    e.error = error;
    e.onGuiThread = QThread::currentThread() == QCoreApplication::instance()->thread();
  };
}

/// Waits (polling the token) until \p flag is set; false after \p ms.
bool waitFor(const std::atomic<bool>& flag, core::jobs::CancelToken& cancel, int ms = 20000) {
  QElapsedTimer t;
  t.start();
  while (!flag.load()) {
    cancel.throwIfCancelled();
    if (t.elapsed() > ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

/// The calling thread's nice value (Linux: per thread); 0 elsewhere, where a lane's worker is
/// expected to be the same.
int threadNice() {
#ifdef __linux__
  return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
#else
  return 0;
#endif
}

} // namespace

class TestJobLanes : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void twoLanesRunSideBySide() {
    ui::JobRunner runner;
    std::atomic<bool> trainingRuns{false}, predictionRuns{false};
    std::atomic<bool> trainingSawPrediction{false}, predictionSawTraining{false};
    Ended training, prediction;
    // Each job waits until the other one runs: they finish only when both ran at the same time.
    QVERIFY(runner.lane(ui::Lane::Training).start(
        "train",
        [&](auto&, core::jobs::CancelToken& c) {
          trainingRuns = true;
          trainingSawPrediction = waitFor(predictionRuns, c);
        },
        recordTo(training)));
    QVERIFY(runner.lane(ui::Lane::Prediction).start(
        "predict",
        [&](auto&, core::jobs::CancelToken& c) {
          predictionRuns = true;
          predictionSawTraining = waitFor(trainingRuns, c);
        },
        recordTo(prediction)));
    QVERIFY(runner.anyBusy());
    QVERIFY(!runner.isBusy()); // the Data lane (the runner's own interface) is free
    QTRY_COMPARE_WITH_TIMEOUT(training.calls + prediction.calls, 2, 30000);
    QVERIFY(trainingSawPrediction.load());
    QVERIFY(predictionSawTraining.load());
    QCOMPARE(training.state, ui::JobState::Completed);
    QCOMPARE(prediction.state, ui::JobState::Completed);
    QVERIFY(!runner.anyBusy());
  }

  void aSecondJobOnABusyLaneIsRefused() {
    ui::JobRunner runner;
    ui::JobLane& lane = runner.lane(ui::Lane::Surface);
    std::atomic<bool> release{false};
    std::atomic<int> secondRan{0};
    Ended first, second;
    QVERIFY(lane.start("first", [&](auto&, core::jobs::CancelToken& c) { waitFor(release, c); }, recordTo(first)));
    QVERIFY(!lane.start("second", [&](auto&, auto&) { ++secondRan; }, recordTo(second)));
    QCOMPARE(lane.title(), QStringLiteral("first"));
    QCOMPARE(lane.state(), ui::JobState::Running);
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(first.calls, 1, 30000);
    QCOMPARE(first.state, ui::JobState::Completed);
    // Refused means refused, not queued: the second work never runs, its finish never comes.
    QTest::qWait(100);
    QCOMPARE(secondRan.load(), 0);
    QCOMPARE(second.calls, 0);
    // Once the lane is idle it takes the next job.
    Ended third;
    QVERIFY(lane.start("third", [&](auto&, auto&) { ++secondRan; }, recordTo(third)));
    QTRY_COMPARE_WITH_TIMEOUT(third.calls, 1, 30000);
    QCOMPARE(secondRan.load(), 1);
  }

  void cancelStopsTheJobAndTheFinishSaysCancelled() {
    ui::JobRunner runner;
    ui::JobLane& lane = runner.lane(ui::Lane::Prediction);
    std::atomic<bool> started{false}, stoppedByToken{false};
    Ended e;
    QVERIFY(lane.start(
        "forever",
        [&](auto&, core::jobs::CancelToken& c) {
          started = true;
          try {
            while (true) {
              c.throwIfCancelled();
              std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
          } catch (const core::jobs::Cancelled&) {
            stoppedByToken = true;
            throw;
          }
        },
        recordTo(e)));
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 30000);
    lane.cancel();
    QCOMPARE(lane.state(), ui::JobState::Cancelling);
    QTRY_COMPARE_WITH_TIMEOUT(e.calls, 1, 30000);
    QCOMPARE(e.state, ui::JobState::Cancelled);
    QVERIFY(e.error.isEmpty());
    QVERIFY(stoppedByToken.load());
    QCOMPARE(lane.state(), ui::JobState::Cancelled);
    QVERIFY(!lane.isBusy());
  }

  void progressIsThrottledAndTheLastReportArrives() {
    ui::JobRunner runner;
    ui::JobLane& lane = runner.lane(ui::Lane::Training);
    QSignalSpy progress(&lane, &ui::JobLane::progressed);
    Ended e;
    constexpr int kReports = 10000;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(lane.start(
        "reports",
        [](core::jobs::ProgressSink& p, auto&) {
          for (int i = 1; i <= kReports; ++i) {
            p.setProgress(double(i) / kReports, i == kReports ? "last" : "step " + std::to_string(i));
            std::this_thread::sleep_for(std::chrono::microseconds(50)); // 10 000 reports over at least 0.5 s
          }
        },
        recordTo(e)));
    QTRY_COMPARE_WITH_TIMEOUT(e.calls, 1, 60000);
    const double seconds = double(timer.elapsed()) / 1000.0;
    QCOMPARE(e.state, ui::JobState::Completed);
    // The start, then at most one delivery per 50 ms of the run (plus the first report and the
    // flush at the end; 40 ms for timer slack); every report has its own stage text, so a throttle
    // by stage fails here, as does no throttle (10 000 deliveries).
    const double allowed = 3 + seconds / 0.04;
    QVERIFY2(progress.count() >= 2, qPrintable(QString::number(progress.count())));
    QVERIFY2(progress.count() <= allowed,
             qPrintable(QStringLiteral("%1 deliveries for %2 reports in %3 s").arg(progress.count()).arg(kReports).arg(seconds)));
    QVERIFY2(progress.count() < kReports / 10, qPrintable(QString::number(progress.count())));
    QCOMPARE(progress.first().at(1).toString(), QStringLiteral("reports"));
    QCOMPARE(progress.last().at(0).toDouble(), 1.0);
    QCOMPARE(progress.last().at(1).toString(), QStringLiteral("last"));
  }

  void theFinishRunsOnTheGuiThreadAndTheWorkOnALowerPriorityThread() {
    ui::JobRunner runner;
    std::atomic<bool> onGui{true};
    std::atomic<int> niceness{-100};
    const int guiNiceness = threadNice();
    int lanesDone = 0;
    for (ui::Lane l : {ui::Lane::Data, ui::Lane::Training, ui::Lane::Prediction, ui::Lane::Surface}) {
      Ended e;
      QVERIFY(runner.lane(l).start(
          "where",
          [&](auto&, auto&) {
            onGui = QThread::currentThread() == QCoreApplication::instance()->thread();
            niceness = threadNice();
          },
          recordTo(e)));
      QTRY_COMPARE_WITH_TIMEOUT(e.calls, 1, 30000);
      QVERIFY(!onGui.load());
      QVERIFY(e.onGuiThread);
#ifdef __linux__
      QVERIFY2(niceness.load() > guiNiceness,
               qPrintable(QStringLiteral("lane %1: worker nice %2, GUI nice %3")
                              .arg(runner.lane(l).name()).arg(niceness.load()).arg(guiNiceness)));
#endif
      ++lanesDone;
    }
    QCOMPARE(lanesDone, 4);
  }

  void anExceptionInTheWorkIsAnErrorFinish() {
    ui::JobRunner runner;
    QSignalSpy finished(&runner.lane(ui::Lane::Surface), &ui::JobLane::finished);
    Ended e;
    QVERIFY(runner.lane(ui::Lane::Surface).start(
        "fails", [](auto&, auto&) { throw std::runtime_error("'mask.tif': no voxel"); }, recordTo(e)));
    QTRY_COMPARE_WITH_TIMEOUT(e.calls, 1, 30000);
    QCOMPARE(e.state, ui::JobState::Failed);
    QCOMPARE(e.error, QStringLiteral("'mask.tif': no voxel"));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<ui::JobState>(), ui::JobState::Failed);
    QCOMPARE(runner.lane(ui::Lane::Surface).state(), ui::JobState::Failed);
  }

  void waitEndsTheJobAtOnceAndAbandonForgetsIt() {
    ui::JobRunner runner;
    ui::JobLane& lane = runner.lane(ui::Lane::Training);
    Ended waited;
    QVERIFY(lane.start("short", [](auto&, auto&) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); },
                       recordTo(waited)));
    lane.wait();
    QCOMPARE(waited.calls, 1); // no event loop needed
    QCOMPARE(waited.state, ui::JobState::Completed);
    QVERIFY(!lane.isBusy());

    // A job whose owner goes away: abandon() cancels and joins it, and nothing is called back.
    QObject owner;
    std::atomic<bool> started{false};
    Ended abandoned;
    QVERIFY(lane.start(
        "owned",
        [&](auto&, core::jobs::CancelToken& c) {
          started = true;
          std::atomic<bool> never{false};
          waitFor(never, c);
        },
        recordTo(abandoned), &owner));
    QVERIFY(lane.runsFor(&owner));
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 30000);
    lane.abandon(&owner);
    QVERIFY(!lane.isBusy());
    QTest::qWait(100);
    QCOMPARE(abandoned.calls, 0);

    // A finish whose context object died meanwhile is not called.
    Ended orphan;
    auto* context = new QObject;
    QVERIFY(lane.start("orphan", [](auto&, auto&) {}, recordTo(orphan), context));
    delete context;
    QSignalSpy finished(&lane, &ui::JobLane::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(orphan.calls, 0);
  }

  void destroyingTheRunnerCancelsAndJoinsEveryLane() {
    std::atomic<int> running{0}, stopped{0};
    Ended ended[4];
    {
      ui::JobRunner runner;
      int i = 0;
      for (ui::Lane l : {ui::Lane::Data, ui::Lane::Training, ui::Lane::Prediction, ui::Lane::Surface})
        QVERIFY(runner.lane(l).start(
            "endless",
            [&](auto&, core::jobs::CancelToken& c) {
              ++running;
              std::atomic<bool> never{false};
              try {
                waitFor(never, c);
              } catch (const core::jobs::Cancelled&) {
                ++stopped;
                throw;
              }
            },
            recordTo(ended[i++])));
      QTRY_COMPARE_WITH_TIMEOUT(running.load(), 4, 30000);
    } // ~JobRunner: every work saw its token and returned before the runner was gone
    QCOMPARE(stopped.load(), 4);
    QTest::qWait(50);
    for (const Ended& e : ended) QCOMPARE(e.calls, 0);
  }
};

QTEST_GUILESS_MAIN(TestJobLanes)
#include "test_job_lanes.moc"
