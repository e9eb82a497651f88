#include "core/labels/PaintRule.h"

#include <cstring>
#include <stdexcept>

namespace core::labels {

bool PaintRule::allows(std::uint8_t current, const volume::Index3& p) const {
  if (!mayOverwrite(current)) return false;
  if (!thresholdImage) return true;
  const double v = thresholdImage->valueAt(p.x, p.y, p.z);
  return v >= low && v <= high;
}

void PaintRule::check(const volume::Size3& labelSize) const {
  if (thresholdImage && thresholdImage->size() != labelSize)
    throw std::invalid_argument("the threshold image has another size than the label volume");
  if (thresholdImage && !(low <= high)) throw std::invalid_argument("threshold window is empty (low > high)");
}

void PaintRule::paintSpan(std::uint8_t* labels, std::int64_t n, const volume::Index3& first, std::uint8_t value) const {
  if (n <= 0) return;
  if (!thresholdImage) {
    if (over == PaintOver::Everything) {
      std::memset(labels, value, std::size_t(n));
      return;
    }
    for (std::int64_t i = 0; i < n; ++i)
      if (mayOverwrite(labels[i])) labels[i] = value;
    return;
  }
  volume::dispatch(thresholdImage->type(), [&](auto tag) {
    using T = decltype(tag);
    const T* img = thresholdImage->as<T>() + thresholdImage->index(first.x, first.y, first.z);
    for (std::int64_t i = 0; i < n; ++i) {
      const double v = double(img[i]);
      if (v >= low && v <= high && mayOverwrite(labels[i])) labels[i] = value;
    }
  });
}

} // namespace core::labels
