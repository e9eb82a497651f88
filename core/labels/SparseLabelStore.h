#pragma once
/// \file SparseLabelStore.h
/// Sparse labels on disk (issue 16): a Zarr v2 array, uint8, on the same chunk grid as in memory,
/// placed next to the image as "<image>.labels.zarr" (sparseLabelPath). Layout:
///   DIR/.zarray  shape [z, y, x], chunks [cz, cy, cx], dtype "|u1", zlib, fill_value 0,
///                dimension_separator "/";
///   DIR/.zattrs  {"cdnet": {"annotated_slices": [z, ...]}};
///   DIR/kz/ky/kx one file per painted chunk (absent chunks read as 0, as Zarr's fill_value).
/// python3-zarr, `cdnet info` and the lazy browser open it as a plain Zarr array.
/// Saving writes only the chunks changed since the last save, each atomically (temporary file +
/// rename), removes the file of a chunk that became all zero, and rewrites .zarray/.zattrs only
/// when their text changes. Opening lists the chunk files and reads each on first access; a
/// damaged chunk throws std::runtime_error naming its file when read and is never overwritten.
/// Thread affinity: the thread that owns the SparseLabels.

#include "core/labels/SparseLabels.h"

#include <cstdint>
#include <memory>
#include <string>

namespace core::labels {

/// What one save wrote.
struct SparseSaveReport {
  std::size_t chunksWritten = 0;   ///< chunk files written
  std::size_t chunksRemoved = 0;   ///< chunk files removed (the chunk became all zero)
  std::size_t metadataWritten = 0; ///< .zarray / .zattrs files written
  std::uint64_t bytesWritten = 0;  ///< bytes of every file written (chunks and metadata)
};

/// "<image>.labels.zarr" next to the image file or folder \p imagePath (a trailing '/' ignored).
std::string sparseLabelPath(const std::string& imagePath);

/// The labels saved in \p dir for an image described by \p imageInfo: the saved chunk grid (read
/// lazily), or empty labels on \p chunk when \p dir does not exist. Throws std::runtime_error
/// naming the file when .zarray/.zattrs are damaged, of another shape or type, or a chunk file
/// has a name outside the grid.
std::unique_ptr<SparseLabels> openSparseLabels(const std::string& dir, const volume::VolumeInfo& imageInfo,
                                               const volume::Size3& chunk);

/// Writes the changed chunks of \p labels into \p dir (created if missing) and marks them saved.
/// Throws std::runtime_error naming the file on failure (files written so far are whole; the
/// chunks not written stay dirty for the next save).
SparseSaveReport saveSparseLabels(SparseLabels& labels, const std::string& dir);

} // namespace core::labels
