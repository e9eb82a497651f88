#pragma once
/// \file VolumeOptions.h
/// The options that every `cdnet` command reading a volume shares, so that info, convert, train,
/// predict and analyze open files the same way. Usage in a command's setup function:
///
///   static void setupFoo(CLI::App& cmd) {
///     auto input = std::make_shared<std::string>();
///     auto vol = std::make_shared<cli::VolumeOptions>();
///     cmd.add_option("input", *input, "Volume to read")->required();
///     cli::addOpenOptions(cmd, *vol); // --format --raw-size --raw-type --big-endian --header-offset
///                                     // --spacing --dataset --crop --downsample --downsample-mode
///     cmd.callback([input, vol] {
///       auto reader = core::volume::openVolume(*input, cli::toOpenOptions(*vol));
///       core::volume::Volume v = reader->read(cli::toReadOptions(*vol)); // or slab by slab
///     });
///   }
///
/// The values live in a VolumeOptions that must outlive parsing (hold it in a shared_ptr captured
/// by the callback, as above). The conversions throw std::invalid_argument with a one-line message
/// naming the option, which main prints as "cdnet: error: ...".

#include "core/volume/io/VolumeIO.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cli {

/// Raw values of the shared options, as typed on the command line.
struct VolumeOptions {
  std::string format = "auto";            ///< --format
  std::vector<std::int64_t> rawSize;      ///< --raw-size X,Y,Z (voxels)
  std::string rawType = "uint8";          ///< --raw-type
  bool bigEndian = false;                 ///< --big-endian
  std::uint64_t headerOffset = 0;         ///< --header-offset (bytes)
  std::vector<double> spacing;            ///< --spacing X[,Y,Z] (micrometres)
  std::string dataset = "/exchange/data"; ///< --dataset (HDF5)
  std::vector<std::int64_t> crop;         ///< --crop x0,y0,z0,sx,sy,sz (voxels; size 0 = to the end)
  int downsample = 1;                     ///< --downsample N
  std::string downsampleMode = "mean";    ///< --downsample-mode mean|nearest
};

/// Adds the open options (--format, --raw-size, --raw-type, --big-endian, --header-offset,
/// --spacing, --dataset) to \p app, and with \p withReadOptions also --crop, --downsample and
/// --downsample-mode. The options are grouped under "Input" in --help.
void addOpenOptions(CLI::App& app, VolumeOptions& options, bool withReadOptions = true);

/// OpenOptions from the parsed values (raw parameters only when --raw-size is given).
core::volume::OpenOptions toOpenOptions(const VolumeOptions& options);
/// ReadOptions from the parsed values.
core::volume::ReadOptions toReadOptions(const VolumeOptions& options);

} // namespace cli
