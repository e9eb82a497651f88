#pragma once
/// \file OpenFlow.h
/// The steps from "the user wants this path" to a load job: raw parameters when the file cannot
/// tell them, a header probe on the worker, the crop/downsample dialog when asked for or when
/// the volume would not fit in memory, then the load. A large unchunked volume is first offered a
/// pyramid (PyramidOffer). GUI thread only.

#include "core/volume/io/VolumeIO.h"

#include <QObject>
#include <QString>

class QWidget;

namespace ui {

class LoadController;
class PyramidOffer;

class OpenFlow : public QObject {
  Q_OBJECT
public:
  enum class Ask {
    Never,    ///< load at once with defaults (command line, tests)
    IfNeeded, ///< dialogs only for raw files and volumes that do not fit (File > Open, drops)
    Always    ///< always show the crop/downsample dialog (File > Open with options)
  };
  /// \p dialogParent owns the dialogs.
  OpenFlow(LoadController& loader, QWidget* dialogParent);

  /// Starts opening \p path. Returns false when a job already runs or the user cancelled.
  bool open(const QString& path, Ask ask);
  /// Large unchunked volumes opened with Ask::IfNeeded are first offered to \p offer (not owned;
  /// nullptr: none).
  void setPyramidOffer(PyramidOffer* offer) { m_pyramids = offer; }

private:
  void onProbed(const QString& path, const core::volume::OpenOptions& options, const core::volume::VolumeInfo& info,
                const QString& format);

  LoadController& m_loader;
  QWidget* m_parent;
  Ask m_ask = Ask::Never;
  bool m_waitingForProbe = false;
  PyramidOffer* m_pyramids = nullptr;
};

} // namespace ui
