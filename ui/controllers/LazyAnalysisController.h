#pragma once
/// \file LazyAnalysisController.h
/// Particle analysis of a lazily opened volume (issue 16, part 4) on the JobRunner's Data lane,
/// with progress and Cancel: the image and a chunked crack prediction on its grid (written by
/// LazyPredictionController) are analysed slab by slab in bounded memory
/// (core::cluster::analyzeInSlabs, what `cdnet analyze --memory-limit` runs), the merged table is
/// written as a CSV beside the prediction and handed to the ParticleLayer, so the Statistics
/// panel's table and plots work as today. The particle labels are written slab by slab too
/// (SlabAnalysisOptions::labelsOut: "<image>-particles.zarr", uint32 on the image's chunk grid,
/// the table's ids) and, once showLabels() named the views, opened lazily through the chunk cache
/// and drawn like the in-memory particle overlay (LazyParticleOverlay); clicking a row of the
/// table selects that particle (outlined) and moves the cursor to its centroid. GUI thread only.

#include "core/analysis/Analysis.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace ui {

class CursorModel;
class JobLane;
class JobRunner;
class LazyBrowser;
class LazyParticleOverlay;
class ParticleLayer;
class ParticleOverlay;
class SliceView;

class LazyAnalysisController : public QObject {
  Q_OBJECT
public:
  LazyAnalysisController(JobRunner& jobs, ParticleLayer& layer, QObject* parent = nullptr);
  ~LazyAnalysisController() override;

  /// Slices owned per slab (0: from the memory budget, a quarter of the machine's memory) and
  /// the halo read around each slab.
  void setSlabSlices(std::int64_t slices) { m_slabSlices = slices; }
  void setHalo(std::int64_t halo) { m_halo = halo; }
  /// Where run() writes its table for an image: beside it, "<name>-particles.csv".
  static QString defaultCsv(const QString& image);
  /// Where run() writes the particle labels: beside the image, "<name>-particles.zarr".
  static QString defaultLabels(const QString& image);
  /// Draws the labels of completed runs in \p views over \p browser's volume (their blocks in its
  /// cache), in \p style's mode and opacity (the Statistics panel's overlay; may be null); a
  /// selected particle moves \p cursor to its centroid.
  void showLabels(LazyBrowser& browser, CursorModel& cursor, const std::vector<SliceView*>& views,
                  const ParticleOverlay* style = nullptr);
  /// The labels drawn now (null: none).
  LazyParticleOverlay* labelsOverlay() const { return m_overlay; }

  /// Analyses \p image with the crack volume \p cracks (crack where its value >= \p crackThreshold)
  /// into \p csv. False (and failed()) when another job runs.
  bool run(const QString& image, const QString& cracks, double crackThreshold,
           const core::analysis::AnalysisOptions& options, const QString& csv);
  void cancel();
  bool isRunning() const { return m_running; }
  /// Slabs of the last completed run.
  std::int64_t slabs() const { return m_slabs; }

Q_SIGNALS:
  void started(const QString& title);
  void completed(int particles, const QString& csv);
  void cancelled();
  void failed(const QString& message);

private:
  struct Pending;
  QPointer<JobLane> m_lane; ///< the Data lane (gone before this at shutdown)
  ParticleLayer& m_layer;
  std::int64_t m_slabSlices = 0, m_halo = 32, m_slabs = 0;
  bool m_running = false;
  QPointer<LazyBrowser> m_browser;
  CursorModel* m_cursor = nullptr;
  LazyParticleOverlay* m_overlay = nullptr;
  void openLabels(const QString& path);
  void followSelection(std::uint32_t id);
};

} // namespace ui
