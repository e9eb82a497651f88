#pragma once
/// \file PhantomFiles.h
/// Generates a phantom slab by slab and writes it to a folder: image, crack mask, particle
/// labels (one file or slice folder each), truth.csv (one row per particle) and optionally a PNG
/// preview of the middle slice. Shared by `cdnet phantom` and `cdnet demo`.

#include "core/jobs/Job.h"
#include "core/phantom/Phantom.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace cli {

/// What writePhantomFiles() wrote and measured.
struct PhantomFiles {
  std::string image, cracks, particles, truth, preview; ///< paths (preview empty when not asked)
  std::size_t particleCount = 0, crackedCount = 0;
  std::int64_t voxels = 0, crackVoxels = 0, solidVoxels = 0;
  double meanCrackFraction = 0; ///< mean crack fraction of the cracked particles
  double seconds = 0;           ///< generation and writing, wall clock
};

/// File names for \p format ("nrrd", "tiff", "tiff-folder", "hdf5"): "image.nrrd" and so on.
/// Throws std::invalid_argument on an unknown format.
std::string phantomFileName(const std::string& stem, const std::string& format);

/// Writes the phantom of \p options into \p dir (created if missing) in \p format; \p preview,
/// when not empty, is the PNG path of the middle XY slice. Memory: one slab of at most about
/// 512 MiB, whatever the size. Every file appears atomically (written under a temporary name and
/// renamed), so a failure or a cancel leaves earlier files untouched. Throws on bad options
/// (std::invalid_argument) and on I/O errors (std::runtime_error naming the file).
PhantomFiles writePhantomFiles(const core::phantom::PhantomOptions& options, const std::string& dir,
                               const std::string& format, const std::string& preview,
                               core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel);

/// Prints what was made and where to \p out (a few lines).
void printPhantomSummary(std::FILE* out, const core::phantom::PhantomOptions& options, const PhantomFiles& files);

/// Parses "N" or "X,Y,Z" (voxels). Throws std::invalid_argument naming the text.
core::volume::Size3 parseSize(const std::string& text);

} // namespace cli
