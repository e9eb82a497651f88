#include "app/cli/support/VolumeOptions.h"
#include "app/cli/support/NumberChecks.h"

#include <limits>
#include <stdexcept>

namespace cli {

void addOpenOptions(CLI::App& app, VolumeOptions& o, bool withReadOptions) {
  const std::string group = "Input";
  app.add_option("--format", o.format,
                 "Input format: auto (default, by content and extension), tiff-folder, png-folder, tiff, image, "
                 "nrrd, mha, nifti, vol, raw, hdf5, itk")
      ->group(group);
  app.add_option("--raw-size", o.rawSize, "Raw data: size X,Y,Z in voxels (also for a .vol without .info)")
      ->delimiter(',')
      ->check(wholeIn(1, kMaxEdge))
      ->group(group);
  app.add_option("--raw-type", o.rawType, "Raw data: voxel type uint8, uint16, uint32 or float32 (default uint8)")
      ->group(group);
  app.add_flag("--big-endian", o.bigEndian, "Raw data: big-endian (default little-endian)")->group(group);
  app.add_option("--header-offset", o.headerOffset, "Raw data: bytes to skip at the start of the file")
      ->check(wholeIn(0, std::numeric_limits<std::int64_t>::max()))
      ->group(group);
  app.add_option("--spacing", o.spacing, "Voxel spacing in micrometres, X[,Y,Z]; overrides the file's")
      ->delimiter(',')
      ->check(numberIn(0, 1e9, true))
      ->group(group);
  app.add_option("--dataset", o.dataset, "HDF5 dataset path (default /exchange/data, dims z,y,x)")->group(group);
  if (!withReadOptions) return;
  app.add_option("--crop", o.crop, "Read only the box x0,y0,z0,sx,sy,sz (voxels; a size of 0 means to the end)")
      ->delimiter(',')
      ->group(group);
  app.add_option("--downsample", o.downsample,
                 "Integer downsampling factor on x, y and z, applied while reading (at most the longest side)")
      ->check(wholeIn(1, core::volume::kMaxDownsample))
      ->group(group);
  app.add_option("--downsample-mode", o.downsampleMode,
                 "mean (default, for images) or nearest (for label volumes)")
      ->group(group);
}

core::volume::OpenOptions toOpenOptions(const VolumeOptions& o) {
  core::volume::OpenOptions out;
  out.format = o.format;
  out.hdf5Dataset = o.dataset;
  if (!o.rawSize.empty()) {
    if (o.rawSize.size() != 3 || o.rawSize[0] <= 0 || o.rawSize[1] <= 0 || o.rawSize[2] <= 0)
      throw std::invalid_argument("--raw-size needs three positive numbers X,Y,Z");
    core::volume::RawParams raw;
    raw.size = {o.rawSize[0], o.rawSize[1], o.rawSize[2]};
    raw.type = core::volume::parseVoxelType(o.rawType);
    raw.bigEndian = o.bigEndian;
    raw.headerOffset = o.headerOffset;
    out.raw = raw;
  }
  if (!o.spacing.empty()) {
    if (o.spacing.size() != 1 && o.spacing.size() != 3)
      throw std::invalid_argument("--spacing needs one number or three (X,Y,Z) in micrometres");
    const core::volume::Vec3 s = o.spacing.size() == 1 ? core::volume::Vec3{o.spacing[0], o.spacing[0], o.spacing[0]}
                                                       : core::volume::Vec3{o.spacing[0], o.spacing[1], o.spacing[2]};
    if (!(s.x > 0 && s.y > 0 && s.z > 0)) throw std::invalid_argument("--spacing must be positive");
    out.spacing = s;
    if (out.raw) out.raw->spacing = s;
  }
  return out;
}

core::volume::ReadOptions toReadOptions(const VolumeOptions& o) {
  core::volume::ReadOptions out;
  if (!o.crop.empty()) {
    if (o.crop.size() != 6) throw std::invalid_argument("--crop needs six numbers x0,y0,z0,sx,sy,sz");
    for (std::size_t i = 0; i < 6; ++i)
      if (o.crop[i] < 0) throw std::invalid_argument("--crop values must not be negative");
    out.crop = core::volume::Region{{o.crop[0], o.crop[1], o.crop[2]}, {o.crop[3], o.crop[4], o.crop[5]}};
  }
  if (o.downsample < 1) throw std::invalid_argument("--downsample must be 1 or more");
  out.downsample = o.downsample;
  if (o.downsampleMode == "mean") out.mode = core::volume::DownsampleMode::Mean;
  else if (o.downsampleMode == "nearest") out.mode = core::volume::DownsampleMode::Nearest;
  else throw std::invalid_argument("--downsample-mode must be mean or nearest, not '" + o.downsampleMode + "'");
  return out;
}

} // namespace cli
