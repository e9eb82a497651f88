#pragma once
/// \file JobLane.h
/// One lane of background work (STYLE.md, "Long work"): at most one job at a time, each on its
/// own worker thread with lowered priority (lowerWorkerPriority). A second start() while a job
/// runs is refused (returns false): callers that want "again when done" remember it themselves.
///
/// The work gets a core::jobs::ProgressSink and a core::jobs::CancelToken. Progress reaches the
/// GUI thread as the progressed() signal, throttled to at most one delivery per kProgressInterval
/// (about 20 a second); the latest report always arrives (within one interval), intermediate ones
/// may be dropped. cancel() sets the token (the work throws core::jobs::Cancelled at its next
/// check). When the work returns or throws, one call is queued to the GUI thread: the lane becomes
/// Completed, Cancelled or Failed (the exception's message), emits finished(), then calls the
/// job's finish callback (if its context object still lives).
///
/// The work never touches widgets; results go back through what the work captures (read them in
/// the finish callback) or through the caller's own queued calls. The lane itself: GUI thread only.
/// Which lanes exist and what may run together: JobRunner.h.

#include "core/jobs/Job.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

namespace ui {

enum class JobState { Idle, Running, Cancelling, Cancelled, Completed, Failed };

/// Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread only, inherited
/// by the threads LibTorch starts from it), so a worker never takes the CPU from the GUI thread.
/// Every lane's worker calls it first. Any thread; no effect elsewhere.
void lowerWorkerPriority();

class JobLane : public QObject {
  Q_OBJECT
public:
  using Work = std::function<void(core::jobs::ProgressSink&, core::jobs::CancelToken&)>;
  /// Runs on the GUI thread once the job ended: Completed, Cancelled or Failed (\p error says why).
  using Finish = std::function<void(JobState state, const QString& error)>;

  /// The shortest time between two progressed() signals of one job.
  static constexpr std::chrono::milliseconds kProgressInterval{50};

  explicit JobLane(const QString& name, QObject* parent = nullptr);
  /// Cancels a running job and waits for it; its finish callback is not called.
  ~JobLane() override;

  /// Starts \p work on a new worker thread. Returns false (and does nothing) while a job runs.
  /// \p finish is called only while \p context (when given) lives.
  bool start(const QString& title, Work work, Finish finish = {}, QObject* context = nullptr);
  /// Asks the running job to stop (its token is cancelled); the lane says Cancelling.
  void cancel();
  /// Blocks until the running job's work returned, then ends the job here and now (finished(),
  /// then the finish callback). Tests and shutdown; never inside a job.
  void wait();
  /// Shutdown of \p context: when the running job was started with it, cancels it, waits for its
  /// work and forgets it: no callback, no signal.
  void abandon(const QObject* context);

  const QString& name() const { return m_name; }
  JobState state() const { return m_state; }
  bool isBusy() const { return m_state == JobState::Running || m_state == JobState::Cancelling; }
  /// The running (or last) job's title.
  const QString& title() const { return m_title; }
  /// True when the running job was started with \p context.
  bool runsFor(const QObject* context) const;

Q_SIGNALS:
  void stateChanged(ui::JobState state);
  /// \param fraction 0..1 \param stage what the job does now
  void progressed(double fraction, const QString& stage);
  /// The job ended: Completed, Cancelled or Failed (with the exception's message in \p error).
  void finished(ui::JobState state, const QString& error);

private:
  struct Job;
  class Progress;
  void setState(JobState s);
  void deliverProgress();
  void end(const std::shared_ptr<Job>& job);
  void join(Job& job);

  QString m_name, m_title;
  JobState m_state = JobState::Idle;
  std::shared_ptr<Job> m_job; ///< the running job (null when idle)
  QTimer m_progressTimer;     ///< the throttle's interval after each delivery
};

} // namespace ui
