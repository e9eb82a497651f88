#include "ui/io/OpenFlow.h"

#include "ui/io/LoadController.h"
#include "ui/io/OpenVolumeDialog.h"
#include "ui/io/PyramidOffer.h"
#include "ui/io/RawParamsDialog.h"

#include <QFileInfo>
#include <QSettings>
#include <QWidget>

namespace ui {

namespace vol = core::volume;

OpenFlow::OpenFlow(LoadController& loader, QWidget* dialogParent)
    : QObject(dialogParent), m_loader(loader), m_parent(dialogParent) {
  connect(&m_loader, &LoadController::probed, this, &OpenFlow::onProbed);
  connect(&m_loader, &LoadController::failed, this, [this] { m_waitingForProbe = false; });
  connect(&m_loader, &LoadController::cancelled, this, [this] { m_waitingForProbe = false; });
}

bool OpenFlow::open(const QString& path, Ask ask) {
  if (m_loader.isLoading()) return false;
  m_ask = ask;
  vol::OpenOptions options;
  if (ask != Ask::Never && needsRawParams(path)) {
    // Remember the last raw parameters: series of raw files usually share them.
    QSettings s;
    vol::RawParams initial;
    initial.size = {s.value("raw/x", 512).toLongLong(), s.value("raw/y", 512).toLongLong(), s.value("raw/z", 512).toLongLong()};
    initial.type = vol::VoxelType(s.value("raw/type", int(vol::VoxelType::UInt16)).toInt());
    initial.bigEndian = s.value("raw/bigEndian", false).toBool();
    initial.headerOffset = s.value("raw/offset", 0).toULongLong();
    initial.spacing.x = s.value("raw/spacing", 1.0).toDouble();
    RawParamsDialog dialog(path, initial, m_parent);
    if (dialog.exec() != QDialog::Accepted) return false;
    const vol::RawParams p = dialog.params();
    s.setValue("raw/x", qint64(p.size.x));
    s.setValue("raw/y", qint64(p.size.y));
    s.setValue("raw/z", qint64(p.size.z));
    s.setValue("raw/type", int(p.type));
    s.setValue("raw/bigEndian", p.bigEndian);
    s.setValue("raw/offset", qulonglong(p.headerOffset));
    s.setValue("raw/spacing", p.spacing.x);
    options.format = QFileInfo(path).suffix().toLower() == QLatin1String("vol") ? "vol" : "raw";
    options.raw = p;
  }
  if (ask == Ask::Never) {
    LoadRequest r = LoadRequest::file(path);
    r.open = options;
    return m_loader.load(r);
  }
  m_waitingForProbe = m_loader.probe(path, options);
  return m_waitingForProbe;
}

void OpenFlow::onProbed(const QString& path, const vol::OpenOptions& options, const vol::VolumeInfo& info,
                        const QString& format) {
  if (!m_waitingForProbe) return;
  m_waitingForProbe = false;
  if (m_ask == Ask::IfNeeded && m_pyramids && m_pyramids->handle(path, options, info, format)) return;
  LoadRequest r = LoadRequest::file(path);
  r.open = options;
  std::uint64_t need = 0;
  try {
    need = info.bytes() + std::uint64_t(info.size.count());
  } catch (const std::exception&) {
    need = ~std::uint64_t(0);
  }
  const bool fits = double(need) <= 0.8 * double(vol::availableMemory());
  if (m_ask == Ask::Always || !fits) {
    OpenVolumeDialog dialog(path, format, info, m_parent);
    if (dialog.exec() != QDialog::Accepted) return;
    r.read = dialog.readOptions();
  }
  m_loader.load(r);
}

} // namespace ui
