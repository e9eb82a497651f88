#include "core/labels/PredictionTools.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

namespace core::labels {

using volume::Index3;
using volume::Region;
using volume::Volume;

namespace {

void checkPrediction(const Volume& prediction, const volume::Size3& labelSize) {
  if (prediction.type() != volume::VoxelType::UInt8 && prediction.type() != volume::VoxelType::Float32)
    throw std::invalid_argument(std::string("prediction must be uint8 (0..255) or float32 (0..1), not ") +
                                volume::toString(prediction.type()));
  if (prediction.size() != labelSize) throw std::invalid_argument("prediction has another size than the labels");
}

/// Smallest uint8 value v with v / 255 >= t (256 when none).
int byteThreshold(double t) {
  if (t <= 0) return 0;
  if (t > 1) return 256;
  int v = int(std::ceil(t * 255.0 - 1e-9));
  while (v > 0 && (v - 1) / 255.0 >= t) --v;
  while (v < 256 && v / 255.0 < t) ++v;
  return v;
}

/// Calls f(isCrack) with a functor isCrack(linear index) for the prediction's type.
template <class F> void withCrackTest(const Volume& prediction, double threshold, F&& f) {
  if (prediction.type() == volume::VoxelType::UInt8) {
    const std::uint8_t* p = prediction.as<std::uint8_t>();
    const int t = byteThreshold(threshold);
    f([p, t](std::int64_t i) { return int(p[i]) >= t; });
  } else {
    const float* p = prediction.as<float>();
    const double t = threshold;
    f([p, t](std::int64_t i) { return double(p[i]) >= t; }); // NaN compares false: not crack
  }
}

Region acceptBox(LabelEdit& edit, const Volume& prediction, const Region& box, const AcceptOptions& o) {
  o.rule.check(edit.volume().size());
  Region changed;
  withCrackTest(prediction, o.threshold, [&](auto isCrack) {
    changed = edit.modifyRows(box, [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
      const std::int64_t base = prediction.index(box.start.x, y, z);
      for (std::int64_t i = 0; i < box.size.x; ++i) {
        const bool crack = isCrack(base + i);
        if (!crack && !o.writeNotCrack) continue;
        if (o.rule.thresholdImage ? o.rule.allows(row[i], {box.start.x + i, y, z}) : o.rule.mayOverwrite(row[i]))
          row[i] = crack ? kCrack : kNotCrack;
      }
    });
  });
  return changed;
}

/// A set of voxels as bits, allocated in 16^3 blocks where it has members.
class SparseVoxelSet {
public:
  explicit SparseVoxelSet(const volume::Size3& s)
      : m_size(s), m_bx((s.x + 15) / 16), m_by((s.y + 15) / 16), m_bz((s.z + 15) / 16),
        m_blocks(std::size_t(m_bx * m_by * m_bz)) {}
  bool test(std::int64_t x, std::int64_t y, std::int64_t z) const {
    const auto& b = m_blocks[block(x, y, z)];
    if (!b) return false;
    const std::int64_t bit = bitOf(x, y, z);
    return (b[std::size_t(bit >> 6)] >> (bit & 63)) & 1u;
  }
  /// Inserts; returns false when already present.
  bool insert(std::int64_t x, std::int64_t y, std::int64_t z) {
    auto& b = m_blocks[block(x, y, z)];
    if (!b) b = std::make_unique<std::uint64_t[]>(64);
    const std::int64_t bit = bitOf(x, y, z);
    std::uint64_t& word = b[std::size_t(bit >> 6)];
    const std::uint64_t m = std::uint64_t(1) << (bit & 63);
    if (word & m) return false;
    word |= m;
    return true;
  }

private:
  std::size_t block(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return std::size_t((x >> 4) + m_bx * ((y >> 4) + m_by * (z >> 4)));
  }
  static std::int64_t bitOf(std::int64_t x, std::int64_t y, std::int64_t z) { return (x & 15) | ((y & 15) << 4) | ((z & 15) << 8); }
  volume::Size3 m_size;
  std::int64_t m_bx, m_by, m_bz;
  std::vector<std::unique_ptr<std::uint64_t[]>> m_blocks;
};

struct Component {
  std::unique_ptr<SparseVoxelSet> voxels;
  Region box;
  std::int64_t count = 0;
};

/// The connected set of voxels where member(linear index) holds, containing \p seed.
template <class Member>
Component findComponent(const volume::Size3& s, const Index3& seed, Connectivity c, Member member) {
  Component out;
  out.voxels = std::make_unique<SparseVoxelSet>(s);
  const auto lin = [&](std::int64_t x, std::int64_t y, std::int64_t z) { return x + s.x * (y + s.y * z); };
  if (!member(lin(seed.x, seed.y, seed.z))) return out;
  std::vector<Index3> offsets;
  for (int dz = -1; dz <= 1; ++dz)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int n = std::abs(dx) + std::abs(dy) + std::abs(dz);
        if (n == 0 || (c == Connectivity::Faces && n > 1)) continue;
        offsets.push_back({dx, dy, dz});
      }
  Index3 lo = seed, hi = seed;
  std::vector<Index3> stack{seed};
  out.voxels->insert(seed.x, seed.y, seed.z);
  while (!stack.empty()) {
    const Index3 p = stack.back();
    stack.pop_back();
    ++out.count;
    lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
    hi = {std::max(hi.x, p.x), std::max(hi.y, p.y), std::max(hi.z, p.z)};
    for (const auto& d : offsets) {
      const std::int64_t x = p.x + d.x, y = p.y + d.y, z = p.z + d.z;
      if (x < 0 || y < 0 || z < 0 || x >= s.x || y >= s.y || z >= s.z) continue;
      if (out.voxels->test(x, y, z) || !member(lin(x, y, z))) continue;
      out.voxels->insert(x, y, z);
      stack.push_back({x, y, z});
    }
  }
  out.box = {lo, {hi.x - lo.x + 1, hi.y - lo.y + 1, hi.z - lo.z + 1}};
  return out;
}

void checkSeed(const Index3& p, const volume::Size3& s) {
  if (p.x < 0 || p.y < 0 || p.z < 0 || p.x >= s.x || p.y >= s.y || p.z >= s.z)
    throw std::invalid_argument("the clicked voxel lies outside the volume");
}

} // namespace

