#include "ui/views/CrackSurfaceMask.h"

#include "core/labels/LabelConvention.h"

#include <algorithm>
#include <cstring>

namespace ui {

namespace vol = core::volume;

void CrackSurfaceMask::clear() {
  m_mask = vol::Volume();
  m_factor = 1;
}

void CrackSurfaceMask::rebuild(const vol::Volume& source, Source kind, int threshold, int factor) {
  m_kind = kind;
  m_threshold = std::clamp(threshold, 1, 255);
  m_factor = std::max(factor, 1);
  const vol::Size3 s = source.size();
  const vol::Size3 o{(s.x + m_factor - 1) / m_factor, (s.y + m_factor - 1) / m_factor, (s.z + m_factor - 1) / m_factor};
  const vol::Vec3 sp = source.spacing();
  m_mask = vol::Volume(o, vol::VoxelType::UInt8, {sp.x * m_factor, sp.y * m_factor, sp.z * m_factor}, source.origin());
  fillBlocks(source, vol::Region::whole(o));
}

void CrackSurfaceMask::update(const vol::Volume& source, const vol::Region& region) {
  if (m_mask.empty() || source.empty()) return;
  const vol::Region r = region.clippedTo(source.size());
  if (r.empty()) return;
  const std::int64_t f = m_factor;
  const vol::Index3 a{r.start.x / f, r.start.y / f, r.start.z / f};
  const vol::Index3 e = r.end();
  const vol::Index3 b{(e.x + f - 1) / f, (e.y + f - 1) / f, (e.z + f - 1) / f};
  fillBlocks(source, {a, {b.x - a.x, b.y - a.y, b.z - a.z}});
}

void CrackSurfaceMask::fillBlocks(const vol::Volume& source, const vol::Region& blocks) {
  const std::int64_t f = m_factor;
  const vol::Size3 s = source.size();
  const std::uint8_t* src = source.as<std::uint8_t>();
  std::uint8_t* dst = m_mask.as<std::uint8_t>();
  const bool labels = m_kind == Source::Labels;
  const std::uint8_t t = std::uint8_t(m_threshold);
  const vol::Index3 e = blocks.end();
  for (std::int64_t oz = blocks.start.z; oz < e.z; ++oz)
    for (std::int64_t oy = blocks.start.y; oy < e.y; ++oy) {
      std::uint8_t* drow = dst + m_mask.index(0, oy, oz);
      std::memset(drow + blocks.start.x, 0, std::size_t(blocks.size.x));
      for (std::int64_t z = oz * f; z < std::min(s.z, (oz + 1) * f); ++z)
        for (std::int64_t y = oy * f; y < std::min(s.y, (oy + 1) * f); ++y) {
          const std::uint8_t* row = src + source.index(0, y, z);
          for (std::int64_t ox = blocks.start.x; ox < e.x; ++ox) {
            if (drow[ox]) continue;
            const std::int64_t x1 = std::min(s.x, (ox + 1) * f);
            std::uint8_t hit = 0;
            if (labels) {
              for (std::int64_t x = ox * f; x < x1; ++x) hit |= std::uint8_t(row[x] == core::labels::kCrack);
            } else {
              for (std::int64_t x = ox * f; x < x1; ++x) hit |= std::uint8_t(row[x] >= t);
            }
            drow[ox] = hit;
          }
        }
    }
}

std::int64_t CrackSurfaceMask::count() const {
  if (m_mask.empty()) return 0;
  const std::uint8_t* p = m_mask.as<std::uint8_t>();
  return std::count_if(p, p + m_mask.voxelCount(), [](std::uint8_t v) { return v != 0; });
}

} // namespace ui
