#include "core/project/ProjectIO.h"

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
  for (std::int64_t z : project.annotatedSlices)
    if (z < 0 || z >= image.size.z)
      throw std::runtime_error("the project marks slice " + std::to_string(z) + " as annotated, but the image '" +
                               project.imagePath + "' has slices 0.." + std::to_string(image.size.z - 1));
  std::unique_ptr<LabelVolume> labels;
  if (project.labelsPath.empty()) {
    volume::VolumeInfo info = image;
    info.type = volume::VoxelType::UInt8;
    labels = std::make_unique<LabelVolume>(volume::Volume(info), project.annotatedSlices);
  } else {
    labels = std::make_unique<LabelVolume>(readLabelsFile(project.labelsPath, image), project.annotatedSlices);
  }
  labels->markSaved();
  return labels;
}

volume::Volume readPredictionFile(const std::string& path, const volume::VolumeInfo& image) {
  auto reader = volume::openVolume(path);
  const volume::VolumeInfo info = reader->info();
  if (info.size != image.size)
    throw std::runtime_error("prediction '" + path + "' is " + sizeText(info.size) + " voxels but the image is " +
                             sizeText(image.size) + ": it belongs to another image (or another crop or downsampling)");
  volume::Volume v = reader->read();
  if (v.type() == volume::VoxelType::UInt8) {
    v.setSpacing(image.spacing);
    v.setOrigin(image.origin);
    return v;
  }
  // Floats are probabilities 0..1 (cdnet predict's default output); integers are 0..255.
  const bool probability = v.type() == volume::VoxelType::Float32;
  volume::Volume out(image.size, volume::VoxelType::UInt8, image.spacing, image.origin);
  std::uint8_t* o = out.as<std::uint8_t>();
  volume::dispatch(v.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = v.as<T>();
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) {
      const double d = double(p[i]);
      const bool ok = probability ? (d >= 0 && d <= 1) : (d >= 0 && d <= 255);
      if (!ok) {
        std::ostringstream value;
        value << d;
        throw std::runtime_error("prediction '" + path + "' holds the value " + value.str() + ", not a crack " +
                                 (probability ? "probability from 0 to 1 (float files hold probabilities)"
                                              : "probability from 0 to 255 (integer files hold 255 = 1)"));
      }
      o[i] = std::uint8_t(std::lround(probability ? d * 255.0 : d));
    }
  });
  return out;
}

} // namespace core::labels
