#pragma once
/// \file RecentFiles.h
/// The list of recently opened paths, kept in QSettings ("recentFiles"), newest first, at most
/// ten. GUI thread only.

#include <QObject>
#include <QStringList>

namespace ui {

class RecentFiles : public QObject {
  Q_OBJECT
public:
  explicit RecentFiles(QObject* parent = nullptr);
  QStringList paths() const;
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

Q_SIGNALS:
  void changed();

private:
  void store(const QStringList& list);
};

} // namespace ui
