#pragma once
/// \file VolumeIO.h
/// Reading and writing volumes in every supported format, whole or slab by slab.
/// Readers read only the slices they are asked for where the format allows it; crop and
/// downsample are applied while reading, never after, so peak memory stays near the output size.
/// Errors are std::runtime_error whose message names the file and the problem.
/// Where a format cannot be read in parts (MetaImage with compressed data, NRRD in ascii/hex/bzip2
/// encodings, NIfTI with intensity scaling: all through ITK) the whole file is read once into a
/// cache, checked against memory first; every other format reads only what is asked.
/// Thread affinity: a reader or writer object is used from one thread at a time.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <functional>
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
  /// "auto" (by content, then extension), "ome-zarr" (a folder: NGFF 0.4 multiscales or a bare Zarr
  /// v2 array), "tiff-folder", "png-folder", "tiff" (one file, one or
  /// many pages, BigTIFF too), "nrrd", "mha" (also .mhd), "nifti", "vol", "raw", "hdf5", "image"
  /// (a single 2D PNG or TIFF), or "itk" (any file ITK reads, through ITK). "auto" falls back to "raw" when \c raw is
  /// given and the content is not recognised.
  std::string format = "auto";
  std::optional<RawParams> raw;               ///< required for "raw"; used by "vol" when .info is missing
  std::string hdf5Dataset = "/exchange/data"; ///< dataset path inside an HDF5 file (dims z, y, x)
  std::optional<Vec3> spacing;                ///< micrometres; overrides what the file says
  /// Resolution level of a multiscale file (OME-Zarr): 0 is full resolution, k is 2^k coarser.
  int level = 0;
};

enum class DownsampleMode { Mean, Nearest }; ///< Mean for images, Nearest for label volumes

/// The largest downsampling factor accepted anywhere (a read also refuses a factor larger than
/// the longest side of what it reads: that would average everything into one voxel).
constexpr int kMaxDownsample = 4096;

/// What part of a volume to read and how.
struct ReadOptions {
  /// In voxels of the file; default whole volume. A size <= 0 on an axis means "to the end".
  std::optional<Region> crop;
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
  /// Reads \p region (file voxels, must lie inside info().size) and downsamples it by
  /// \p downsample on x, y and z while reading. Output size is ceil(region.size / downsample)
  /// (Mean averages the voxels of each block, partial blocks at the far border included, and
  /// rounds for integer types; Nearest takes the block's first voxel); spacing is multiplied by
  /// downsample; origin is the file origin + region.start * spacing. The output buffer is
  /// allocated once (checkAllocation first); scratch memory is a few rows or one strip.
  virtual Volume read(const Region& region, int downsample, DownsampleMode mode,
                      jobs::ProgressSink& progress, jobs::CancelToken& cancel) = 0;
  /// Info of what read() would return for \p opts. Throws when the crop lies outside or the
  /// downsampling factor is below 1 or above the longest side of the crop.
  VolumeInfo outputInfo(const ReadOptions& opts) const;
  /// The crop of \p opts resolved against info() (whole volume when none; sizes <= 0 extended
  /// to the end). Throws std::runtime_error naming the file when it does not lie inside.
  Region resolveCrop(const ReadOptions& opts) const;
  /// Reads according to \p opts.
  Volume read(const ReadOptions& opts = {}, jobs::ProgressSink& progress = jobs::nullProgress(),
              jobs::CancelToken& cancel = jobs::neverCancelled());
  /// Slices [z0, z1) of the file, whole in x and y.
  Volume readSlab(std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress = jobs::nullProgress(),
                  jobs::CancelToken& cancel = jobs::neverCancelled());
};

/// Opens \p path. Throws std::runtime_error naming the file when it is missing, empty, of an
/// unknown format or damaged. A spacing in the file that is not a positive finite number (NaN,
/// zero, negative: a damaged or careless header) is replaced by 1 on that axis, as 3D Slicer and
/// Fiji show such files, with a warning (core::jobs::warn) naming the file and --spacing; a
/// spacing given in \p opts replaces the file's without a warning.
std::unique_ptr<VolumeReader> openVolume(const std::string& path, const OpenOptions& opts = {});

