#include "ui/io/LoadController.h"

#include "ui/model/Session.h"

namespace ui {

LoadController::LoadController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), m_session(session), m_runner(runner) {
  connect(&m_runner, &JobRunner::finished, this, &LoadController::onFinished);
}

bool LoadController::load(LoadRequest request) {
  if (m_runner.isBusy()) return false;
  request.previewMaxDim = m_previewMaxDim;
  m_name = request.displayName();
  m_pending = request;
  m_result = std::make_shared<Dataset>();
  auto result = m_result;
  m_probing = false;
  m_active = m_runner.start(tr("Opening %1").arg(m_name), [request, result](auto& progress, auto& cancel) {
    *result = loadDataset(request, progress, cancel);
  });
  return m_active;
}

bool LoadController::probe(const QString& path, const core::volume::OpenOptions& options) {
  if (m_runner.isBusy()) return false;
  m_name = path;
  m_probeOptions = options;
  m_probeResult = std::make_shared<std::pair<core::volume::VolumeInfo, std::string>>();
  auto result = m_probeResult;
  const std::string p = path.toStdString();
  m_probing = true;
  m_active = m_runner.start(tr("Reading the header of %1").arg(path), [p, options, result](auto&, auto&) {
    auto reader = core::volume::openVolume(p, options);
    *result = {reader->info(), reader->formatName()};
  });
  return m_active;
}

void LoadController::onFinished(JobState state, const QString& error) {
  if (!m_active) return; // another controller's job
  m_active = false;
  const QString name = m_name;
  if (state == JobState::Cancelled) {
    m_result.reset();
    Q_EMIT cancelled(name);
    return;
  }
  if (state == JobState::Failed) {
    m_result.reset();
    Q_EMIT failed(name, error);
    return;
  }
  if (m_probing) {
    Q_EMIT probed(name, m_probeOptions, m_probeResult->first, QString::fromStdString(m_probeResult->second));
    return;
  }
  try {
    m_current = m_pending;
    m_session.setDataset(std::move(*m_result));
  } catch (const std::exception& e) {
    m_result.reset();
    Q_EMIT failed(name, QString::fromStdString(e.what()));
    return;
  }
  m_result.reset();
  Q_EMIT loaded(name);
}

} // namespace ui
