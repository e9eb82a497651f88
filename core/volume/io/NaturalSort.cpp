#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cctype>

namespace core::volume {

namespace {
// Compares runs of digits by value and everything else case-insensitively: slice2 < slice10.
bool naturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit((unsigned char)a[i]) && std::isdigit((unsigned char)b[j])) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && a[i2] == '0') ++i2;
      while (j2 < b.size() && b[j2] == '0') ++j2;
      std::size_t ie = i2, je = j2;
      while (ie < a.size() && std::isdigit((unsigned char)a[ie])) ++ie;
      while (je < b.size() && std::isdigit((unsigned char)b[je])) ++je;
      if (ie - i2 != je - j2) return ie - i2 < je - j2;
      const int c = a.compare(i2, ie - i2, b, j2, je - j2);
      if (c != 0) return c < 0;
      i = ie;
      j = je;
    } else {
      const int ca = std::tolower((unsigned char)a[i]), cb = std::tolower((unsigned char)b[j]);
      if (ca != cb) return ca < cb;
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;
}
} // namespace

void naturalSort(std::vector<std::string>& names) { std::sort(names.begin(), names.end(), naturalLess); }

} // namespace core::volume
