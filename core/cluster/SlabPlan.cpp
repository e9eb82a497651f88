#include "core/cluster/SlabPlan.h"

#include <algorithm>
#include <stdexcept>

namespace core::cluster {

std::vector<SlabRange> splitSlabs(const SlabSplit& s) {
  const std::int64_t depth = s.end - s.begin;
  if (depth <= 0)
    throw std::invalid_argument("cannot split an empty slice range [" + std::to_string(s.begin) + ", " +
                                std::to_string(s.end) + ")");
  if ((s.tasks > 0) == (s.maxSlab > 0))
    throw std::invalid_argument("give either a number of tasks or a maximum slab size (exactly one, > 0)");
  if (s.halo < 0) throw std::invalid_argument("the halo cannot be negative");
  if (s.align < 1) throw std::invalid_argument("the alignment must be at least 1");

  if (s.maxSlab > 0 && s.align > s.maxSlab)
    throw std::invalid_argument("the alignment (" + std::to_string(s.align) + ") cannot exceed the maximum slab size (" +
                                std::to_string(s.maxSlab) + ")");

  // Work in units that borders may not cut: single slices, or the aligned blocks (the first and
  // last may be partial). Unit u spans [unitStart(u), unitStart(u + 1)).
  const std::int64_t a = s.align;
  const std::int64_t firstMultiple = (s.begin / a + 1) * a; // first multiple of a after begin
  const std::int64_t inner = firstMultiple < s.end ? (s.end - 1 - firstMultiple) / a + 1 : 0; // multiples in (begin, end)
  const std::int64_t units = inner + 1;
  auto unitStart = [&](std::int64_t u) -> std::int64_t {
    if (u <= 0) return s.begin;
    if (u >= units) return s.end;
    return firstMultiple + (u - 1) * a;
  };

  const std::int64_t unitsPerSlab = s.maxSlab > 0 ? s.maxSlab / a : 0;
  std::int64_t n = s.tasks > 0 ? s.tasks : (units + unitsPerSlab - 1) / unitsPerSlab;
  n = std::min(n, units);

  std::vector<std::int64_t> borders;
  for (std::int64_t i = 0; i <= n; ++i) borders.push_back(unitStart((i * units + n / 2) / n));

  std::vector<SlabRange> out;
  for (std::size_t i = 0; i + 1 < borders.size(); ++i) {
    SlabRange r;
    r.z0 = borders[i];
    r.z1 = borders[i + 1];
    r.readZ0 = std::max(s.begin, r.z0 - s.halo);
    r.readZ1 = std::min(s.end, r.z1 + s.halo);
    out.push_back(r);
  }
  return out;
}

std::string checkTiling(const std::vector<SlabRange>& slabs, std::int64_t begin, std::int64_t end) {
  if (slabs.empty()) return "there are no slabs";
  std::int64_t next = begin;
  for (std::size_t i = 0; i < slabs.size(); ++i) {
    const SlabRange& r = slabs[i];
    const std::string which = "slab " + std::to_string(i) + " [" + std::to_string(r.z0) + ", " + std::to_string(r.z1) + ")";
    if (r.z1 <= r.z0) return which + " is empty";
    if (r.z0 > next) return "slices [" + std::to_string(next) + ", " + std::to_string(r.z0) + ") are missing before " + which;
    if (r.z0 < next) return which + " overlaps the slab before it (which ends at " + std::to_string(next) + ")";
    next = r.z1;
  }
  if (next < end) return "slices [" + std::to_string(next) + ", " + std::to_string(end) + ") are missing at the end";
  if (next > end) return "the last slab ends at " + std::to_string(next) + ", beyond the end " + std::to_string(end);
  return {};
}

} // namespace core::cluster
