#pragma once
/// \file OmeZarr.h
/// Internal: OME-Zarr images (NGFF 0.4 multiscales of Zarr v2 arrays, or a bare Zarr v2 array),
/// read at any resolution level and written with a pyramid of 2x block means built while the
/// slabs stream in. Chunks compressed with blosc, zstd, zlib or gzip (ZarrCodec.h).

#include "core/volume/io/SliceReader.h"

#include <memory>
#include <string>
#include <vector>

namespace core::volume::io {

/// True when \p path is a folder holding .zattrs, .zgroup or .zarray.
bool isOmeZarr(const std::string& path);
/// Size, type, spacing and origin of every resolution level (0 = full resolution).
std::vector<VolumeInfo> omeZarrLevels(const std::string& path);
/// A reader of resolution level \p level.
std::unique_ptr<SliceReader> openOmeZarr(const std::string& path, int level);
std::unique_ptr<VolumeWriter> createOmeZarrWriter(const std::string& path, const VolumeInfo& info,
                                                  const WriteOptions& opts);

} // namespace core::volume::io
