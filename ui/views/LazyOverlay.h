#pragma once
/// \file LazyOverlay.h
/// The crack overlay of a lazily opened volume (issue 16, "prediction of big volumes"): what the
/// slice views draw over the image when the image is not in memory. Two kinds, both uint8
/// (probability x 255, the Session's prediction layer convention):
/// - predicted slices ("Predict visible slices"): one full-resolution plane per orientation,
///   held in memory (a slice is small);
/// - a chunked prediction volume ("Predict whole volume"), read lazily through the ChunkCache like
///   the image. While it is being written only its first completeSlices slices are read (chunk
///   layers that are complete on disk); the writer's later layers show once refreshed.
/// compose() gives, for the part of a slice a LazySliceSource draws (a region of one resolution
/// level), the overlay voxels of the same size: from the prediction volume's same level when it
/// has that level, else nearest samples of a predicted full-resolution slice. Blocks of the
/// prediction missing from the cache are requested asynchronously; changed() says when to draw
/// again. GUI thread only (the block callbacks reach it through a queued call).

#include "core/volume/SliceGeometry.h"
#include "core/volume/lazy/LazyVolume.h"

#include <QObject>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>

namespace ui {

class LazyOverlay : public QObject {
  Q_OBJECT
public:
  /// \p level0 describes the image's full resolution (the grid every overlay must share).
  explicit LazyOverlay(const core::volume::VolumeInfo& level0, QObject* parent = nullptr);
  ~LazyOverlay() override;

  /// Slice \p slice of orientation \p o is predicted: \p plane is uint8, (width, height, 1) of that
  /// orientation at full resolution (core::volume::sliceWidth/sliceHeight). Replaces the
  /// orientation's earlier slice. Throws std::invalid_argument on a plane of another size.
  void setSlice(core::volume::Orientation o, std::int64_t slice, core::volume::Volume plane);
  /// The predicted slice of \p o (-1 when none).
  std::int64_t predictedSlice(core::volume::Orientation o) const;
  /// A chunked prediction on the image's grid, read lazily; slices [0, completeSlices) of level 0
  /// are complete (-1: all of every level). Null removes it.
  void setVolume(std::shared_ptr<core::volume::LazyVolume> volume, std::int64_t completeSlices = -1);
  const std::shared_ptr<core::volume::LazyVolume>& volume() const { return m_volume; }
  std::int64_t completeSlices() const { return m_complete; }
  /// Drops the predicted slices and the volume.
  void clear();

  /// The overlay of \p part (voxels of image level \p level, one slice of orientation \p o thick),
  /// uint8 of part's size; empty when there is nothing to show there. \p view identifies the
  /// asking slice view (LazyVolume::newViewId()): its request supersedes its earlier one.
  core::volume::Volume compose(core::volume::Orientation o, int level, const core::volume::VolumeInfo& levelInfo,
                               const core::volume::Region& part, std::uint64_t view);
  /// Drops \p view's pending loads (the view goes away).
  void cancel(std::uint64_t view);

Q_SIGNALS:
  /// Something to draw changed (a slice predicted, the volume replaced, blocks arrived).
  void changed();

private:
  struct Request {
    const core::volume::LazyVolume* volume = nullptr;
    int level = -1;
    core::volume::Region region;
    bool retried = false;
  };
  bool fromVolume(int level, const core::volume::VolumeInfo& levelInfo, const core::volume::Region& part,
                  std::uint64_t view, core::volume::Volume& out);
  bool fromSlice(core::volume::Orientation o, const core::volume::VolumeInfo& levelInfo,
                 const core::volume::Region& part, core::volume::Volume& out) const;
  void notifyLater();

  core::volume::VolumeInfo m_level0;
  std::array<std::int64_t, 3> m_sliceIndex{-1, -1, -1};
  std::array<core::volume::Volume, 3> m_slices;
  std::shared_ptr<core::volume::LazyVolume> m_volume;
  std::int64_t m_complete = -1;
  std::map<std::uint64_t, Request> m_requests;
  std::shared_ptr<std::atomic<bool>> m_notifyQueued = std::make_shared<std::atomic<bool>>(false);
};

} // namespace ui
