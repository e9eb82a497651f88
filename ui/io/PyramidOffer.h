#pragma once
/// \file PyramidOffer.h
/// Issue 16: opening a large unchunked volume (a TIFF folder, raw, NRRD, any format but OME-Zarr
/// and HDF5) offers to build an OME-Zarr pyramid of it once, so that it can be browsed lazily:
/// - "large": more bytes than the setting kThresholdKey, or when that is unset or 0, more than
///   half the available memory;
/// - where: "<file name>.pyramid.zarr" next to the file when its folder is writable, else
///   "pyramids/<hash>-<file name>.zarr" in the user's cache folder. A record of the source's size,
///   modification time and file count (kRecordName, inside the pyramid) tells whether a pyramid
///   built earlier still belongs to the file: then it is opened at once, without asking;
/// - the build runs on the JobRunner's Data lane (progress and Cancel in the status bar), slab
///   by slab in bounded memory; Cancel or an error (a full disk) leaves no partial pyramid and
///   says so (pyramidFailed()); success emits pyramidReady() for the window to open it lazily.
/// GUI thread only.

#include "core/volume/io/VolumeIO.h"

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace ui {

class JobRunner;

class PyramidOffer : public QObject {
  Q_OBJECT
public:
  /// QSettings key: offer a pyramid for volumes of more bytes than this (0 or unset: half the
  /// available memory).
  static constexpr const char* kThresholdKey = "pyramid/offerAboveBytes";
  /// The file inside a pyramid that records its source.
  static constexpr const char* kRecordName = "cdnet-source.json";

  PyramidOffer(JobRunner& jobs, QWidget* dialogParent);

  /// Volumes larger than this many bytes are offered a pyramid.
  static std::uint64_t threshold();
  /// Where the pyramid of \p path goes (see the file comment).
  static QString pyramidPathFor(const QString& path, bool besideWritable);
  static QString pyramidPathFor(const QString& path);
  /// A pyramid built earlier for \p path whose record matches the file as it is now; else empty.
  static QString existingPyramid(const QString& path);

  /// Called with a probed header before the volume is loaded into memory. Returns true when this
  /// took over: a pyramid built earlier is being opened (pyramidReady()), one is being built, or
  /// the user cancelled; false when the volume is to be loaded as usual (small, chunked, or the
  /// user chose to open it in memory).
  bool handle(const QString& path, const core::volume::OpenOptions& options, const core::volume::VolumeInfo& info,
              const QString& format);
  /// Starts building the pyramid of \p path at \p out. False when the Data lane is busy.
  bool build(const QString& path, const core::volume::OpenOptions& options, const QString& out);
  /// Tests: called on the worker after each slab is written (to cancel at a known point).
  void setAfterSlabForTests(std::function<void()> hook) { m_afterSlab = std::move(hook); }

Q_SIGNALS:
  /// The pyramid \p pyramid of \p source is complete (built now or earlier): open it lazily.
  void pyramidReady(const QString& pyramid, const QString& source);
  /// Building was cancelled or failed; \p message says why and that nothing partial remains.
  void pyramidFailed(const QString& message);

private:
  JobRunner& m_jobs;
  QWidget* m_parent;
  std::function<void()> m_afterSlab;
};

} // namespace ui
