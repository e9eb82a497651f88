#include "core/labels/RleDelta.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace core::labels {

using volume::Region;

LabelView LabelView::of(volume::Volume& v) {
  LabelView view;
  view.data = v.as<std::uint8_t>();
  view.box = Region::whole(v.size());
  view.strideY = v.size().x;
  view.strideZ = v.size().x * v.size().y;
  return view;
}

namespace {
bool contains(const Region& outer, const Region& inner) {
  return inner.start.x >= outer.start.x && inner.start.y >= outer.start.y && inner.start.z >= outer.start.z &&
         inner.end().x <= outer.end().x && inner.end().y <= outer.end().y && inner.end().z <= outer.end().z;
}
} // namespace

RleDelta::Encoder::Encoder(const Region& region) {
  m_delta.m_region = region;
  m_minX = m_minY = m_minZ = std::numeric_limits<std::int64_t>::max();
  m_maxX = m_maxY = m_maxZ = std::numeric_limits<std::int64_t>::min();
}

void RleDelta::Encoder::push(std::uint64_t n, bool changed, std::uint8_t a, std::uint8_t b) {
  if (n == 0) return;
  if (m_pendingLength > 0 && changed == m_pendingChanged &&
      (!changed || (a == m_pendingBefore && b == m_pendingAfter))) {
    m_pendingLength += n;
    return;
  }
  flush();
  m_pendingLength = n;
  m_pendingChanged = changed;
  m_pendingBefore = a;
  m_pendingAfter = b;
}

void RleDelta::Encoder::flush() {
  if (m_pendingLength == 0) return;
  std::uint64_t header = (m_pendingLength << 1) | (m_pendingChanged ? 1u : 0u);
  auto& out = m_delta.m_bytes;
  while (header >= 0x80) {
    out.push_back(std::uint8_t(header | 0x80));
    header >>= 7;
  }
  out.push_back(std::uint8_t(header));
  if (m_pendingChanged) {
    out.push_back(m_pendingBefore);
    out.push_back(m_pendingAfter);
    m_delta.m_changedVoxels += std::int64_t(m_pendingLength);
  }
  ++m_delta.m_segments;
  m_pendingLength = 0;
}

void RleDelta::Encoder::addRow(std::int64_t y, std::int64_t z, const std::uint8_t* before,
                               const std::uint8_t* after) {
  const std::int64_t n = m_delta.m_region.size.x;
  // Fast path: an untouched row is one comparison.
  if (before == after || std::memcmp(before, after, std::size_t(n)) == 0) {
    push(std::uint64_t(n), false, 0, 0);
    ++m_rows;
    return;
  }
  std::int64_t firstChanged = -1, lastChanged = -1;
  std::int64_t i = 0;
  while (i < n) {
    std::int64_t j = i + 1;
    if (before[i] == after[i]) {
      while (j < n && before[j] == after[j]) ++j;
      push(std::uint64_t(j - i), false, 0, 0);
    } else {
      const std::uint8_t a = before[i], b = after[i];
      while (j < n && before[j] == a && after[j] == b) ++j;
      push(std::uint64_t(j - i), true, a, b);
      if (firstChanged < 0) firstChanged = i;
      lastChanged = j - 1;
    }
    i = j;
  }
  const std::int64_t x0 = m_delta.m_region.start.x;
  m_minX = std::min(m_minX, x0 + firstChanged);
  m_maxX = std::max(m_maxX, x0 + lastChanged);
  m_minY = std::min(m_minY, y);
  m_maxY = std::max(m_maxY, y);
  m_minZ = std::min(m_minZ, z);
  m_maxZ = std::max(m_maxZ, z);
  ++m_rows;
}

RleDelta RleDelta::Encoder::finish() {
  if (m_rows != m_delta.m_region.size.y * m_delta.m_region.size.z)
    throw std::logic_error("RleDelta::Encoder: not all rows of the region were added");
  flush();
  if (m_delta.m_changedVoxels > 0)
    m_delta.m_changed = {{m_minX, m_minY, m_minZ}, {m_maxX - m_minX + 1, m_maxY - m_minY + 1, m_maxZ - m_minZ + 1}};
  m_delta.m_bytes.shrink_to_fit();
  return std::move(m_delta);
}

void RleDelta::apply(const LabelView& target, bool after) const {
  if (m_changedVoxels == 0) return;
  if (!contains(target.box, m_region)) throw std::logic_error("RleDelta::apply: target does not contain the region");
  const auto& r = m_region;
  // Longest stretch of the region that is contiguous in the target: whole rows of a full-width
  // region follow each other, whole slices of a full-width, full-height region too.
  const bool denseRows = target.strideY == target.box.size.x;
  const bool fullX = denseRows && r.size.x == target.box.size.x;
  const bool fullXY = fullX && target.strideZ == target.strideY * target.box.size.y && r.size.y == target.box.size.y;
  const std::int64_t rowLen = r.size.x;
  const std::uint8_t* p = m_bytes.data();
  const std::uint8_t* end = p + m_bytes.size();
  std::int64_t pos = 0; // linear position inside the region, x fastest
  while (p < end) {
    std::uint64_t header = 0;
    int shift = 0;
    while (true) {
      const std::uint8_t byte = *p++;
      header |= std::uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    std::int64_t n = std::int64_t(header >> 1);
    if (!(header & 1)) {
      pos += n;
      continue;
    }
    const std::uint8_t value = after ? p[1] : p[0];
    p += 2;
    while (n > 0) {
      const std::int64_t x = pos % rowLen;
      const std::int64_t row = pos / rowLen;
      const std::int64_t y = row % r.size.y;
      const std::int64_t z = row / r.size.y;
      std::int64_t span;
      if (fullXY) span = n;
      else if (fullX) span = std::min(n, (r.size.y - y) * rowLen - x);
      else span = std::min(n, rowLen - x);
      std::memset(target.at(r.start.x + x, r.start.y + y, r.start.z + z), value, std::size_t(span));
      pos += span;
      n -= span;
    }
  }
}

} // namespace core::labels
