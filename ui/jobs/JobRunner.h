#pragma once
/// \file JobRunner.h
/// The studio's background work: one JobLane (JobLane.h: worker thread with lowered priority,
/// throttled progress, Cancel, a finish queued to the GUI thread) per kind of work. Each lane runs
/// one job at a time and refuses a second; different lanes run side by side:
/// - Data: opening files (LoadController), the particle analysis (AnalysisController) and the
///   re-measuring of particles after corrections (ParticleLayer). They read or replace the
///   dataset and its analysis, so they exclude each other; opening waits until the lane is idle.
/// - Training: TrainingController. Reads only its own snapshot of the labelled slices, so it runs
///   beside everything, the user keeps painting.
/// - Prediction: PredictionController. Reads the session's image; a new dataset cancels it and
///   waits for it before the image changes.
/// - Surface: the 3D view's crack surface (VolumeView3D), extracted from its own copy of the mask.
///
/// For the Data lane the runner keeps the single-job interface it always had (start, cancel,
/// wait, state, isBusy, title and the signals, all about the Data lane): the status bar's progress
/// and Cancel show that lane. GUI thread only.

#include "ui/jobs/JobLane.h"

#include <QObject>
#include <QString>

#include <array>

namespace ui {

enum class Lane { Data, Training, Prediction, Surface };

class JobRunner : public QObject {
  Q_OBJECT
public:
  using Work = JobLane::Work;

  explicit JobRunner(QObject* parent = nullptr);
  /// Cancels the running jobs of every lane and waits for them (no finish callbacks).
  ~JobRunner() override;

  JobLane& lane(Lane lane) const { return *m_lanes[std::size_t(lane)]; }
  /// True while any lane runs a job.
  bool anyBusy() const;

  /// The Data lane: starts \p work, returns false (and does nothing) while a Data job runs.
  bool start(const QString& title, Work work) { return lane(Lane::Data).start(title, std::move(work)); }
  /// Asks the running Data job to stop (it throws core::jobs::Cancelled at its next check).
  void cancel() { lane(Lane::Data).cancel(); }
  /// Blocks until the running Data job ended and reports its end (tests and shutdown).
  void wait() { lane(Lane::Data).wait(); }

  JobState state() const { return lane(Lane::Data).state(); }
  bool isBusy() const { return lane(Lane::Data).isBusy(); }
  const QString& title() const { return lane(Lane::Data).title(); }

Q_SIGNALS:
  /// The Data lane's signals (JobLane's).
  void stateChanged(ui::JobState state);
  void progressed(double fraction, const QString& stage);
  void finished(ui::JobState state, const QString& error);

private:
  std::array<JobLane*, 4> m_lanes{};
};

} // namespace ui
