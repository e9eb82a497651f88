#pragma once
/// \file JobRunner.h
/// Runs one long piece of work at a time on a worker thread, with progress and cancel
/// (STYLE.md, "Long work"). The work gets a ProgressSink and a CancelToken; progress reaches the
/// GUI thread as queued signals, at most about 20 per second. The work never touches widgets;
/// results go back through what the work captures (read them in the finished() handler).
/// The runner itself: GUI thread only.

#include "core/jobs/Job.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace ui {

enum class JobState { Idle, Running, Cancelling, Cancelled, Completed, Failed };

class JobRunner : public QObject {
  Q_OBJECT
public:
  using Work = std::function<void(core::jobs::ProgressSink&, core::jobs::CancelToken&)>;

  explicit JobRunner(QObject* parent = nullptr);
  /// Cancels a running job and waits for it.
  ~JobRunner() override;

  /// Starts \p work on a pool thread. Returns false (and does nothing) while a job runs.
  bool start(const QString& title, Work work);
  /// Asks the running job to stop (it throws core::jobs::Cancelled at its next check).
  void cancel();
  /// Blocks until the running job ended (for tests and shutdown; never inside a job).
  void wait();

  JobState state() const { return m_state; }
  bool isBusy() const { return m_state == JobState::Running || m_state == JobState::Cancelling; }
  const QString& title() const { return m_title; }

Q_SIGNALS:
  void stateChanged(ui::JobState state);
  /// \param fraction 0..1 \param stage what the job does now
  void progressed(double fraction, const QString& stage);
  /// The job ended: Completed, Cancelled or Failed (with the exception's message in \p error).
  void finished(ui::JobState state, const QString& error);

private:
  struct Shared;
  void setState(JobState s);
  void onFinished();

  JobState m_state = JobState::Idle;
  QString m_title;
  std::shared_ptr<Shared> m_shared;
  QFutureWatcher<void> m_watcher;
};

} // namespace ui
