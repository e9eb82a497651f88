#pragma once
/// \file AtomicSave.h
/// Saving what the window makes (screenshots, plots) like every other file of the project: to a
/// temporary sibling, every write checked, then renamed (core/files/AtomicFile.h), so a full disk
/// or a crash never leaves half an image in place of a good one. GUI thread or any thread.

#include <QByteArray>
#include <QString>

class QPixmap;

namespace ui {

/// Writes \p bytes to \p path atomically. False, with the reason in \p error, on failure.
bool writeBytesAtomically(const QByteArray& bytes, const QString& path, QString* error = nullptr);
/// Encodes \p pixmap as PNG and writes it atomically. False when it is null or cannot be written.
bool savePixmapAtomically(const QPixmap& pixmap, const QString& path, QString* error = nullptr);

} // namespace ui