/// Reads what \p opts selects from \p reader in slabs of whole output slices, at most about
/// \p maxSlabBytes of output each (at least one slice; a multiple of \p align slices when a slab
/// holds that many), and calls \p fn(slab, z0) with z0 the slab's first output slice. Only one slab
/// is in memory at a time, so a volume of any size is processed in bounded memory. The slab's
/// origin is its own. Progress covers the whole read; cancel is checked between slabs.
void forEachSlab(VolumeReader& reader, const ReadOptions& opts, std::uint64_t maxSlabBytes,
                 const std::function<void(Volume& slab, std::int64_t z0)>& fn,
                 jobs::ProgressSink& progress = jobs::nullProgress(),
                 jobs::CancelToken& cancel = jobs::neverCancelled(), std::int64_t align = 1);

/// Size, type, spacing and origin of each resolution level of \p path (0 = full resolution): all
/// levels of an OME-Zarr image, the one level of any other file.
std::vector<VolumeInfo> resolutionLevels(const std::string& path, const OpenOptions& opts = {});

/// Convenience: open and read in one call.
Volume readVolume(const std::string& path, const OpenOptions& open = {}, const ReadOptions& read = {},
                  jobs::ProgressSink& progress = jobs::nullProgress(),
                  jobs::CancelToken& cancel = jobs::neverCancelled());

/// How to write.
struct WriteOptions {
  /// "auto" (by extension: .nrrd NRRD, .tif/.tiff multi-page TIFF (BigTIFF when > 4 GiB), .h5/.hdf5
  /// HDF5, .zarr OME-Zarr (a folder, with a pyramid), .mha MetaImage, .nii/.nii.gz NIfTI, a path
  /// ending in '/', without extension or an existing folder a TIFF slice folder), or explicit
  /// "tiff-folder", "tiff", "nrrd", "hdf5", "ome-zarr", "mha", "nifti". mha and nifti go through ITK and hold the whole volume in memory
  /// until finish(); the others stream slab by slab.
  std::string format = "auto";
  std::string hdf5Dataset = "/exchange/data"; ///< created with its groups; dims z, y, x
  /// HDF5 and OME-Zarr chunk shape in voxels (x, y, z), clipped to the volume. The writers buffer
  /// one layer of chunks (per pyramid level for OME-Zarr); HDF5 reduces the z depth until that
  /// layer fits in 512 MiB, OME-Zarr rounds it down to an even number.
  Size3 hdf5Chunk{64, 64, 64};
  /// OME-Zarr chunk compressor: "blosc" (lz4 with byte shuffle, numcodecs' default), "blosc-zstd",
  /// "zstd", "zlib", "gzip" or "none".
  std::string zarrCompressor = "blosc";
  /// OME-Zarr resolution levels including full resolution; 0 = halve until the longest side is at
  /// most 256 voxels.
  int pyramidLevels = 0;
  bool compress = false;             ///< deflate (TIFF, HDF5) or gzip (NRRD, NIfTI .gz by name)
  std::optional<bool> bigTiff;       ///< multi-page TIFF: default BigTIFF only when over 4 GiB
};

/// Writes a volume slab by slab. The output appears atomically: data goes to a temporary name in
/// the same folder (a temporary folder for slice folders), is fsynced, and finish() renames it over
/// the target, so a crash or a full disk never leaves a half-written file in place of a good one.
/// A slice folder is never written over an existing non-empty folder. Destroying a writer without
/// finish() removes the temporary data.
class VolumeWriter {
public:
  virtual ~VolumeWriter() = default;
  /// Writes slices [z0, z0 + slab.size().z). Slabs must come in increasing z, without gaps, with
  /// the x/y size and voxel type given to createWriter().
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

/// Which format "auto" would pick for \p path when writing, or throws naming the path.
std::string writeFormatFor(const std::string& path, const WriteOptions& opts = {});

/// Sorts file names naturally ("slice2" before "slice10").
void naturalSort(std::vector<std::string>& names);

} // namespace core::volume
