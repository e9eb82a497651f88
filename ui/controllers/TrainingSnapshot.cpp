#include "ui/controllers/TrainingSnapshot.h"

#include <algorithm>
#include <cstring>

namespace ui {

TrainingSnapshot TrainingSnapshot::take(const core::volume::Volume& image, const core::labels::LabelVolume& labels,
                                        int contextSlices) {
  TrainingSnapshot snap;
  const auto& lv = labels.volume();
  const auto size = lv.size();
  core::ml::checkContextDepth(size.z, contextSlices, "the image");
  const std::uint64_t n = std::uint64_t(size.x * size.y);
  for (std::int64_t z = 0; z < size.z; ++z) {
    const std::uint8_t* s = lv.slicePtr(z);
    if (labels.isSliceAnnotated(z) || std::any_of(s, s + n, [](std::uint8_t l) { return l != 0; }))
      snap.slices.push_back(z);
  }
  if (snap.slices.empty()) return snap;
  // One group of 2k+1 image slices per labelled slice (its neighbours, mirrored at the volume's
  // ends), labels on the group's middle slice only: the engine then builds each sample from its
  // own group, exactly as it would from the whole volume (k = 0: just the labelled slices).
  const std::int64_t group = 2 * std::int64_t(contextSlices) + 1;
  const core::volume::Size3 sub{size.x, size.y, std::int64_t(snap.slices.size()) * group};
  core::volume::Volume img(sub, image.type(), image.spacing());
  core::volume::Volume lab(sub, core::volume::VoxelType::UInt8, image.spacing()); // zeros: unlabelled
  std::vector<bool> annotated(std::size_t(sub.z), false);
  for (std::size_t i = 0; i < snap.slices.size(); ++i) {
    const std::int64_t z = snap.slices[i], first = std::int64_t(i) * group;
    for (std::int64_t d = 0; d < group; ++d)
      std::memcpy(img.slicePtr(first + d), image.slicePtr(core::ml::mirroredSlice(z + d - contextSlices, size.z)),
                  image.info().sliceBytes());
    std::memcpy(lab.slicePtr(first + contextSlices), lv.slicePtr(z), n);
    annotated[std::size_t(first + contextSlices)] = labels.isSliceAnnotated(z);
  }
  snap.data = core::ml::TrainingData::fromVolumes(img, lab, annotated, "image", "labels", contextSlices);
  for (std::size_t i = 0; i < snap.data.slices.size(); ++i) snap.data.slices[i].sourceZ = snap.slices[i];
  return snap;
}

} // namespace ui
