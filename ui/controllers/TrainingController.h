#pragma once
/// \file TrainingController.h
/// Trains or fine-tunes a CDNet model from the window on the JobRunner's Training lane (beside
/// the Data lane, so files open meanwhile, and the Prediction lane, so the user can predict with
/// the current model while a new one trains).
///
/// start() takes a snapshot on the GUI thread: the image slices that carry labels, their labels
/// and the fully-annotated flags, copied into a compact volume. The worker reads only that copy,
/// so the user keeps painting meanwhile. Iteration and epoch metrics are buffered by the worker
/// and handed to the GUI thread by a 200 ms timer (throttled, queued); the end of the run comes
/// as one queued call. Never processEvents(), never a widget from the worker.
///
/// GUI thread only (except what the worker does internally).

#include "core/ml/Checkpoint.h"
#include "core/ml/Model.h"
#include "core/ml/Trainer.h"

#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QTimer>
#include <QVector>

#include <QPointer>

#include <cstdint>
#include <memory>
#include <optional>

namespace ui {

class JobLane;
class JobRunner;
class Session;
class SparseLabelLayer;
struct TrainingSnapshot;

/// The network's default base width on this machine: 64 (the paper's network) with a CUDA GPU,
/// 16 on a CPU, where 64 trains about 16 times slower.
int defaultBaseWidth();

/// What the panel asks for (plain values, no widgets).
struct TrainingSettings {
  int baseWidth = defaultBaseWidth(); ///< 64 = the paper's network
  /// 2.5D input: neighbour slices on each side the network also sees (0 = 2D). A new model only:
  /// fine-tuning keeps its checkpoint's.
  int contextSlices = 0;
  int epochs = 20;             ///< 0 = run until the time budget ends
  double maxMinutes = 0;       ///< 0 = no budget
  int batch = 4;
  int crop = 256;
  double learningRate = 1e-4;
  double valFraction = 0.25;
  bool augment = true;
  core::ml::DeviceRequest device = core::ml::DeviceRequest::Auto;
  int iterationsPerEpoch = 0;  ///< 0 = the engine's default (area-based, at least 20 steps)
  std::uint64_t seed = 1;
  // The engine's recipe and saving defaults (checkpoints at most once a minute, at the end and on stop).
  core::ml::LossKind loss = core::ml::TrainOptions{}.loss;
  core::ml::LrSchedule lrSchedule = core::ml::TrainOptions{}.lrSchedule;
  double saveEveryMinutes = core::ml::TrainOptions{}.saveEveryMinutes;
  int keepCheckpoints = core::ml::TrainOptions{}.keepCheckpoints;
  core::ml::Precision precision = core::ml::TrainOptions{}.precision; ///< training steps on a CPU
};

/// Counts of what a snapshot would train on.
struct TrainingSliceCounts {
  int annotated = 0; ///< slices marked fully annotated
  int partial = 0;   ///< other slices that carry at least one label
  int total() const { return annotated + partial; }
};

enum class TrainingState { Idle, Running, Stopping, Finished, Stopped, Failed };

class TrainingController : public QObject {
  Q_OBJECT
public:
  /// Runs on \p jobs' Training lane.
  TrainingController(Session& session, JobRunner& jobs, QObject* parent = nullptr);
  /// Stops a running training and waits for it (at most one batch).
  ~TrainingController() override;

  /// Where runs write their checkpoints (one sub-folder per run). Default: a "models" folder in
  /// the user's data directory.
  void setModelsFolder(const QString& folder) { m_modelsFolder = folder; }
  const QString& modelsFolder() const { return m_modelsFolder; }

  /// Slices the current labels would train on.
  TrainingSliceCounts sliceCounts() const;
  /// While \p layer is open (a volume opened lazily), training reads its labelled slices and the
  /// lazy image's (TrainingSnapshot::takeLazy) instead of the Session's. Null: never.
  void setLazyLabels(SparseLabelLayer* layer) { m_lazy = layer; }

  /// Torch threads a CPU run uses: every core but one (at least one), so the window stays fluid.
  static int trainingCpuThreads();
  /// Which device \p request resolves to, and why ("CPU: this build's LibTorch has no CUDA").
  static QString describeDevice(core::ml::DeviceRequest request);

  /// Starts a new model (fineTuneFrom empty) or fine-tunes the checkpoint \p fineTuneFrom.
  /// Returns false and emits failed() when nothing can start (running already, no image, no
  /// labelled voxel).
  bool start(const TrainingSettings& settings, const QString& fineTuneFrom = {});
  /// The engine's options start() would run with (emits failed() and returns nothing when they
  /// cannot be made). Public for tests.
  std::optional<core::ml::TrainOptions> trainOptions(const TrainingSettings& settings, const QString& fineTuneFrom);
  /// Asks the run to stop after the current batch; the last good checkpoint is kept.
  void stop();
  /// Blocks until the worker ended (tests, shutdown).
  void wait();

  TrainingState state() const { return m_state; }
  bool isRunning() const { return m_state == TrainingState::Running || m_state == TrainingState::Stopping; }
  /// Seconds since start (while running) or of the whole run.
  double elapsedSeconds() const;
  /// Optimiser steps the worker finished after stop() was called (tests: at most one).
  int iterationsAfterStop() const;
  const QString& runFolder() const { return m_runFolder; }

Q_SIGNALS:
  void stateChanged(ui::TrainingState state);
  /// Training loss per optimiser step since the last signal: x = step (1-based), y = loss.
  void iterationsReceived(const QVector<QPointF>& losses);
  void epochFinished(const core::ml::EpochMetrics& metrics);
  /// \p fraction 0..1 (never 1 before the end), \p remainingSeconds an estimate (< 0: unknown).
  void progressed(double fraction, double elapsedSeconds, double remainingSeconds, const QString& stage);
  void messageReceived(const QString& message);
  /// A model is ready: the best (or last) checkpoint of the run, loaded. Emitted after a
  /// finished run and after a stop that kept a checkpoint.
  void modelReady(const core::ml::Model& model, const QString& checkpoint);
  /// The run failed or could not start; \p message says why. Nothing saved before is touched.
  void failed(const QString& message);

private:
  struct Shared;
  bool lazyOpen() const;
  SparseLabelLayer* m_lazy = nullptr;
  // start() in steps: the engine's options (trainOptions, public), the snapshot of the labelled
  // slices (null after failed()), the run on the Training lane.
  std::shared_ptr<TrainingSnapshot> takeSnapshot(int contextSlices);
  bool launch(core::ml::TrainOptions o, std::shared_ptr<TrainingSnapshot> snapshot);
  /// The work on the Training lane: trains, then loads the run's best (else last) checkpoint.
  static void train(Shared& shared, const TrainingSnapshot& snapshot, const core::ml::TrainOptions& o,
                    core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel);
  void drain();
  void onWorkerEnded(int state, const QString& error);
  void setState(TrainingState s);

  Session& m_session;
  QPointer<JobLane> m_lane;
  QString m_modelsFolder, m_runFolder;
  TrainingState m_state = TrainingState::Idle;
  std::shared_ptr<Shared> m_shared;
  QTimer m_drainTimer;
};

} // namespace ui

Q_DECLARE_METATYPE(core::ml::EpochMetrics)
Q_DECLARE_METATYPE(core::ml::Model)
