#include "ui/io/AtomicSave.h"

#include "core/files/AtomicFile.h"

#include <QBuffer>
#include <QPixmap>

#include <exception>

namespace ui {

bool writeBytesAtomically(const QByteArray& bytes, const QString& path, QString* error) {
  try {
    core::files::writeFileAtomically(path.toStdString(), bytes.constData(), std::size_t(bytes.size()));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool savePixmapAtomically(const QPixmap& pixmap, const QString& path, QString* error) {
  QByteArray png;
  QBuffer buffer(&png);
  if (pixmap.isNull() || !buffer.open(QIODevice::WriteOnly) || !pixmap.save(&buffer, "PNG")) {
    if (error) *error = QStringLiteral("cannot encode the image of '%1' as PNG").arg(path);
    return false;
  }
  return writeBytesAtomically(png, path, error);
}

} // namespace ui
