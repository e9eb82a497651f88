#pragma once
/// \file AnalysisController.h
/// Runs the particle and crack analysis (core::analysis::analyzeVolume) of the session's image on
/// the JobRunner's worker thread, with progress and Cancel, and hands the result to the
/// ParticleLayer. The crack mask is made on the GUI thread before the job starts (a copy), so
/// label edits or a new prediction during the job never race with it; the image does not change
/// while a job runs (opening waits for the runner). GUI thread only.

#include "core/analysis/Analysis.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ui {

class DisplaySettings;
class JobRunner;
class ParticleLayer;
class Session;

/// Where the cracks come from.
enum class CrackSource {
  Prediction, ///< the prediction layer at the display threshold
  Labels,     ///< the label volume's crack class (value 2)
  None,       ///< no cracks: particles from the solid phase alone
};

class AnalysisController : public QObject {
  Q_OBJECT
public:
  AnalysisController(Session& session, JobRunner& jobs, ParticleLayer& layer, DisplaySettings& display,
                     QObject* parent = nullptr);

  /// Starts the analysis. Returns false (and emits failed() with the reason) when there is no
  /// image, the crack source is missing, or another job runs.
  bool run(const core::analysis::AnalysisOptions& options, CrackSource source);
  /// The crack mask of \p session from \p source (GUI thread; a copy): the prediction at \p display's
  /// threshold, the labels' crack class, or an empty volume (None). \p description receives its
  /// provenance line. Throws std::invalid_argument when the prediction is asked for but missing.
  static core::volume::Volume crackMask(const Session& session, const DisplaySettings& display, CrackSource source,
                                        std::string& description);
  /// Asks the running analysis to stop.
  void cancel();
  bool isRunning() const { return m_running; }

Q_SIGNALS:
  void started();
  void completed(int particles);
  void cancelled();
  void failed(const QString& message);

private:
  struct Pending;
  void onFinished(int state, const QString& error);

  Session& m_session;
  JobRunner& m_jobs;
  ParticleLayer& m_layer;
  DisplaySettings& m_display;
  bool m_running = false;
  std::shared_ptr<Pending> m_pending;
};

} // namespace ui
