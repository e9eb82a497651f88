#pragma once
/// \file EvolutionController.h
/// A second time point of the open dataset (issue 19): scan B, opened from a file in any format
/// the studio reads, registered onto the session's image A (rigid and optionally affine), its
/// particles segmented on its own grid with A's particles as markers, resampled onto A's grid and
/// matched with A's particles: core::analysis::evolveSeeded, the sequence `cdnet evolve` runs. A's particles are the ParticleLayer's when it holds an analysis,
/// else segmented in the same job (and put into the layer, so the table, overlay and 3D surfaces
/// show the ids the evolution table uses). Runs on the JobRunner's Data lane (progress, Cancel);
/// A's crack mask and labels are copied on the GUI thread first. Keeps the result (table,
/// registration, B's image on A's grid) until the dataset changes, writes the evolution CSV with
/// the CLI's comments, and holds the shown time point (A or B) that the slice views follow.
/// GUI thread only.

#include "core/analysis/Analysis.h"
#include "core/analysis/Evolution.h"
#include "ui/controllers/AnalysisController.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace ui {

class DisplaySettings;
class JobRunner;
class ParticleLayer;
class Session;

/// What one comparison needs besides the session.
struct EvolutionRequest {
  QString pathB;                 ///< image of scan B
  QString cracksB;               ///< crack volume of B (mask, labels or probability); empty: none
  bool affine = false;           ///< always the affine transform (else TransformMode::Auto)
  CrackSource crackSourceA = CrackSource::None;        ///< where A's cracks come from
  core::analysis::AnalysisOptions analysis;            ///< segmentation of A (when needed) and B
  core::analysis::RegistrationOptions registration;    ///< transform is taken from \c affine
};

class EvolutionController : public QObject {
  Q_OBJECT
public:
  /// \p analysis: its completed() is emitted when A was segmented here (the panel shows it as a run).
  EvolutionController(Session& session, JobRunner& jobs, ParticleLayer& layer, DisplaySettings& display,
                      AnalysisController& analysis, QObject* parent = nullptr);
  ~EvolutionController() override;

  /// Starts the comparison. Returns false (and emits failed()) when there is no image, B's path is
  /// empty, a crack volume is missing for one time point, or the Data lane is busy.
  bool run(const EvolutionRequest& request);
  /// The session (scan A) and display settings the comparison and its views use.
  Session& session() const { return m_session; }
  DisplaySettings& display() const { return m_display; }
  void cancel();
  bool isRunning() const { return m_running; }

  bool hasResult() const { return m_result != nullptr; }
  /// The last result (hasResult() first).
  const core::analysis::EvolutionRun& result() const;
  /// B's image on A's grid (empty without a result).
  const core::volume::Volume& imageB() const;
  const QString& pathB() const { return m_pathB; }
  /// The last request started (its B, cracks and affine choice).
  const EvolutionRequest& request() const { return m_request; }
  /// The request whose result is shown (hasResult() first).
  const EvolutionRequest& resultRequest() const;
  /// Where A's voxel \p p lies in B's own grid (continuous voxel index), through the registration
  /// (hasResult() first): the side-by-side view names it under the cursor.
  core::volume::Vec3 pointInB(const core::volume::Index3& p) const;
  /// crack_fraction_growth per particle id of A (matched particles only).
  const std::unordered_map<std::uint32_t, double>& growthById() const { return m_growth; }
  /// Rows of the table whose particle of A was matched in B.
  std::int64_t matchedCount() const;
  /// Particles segmented in B (with A's particles as markers); 0 without a result.
  std::int64_t particlesB() const;

  /// Shows time point B (true) or A in the slice views. Ignored without a result.
  void showTimePoint(bool b);
  bool showsB() const { return m_showB; }

  /// Writes the evolution CSV (the CLI's writer and comments). Throws std::runtime_error naming
  /// the file on failure or without a result.
  void exportCsv(const QString& path) const;
  /// Forgets the result (and shows A).
  void clear();

Q_SIGNALS:
  void started();
  void completed();
  void cancelled();
  void failed(const QString& message);
  /// The result appeared or was cleared.
  void resultChanged();
  void timePointChanged(bool showsB);

private:
  struct Pending;
  void onFinished(int state, const QString& error);

  Session& m_session;
  JobRunner& m_jobs;
  ParticleLayer& m_layer;
  DisplaySettings& m_display;
  AnalysisController& m_analysis;
  bool m_running = false, m_showB = false;
  std::shared_ptr<Pending> m_pending;
  std::shared_ptr<Pending> m_result; ///< the finished job's data
  QString m_pathB;
  EvolutionRequest m_request;
  std::unordered_map<std::uint32_t, double> m_growth;
};

} // namespace ui
