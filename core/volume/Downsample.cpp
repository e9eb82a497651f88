#include "core/volume/Downsample.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

namespace core::volume {

int downsampleFactorFor(const Size3& size, int maxDim) {
  const std::int64_t m = std::max({size.x, size.y, size.z});
  return int(std::max<std::int64_t>(1, (m + maxDim - 1) / std::max(maxDim, 1)));
}

Volume downsampleMean(const Volume& image, int factor) {
  factor = std::max(factor, 1);
  const Size3 s = image.size();
  const Size3 o{(s.x + factor - 1) / factor, (s.y + factor - 1) / factor, (s.z + factor - 1) / factor};
  const Vec3 sp = image.spacing();
  Volume out(o, image.type(), {sp.x * factor, sp.y * factor, sp.z * factor}, image.origin());
  dispatch(image.type(), [&](auto t) {
    using T = decltype(t);
    const T* src = image.as<T>();
    T* dst = out.as<T>();
    std::vector<double> sum(std::size_t(o.x));
    std::vector<std::int32_t> count(std::size_t(o.x));
    for (std::int64_t oz = 0; oz < o.z; ++oz)
      for (std::int64_t oy = 0; oy < o.y; ++oy) {
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(count.begin(), count.end(), 0);
        for (std::int64_t z = oz * factor; z < std::min(s.z, (oz + 1) * factor); ++z)
          for (std::int64_t y = oy * factor; y < std::min(s.y, (oy + 1) * factor); ++y) {
            const T* row = src + image.index(0, y, z);
            for (std::int64_t ox = 0; ox < o.x; ++ox) {
              double acc = 0;
              std::int32_t n = 0;
              for (std::int64_t x = ox * factor; x < std::min(s.x, (ox + 1) * factor); ++x) {
                const double v = double(row[x]);
                if constexpr (std::is_floating_point_v<T>) {
                  if (!std::isfinite(v)) continue;
                }
                acc += v;
                ++n;
              }
              sum[std::size_t(ox)] += acc;
              count[std::size_t(ox)] += n;
            }
          }
        T* drow = dst + out.index(0, oy, oz);
        for (std::int64_t ox = 0; ox < o.x; ++ox) {
          const double m = count[std::size_t(ox)] ? sum[std::size_t(ox)] / count[std::size_t(ox)] : 0.0;
          if constexpr (std::is_floating_point_v<T>) drow[ox] = T(m);
          else drow[ox] = T(std::lround(m));
        }
      }
  });
  return out;
}

} // namespace core::volume
