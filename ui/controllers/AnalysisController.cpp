#include "ui/controllers/AnalysisController.h"

#include "ui/jobs/JobRunner.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/Session.h"

#include <algorithm>
#include <exception>
#include <stdexcept>

namespace ui {

namespace ca = core::analysis;

struct AnalysisController::Pending {
  ca::AnalysisOptions options;
  ca::AnalysisProvenance provenance;
  core::volume::Volume mask;
  ca::AnalysisResult result;
};

AnalysisController::AnalysisController(Session& session, JobRunner& jobs, ParticleLayer& layer, DisplaySettings& display,
                                       QObject* parent)
    : QObject(parent), m_session(session), m_jobs(jobs), m_layer(layer), m_display(display) {
  connect(&m_session, &Session::datasetChanged, &m_layer, &ParticleLayer::clear);
}

bool AnalysisController::run(const ca::AnalysisOptions& options, CrackSource source) {
  if (!m_session.hasImage()) {
    Q_EMIT failed(tr("Open a volume first."));
    return false;
  }
  if (m_jobs.isBusy()) {
    Q_EMIT failed(tr("Cannot start the analysis now: %1 is still running.").arg(m_jobs.title()));
    return false;
  }
  auto pending = std::make_shared<Pending>();
  pending->options = options;
  pending->provenance.source = m_session.name().toStdString();
  if (source == CrackSource::Prediction && !m_session.prediction()) {
    Q_EMIT failed(tr("There is no prediction layer: run a prediction or choose the labels as the crack source."));
    return false;
  }
  try {
    pending->mask = crackMask(m_session, m_display, source, pending->provenance.crackSource);
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot make the crack mask: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  const core::volume::Volume* image = &m_session.image();
  const bool ok = m_jobs.lane(Lane::Data).start(
      tr("Particle analysis"),
      [pending, image](core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        pending->result = ca::analyzeVolume(*image, pending->mask, pending->options, progress, cancel);
      },
      [this](JobState state, const QString& error) { onFinished(int(state), error); }, this);
  if (!ok) {
    Q_EMIT failed(tr("Cannot start the analysis now: another job is running."));
    return false;
  }
  m_pending = std::move(pending);
  m_running = true;
  Q_EMIT started();
  return true;
}

core::volume::Volume AnalysisController::crackMask(const Session& session, const DisplaySettings& display, CrackSource source,
                                                  std::string& description) {
  if (source == CrackSource::Prediction) {
    if (!session.prediction()) throw std::invalid_argument("there is no prediction layer");
    const int t = std::max(1, display.predictionThreshold());
    ca::CrackMask cm = ca::makeCrackMask(*session.prediction(), double(t));
    description = "prediction layer, probability >= " + std::to_string(double(t) / 255.0).substr(0, 5);
    return std::move(cm.mask);
  }
  if (source == CrackSource::Labels) {
    ca::CrackMask cm = ca::crackMaskFromLabels(session.labels());
    description = cm.description;
    return std::move(cm.mask);
  }
  description = "none";
  return {};
}

void AnalysisController::cancel() {
  if (m_running && m_jobs.lane(Lane::Data).runsFor(this)) m_jobs.cancel();
}

void AnalysisController::onFinished(int state, const QString& error) {
  m_running = false;
  auto pending = std::move(m_pending);
  switch (JobState(state)) {
  case JobState::Completed: {
    const int n = int(pending->result.particles.rowCount());
    m_layer.setResult(std::move(pending->result), pending->options, pending->provenance, &m_session.image());
    Q_EMIT completed(n);
    break;
  }
  case JobState::Cancelled:
    Q_EMIT cancelled();
    break;
  default:
    Q_EMIT failed(tr("The analysis failed: %1").arg(error));
    break;
  }
}

} // namespace ui
