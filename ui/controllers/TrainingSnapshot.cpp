#include "ui/controllers/TrainingSnapshot.h"

#include <algorithm>
#include <cstring>

namespace ui {

namespace {

/// The snapshot of \p slices (increasing) of an image of \p info: \p readImage(z, dst) copies
/// image slice z, \p readLabels(z, dst) label slice z, \p annotated(z) its flag.
template <class ReadImage, class ReadLabels, class Annotated>
TrainingSnapshot assemble(std::vector<std::int64_t> slices, const core::volume::VolumeInfo& info, int contextSlices,
                          ReadImage&& readImage, ReadLabels&& readLabels, Annotated&& isAnnotated) {
  TrainingSnapshot snap;
  snap.slices = std::move(slices);
  if (snap.slices.empty()) return snap;
  const auto size = info.size;
  // One group of 2k+1 image slices per labelled slice (its neighbours, mirrored at the volume's
  // ends), labels on the group's middle slice only: the engine then builds each sample from its
  // own group, exactly as it would from the whole volume (k = 0: just the labelled slices).
  const std::int64_t group = 2 * std::int64_t(contextSlices) + 1;
  const core::volume::Size3 sub{size.x, size.y, std::int64_t(snap.slices.size()) * group};
  core::volume::Volume img(sub, info.type, info.spacing);
  core::volume::Volume lab(sub, core::volume::VoxelType::UInt8, info.spacing); // zeros: unlabelled
  std::vector<bool> annotated(std::size_t(sub.z), false);
  for (std::size_t i = 0; i < snap.slices.size(); ++i) {
    const std::int64_t z = snap.slices[i], first = std::int64_t(i) * group;
    for (std::int64_t d = 0; d < group; ++d)
      readImage(core::ml::mirroredSlice(z + d - contextSlices, size.z), img.slicePtr(first + d));
    readLabels(z, lab.slicePtr(first + contextSlices));
    annotated[std::size_t(first + contextSlices)] = isAnnotated(z);
  }
  snap.data = core::ml::TrainingData::fromVolumes(img, lab, annotated, "image", "labels", contextSlices);
  for (std::size_t i = 0; i < snap.data.slices.size(); ++i) snap.data.slices[i].sourceZ = snap.slices[i];
  return snap;
}

} // namespace

TrainingSnapshot TrainingSnapshot::takeLazy(core::volume::LazyVolume& image, const core::labels::SparseLabels& labels,
                                            int contextSlices) {
  const core::volume::VolumeInfo info = image.levelInfo(0);
  if (!(labels.size() == info.size)) throw std::runtime_error("the labels and the image differ in size");
  core::ml::checkContextDepth(info.size.z, contextSlices, "the image");
  std::vector<std::int64_t> slices = labels.labelledSlicesZ();
  for (std::int64_t z : labels.annotatedSlices()) slices.push_back(z);
  std::sort(slices.begin(), slices.end());
  slices.erase(std::unique(slices.begin(), slices.end()), slices.end());
  const auto slice = [&](std::int64_t z) { return core::volume::Region{{0, 0, z}, {info.size.x, info.size.y, 1}}; };
  return assemble(
      std::move(slices), info, contextSlices,
      [&](std::int64_t z, void* dst) {
        const core::volume::Volume v = image.read(0, slice(z));
        std::memcpy(dst, v.data(), std::size_t(v.bytes()));
      },
      [&](std::int64_t z, void* dst) { labels.read(slice(z), static_cast<std::uint8_t*>(dst)); },
      [&](std::int64_t z) { return labels.isSliceAnnotated(z); });
}

TrainingSnapshot TrainingSnapshot::take(const core::volume::Volume& image, const core::labels::LabelVolume& labels,
                                        int contextSlices) {
  const auto& lv = labels.volume();
  const auto size = lv.size();
  core::ml::checkContextDepth(size.z, contextSlices, "the image");
  const std::uint64_t n = std::uint64_t(size.x * size.y);
  std::vector<std::int64_t> slices;
  for (std::int64_t z = 0; z < size.z; ++z) {
    const std::uint8_t* s = lv.slicePtr(z);
    if (labels.isSliceAnnotated(z) || std::any_of(s, s + n, [](std::uint8_t l) { return l != 0; })) slices.push_back(z);
  }
  return assemble(
      std::move(slices), image.info(), contextSlices,
      [&](std::int64_t z, void* dst) { std::memcpy(dst, image.slicePtr(z), image.info().sliceBytes()); },
      [&](std::int64_t z, void* dst) { std::memcpy(dst, lv.slicePtr(z), n); },
      [&](std::int64_t z) { return labels.isSliceAnnotated(z); });
}

} // namespace ui