bool isPredictedCrack(const Volume& prediction, const Index3& p, double threshold) {
  bool crack = false;
  withCrackTest(prediction, threshold, [&](auto isCrack) { crack = isCrack(prediction.index(p.x, p.y, p.z)); });
  return crack;
}

Region acceptPrediction(LabelEdit& edit, const Volume& prediction, const AcceptOptions& options) {
  checkPrediction(prediction, edit.volume().size());
  return acceptBox(edit, prediction, Region::whole(prediction.size()), options);
}

Region acceptPredictionSlice(LabelEdit& edit, const Volume& prediction, volume::Orientation o, std::int64_t slice,
                             const AcceptOptions& options) {
  const auto& s = edit.volume().size();
  checkPrediction(prediction, s);
  if (slice < 0 || slice >= sliceCount(s, o))
    throw std::invalid_argument("slice " + std::to_string(slice) + " lies outside the volume");
  return acceptBox(edit, prediction, sliceRegion(o, slice, 0, 0, sliceWidth(s, o), sliceHeight(s, o)), options);
}

Region acceptPredictionComponent(LabelEdit& edit, const Volume& prediction, const Index3& seed,
                                 const AcceptOptions& options, Connectivity c) {
  const auto& s = edit.volume().size();
  checkPrediction(prediction, s);
  checkSeed(seed, s);
  options.rule.check(s);
  Component comp;
  withCrackTest(prediction, options.threshold, [&](auto isCrack) { comp = findComponent(s, seed, c, isCrack); });
  if (comp.count == 0) return {};
  const Region box = comp.box;
  const SparseVoxelSet& set = *comp.voxels;
  return edit.modifyRows(box, [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
    for (std::int64_t i = 0; i < box.size.x; ++i) {
      const std::int64_t x = box.start.x + i;
      if (set.test(x, y, z) && options.rule.allows(row[i], {x, y, z})) row[i] = kCrack;
    }
  });
}

Region deleteComponent(LabelEdit& edit, const Index3& seed, std::uint8_t replacement, Connectivity c) {
  const Volume& labels = edit.volume();
  const auto& s = labels.size();
  checkSeed(seed, s);
  const std::uint8_t* p = labels.as<std::uint8_t>();
  const std::uint8_t label = p[labels.index(seed.x, seed.y, seed.z)];
  if (label == kUnlabelled || label == replacement) return {};
  Component comp = findComponent(s, seed, c, [p, label](std::int64_t i) { return p[i] == label; });
  const Region box = comp.box;
  const SparseVoxelSet& set = *comp.voxels;
  return edit.modifyRows(box, [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
    for (std::int64_t i = 0; i < box.size.x; ++i)
      if (set.test(box.start.x + i, y, z)) row[i] = replacement;
  });
}

} // namespace core::labels
