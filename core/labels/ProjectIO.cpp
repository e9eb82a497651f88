#include "core/labels/ProjectIO.h"

#include "core/volume/io/VolumeIO.h"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace core::labels {

namespace fs = std::filesystem;

namespace {
std::string sizeText(const volume::Size3& s) {
  return std::to_string(s.x) + " x " + std::to_string(s.y) + " x " + std::to_string(s.z);
}
} // namespace

std::string defaultLabelsPath(const std::string& projectPath) {
  fs::path p(projectPath);
  return (p.parent_path() / (p.stem().string() + ".labels.nrrd")).string();
}

volume::Volume readLabelsFile(const std::string& path, const volume::VolumeInfo& image) {
  auto reader = volume::openVolume(path);
  const volume::VolumeInfo info = reader->info();
  if (info.size != image.size)
    throw std::runtime_error("labels file '" + path + "' is " + sizeText(info.size) + " voxels but the image is " +
                             sizeText(image.size) + ": it belongs to another image (or another crop or downsampling)");
  volume::Volume v = reader->read();
  if (v.type() != volume::VoxelType::UInt8) {
    bool ok = true;
    double maxValue = 0;
    volume::dispatch(v.type(), [&](auto tag) {
      using T = decltype(tag);
      const T* p = v.as<T>();
      for (std::int64_t i = 0; i < v.voxelCount() && ok; ++i) {
        const double d = double(p[i]);
        if (!(d >= 0 && d <= 255 && std::floor(d) == d)) {
          ok = false;
          maxValue = d;
        }
      }
    });
    std::ostringstream value;
    value << maxValue;
    if (!ok)
      throw std::runtime_error("labels file '" + path + "' holds the value " + value.str() +
                               ", not a label (labels are whole numbers 0..255: 0 unlabelled, 1 not crack, 2 crack)");
    v = v.convertTo(volume::VoxelType::UInt8);
  }
  v.setSpacing(image.spacing);
  v.setOrigin(image.origin);
  return v;
}

void writeLabelsFile(const LabelVolume& labels, const std::string& path, const volume::WriteOptions& options) {
  volume::writeVolume(labels.volume(), path, options);
}

void saveProject(ProjectFile& project, const std::string& projectPath, LabelVolume& labels) {
  if (project.labelsPath.empty()) project.labelsPath = defaultLabelsPath(projectPath);
  std::error_code ec;
  if (labels.isModified() || !fs::exists(project.labelsPath, ec)) writeLabelsFile(labels, project.labelsPath);
  project.annotatedSlices = labels.annotatedSlices();
  project.save(projectPath);
  labels.markSaved();
}

void saveProjectAs(ProjectFile& project, const std::string& projectPath, LabelVolume& labels) {
  project.labelsPath = defaultLabelsPath(projectPath);
  writeLabelsFile(labels, project.labelsPath);
  project.annotatedSlices = labels.annotatedSlices();
  project.save(projectPath);
  labels.markSaved();
}

std::unique_ptr<LabelVolume> loadProjectLabels(const ProjectFile& project, const volume::VolumeInfo& image) {
  std::unique_ptr<LabelVolume> labels;
  if (project.labelsPath.empty()) {
    labels = std::make_unique<LabelVolume>(image);
  } else {
    volume::Volume v = readLabelsFile(project.labelsPath, image);
    for (std::int64_t z : project.annotatedSlices)
      if (z < 0 || z >= image.size.z)
        throw std::runtime_error("the project marks slice " + std::to_string(z) +
                                 " as annotated, but the labels '" + project.labelsPath + "' have slices 0.." +
                                 std::to_string(image.size.z - 1));
    labels = std::make_unique<LabelVolume>(std::move(v), project.annotatedSlices);
  }
  labels->markSaved();
  return labels;
}

} // namespace core::labels
