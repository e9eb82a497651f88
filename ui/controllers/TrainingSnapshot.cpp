#include "ui/controllers/TrainingSnapshot.h"

#include <algorithm>
#include <cstring>

namespace ui {

TrainingSnapshot TrainingSnapshot::take(const core::volume::Volume& image, const core::labels::LabelVolume& labels) {
  TrainingSnapshot snap;
  const auto& lv = labels.volume();
  const auto size = lv.size();
  const std::uint64_t n = std::uint64_t(size.x * size.y);
  for (std::int64_t z = 0; z < size.z; ++z) {
    const std::uint8_t* s = lv.slicePtr(z);
    if (labels.isSliceAnnotated(z) || std::any_of(s, s + n, [](std::uint8_t l) { return l != 0; }))
      snap.slices.push_back(z);
  }
  if (snap.slices.empty()) return snap;
  const core::volume::Size3 sub{size.x, size.y, std::int64_t(snap.slices.size())};
  core::volume::Volume img(sub, image.type(), image.spacing());
  core::volume::Volume lab(sub, core::volume::VoxelType::UInt8, image.spacing());
  std::vector<bool> annotated(snap.slices.size());
  for (std::size_t i = 0; i < snap.slices.size(); ++i) {
    const std::int64_t z = snap.slices[i];
    std::memcpy(img.slicePtr(std::int64_t(i)), image.slicePtr(z), image.info().sliceBytes());
    std::memcpy(lab.slicePtr(std::int64_t(i)), lv.slicePtr(z), n);
    annotated[i] = labels.isSliceAnnotated(z);
  }
  snap.data = core::ml::TrainingData::fromVolumes(img, lab, annotated, "image", "labels");
  return snap;
}

} // namespace ui
