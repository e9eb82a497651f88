#pragma once
/// \file Studio.h
/// The studio's composition root: the one object that creates and owns the models, controllers
/// and workers of a studio session. Nothing here is a widget, so a Studio works without a window
/// (tests, benchmarks); MainWindow creates one and hands each view, panel, tool and controller the
/// pieces it needs (references, never the window).
///
/// Owns, in order of creation:
///  1. Session             the open dataset (image, labels, prediction)
///  2. CursorModel         the crosshair voxel; follows the Session's bounds (connected first, so
///                         every other listener of datasetChanged() sees the new bounds)
///  3. DisplaySettings     window/level, overlay look, 3D options
///  4. JobRunner           the background workers: lanes for data (loading, analysis, re-measuring),
///                         training, prediction and 3D surfaces (ui/jobs)
///  5. LoadController      opens files and the demo phantom into the Session through the JobRunner
///  6. TrainingController  trains on the Session's labelled slices
///  7. PredictionController predicts into the Session's prediction layer
///  8. ParticleLayer       the particle analysis result (cleared with the dataset)
///  9. AnalysisController  runs the particle analysis of the Session into the ParticleLayer
/// 10. ParticleTableModel  the layer's table as a Qt item model (the Statistics panel, plots)
/// 11. EvolutionController a second time point (scan B) registered and matched with the Session's
///                         image and the ParticleLayer (issue 19)
///
/// and, beside them, the ChunkCache of volumes read lazily (its budget: setting "cache/budgetMiB",
/// 0 or unset = core::volume::defaultCacheBudget()).
/// Each refers only to objects created before it. They are destroyed in the reverse order (each
/// controller stops and joins its worker while the Session it reads still exists).
///
/// Not here: what needs the window (ProjectController and its ProjectExtras: the File menu,
/// dialogs, the dock state; LabelEditor: menus, tool bar, the slice views; OpenFlow: dialogs) is
/// created by MainWindow from the Studio's objects. GUI thread only.

#include <QObject>

#include <memory>

namespace core::volume {
class ChunkCache;
}

namespace ui {

class AnalysisController;
class CursorModel;
class DisplaySettings;
class EvolutionController;
class JobRunner;
class LoadController;
class ParticleLayer;
class ParticleTableModel;
class PredictionController;
class Session;
class TrainingController;

class Studio : public QObject {
  Q_OBJECT
public:
  explicit Studio(QObject* parent = nullptr);
  /// Destroys the objects in the reverse order of creation.
  ~Studio() override;

  Session& session() const { return *m_session; }
  CursorModel& cursor() const { return *m_cursor; }
  DisplaySettings& display() const { return *m_display; }
  JobRunner& jobs() const { return *m_jobs; }
  LoadController& loader() const { return *m_loader; }
  TrainingController& training() const { return *m_training; }
  PredictionController& prediction() const { return *m_prediction; }
  ParticleLayer& particles() const { return *m_particles; }
  AnalysisController& analysis() const { return *m_analysis; }
  ParticleTableModel& particleTable() const { return *m_particleTable; }
  EvolutionController& evolution() const { return *m_evolution; }
  /// Decoded blocks of every lazily read volume, under one memory budget.
  const std::shared_ptr<core::volume::ChunkCache>& chunkCache() const { return m_chunkCache; }

private:
  Session* m_session;
  CursorModel* m_cursor;
  DisplaySettings* m_display;
  JobRunner* m_jobs;
  LoadController* m_loader;
  TrainingController* m_training;
  PredictionController* m_prediction;
  ParticleLayer* m_particles;
  AnalysisController* m_analysis;
  ParticleTableModel* m_particleTable;
  EvolutionController* m_evolution;
  std::shared_ptr<core::volume::ChunkCache> m_chunkCache;
};

} // namespace ui
