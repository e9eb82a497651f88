#include "ui/jobs/JobLane.h"

#include <QMetaObject>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <mutex>
#include <new>
#include <string>
#include <thread>

namespace ui {

void lowerWorkerPriority() {
#ifdef __linux__
  // Linux nice values are per thread (and inherited by the threads LibTorch starts from here):
  // the GUI thread wins a busy CPU, so the window stays fluid while the worker computes.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
}

/// What the worker and the GUI thread share for one job. Behind the mutex: progress and result.
struct JobLane::Job {
  core::jobs::CancelToken cancel;
  std::thread thread;
  Finish finish;
  QPointer<QObject> context;
  bool hasContext = false;
  std::mutex mutex;
  double fraction = 0;
  std::string stage;
  bool progressDirty = false;   ///< a report the GUI has not seen yet
  bool progressPending = false; ///< a delivery is queued or the throttle interval runs
  bool cancelled = false;
  QString error;
};

/// The worker's sink: keeps the latest report and queues a delivery unless one is pending.
class JobLane::Progress final : public core::jobs::ProgressSink {
public:
  Progress(JobLane* lane, std::shared_ptr<Job> job) : m_lane(lane), m_job(std::move(job)) {}
  void setProgress(double fraction, const std::string& stage) override {
    {
      std::lock_guard<std::mutex> lock(m_job->mutex);
      m_job->fraction = fraction;
      if (stage != m_job->stage) m_job->stage = stage;
      m_job->progressDirty = true;
      if (m_job->progressPending) return;
      m_job->progressPending = true;
    }
    // The lane outlives the worker (its destructor joins), so a queued call to it is safe; it is
    // dropped when the lane is gone, and ignored when the job is no longer the lane's.
    QMetaObject::invokeMethod(
        m_lane, [lane = m_lane, job = m_job] { if (job == lane->m_job) lane->deliverProgress(); }, Qt::QueuedConnection);
  }

private:
  JobLane* m_lane;
  std::shared_ptr<Job> m_job;
};

JobLane::JobLane(const QString& name, QObject* parent) : QObject(parent), m_name(name) {
  m_progressTimer.setSingleShot(true);
  m_progressTimer.setTimerType(Qt::PreciseTimer);
  m_progressTimer.setInterval(kProgressInterval);
  connect(&m_progressTimer, &QTimer::timeout, this, &JobLane::deliverProgress);
}

JobLane::~JobLane() {
  if (!m_job) return;
  m_job->cancel.cancel();
  join(*m_job);
}

bool JobLane::runsFor(const QObject* context) const {
  return m_job && m_job->hasContext && m_job->context == context;
}

bool JobLane::start(const QString& title, Work work, Finish finish, QObject* context) {
  if (isBusy()) return false;
  auto job = std::make_shared<Job>();
  job->finish = std::move(finish);
  job->context = context;
  job->hasContext = context != nullptr;
  m_job = job;
  m_title = title;
  setState(JobState::Running);
  Q_EMIT progressed(0.0, title);
  job->thread = std::thread([this, job, work = std::move(work)] {
    lowerWorkerPriority();
    Progress progress(this, job);
    bool cancelled = false;
    QString error;
    try {
      work(progress, job->cancel);
    } catch (const core::jobs::Cancelled&) {
      cancelled = true;
    } catch (const std::bad_alloc&) {
      error = tr("out of memory");
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    } catch (...) {
      error = tr("unknown error");
    }
    {
      std::lock_guard<std::mutex> lock(job->mutex);
      job->cancelled = cancelled;
      job->error = error;
    }
    QMetaObject::invokeMethod(this, [this, job] { end(job); }, Qt::QueuedConnection);
  });
  return true;
}

void JobLane::cancel() {
  if (m_state != JobState::Running || !m_job) return;
  m_job->cancel.cancel();
  setState(JobState::Cancelling);
}

void JobLane::wait() {
  if (!m_job) return;
  auto job = m_job;
  join(*job);
  end(job);
}

void JobLane::abandon(const QObject* context) {
  if (!runsFor(context)) return;
  auto job = std::move(m_job);
  job->cancel.cancel();
  join(*job);
  m_progressTimer.stop();
  m_state = JobState::Cancelled;
}

void JobLane::join(Job& job) {
  if (job.thread.joinable()) job.thread.join();
}

void JobLane::setState(JobState s) {
  if (s == m_state) return;
  m_state = s;
  Q_EMIT stateChanged(s);
}

void JobLane::deliverProgress() {
  if (!m_job) return;
  double fraction = 0;
  QString stage;
  {
    std::lock_guard<std::mutex> lock(m_job->mutex);
    if (!m_job->progressDirty) {
      m_job->progressPending = false; // nothing new during the interval: the next report posts
      return;
    }
    m_job->progressDirty = false;
    fraction = m_job->fraction;
    stage = QString::fromStdString(m_job->stage);
  }
  m_progressTimer.start(); // the next delivery no earlier than one interval from now
  Q_EMIT progressed(fraction, stage);
}

void JobLane::end(const std::shared_ptr<Job>& job) {
  if (job != m_job) return; // ended by wait() already, or abandoned
  join(*job);
  // The last report, if the throttle held it back, then the end.
  deliverProgress();
  m_progressTimer.stop();
  m_job.reset();
  const JobState state = job->cancelled ? JobState::Cancelled : job->error.isEmpty() ? JobState::Completed : JobState::Failed;
  setState(state);
  Q_EMIT finished(state, job->error);
  if (job->finish && (!job->hasContext || job->context)) job->finish(state, job->error);
}

} // namespace ui
