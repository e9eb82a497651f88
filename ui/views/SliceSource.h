#pragma once
/// \file SliceSource.h
/// Where a slice view gets what it draws (issue 16, "views read what they show"):
/// - SessionSliceSource: the Session's image, labels and prediction, whole in memory (today's path);
/// - LazySliceSource: a core::volume::LazyVolume read by blocks. For the visible part of a slice
///   it asks for the level matching the zoom, draws at once the finest level already cached (the
///   coarsest arrives first), and emits changed() as blocks arrive so the view refines.
/// A view owns nothing of the volume: the lazy source keeps only the picture it last composed.
/// GUI thread only; LazySliceSource's block callbacks run on workers and reach the GUI thread
/// through a queued call.

#include "core/volume/lazy/LazyVolume.h"
#include "ui/views/SliceTransform.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <QString>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace ui {

class LazyOverlay;
class Session;
class SparseLabelLayer;

/// What to draw for one slice: the volumes (labels and prediction optional, the image's size),
/// the index of the slice in them, and where their voxel (0, 0) corner lies on the view's plane
/// (micrometres from the full volume's corner).
struct SlicePicture {
  const core::volume::Volume* image = nullptr;
  const core::volume::Volume* labels = nullptr;
  const core::volume::Volume* prediction = nullptr;
  std::int64_t slice = 0;
  double offsetU = 0, offsetV = 0;
  int level = 0; ///< resolution level drawn (0 = full)
  /// Parts of the slice that could not be read (a damaged chunk): u0, v0, u1, v1 in micrometres
  /// on the view's plane from the full volume's corner. The view marks them (hatched).
  std::vector<std::array<double, 4>> missing;
};

class SliceSource : public QObject {
  Q_OBJECT
public:
  using QObject::QObject;
  virtual bool hasImage() const = 0;
  /// Size, type and spacing at full resolution.
  virtual core::volume::VolumeInfo imageInfo() const = 0;
  /// What to draw for slice \p slice of orientation \p o seen through \p view.
  virtual SlicePicture picture(SliceOrientation o, std::int64_t slice, const SliceTransform& view) = 0;
  /// Blocks still loading for this source's view (0 when everything shown is in memory).
  virtual std::size_t pendingBlocks() const { return 0; }
  /// Whether the last picture() was the last one its request gives: nothing of it was still
  /// loading when it was drawn (everything arrived, or failed, or could not be kept).
  virtual bool lastPictureFinal() const { return true; }
  /// Starts loading what picture() with these arguments will need, without composing it: called
  /// when the slice changes, so that reading overlaps the frame that follows. Default: nothing.
  virtual void prefetch(SliceOrientation o, std::int64_t slice, const SliceTransform& view) {
    (void)o;
    (void)slice;
    (void)view;
  }
  /// After labelsChanged(): re-reads the labels of the last picture() in \p region (full-resolution
  /// voxels) and gives that picture in \p picture, the rest of it unchanged. False: it cannot;
  /// call picture() again.
  virtual bool refreshLabels(const core::volume::Region& region, SlicePicture& picture) {
    (void)region;
    (void)picture;
    return false;
  }

Q_SIGNALS:
  /// New data arrived: draw again.
  void changed();
  /// Only the labels changed, in \p region (full-resolution voxels, inside the last picture):
  /// refreshLabels() updates just that part (a brush dab redraws a few pixels, not the slice).
  void labelsChanged(const core::volume::Region& region);
  /// A part of what is shown could not be read; \p message names the file and the problem.
  void loadFailed(const QString& message);
};

/// The Session's in-memory dataset (its signals reach the view directly, not through changed()).
class SessionSliceSource final : public SliceSource {
  Q_OBJECT
public:
  explicit SessionSliceSource(const Session& session, QObject* parent = nullptr);
  bool hasImage() const override;
  core::volume::VolumeInfo imageInfo() const override;
  SlicePicture picture(SliceOrientation o, std::int64_t slice, const SliceTransform& view) override;

private:
  const Session& m_session;
};

