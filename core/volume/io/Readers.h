#pragma once
/// \file Readers.h
/// Internal: the readers of each format, created by openVolume() once the format is known.
/// Each throws std::runtime_error naming the file and the problem.

#include "core/volume/io/IoSupport.h"
#include "core/volume/io/SliceReader.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core::volume::io {

/// One TIFF or BigTIFF file, one slice per page (thumbnail pages skipped).
std::unique_ptr<SliceReader> openTiffStack(const std::string& path);
/// A list of 2D image files, one slice each, in the given order (a folder, or one PNG).
/// \p format is the name reported ("tiff-folder", "png-folder", "image").
std::unique_ptr<SliceReader> openSliceFiles(const std::string& path, const std::vector<std::string>& files,
                                            const std::string& format);
/// The TIFF or PNG files of a folder in natural order ("tiff-folder" or "png-folder" in \p format;
/// empty picks the more numerous kind). Hidden files are skipped.
std::vector<std::string> listSliceFiles(const std::string& folder, std::string& format);

/// Raw voxels: \p params.size of \p params.type at \p params.headerOffset.
std::unique_ptr<SliceReader> openRaw(const std::string& path, const RawParams& params);
/// ESRF .vol with its .vol.info; \p fallback (if given) replaces a missing .info.
std::unique_ptr<SliceReader> openEsrfVol(const std::string& path, const std::optional<RawParams>& fallback);
/// NRRD with raw or gzip encoding (attached or detached data); other encodings through ITK.
std::unique_ptr<SliceReader> openNrrd(const std::string& path);
/// Any image ITK reads (MetaImage, NIfTI, NRRD); \p format is "mha", "nifti", "nrrd" or "itk".
/// MetaImage headers (format "mha", or "itk" with a .mha/.mhd name) go to openMetaImage().
std::unique_ptr<SliceReader> openItk(const std::string& path, const std::string& format);
/// Through ITK's ImageIO without our MetaImage reader (headers already checked by the caller).
std::unique_ptr<SliceReader> openItkImage(const std::string& path, const std::string& format);
/// MetaImage (.mha, .mhd): header parsed and checked here, voxels streamed by the raw reader
/// (LOCAL or one data file, raw or compressed) or read by ITK (text voxels, several data files).
/// \p format is the name reported ("mha" or "itk").
std::unique_ptr<SliceReader> openMetaImage(const std::string& path, const std::string& format);
/// An HDF5 dataset of rank 3 (z, y, x) or 2 (y, x); \p level > 0 its pyramid level
/// (hdf5LevelDataset), failing naming the file when that level does not exist.
std::unique_ptr<SliceReader> openHdf5(const std::string& path, const std::string& dataset, int level = 0);
/// The dataset of pyramid level \p level of \p dataset: itself for 0, else "<dataset>_levels/<level>".
std::string hdf5LevelDataset(const std::string& dataset, int level);
/// Size, type, spacing and origin of \p dataset and of each of its pyramid levels.
std::vector<VolumeInfo> hdf5Levels(const std::string& path, const std::string& dataset);

/// Where the voxels of a single-file NIfTI-1 are, for the raw reader.
struct NiftiLayout {
  Component component;
  bool bigEndian, gzip;
  std::uint64_t voxOffset;
};
/// True for the names of NIfTI and Analyze files (.nii, .nii.gz, .hdr, .img).
bool isNiftiName(const std::string& path);
/// Checks a NIfTI-1 header before niftilib reads it (dim, datatype, bitpix, vox_offset) and that
/// uncompressed data is as long as it says; throws naming the file otherwise. Returns where the
/// voxels are when the raw reader can read them (a single file without intensity scaling).
std::optional<NiftiLayout> checkNiftiHeader(const std::string& path);

/// The reader of raw voxels at an offset of a file, shared by raw, .vol, NRRD and NIfTI.
/// \p gzip: a gzip stream starts at byte \p offset of the file and the voxels start at byte
/// \p gzipSkip of its uncompressed content (read sequentially; seeking back restarts).
std::unique_ptr<SliceReader> openRawLayout(const std::string& path, const std::string& dataPath,
                                           const std::string& format, const VolumeInfo& info, Component component,
                                           bool bigEndian, std::uint64_t offset, bool gzip,
                                           std::uint64_t gzipSkip = 0);

} // namespace core::volume::io
