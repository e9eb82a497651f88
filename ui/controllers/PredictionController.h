#pragma once
/// \file PredictionController.h
/// Holds the current model and predicts with it from the window on the JobRunner's Prediction
/// lane: one slice (a quick preview), a list of slices, or the whole volume slice by slice in
/// tiles, with progress and Cancel (the lane's core::jobs::CancelToken; the Predictor checks it
/// between tiles, so a cancel stops within one tile). Each finished slice is handed to the GUI thread (queued), written
/// into the Session's prediction layer (uint8, probability x 255) there, and announced with
/// predictionChanged(slice), so the overlay updates as the work goes. The worker reads the image
/// only; a new dataset cancels and waits first.
///
/// Also ranks slices by the model's uncertainty (mean binary entropy of their probabilities)
/// for "Suggest next slice".
///
/// GUI thread only.

#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/volume/Volume.h"

#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace ui {

class JobLane;
class JobRunner;
class Session;

/// Voxels of the predicted slices at or above a probability.
struct PredictionTally {
  std::int64_t above = 0;  ///< voxels with probability >= the threshold
  std::int64_t voxels = 0; ///< all voxels of the predicted slices
  std::int64_t slices = 0; ///< predicted slices
};

/// Slices and their mean binary entropy, most uncertain first (core/ml/Metrics.h).
using SliceRanking = core::ml::SliceRanking;

class PredictionController : public QObject {
  Q_OBJECT
public:
  /// Runs on \p jobs' Prediction lane.
  PredictionController(Session& session, JobRunner& jobs, QObject* parent = nullptr);
  /// Cancels a running prediction and waits for it (at most one tile).
  ~PredictionController() override;

  /// The model predictions use (empty: none yet).
  const core::ml::Model& model() const { return m_model; }
  /// Replaces the model (a running prediction keeps the one it started with). Emits modelChanged().
  void setModel(const core::ml::Model& model, const QString& checkpoint = {});
  /// The checkpoint the current model came from (empty when none or unknown).
  const QString& checkpoint() const { return m_checkpoint; }
  /// Loads a checkpoint, a training folder or a TorchScript U-Net. Returns false and emits
  /// failed() with the reason when it cannot.
  bool loadModel(const QString& path);
  /// Options of the tiled predictor (tile, overlap, batch, test-time augmentation), for tests and
  /// big volumes. PredictOptions::triPlanar applies to predictVolume() only (the whole volume is
  /// predicted at once, then handed over slice by slice); slice lists are predicted in XY.
  void setPredictOptions(const core::ml::PredictOptions& o) { m_options = o; }
  const core::ml::PredictOptions& predictOptions() const { return m_options; }

  /// Predicts slices \p slices (z, any order). Returns false (and emits failed()) without a
  /// model or image, or while a prediction runs.
  bool predictSlices(std::vector<std::int64_t> slices, const QString& title);
  bool predictSlice(std::int64_t z) { return predictSlices({z}, tr("Predict slice %1").arg(z)); }
  bool predictVolume();
  /// Asks the running prediction to stop at its next tile.
  void cancel();
  /// Blocks until the worker ended (tests, shutdown).
  void wait();
  bool isRunning() const { return m_running; }

  /// Slices of the current prediction layer that hold a prediction of the current model (or of
  /// the dataset's own prediction layer).
  const std::vector<bool>& predictedSlices() const { return m_predicted; }
  /// Predicted slices that are not from the current model (predicted before the model changed,
  /// or the dataset's own prediction layer once a model is set): a stale prediction.
  std::int64_t staleSlices() const;
  /// Voxels of the predicted slices with probability >= \p threshold (the same test as accepting).
  PredictionTally tally(double threshold = 0.5) const;

  /// Slices closer than this to a labelled slice, to an earlier suggestion or to a better-ranked
  /// slice are not suggested: a neighbour tells the model little that is new.
  static constexpr std::int64_t kSuggestionGap = 3;
  /// The uncertainty ranking of predicted slices that carry no label (nor the fully-annotated
  /// mark), most uncertain first (at most \p count), at least kSuggestionGap + 1 slices from
  /// labelled slices, from earlier suggestions and from each other.
  SliceRanking uncertaintyRanking(std::size_t count = 5) const;
  /// Suggests the next slice to annotate: ranks the predicted slices; when none is predicted,
  /// first predicts a subsample (about 12 slices, spread over the volume) and ranks when done.
  /// suggestionReady() carries the ranking.
  void suggestNextSlice();

  /// Tiles reported after cancel() was called (tests: at most one).
  int tilesAfterCancel() const;

Q_SIGNALS:
  void modelChanged();
  void started(const QString& title);
  /// \p fraction 0..1 of the job; never 1 before it ended.
  void progressed(double fraction, const QString& stage);
  void sliceFinished(std::int64_t z);
  /// The job ended: completed (\p cancelled false) or cancelled.
  void finished(bool cancelled);
  void failed(const QString& message);
  /// Ranking for "Suggest next slice", most uncertain first (empty: nothing to rank).
  void suggestionReady(const ui::SliceRanking& ranking);

private:
  struct Shared;
  bool startJob(std::vector<std::int64_t> slices, const QString& title, bool triPlanar);
  void onSliceDone(std::int64_t z, const std::shared_ptr<std::vector<std::uint8_t>>& probabilities,
                   std::uint64_t generation);
  void emitSuggestion();
  void onWorkerEnded(bool cancelled, const QString& error);
  void onDatasetChanged();

  Session& m_session;
  QPointer<JobLane> m_lane;
  core::ml::Model m_model;
  QString m_checkpoint;
  core::ml::PredictOptions m_options;
  std::vector<bool> m_predicted;
  std::vector<bool> m_stale;             ///< predicted slices not from the current model
  std::uint64_t m_modelGeneration = 0;   ///< counts setModel() calls
  std::vector<std::int64_t> m_suggested; ///< slices suggested since the dataset opened
  std::shared_ptr<Shared> m_shared; ///< the running (or last) job's; slices of another are dropped
  bool m_running = false;
  bool m_suggestWhenDone = false;
};

} // namespace ui

Q_DECLARE_METATYPE(ui::SliceRanking)
