#pragma once
/// \file LazyParticleOverlay.h
/// The particle labels of a lazily opened volume's slab-by-slab analysis (issue 16), drawn in the
/// slice views like ParticleOverlay draws the in-memory ones: each particle tinted in its
/// ParticleOverlay::particleColour, the ParticleLayer's selected particle outlined in
/// ParticleOverlay::kOutlineRgb, in the mode and opacity of the Statistics panel's ParticleOverlay
/// when one is given (setStyle). The labels (uint32 OME-Zarr on the image's grid, written by
/// core::cluster::analyzeInSlabs) are read through the ChunkCache: the part of the slice a view
/// shows is requested asynchronously (LazyVolume::request) and drawn from the blocks already
/// cached (assemble), so painting never waits for I/O; arriving blocks redraw. Views showing more
/// than kMaxVoxels full-resolution voxels of a slice are not tinted (the labels have one level).
/// GUI thread only (block callbacks reach it through a queued call).

#include "core/volume/lazy/LazyVolume.h"
#include "ui/views/SliceOverlay.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace ui {

class ParticleLayer;
class ParticleOverlay;
class SliceView;

class LazyParticleOverlay : public QObject, public SliceOverlay {
  Q_OBJECT
public:
  static constexpr std::int64_t kMaxVoxels = std::int64_t(16) << 20;

  explicit LazyParticleOverlay(ParticleLayer& layer, QObject* parent = nullptr);
  ~LazyParticleOverlay() override;

  /// Starts drawing in \p view (not owned; detached when it is destroyed).
  void attach(SliceView* view);
  /// Draws in \p style's mode and opacity (null: Colour at 0.35); must outlive this overlay.
  void setStyle(const ParticleOverlay* style) { m_style = style; }
  /// The labels to draw (null: nothing).
  void setVolume(std::shared_ptr<core::volume::LazyVolume> labels);
  const std::shared_ptr<core::volume::LazyVolume>& volume() const { return m_volume; }
  /// Particle id drawn at view pixel (\p x, \p y) of \p view's last paint (0: none or not loaded).
  std::uint32_t idAt(const SliceView* view, int x, int y) const;

  void paintSlice(SliceView& view, std::uint8_t* rgba, int width, int height) override;

private:
  struct Cache {
    std::uint64_t generation = ~0ull;
    std::int64_t slice = -1;
    double centreU = 0, centreV = 0, scale = 0;
    int width = 0, height = 0;
    std::uint64_t viewId = 0; ///< LazyVolume::newViewId(), this view's requests
    std::vector<std::uint32_t> ids;
  };
  void refreshAll();
  void blocksArrived();

  ParticleLayer& m_layer;
  const ParticleOverlay* m_style = nullptr;
  std::shared_ptr<core::volume::LazyVolume> m_volume;
  std::vector<SliceView*> m_views;
  std::map<const SliceView*, Cache> m_cache;
  std::uint64_t m_generation = 0; ///< blocks arrived or volume replaced
  std::shared_ptr<std::atomic<bool>> m_queued = std::make_shared<std::atomic<bool>>(false);
};

} // namespace ui
