#pragma once
/// \file ParticleLayer.h
/// The particle label layer of the open dataset: the uint32 particle labels an analysis produced
/// (core::analysis::segmentParticles), their phase flags, the particle table and depth profile,
/// the selected particle, and the corrections (merge, split, delete: core::analysis::
/// ParticleCorrections, which keeps the old and new voxels of each correction's box in an undo
/// history under a byte budget), then re-measures the particles (measureParticles) and emits
/// layerChanged(); the table follows with tableChanged() (at once on small volumes, from a job on
/// the JobRunner's Data lane on large ones, during which further corrections are refused). Lives beside the
/// Session; cleared when the dataset changes.
/// GUI thread only.

#include "core/analysis/Analysis.h"
#include "core/analysis/ParticleCorrections.h"
#include "core/volume/Volume.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace ui {

class JobRunner;

class ParticleLayer : public QObject {
  Q_OBJECT
public:
  explicit ParticleLayer(QObject* parent = nullptr);
  ~ParticleLayer() override;

  /// Re-measures volumes of at least \p asyncVoxels voxels on \p jobs (not owned) after a
  /// correction, when it is idle; smaller volumes (or a busy runner) on the GUI thread.
  void setJobRunner(JobRunner* jobs, std::int64_t asyncVoxels = 16'000'000);
  /// True while a re-measurement runs on the worker (corrections, undo and redo are refused).
  bool isMeasuring() const { return m_measuring; }

  bool isEmpty() const { return m_labels.empty(); }
  /// Particle ids (uint32, 0 = none), the image's size; empty when there is no analysis.
  const core::volume::Volume& labels() const { return m_labels; }
  /// One row per particle present (ParticleStatistics.h columns), increasing id.
  const core::analysis::Table& table() const { return m_table; }
  const core::analysis::Table& depthProfile() const { return m_profile; }
  /// Phase flags (uint8 PhaseBits) of the labels' voxels; empty when there is no analysis.
  const core::volume::Volume& phases() const { return m_phases; }
  const core::analysis::AnalysisOptions& options() const { return m_options; }
  const core::analysis::AnalysisProvenance& provenance() const { return m_provenance; }
  const core::analysis::SegmentationStats& segmentationStats() const { return m_stats; }
  /// Increases with every change of the labels (views compare it to know when to resample).
  std::uint64_t generation() const { return m_generation; }
  /// Wall time of the last re-measurement after a correction, undo or redo (seconds).
  double lastMeasureSeconds() const { return m_measureSeconds; }

  /// Takes an analysis result of \p image (not owned: the session's image, which must outlive the
  /// layer's content; clear() when the dataset changes). Clears the undo stack and the selection.
  void setResult(core::analysis::AnalysisResult&& result, const core::analysis::AnalysisOptions& options,
                 const core::analysis::AnalysisProvenance& provenance, const core::volume::Volume* image);
  void clear();

  /// Table row of particle \p id, or -1.
  std::int64_t rowOf(std::uint32_t id) const;
  /// Voxel nearest the centroid of particle \p id (from the table); false when unknown.
  bool centroidVoxel(std::uint32_t id, core::volume::Index3& voxel) const;
  /// Voxel box holding particle \p id (empty when absent).
  core::volume::Region boundingBox(std::uint32_t id) const;

  std::uint32_t selected() const { return m_selected; }
  /// Selects particle \p id (0: none). Emits selectionChanged when it changed.
  void setSelected(std::uint32_t id);

  /// Corrections; each is one undo step and re-measures. They return false (and change nothing)
  /// on unknown ids. mergeParticles relabels \p absorbed as \p kept.
  bool mergeParticles(std::uint32_t kept, std::uint32_t absorbed);
  bool deleteParticle(std::uint32_t id);
  /// Cuts particle \p id in two by the plane through its centroid normal to its longest principal
  /// axis; the far half gets a new id (returned; 0 when nothing was split).
  std::uint32_t splitParticle(std::uint32_t id);

  bool canUndo() const { return m_corrections.canUndo() && !m_measuring; }
  bool canRedo() const { return m_corrections.canRedo() && !m_measuring; }
  QString undoText() const;
  QString redoText() const;
  void undo();
  void redo();

  /// Writes the particle labels (NRRD, or by the file's extension). Throws std::runtime_error
  /// naming the file on failure.
  void saveLabels(const QString& path) const;
  /// Writes the particle CSV to \p path and the depth profile next to it (<stem>_depth.csv),
  /// with provenance comments. Throws std::runtime_error naming the file on failure.
  void exportCsv(const QString& path) const;
  /// The depth-profile file exportCsv writes for \p path.
  static QString depthProfilePath(const QString& path);

Q_SIGNALS:
  /// Labels and table changed inside \p region (the whole volume for a new result or clear()).
  void layerChanged(const core::volume::Region& region);
  void selectionChanged(std::uint32_t id);
  void undoStateChanged();
  /// The table and depth profile were replaced (a new result, a re-measurement, clear()).
  void tableChanged();

private:
  /// After a correction, undo or redo changed \p region: re-measure and tell the views (false
  /// when the region is empty: nothing changed). Undo and redo drop a selection that is gone.
  bool changed(const core::volume::Region& region, bool dropGoneSelection);
  void remeasure();

  core::volume::Volume m_labels, m_phases;
  const core::volume::Volume* m_image = nullptr;
  core::analysis::Table m_table, m_profile;
  core::analysis::AnalysisOptions m_options;
  core::analysis::AnalysisProvenance m_provenance;
  core::analysis::SegmentationStats m_stats;
  core::analysis::ParticleCorrections m_corrections;
  std::uint32_t m_selected = 0;
  std::uint64_t m_generation = 0;
  double m_measureSeconds = 0;
  QPointer<JobRunner> m_jobs;
  std::int64_t m_asyncVoxels = 16'000'000;
  bool m_measuring = false;
  struct Measured;
};

} // namespace ui
