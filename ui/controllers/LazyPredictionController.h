#pragma once
/// \file LazyPredictionController.h
/// Prediction of a lazily opened volume (issue 16, "prediction of big volumes from the studio"),
/// with the PredictionController's model and options, on the JobRunner's Prediction lane (one
/// job at a time, progress and Cancel; the GUI thread never waits for it):
/// - predictVisibleSlices(): the three slices the views show (the cursor's), read at full
///   resolution through the LazyVolume (a 2.5D model's neighbours along each plane's normal),
///   predicted in tiles and drawn as the LazyBrowser's overlay;
/// - predictWholeVolume(): slab by slab in bounded memory (Predictor's out-of-core path, the one
///   `cdnet predict` runs), written as an OME-Zarr of uint8 probabilities (255 = 1) on the image's
///   grid, chunks and number of levels, next to the image (defaultTarget()). It is written into a
///   sibling temporary folder and swapped in (rename) only when complete; a replaced prediction is
///   removed after the swap. A cancelled or failed run removes only its temporary: an earlier
///   prediction of that name stays on disk and the overlay shows it again. While it runs, the overlay reads the chunk
///   layers already written lazily through the ChunkCache and refreshes as slabs complete; when
///   done it shows the finished prediction (every level).
/// GUI thread only.

#include "core/volume/Volume.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <memory>

namespace core::volume {
class LazyVolume;
}

namespace ui {

class CursorModel;
class JobLane;
class JobRunner;
class LazyBrowser;
class PredictionController;

class LazyPredictionController : public QObject {
  Q_OBJECT
public:
  LazyPredictionController(LazyBrowser& browser, CursorModel& cursor, PredictionController& prediction, JobRunner& jobs,
                           QObject* parent = nullptr);
  /// Cancels a running job and waits for it (its temporary output is removed).
  ~LazyPredictionController() override;

  /// Where predictWholeVolume() writes by default: beside the image, "<name>-prediction.zarr"
  /// (empty when no volume is open).
  QString defaultTarget() const;
  /// Starts predicting the three visible slices. False (and failed()) without a model or volume,
  /// or while a prediction runs.
  bool predictVisibleSlices();
  /// Starts predicting the whole volume into \p target (an OME-Zarr folder). An existing \p target
  /// is refused (failed()) unless \p replace; it is replaced only once the new one is complete.
  /// False when not started.
  bool predictWholeVolume(const QString& target, bool replace = false);
  void cancel();
  /// Blocks until the job ended (tests, shutdown).
  void wait();
  bool isRunning() const { return m_running; }
  /// The last complete prediction written by predictWholeVolume() (empty when none).
  const QString& lastPrediction() const { return m_written; }
  /// Overlay refreshes while the whole volume was being written (tests).
  int partialRefreshes() const { return m_partialRefreshes; }

Q_SIGNALS:
  void started(const QString& title);
  void progressed(double fraction, const QString& stage);
  /// The job ended: completed (\p cancelled false) or cancelled.
  void finished(bool cancelled);
  void failed(const QString& message);
  /// A complete prediction was written to \p path.
  void written(const QString& path);

private:
  bool canStart();
  void onSlicesWritten(const QString& staged, std::int64_t slices);
  void onEnded(bool sameVolume, bool cancelled, const QString& error);

  LazyBrowser& m_browser;
  CursorModel& m_cursor;
  PredictionController& m_prediction;
  QPointer<JobLane> m_lane;
  bool m_running = false;
  QString m_target;  ///< the running whole-volume job's output (empty for slices)
  QString m_staged;  ///< where that job writes it (inside a temporary of m_target) until swapped in
  /// What the overlay showed before a whole-volume job (restored when it is cancelled or fails).
  std::shared_ptr<core::volume::LazyVolume> m_previous;
  QString m_written; ///< the last complete one
  std::shared_ptr<int> m_generation; ///< the running job's; queued results of another are dropped
  int m_partialRefreshes = 0;
};

} // namespace ui
