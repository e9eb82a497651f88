#include "ui/jobs/JobRunner.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <mutex>

namespace ui {

/// What the worker and the GUI thread share for one job.
struct JobRunner::Shared {
  core::jobs::CancelToken cancel;
  std::mutex mutex;
  QString error;
  bool cancelled = false;
};

namespace {

/// Forwards progress from the worker to the runner through queued calls, throttled.
class QueuedProgress final : public core::jobs::ProgressSink {
public:
  explicit QueuedProgress(JobRunner* runner) : m_runner(runner) {}
  void setProgress(double fraction, const std::string& stage) override {
    const auto now = std::chrono::steady_clock::now();
    if (stage == m_lastStage && now - m_last < std::chrono::milliseconds(50)) return;
    m_last = now;
    m_lastStage = stage;
    QPointer<JobRunner> runner = m_runner;
    const QString text = QString::fromStdString(stage);
    QMetaObject::invokeMethod(
        m_runner,
        [runner, fraction, text] {
          if (runner) Q_EMIT runner->progressed(fraction, text);
        },
        Qt::QueuedConnection);
  }

private:
  JobRunner* m_runner;
  std::chrono::steady_clock::time_point m_last{};
  std::string m_lastStage;
};

} // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  connect(&m_watcher, &QFutureWatcher<void>::finished, this, &JobRunner::onFinished);
}

JobRunner::~JobRunner() {
  if (m_shared) m_shared->cancel.cancel();
  m_watcher.waitForFinished();
}

bool JobRunner::start(const QString& title, Work work) {
  if (isBusy()) return false;
  m_title = title;
  m_shared = std::make_shared<Shared>();
  auto shared = m_shared;
  setState(JobState::Running);
  Q_EMIT progressed(0.0, title);
  m_watcher.setFuture(QtConcurrent::run([this, shared, work = std::move(work)] {
    QueuedProgress progress(this);
    try {
      work(progress, shared->cancel);
    } catch (const core::jobs::Cancelled&) {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->cancelled = true;
    } catch (const std::bad_alloc&) {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->error = tr("out of memory");
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->error = QString::fromStdString(e.what());
    } catch (...) {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->error = tr("unknown error");
    }
  }));
  return true;
}

void JobRunner::cancel() {
  if (m_state != JobState::Running || !m_shared) return;
  m_shared->cancel.cancel();
  setState(JobState::Cancelling);
}

void JobRunner::wait() { m_watcher.waitForFinished(); }

void JobRunner::setState(JobState s) {
  if (s == m_state) return;
  m_state = s;
  Q_EMIT stateChanged(s);
}

void JobRunner::onFinished() {
  QString error;
  bool cancelled = false;
  {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    error = m_shared->error;
    cancelled = m_shared->cancelled;
  }
  const JobState end = cancelled ? JobState::Cancelled : error.isEmpty() ? JobState::Completed : JobState::Failed;
  setState(end);
  Q_EMIT finished(end, error);
}

} // namespace ui
