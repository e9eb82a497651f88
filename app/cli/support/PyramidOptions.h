#pragma once
/// \file PyramidOptions.h
/// --levels, --chunk and --compressor of `cdnet pyramid` and `cdnet convert`: the resolution
/// levels, chunk shape and chunk compressor of OME-Zarr and HDF5 outputs.

#include "core/volume/io/VolumeIO.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cli {

struct PyramidOptions {
  int levels = 0;                  ///< --levels (0 = auto)
  std::vector<std::int64_t> chunk; ///< --chunk X,Y,Z (default 64,64,64)
  std::string compressor;          ///< --compressor ("" = the format's default)
  CLI::Option* levelsOption = nullptr;
};

/// Adds --levels, --chunk and --compressor to \p app under \p group.
void addPyramidOptions(CLI::App& app, PyramidOptions& options, const std::string& group);

/// Applies the options to \p wo for writing \p path in \p format ("ome-zarr", "hdf5"; others
/// ignore them). \p levelsByDefault: without --levels, build the automatic pyramid (else the
/// format's default: OME-Zarr auto, HDF5 one dataset). Throws std::invalid_argument naming
/// \p path for an unknown compressor.
void applyPyramidOptions(const PyramidOptions& options, const std::string& path, const std::string& format,
                         bool levelsByDefault, core::volume::WriteOptions& wo);

/// Bytes of the files under \p path (a file: its size): what a writer put on disk.
std::uint64_t bytesOnDisk(const std::string& path);

} // namespace cli
