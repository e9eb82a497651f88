#pragma once
/// \file LazyBrowser.h
/// Shows a volume in the slice views without loading it (issue 16, "views read what they show"):
/// opens it as a core::volume::LazyVolume on the Studio's ChunkCache, gives each slice view a
/// LazySliceSource, sets the cursor's bounds and a window from the coarsest level, and reports how
/// many blocks are still loading. Opening a dataset into the Session, or close(), gives the views
/// back to the Session. Labels go to a SparseLabelLayer saved as "<image>.labels.zarr" next to
/// the image (labels()); the window hands the volume to the 3D view (VolumeView3D::showLazy) on
/// openChanged(); prediction stays with the Session.
/// GUI thread only.

#include "core/volume/lazy/LazyVolume.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace ui {

class CursorModel;
class DisplaySettings;
class LazyOverlay;
class LazySliceSource;
class Session;
class SliceView;
class SparseLabelLayer;

class LazyBrowser : public QObject {
  Q_OBJECT
public:
  LazyBrowser(std::vector<SliceView*> views, Session& session, CursorModel& cursor, DisplaySettings& display,
              std::shared_ptr<core::volume::ChunkCache> cache, QObject* parent = nullptr);
  ~LazyBrowser() override;

  /// Opens \p path (every resolution level, headers only) and shows it. Throws
  /// std::runtime_error naming the file when it cannot be opened; the views are unchanged then.
  void open(const std::string& path);
  /// The views show the Session again; the volume's blocks leave the cache.
  void close();
  bool isOpen() const { return bool(m_volume); }
  const core::volume::LazyVolume* volume() const { return m_volume.get(); }
  /// The open volume, for work that reads it on other threads (keeps it alive while it does).
  std::shared_ptr<core::volume::LazyVolume> sharedVolume() const { return m_volume; }
  /// The cache the volume's blocks (and its overlay's) live in.
  const std::shared_ptr<core::volume::ChunkCache>& cache() const { return m_cache; }
  /// The crack overlay drawn over the open volume in every view (null while none is open).
  const std::shared_ptr<LazyOverlay>& overlay() const { return m_overlay; }
  /// The views' sources (one per view, in the views' order; empty while none is open).
  const std::vector<std::unique_ptr<LazySliceSource>>& sources() const { return m_sources; }
  /// Blocks still loading for all views together.
  std::size_t pendingBlocks() const;
  /// The last block of this volume that could not be read (naming the file and the problem);
  /// empty when none failed since it was opened.
  QString failure() const { return m_failure; }
  /// The labels of the open volume (closed while none is open).
  SparseLabelLayer& labels() const { return *m_labels; }

Q_SIGNALS:
  /// The number of blocks still loading changed (0: every view is drawn in full).
  void loadingChanged(qulonglong pendingBlocks);
  /// A volume was opened (true) or closed (false).
  void openChanged(bool open);
  /// A block could not be read (a damaged chunk); the views show it hatched.
  void blockFailed(const QString& message);

private:
  void onViewLoading();

  std::vector<QPointer<SliceView>> m_views; ///< the window may destroy them before this
  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  std::shared_ptr<core::volume::ChunkCache> m_cache;
  std::shared_ptr<core::volume::LazyVolume> m_volume;
  std::vector<std::unique_ptr<LazySliceSource>> m_sources;
  SparseLabelLayer* m_labels;
  std::shared_ptr<LazyOverlay> m_overlay;
  std::size_t m_pending = 0;
  QString m_failure;
};

} // namespace ui
