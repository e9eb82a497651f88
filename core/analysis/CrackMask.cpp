// makeCrackMask and checkSpacing (ParticleSegmentation.h).
#include "core/analysis/ParticleSegmentation.h"

#include "core/analysis/ParallelFor.h"
#include "core/labels/LabelConvention.h"

#include <atomic>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace core::analysis {

void checkSpacing(const volume::Vec3& s, const std::string& what) {
  if (!(std::isfinite(s.x) && std::isfinite(s.y) && std::isfinite(s.z) && s.x > 0 && s.y > 0 && s.z > 0)) {
    std::ostringstream os;
    os << what << ": voxel spacing must be positive, got " << s.x << " x " << s.y << " x " << s.z
       << " micrometres (give it with --spacing)";
    throw std::invalid_argument(os.str());
  }
}

CrackMask makeCrackMask(const volume::Volume& cracks, std::optional<double> threshold) {
  if (cracks.empty() || cracks.voxelCount() == 0) throw std::invalid_argument("the crack volume is empty");
  if (threshold && std::isnan(*threshold)) throw std::invalid_argument("the crack threshold is not a number");
  CrackMask out;
  out.mask = volume::Volume(cracks.size(), volume::VoxelType::UInt8, cracks.spacing(), cracks.origin());
  std::uint8_t* m = out.mask.as<std::uint8_t>();
  const std::int64_t n = cracks.voxelCount();
  std::atomic<std::int64_t> total{0};
  volume::dispatch(cracks.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = cracks.as<T>();
    std::string rule;
    double t = 0;
    int mode = 0; // 0: >= t, 1: == 2 (label convention), 2: nonzero
    if (std::is_floating_point<T>::value) {
      t = threshold.value_or(0.5);
      std::ostringstream os;
      os << "probability >= " << t;
      rule = os.str();
    } else if (threshold) {
      t = *threshold;
      std::ostringstream os;
      os << "value >= " << t;
      rule = os.str();
    } else {
      std::atomic<bool> onlyLabels{true}, anyTwo{false};
      parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
        bool only = true, two = false;
        for (std::int64_t i = b; i < e; ++i) {
          only = only && p[i] <= T(labels::kMaxLabel);
          two = two || p[i] == T(labels::kCrack);
        }
        if (!only) onlyLabels = false;
        if (two) anyTwo = true;
      });
      if (onlyLabels && anyTwo) mode = 1, rule = "labels (value 2 = crack)";
      else mode = 2, rule = "nonzero = crack";
    }
    out.description = rule;
    parallelFor(n, 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
      std::int64_t c = 0;
      for (std::int64_t i = b; i < e; ++i) {
        const double v = double(p[i]);
        const bool crack = mode == 0 ? v >= t : (mode == 1 ? p[i] == T(labels::kCrack) : p[i] != T(0));
        m[i] = crack ? 1 : 0;
        c += crack;
      }
      total += c;
    });
  });
  out.crackVoxels = total;
  return out;
}

CrackMask crackMaskFromLabels(const volume::Volume& labels) {
  if (labels.empty() || labels.voxelCount() == 0) throw std::invalid_argument("the label volume is empty");
  if (labels.type() != volume::VoxelType::UInt8) throw std::invalid_argument("labels must be uint8 (0, 1, 2)");
  CrackMask out;
  out.mask = volume::Volume(labels.size(), volume::VoxelType::UInt8, labels.spacing(), labels.origin());
  out.description = "labels (value 2 = crack)";
  const std::uint8_t* l = labels.as<std::uint8_t>();
  std::uint8_t* m = out.mask.as<std::uint8_t>();
  std::atomic<std::int64_t> total{0};
  parallelFor(labels.voxelCount(), 1 << 20, [&](std::int64_t b, std::int64_t e, int) {
    std::int64_t c = 0;
    for (std::int64_t i = b; i < e; ++i) c += (m[i] = l[i] == labels::kCrack ? 1 : 0);
    total += c;
  });
  out.crackVoxels = total;
  return out;
}

} // namespace core::analysis