/// One view's window onto a lazily read volume (one per view: its requests supersede each other).
class LazySliceSource final : public SliceSource {
  Q_OBJECT
public:
  explicit LazySliceSource(std::shared_ptr<core::volume::LazyVolume> volume, QObject* parent = nullptr);
  /// Cancels this view's loads; no callback reaches it afterwards.
  ~LazySliceSource() override;
  bool hasImage() const override { return true; }
  core::volume::VolumeInfo imageInfo() const override;
  SlicePicture picture(SliceOrientation o, std::int64_t slice, const SliceTransform& view) override;
  std::size_t pendingBlocks() const override;
  bool lastPictureFinal() const override { return m_pictureFinal; }
  void prefetch(SliceOrientation o, std::int64_t slice, const SliceTransform& view) override;
  bool refreshLabels(const core::volume::Region& region, SlicePicture& picture) override;
  /// Blocks that failed to load (a damaged chunk) since the last request; shown as missing.
  std::size_t failedBlocks() const { return m_failed.load(); }
  const core::volume::LazyVolume& volume() const { return *m_volume; }
  /// The sparse labels drawn over the picture (null: none; must outlive this source). A change
  /// crossing the slice shown redraws it.
  void setLabels(SparseLabelLayer* labels);
  /// Draws \p overlay's crack prediction over the image (null: none); its changed() redraws.
  void setOverlay(std::shared_ptr<LazyOverlay> overlay);

private:
  void composeLabels(SlicePicture& p, int drawn, const core::volume::Region& part);
  struct Wanted {
    int level = 0;
    core::volume::Region region;  ///< what picture() draws, voxels of level
    core::volume::Region visible; ///< the visible part of the slice, full-resolution voxels
  };
  /// What picture() draws for these arguments; asks for it unless it was the last request (or
  /// asks again for blocks evicted since).
  Wanted request(SliceOrientation o, std::int64_t slice, const SliceTransform& view);
  /// Blocks arrived: changed(), at most once per kRefineMs while more are loading (each redraw
  /// composes the whole window, on the cores that decode the blocks), at once for the last one.
  /// The interval counts from the request too: its first picture was a frame.
  void blocksArrived();
  static constexpr int kRefineMs = 50;

  std::shared_ptr<core::volume::LazyVolume> m_volume;
  std::uint64_t m_view = core::volume::LazyVolume::newViewId();
  core::volume::Volume m_picture; ///< the last composed part of a slice
  core::volume::Volume m_labelPicture; ///< the sparse labels on m_picture's grid
  SparseLabelLayer* m_labels = nullptr;
  core::volume::Region m_shownFull; ///< the full-resolution region of the last picture
  SlicePicture m_last;              ///< the last picture (its volumes are the members above)
  int m_requestLevel = -1;
  core::volume::Region m_requested;
  bool m_retried = false; ///< the current region was asked for again after an eviction
  std::atomic<bool> m_notifyQueued{false};
  QTimer m_refineTimer;      ///< a deferred changed() while blocks load
  QElapsedTimer m_lastRefine; ///< since the last changed() for arrived blocks
  /// The last picture() had every block of its level and nothing was loading: blocks of its
  /// request that arrive after it (queued before it was drawn) are in it already.
  bool m_pictureComplete = false;
  bool m_pictureFinal = false; ///< see lastPictureFinal()
  std::atomic<std::size_t> m_failed{0};
  struct FailedBlock {
    int level = 0;
    core::volume::Region region; ///< voxels of that level
  };
  mutable std::mutex m_failMutex;
  std::vector<FailedBlock> m_failedBlocks; ///< of the current request (guarded by m_failMutex)
  std::shared_ptr<LazyOverlay> m_overlay;
  std::uint64_t m_overlayView = core::volume::LazyVolume::newViewId();
  core::volume::Volume m_overlayPicture; ///< the overlay of m_picture (same size)
};

} // namespace ui
