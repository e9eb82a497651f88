#pragma once
/// \file SliceBlockCache.h
/// Makes slices along x (the YZ view) as cheap as the others. Such a slice takes one voxel from
/// every row of the volume: each sample is a cache and TLB miss, several times the cost of an XY
/// slice. But a cache line holds 32 to 64 consecutive x values, so this cache copies, for the
/// voxels the view samples, a block of up to 32 consecutive x values at once, laid out as planes:
/// the next slices of the block are then read from a small contiguous buffer. Filled on demand,
/// bounded (32 MiB), emptied when the data or the sampling grid changes. Not thread-safe.

#include "ui/views/SliceRenderer.h"

#include <cstdint>
#include <vector>

namespace ui {

class SliceBlockCache {
public:
  /// Readies slice \p x for the sampling grid given by \p cols and \p rows: distinct voxel offsets
  /// (in voxels, x excluded) of the view's columns and rows. Returns false when the block would
  /// not fit in the budget; then sample the volumes directly.
  bool prepare(const SliceLayers& layers, const std::vector<std::int64_t>& cols, const std::vector<std::int64_t>& rows,
               std::int64_t x);
  /// Plane of slice x (after prepare()), nrows x ncols samples, row-major; nullptr for a missing layer.
  const std::uint8_t* image() const { return plane(m_image, m_imageElem); }
  const std::uint8_t* labels() const { return plane(m_labels, 1); }
  const std::uint8_t* prediction() const { return plane(m_prediction, 1); }

  /// Forget what a layer holds (its data changed).
  void invalidateImage() { m_imageValid = false; }
  void invalidateLabels() { m_labelsValid = false; }
  void invalidatePrediction() { m_predictionValid = false; }
  void clear();

  /// Budget of the whole cache, bytes.
  static constexpr std::size_t kBudget = 32u << 20;

private:
  const std::uint8_t* plane(const std::vector<std::uint8_t>& data, std::size_t elem) const {
    if (data.empty()) return nullptr;
    return data.data() + std::size_t(m_x - m_x0) * m_cols.size() * m_rows.size() * elem;
  }
  void fill(const core::volume::Volume& volume, std::vector<std::uint8_t>& out);

  const void* m_imageSrc = nullptr;
  const void* m_labelsSrc = nullptr;
  const void* m_predictionSrc = nullptr;
  core::volume::Size3 m_size;
  std::vector<std::int64_t> m_cols, m_rows;
  int m_block = 0;
  std::int64_t m_x0 = -1, m_x = 0;
  std::size_t m_imageElem = 0;
  std::vector<std::uint8_t> m_image, m_labels, m_prediction;
  bool m_imageValid = false, m_labelsValid = false, m_predictionValid = false;
};

} // namespace ui
