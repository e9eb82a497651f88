#pragma once
/// \file LoadController.h
/// Opens datasets without freezing the window: runs loadDataset() on the job runner, then moves
/// the result into the Session. Errors and cancellations are signals (the main window shows a
/// dialog; tests listen). GUI thread only.

#include "ui/io/LoadRequest.h"
#include "ui/jobs/JobRunner.h"

#include <QObject>

#include <memory>

namespace ui {

class Session;

class LoadController : public QObject {
  Q_OBJECT
public:
  LoadController(Session& session, JobRunner& runner, QObject* parent = nullptr);

  /// Starts loading. Returns false when another job runs (nothing happens then).
  bool load(LoadRequest request);
  /// Reads a file's header only (format, size, type) on the worker; answers with probed() or
  /// failed(). For the open dialog.
  bool probe(const QString& path, const core::volume::OpenOptions& options);
  /// Largest dimension of the 3D preview for the next loads.
  void setPreviewMaxDim(int maxDim) { m_previewMaxDim = maxDim; }
  bool isLoading() const { return m_active; }
  /// The request of the dataset last moved into the session (set before datasetChanged()).
  const LoadRequest& currentRequest() const { return m_current; }

Q_SIGNALS:
  void loaded(const QString& name);
  /// Loading \p name failed; \p message names the file and the problem.
  void failed(const QString& name, const QString& message);
  void cancelled(const QString& name);
  void probed(const QString& path, const core::volume::OpenOptions& options, const core::volume::VolumeInfo& info,
              const QString& format);

private:
  void onFinished(JobState state, const QString& error);

  Session& m_session;
  JobRunner& m_runner;
  int m_previewMaxDim = 256;
  bool m_active = false;
  bool m_probing = false;
  QString m_name;
  LoadRequest m_pending, m_current;
  core::volume::OpenOptions m_probeOptions;
  std::shared_ptr<Dataset> m_result;
  std::shared_ptr<std::pair<core::volume::VolumeInfo, std::string>> m_probeResult;
};

} // namespace ui
