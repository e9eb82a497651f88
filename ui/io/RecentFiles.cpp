#include "ui/io/RecentFiles.h"

#include <QFileInfo>
#include <QSettings>

namespace ui {

namespace {
constexpr int kMax = 10;
const char* kKey = "recentFiles";
} // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

QStringList RecentFiles::paths() const { return QSettings().value(QLatin1String(kKey)).toStringList(); }

void RecentFiles::store(const QStringList& list) {
  QSettings().setValue(QLatin1String(kKey), list);
  Q_EMIT changed();
}

void RecentFiles::add(const QString& path) {
  const QString p = QFileInfo(path).absoluteFilePath();
  QStringList list = paths();
  list.removeAll(p);
  list.prepend(p);
  while (list.size() > kMax) list.removeLast();
  store(list);
}

void RecentFiles::remove(const QString& path) {
  QStringList list = paths();
  list.removeAll(path);
  store(list);
}

void RecentFiles::clear() { store({}); }

} // namespace ui
