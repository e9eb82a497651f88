#include "app/cli/support/MemoryLimit.h"

#include <cmath>
#include <stdexcept>

namespace cli {

std::uint64_t parseMemoryLimit(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  double scale = 1;
  if (unit == "K" || unit == "k") scale = 1024.0;
  else if (unit == "M" || unit == "m") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") scale = 1024.0 * 1024 * 1024;
  else if (!unit.empty() || used == 0) scale = -1;
  if (scale < 0 || !(v > 0) || !std::isfinite(v))
    throw std::invalid_argument("--memory-limit must be BYTES or a number with K, M or G, got '" + text + "'");
  const double bytes = v * scale;
  if (bytes < double(1 << 20) || bytes > double(std::uint64_t(1) << 60))
    throw std::invalid_argument("--memory-limit must be from 1M to 1024P (1 MiB to 2^60 bytes), got '" + text + "'");
  return std::uint64_t(bytes);
}

} // namespace cli
