#include "core/volume/io/SliceReader.h"

#include "core/volume/io/IoSupport.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

namespace core::volume::io {

VolumeInfo downsampledInfo(const VolumeInfo& file, const Region& region, int d) {
  VolumeInfo out = file;
  auto ceilDiv = [d](std::int64_t n) { return (n + d - 1) / d; };
  out.size = {ceilDiv(region.size.x), ceilDiv(region.size.y), ceilDiv(region.size.z)};
  out.spacing = {file.spacing.x * d, file.spacing.y * d, file.spacing.z * d};
  out.origin = {file.origin.x + double(region.start.x) * file.spacing.x,
                file.origin.y + double(region.start.y) * file.spacing.y,
                file.origin.z + double(region.start.z) * file.spacing.z};
  return out;
}

Volume SliceReader::read(const Region& region, int d, DownsampleMode mode, jobs::ProgressSink& progress,
                         jobs::CancelToken& cancel) {
  if (d < 1) fail("downsampling factor must be 1 or more, not " + std::to_string(d));
  if (region.empty() || !region.inside(m_info.size))
    fail("region at (" + std::to_string(region.start.x) + "," + std::to_string(region.start.y) + "," +
         std::to_string(region.start.z) + ") of size " + std::to_string(region.size.x) + "x" +
         std::to_string(region.size.y) + "x" + std::to_string(region.size.z) + " is not inside " +
         inQuotes(m_path) + " (" + describe(m_info.size, m_info.type) + ")");
  const VolumeInfo outInfo = downsampledInfo(m_info, region, d);
  checkAllocation(outInfo.bytes(), "reading " + inQuotes(m_path) + " as " + describe(outInfo.size, outInfo.type));
  Volume out(outInfo);
  cancel.throwIfCancelled();
  if (d == 1) readBlock(region, static_cast<std::uint8_t*>(out.data()), progress, cancel);
  else if (mode == DownsampleMode::Mean) readMean(region, d, out, progress, cancel);
  else readNearest(region, d, out, progress, cancel);
  progress.setProgress(1.0, "Reading");
  return out;
}

void SliceReader::readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress,
                            jobs::CancelToken& cancel) {
  const std::size_t vs = voxelSize(m_info.type);
  const std::size_t row = std::size_t(region.size.x) * vs;
  const std::size_t slice = row * std::size_t(region.size.y);
  for (std::int64_t k = 0; k < region.size.z; ++k) {
    cancel.throwIfCancelled();
    readRect(region.start.z + k, region.start.x, region.start.y, region.size.x, region.size.y,
             dst + std::size_t(k) * slice, row);
    progress.setProgress(double(k + 1) / double(region.size.z), "Reading");
  }
}

void SliceReader::readMean(const Region& region, int d, Volume& out, jobs::ProgressSink& progress,
                           jobs::CancelToken& cancel) {
  const std::int64_t sx = region.size.x, sy = region.size.y;
  const std::int64_t ox = out.size().x, oy = out.size().y, oz = out.size().z;
  const std::size_t vs = voxelSize(m_info.type);
  // Bands of whole d-row groups, about one strip high, never more rows than the region has (a
  // factor far above the size must not allocate d rows).
  const std::int64_t band = std::min<std::int64_t>(d * std::max<std::int64_t>(1, (preferredRows() + d - 1) / d), sy);
  std::vector<std::uint8_t> scratch(std::size_t(band) * std::size_t(sx) * vs);
  std::vector<double> acc(std::size_t(ox * oy));
  dispatch(m_info.type, [&](auto t) {
    using T = decltype(t);
    T* dst = out.as<T>();
    for (std::int64_t k = 0; k < oz; ++k) {
      std::fill(acc.begin(), acc.end(), 0.0);
      const std::int64_t z0 = region.start.z + k * d, z1 = std::min(z0 + d, region.end().z);
      for (std::int64_t z = z0; z < z1; ++z) {
        cancel.throwIfCancelled();
        for (std::int64_t yb = 0; yb < sy; yb += band) {
          const std::int64_t ny = std::min(band, sy - yb);
          readRect(z, region.start.x, region.start.y + yb, sx, ny, scratch.data(), std::size_t(sx) * vs);
          for (std::int64_t r = 0; r < ny; ++r) {
            const T* src = reinterpret_cast<const T*>(scratch.data()) + r * sx;
            double* arow = acc.data() + ((yb + r) / d) * ox;
            std::int64_t x = 0;
            for (std::int64_t i = 0; i < ox; ++i) {
              const std::int64_t xe = std::min(x + d, sx);
              double s = 0;
              for (; x < xe; ++x) s += double(src[x]);
              arow[i] += s;
            }
          }
        }
      }
      const double wz = double(z1 - z0);
      T* slice = dst + k * ox * oy;
      for (std::int64_t j = 0; j < oy; ++j) {
        const double wy = double(std::min<std::int64_t>(d, sy - j * d));
        for (std::int64_t i = 0; i < ox; ++i) {
          const double wx = double(std::min<std::int64_t>(d, sx - i * d));
          const double v = acc[std::size_t(j * ox + i)] / (wx * wy * wz);
          if constexpr (std::is_floating_point_v<T>) slice[j * ox + i] = T(v);
          else slice[j * ox + i] = T(std::llround(v));
        }
      }
      progress.setProgress(double(k + 1) / double(oz), "Reading");
    }
  });
}

void SliceReader::readNearest(const Region& region, int d, Volume& out, jobs::ProgressSink& progress,
                              jobs::CancelToken& cancel) {
  const std::int64_t sx = region.size.x;
  const std::int64_t ox = out.size().x, oy = out.size().y, oz = out.size().z;
  const std::size_t vs = voxelSize(m_info.type);
  std::vector<std::uint8_t> row(std::size_t(sx) * vs);
  dispatch(m_info.type, [&](auto t) {
    using T = decltype(t);
    T* dst = out.as<T>();
    for (std::int64_t k = 0; k < oz; ++k) {
      cancel.throwIfCancelled();
      const std::int64_t z = region.start.z + k * d;
      for (std::int64_t j = 0; j < oy; ++j) {
        readRect(z, region.start.x, region.start.y + j * d, sx, 1, row.data(), row.size());
        const T* src = reinterpret_cast<const T*>(row.data());
        T* o = dst + (k * oy + j) * ox;
        for (std::int64_t i = 0; i < ox; ++i) o[i] = src[i * d];
      }
      progress.setProgress(double(k + 1) / double(oz), "Reading");
    }
  });
}

} // namespace core::volume::io
