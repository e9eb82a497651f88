#include "ui/io/PyramidOffer.h"

#include "ui/io/LoadRequest.h"
#include "ui/jobs/JobRunner.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <filesystem>

namespace ui {

namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

/// What identifies the source as it is now: bytes, latest modification (ms) and file count (a
/// folder of slices: its files, not recursive).
QJsonObject stampOf(const QString& path) {
  const QFileInfo fi(path);
  qint64 bytes = 0, modified = 0, files = 0;
  if (fi.isDir()) {
    for (const QFileInfo& f : QDir(path).entryInfoList(QDir::Files)) {
      bytes += f.size();
      modified = std::max(modified, f.lastModified().toMSecsSinceEpoch());
      ++files;
    }
  } else {
    bytes = fi.size();
    modified = fi.lastModified().toMSecsSinceEpoch();
    files = 1;
  }
  return {{"source", fi.absoluteFilePath()}, {"bytes", bytes}, {"modified", modified}, {"files", files}};
}

QString recordPath(const QString& pyramid) { return QDir(pyramid).filePath(PyramidOffer::kRecordName); }

QJsonObject readRecord(const QString& pyramid) {
  QFile f(recordPath(pyramid));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

/// Removes the pyramid \p out (ours: built by build()).
void removePyramid(const QString& out) {
  std::error_code ec;
  fs::remove_all(out.toStdString(), ec);
}

} // namespace

PyramidOffer::PyramidOffer(JobRunner& jobs, QWidget* dialogParent)
    : QObject(dialogParent), m_jobs(jobs), m_parent(dialogParent) {}

std::uint64_t PyramidOffer::threshold() {
  const std::uint64_t set = QSettings().value(kThresholdKey, 0).toULongLong();
  return set > 0 ? set : vol::availableMemory() / 2;
}

QString PyramidOffer::pyramidPathFor(const QString& path, bool besideWritable) {
  const QFileInfo fi(path);
  const QString name = fi.fileName().isEmpty() ? QFileInfo(fi.absolutePath()).fileName() : fi.fileName();
  if (besideWritable) return QDir(fi.absolutePath()).filePath(name + QStringLiteral(".pyramid.zarr"));
  const QString hash = QString::fromLatin1(
      QCryptographicHash::hash(fi.absoluteFilePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
  const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
  return QDir(cache).filePath(QStringLiteral("pyramids/%1-%2.zarr").arg(hash, name));
}

QString PyramidOffer::pyramidPathFor(const QString& path) {
  const QFileInfo fi(path);
  return pyramidPathFor(path, QFileInfo(fi.absolutePath()).isWritable());
}

QString PyramidOffer::existingPyramid(const QString& path) {
  const QJsonObject now = stampOf(path);
  for (const QString& p : {pyramidPathFor(path, true), pyramidPathFor(path, false)}) {
    const QJsonObject rec = readRecord(p);
    if (!rec.isEmpty() && rec == now && QFileInfo::exists(QDir(p).filePath(QStringLiteral(".zattrs")))) return p;
  }
  return {};
}

bool PyramidOffer::handle(const QString& path, const vol::OpenOptions& options, const vol::VolumeInfo& info,
                          const QString& format) {
  if (format == QLatin1String("ome-zarr") || format == QLatin1String("hdf5")) return false; // chunked already
  std::uint64_t bytes = 0;
  try {
    bytes = info.bytes();
  } catch (const std::exception&) {
    bytes = ~std::uint64_t(0);
  }
  if (bytes <= threshold()) return false;
  const QString existing = existingPyramid(path);
  if (!existing.isEmpty()) {
    Q_EMIT pyramidReady(existing, path);
    return true;
  }
  const QString out = pyramidPathFor(path);
  QMessageBox box(QMessageBox::Question, tr("Large volume"),
                  tr("%1 is %2 (%3 GiB), more than the studio should hold in memory.\n\nBuild a multiscale "
                     "pyramid (OME-Zarr) of it once? It is written to\n%4\nin the background, then the views "
                     "read only what they show. Next time it opens at once.")
                      .arg(QFileInfo(path).fileName(), describeVolume(info))
                      .arg(double(bytes) / double(1ull << 30), 0, 'f', 1)
                      .arg(out),
                  QMessageBox::NoButton, m_parent);
  box.setObjectName(QStringLiteral("pyramidOffer"));
  QPushButton* build = box.addButton(tr("Build pyramid"), QMessageBox::AcceptRole);
  build->setObjectName(QStringLiteral("buildPyramid"));
  QPushButton* memory = box.addButton(tr("Open in memory"), QMessageBox::NoRole);
  memory->setObjectName(QStringLiteral("openInMemory"));
  box.addButton(QMessageBox::Cancel)->setObjectName(QStringLiteral("cancelOpen"));
  box.setDefaultButton(build);
  box.exec();
  if (box.clickedButton() == memory) return false;
  if (box.clickedButton() == build) this->build(path, options, out);
  return true;
}

bool PyramidOffer::build(const QString& path, const vol::OpenOptions& options, const QString& out) {
  // A pyramid of ours that no longer matches its source (the record says so) is built anew;
  // anything else at that path is left alone (the writer refuses a non-empty folder).
  if (m_jobs.isBusy()) return false;
  const bool stale = !readRecord(out).isEmpty();
  const std::string src = path.toStdString(), dst = out.toStdString();
  const QJsonObject stamp = stampOf(path);
  const std::function<void()> afterSlab = m_afterSlab;
  auto work = [src, dst, options, afterSlab, stale, out](core::jobs::ProgressSink& progress,
                                                         core::jobs::CancelToken& cancel) {
    if (stale) removePyramid(out); // on the worker: a large pyramid takes a while to delete
    fs::create_directories(fs::path(dst).parent_path());
    auto reader = vol::openVolume(src, options);
    const vol::VolumeInfo in = reader->outputInfo({});
    vol::WriteOptions wo;
    wo.zarrCompressor = "blosc";
    const std::int64_t depth = std::clamp<std::int64_t>(wo.hdf5Chunk.z, 1, in.size.z);
    // The writer works under a temporary name and renames only when complete: a cancelled or
    // failed build leaves nothing behind (its destructor removes the temporary).
    auto writer = vol::createWriter(dst, in, wo);
    vol::forEachSlab(
        *reader, {}, std::uint64_t(depth) * in.sliceBytes(),
        [&](vol::Volume& slab, std::int64_t z0) {
          writer->writeSlab(slab, z0);
          if (afterSlab) afterSlab();
        },
        progress, cancel, depth);
    cancel.throwIfCancelled();
    writer->finish();
  };
  auto finish = [this, path, out, stamp](JobState state, const QString& error) {
    if (state == JobState::Completed) {
      QSaveFile f(recordPath(out));
      if (f.open(QIODevice::WriteOnly) && f.write(QJsonDocument(stamp).toJson()) > 0 && f.commit()) {
        Q_EMIT pyramidReady(out, path);
        return;
      }
      removePyramid(out);
      Q_EMIT pyramidFailed(tr("Cannot build the pyramid of %1: cannot write %2. The partial pyramid was removed.")
                               .arg(path, recordPath(out)));
      return;
    }
    // The writer removed its temporary: nothing partial remains at or beside \p out.
    if (state == JobState::Cancelled)
      Q_EMIT pyramidFailed(tr("Building the pyramid of %1 was cancelled; the partial pyramid was removed.").arg(path));
    else
      Q_EMIT pyramidFailed(tr("Cannot build the pyramid of %1: %2\nThe partial pyramid was removed.").arg(path, error));
  };
  return m_jobs.lane(Lane::Data).start(tr("Building a pyramid of %1").arg(QFileInfo(path).fileName()), work, finish,
                                       this);
}

} // namespace ui
