#include "ui/views/SliceBlockCache.h"

#include <algorithm>
#include <cstring>

namespace ui {

namespace vol = core::volume;

namespace {

template <std::size_t E>
void fillPlanes(const std::uint8_t* src, const std::vector<std::int64_t>& cols, const std::vector<std::int64_t>& rows,
                std::int64_t x0, std::int64_t count, std::uint8_t* out) {
  const std::size_t planeElems = cols.size() * rows.size();
  std::size_t i = 0;
  for (std::int64_t r : rows)
    for (std::int64_t c : cols) {
      const std::uint8_t* s = src + std::size_t(r + c + x0) * E;
      std::uint8_t* d = out + i * E;
      for (std::int64_t k = 0; k < count; ++k) std::memcpy(d + std::size_t(k) * planeElems * E, s + std::size_t(k) * E, E);
      ++i;
    }
}

} // namespace

void SliceBlockCache::clear() {
  *this = SliceBlockCache();
}

void SliceBlockCache::fill(const vol::Volume& volume, std::vector<std::uint8_t>& out) {
  const std::size_t elem = vol::voxelSize(volume.type());
  const std::int64_t count = std::min<std::int64_t>(m_block, m_size.x - m_x0);
  out.resize(std::size_t(m_block) * m_cols.size() * m_rows.size() * elem);
  const auto* src = static_cast<const std::uint8_t*>(volume.data());
  switch (elem) {
  case 1: fillPlanes<1>(src, m_cols, m_rows, m_x0, count, out.data()); break;
  case 2: fillPlanes<2>(src, m_cols, m_rows, m_x0, count, out.data()); break;
  default: fillPlanes<4>(src, m_cols, m_rows, m_x0, count, out.data()); break;
  }
}

bool SliceBlockCache::prepare(const SliceLayers& layers, const std::vector<std::int64_t>& cols,
                              const std::vector<std::int64_t>& rows, std::int64_t x) {
  if (!layers.image || layers.image->empty()) return false;
  const vol::Volume& image = *layers.image;
  const std::size_t imageElem = vol::voxelSize(image.type());
  const std::size_t perSample = imageElem + (layers.labels ? 1 : 0) + (layers.prediction ? 1 : 0);
  const std::size_t samples = cols.size() * rows.size();
  if (samples == 0) return false;
  // Largest power of two <= 32 that fits the budget; below 4 the cache is not worth it.
  int block = 32;
  while (block >= 4 && std::size_t(block) * samples * perSample > kBudget) block /= 2;
  if (block < 4) {
    clear();
    return false;
  }
  const bool sameGrid = image.data() == m_imageSrc && image.size() == m_size && imageElem == m_imageElem &&
                        block == m_block && cols == m_cols && rows == m_rows;
  const std::int64_t x0 = x / block * block;
  if (!sameGrid || x0 != m_x0) {
    m_imageValid = m_labelsValid = m_predictionValid = false;
    m_cols = cols;
    m_rows = rows;
    m_block = block;
    m_size = image.size();
    m_imageElem = imageElem;
    m_imageSrc = image.data();
    m_x0 = x0;
  }
  m_x = x;
  if (!m_imageValid) {
    fill(image, m_image);
    m_imageValid = true;
  }
  const void* labelsSrc = layers.labels ? layers.labels->data() : nullptr;
  if (!m_labelsValid || labelsSrc != m_labelsSrc) {
    if (layers.labels) fill(*layers.labels, m_labels);
    else m_labels.clear();
    m_labelsSrc = labelsSrc;
    m_labelsValid = true;
  }
  const void* predictionSrc = layers.prediction ? layers.prediction->data() : nullptr;
  if (!m_predictionValid || predictionSrc != m_predictionSrc) {
    if (layers.prediction) fill(*layers.prediction, m_prediction);
    else m_prediction.clear();
    m_predictionSrc = predictionSrc;
    m_predictionValid = true;
  }
  return true;
}

} // namespace ui
