#pragma once
/// \file VolumeIO.h
/// Reading and writing volumes in every supported format, whole or slab by slab.
/// Readers read only the slices they are asked for where the format allows it; crop and
/// downsample are applied while reading, never after, so peak memory stays near the output size.
/// Errors are std::runtime_error whose message names the file and the problem.
/// Thread affinity: a reader or writer object is used from one thread at a time.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core::volume {

/// Parameters a raw file cannot tell (also used for ESRF .vol when its .info is given by hand).
struct RawParams {
  Size3 size;
  VoxelType type = VoxelType::UInt8;
  bool bigEndian = false;
  std::uint64_t headerOffset = 0; ///< bytes skipped at the start of the file
  Vec3 spacing{1, 1, 1};
};

/// How to open a path.
struct OpenOptions {
  /// "auto" (by extension and content), "tiff-folder", "tiff", "nrrd", "mha", "nifti", "vol",
  /// "raw", "hdf5", "image" (a single 2D PNG/TIFF/...).
  std::string format = "auto";
  std::optional<RawParams> raw;               ///< required for "raw"
  std::string hdf5Dataset = "/exchange/data"; ///< dataset path inside an HDF5 file
};

enum class DownsampleMode { Mean, Nearest }; ///< Mean for images, Nearest for label volumes

/// What part of a volume to read and how.
struct ReadOptions {
  std::optional<Region> crop;  ///< in voxels of the file; default whole volume
  int downsample = 1;          ///< integer factor on x, y and z (1 = none)
  DownsampleMode mode = DownsampleMode::Mean;
};

/// An opened volume file. info() is cheap (header only); read() reads what is asked.
class VolumeReader {
public:
  virtual ~VolumeReader() = default;
  /// The file's full volume description.
  virtual VolumeInfo info() const = 0;
  /// Short name of the detected format ("tiff-folder", "nrrd", ...).
  virtual std::string formatName() const = 0;
  /// Path as given when opened.
  virtual const std::string& path() const = 0;
  /// Reads \p region (file voxels) and downsamples it by \p opts. Output size is
  /// ceil(region.size / downsample); spacing is multiplied by downsample; origin follows the region.
  virtual Volume read(const Region& region, int downsample, DownsampleMode mode,
                      jobs::ProgressSink& progress, jobs::CancelToken& cancel) = 0;
  /// Info of what read() would return for \p opts.
  VolumeInfo outputInfo(const ReadOptions& opts) const;
  /// Reads according to \p opts.
  Volume read(const ReadOptions& opts = {}, jobs::ProgressSink& progress = jobs::nullProgress(),
              jobs::CancelToken& cancel = jobs::neverCancelled());
  /// Slices [z0, z1) of the file, whole in x and y.
  Volume readSlab(std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress = jobs::nullProgress(),
                  jobs::CancelToken& cancel = jobs::neverCancelled());
};

/// Opens \p path. Throws std::runtime_error naming the file when it is missing, empty, of an
/// unknown format or damaged.
std::unique_ptr<VolumeReader> openVolume(const std::string& path, const OpenOptions& opts = {});

/// Convenience: open and read in one call.
Volume readVolume(const std::string& path, const OpenOptions& open = {}, const ReadOptions& read = {},
                  jobs::ProgressSink& progress = jobs::nullProgress(),
                  jobs::CancelToken& cancel = jobs::neverCancelled());

/// How to write.
struct WriteOptions {
  /// "auto" (by extension: .nrrd/.nhdr NRRD, .tif/.tiff multi-page TIFF (BigTIFF when > 4 GiB),
  /// .h5/.hdf5 HDF5, a path ending in '/' or without extension a TIFF slice folder), or explicit
  /// "tiff-folder", "tiff", "nrrd", "hdf5".
  std::string format = "auto";
  std::string hdf5Dataset = "/exchange/data";
  bool compress = false;
};

/// Writes a volume slab by slab. The output appears atomically: data goes to a temporary name
/// that finish() renames over the target, so a crash or a full disk never leaves a half-written
/// file in place of a good one.
class VolumeWriter {
public:
  virtual ~VolumeWriter() = default;
  /// Writes slices [z0, z0 + slab.size().z). Slabs must come in increasing z, without gaps.
  virtual void writeSlab(const Volume& slab, std::int64_t z0) = 0;
  /// Completes and renames into place. Without finish() the target is untouched.
  virtual void finish() = 0;
};

/// Starts writing a volume described by \p info to \p path.
std::unique_ptr<VolumeWriter> createWriter(const std::string& path, const VolumeInfo& info,
                                           const WriteOptions& opts = {});

/// Writes a whole volume atomically.
void writeVolume(const Volume& volume, const std::string& path, const WriteOptions& opts = {},
                 jobs::ProgressSink& progress = jobs::nullProgress());

/// Sorts file names naturally ("slice2" before "slice10").
void naturalSort(std::vector<std::string>& names);

} // namespace core::volume
