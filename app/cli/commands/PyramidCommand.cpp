// cdnet pyramid: builds the 2x block-mean resolution levels of any readable volume into an
// OME-Zarr folder or an HDF5 file, slab by slab. Memory: one input slab of one chunk layer plus
// one chunk layer per level (the writers' PyramidBuilder), whatever the size of the volume.
#include "app/cli/support/Command.h"
#include "app/cli/support/PyramidOptions.h"
#include "app/cli/support/TerminalProgress.h"
#include "app/cli/support/VolumeOptions.h"

#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::volume;

struct PyramidArgs {
  std::string input, output, outDataset = "/exchange/data";
  VolumeOptions volume;
  PyramidOptions pyramid;
};

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

double mib(std::uint64_t b) { return double(b) / double(1 << 20); }

void runPyramid(const PyramidArgs& a) {
  WriteOptions wo;
  wo.hdf5Dataset = a.outDataset;
  const std::string format = writeFormatFor(a.output, wo);
  if (format != "ome-zarr" && format != "hdf5")
    throw std::runtime_error("cannot build a pyramid in " + quoted(a.output) +
                             ": give a .zarr (OME-Zarr) or .h5/.hdf5 (HDF5) output");
  std::error_code ec;
  if (fs::exists(a.output, ec) && !(fs::is_directory(a.output, ec) ? fs::is_empty(a.output, ec)
                                                                    : fs::file_size(a.output, ec) == 0))
    throw std::runtime_error("output " + quoted(a.output) + " exists and is not empty; choose a new output");
  applyPyramidOptions(a.pyramid, a.output, format, true, wo);
  if (format == "ome-zarr" && a.pyramid.compressor.empty()) wo.zarrCompressor = "blosc";

  auto reader = openVolume(a.input, toOpenOptions(a.volume));
  const ReadOptions ro = toReadOptions(a.volume);
  const VolumeInfo in = reader->outputInfo(ro);
  auto writer = createWriter(a.output, in, wo);
  const std::int64_t depth = std::clamp<std::int64_t>(wo.hdf5Chunk.z, 1, in.size.z);
  TerminalProgress progress("pyramid");
  forEachSlab(
      *reader, ro, std::uint64_t(depth) * in.sliceBytes(), [&](Volume& slab, std::int64_t z0) { writer->writeSlab(slab, z0); },
      progress, core::jobs::neverCancelled(), depth);
  writer->finish();
  progress.done();

  OpenOptions back;
  back.hdf5Dataset = a.outDataset;
  const std::vector<VolumeInfo> levels = resolutionLevels(a.output, back);
  std::uint64_t raw = 0, layers = 0;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const VolumeInfo& l = levels[k];
    raw += l.bytes();
    layers += std::uint64_t(std::min(depth, l.size.z)) * l.sliceBytes();
    std::printf("level %zu  %lld x %lld x %lld voxels, spacing %g, %g, %g um, %.2f MiB uncompressed", k,
                static_cast<long long>(l.size.x), static_cast<long long>(l.size.y), static_cast<long long>(l.size.z),
                l.spacing.x, l.spacing.y, l.spacing.z, mib(l.bytes()));
    if (format == "ome-zarr")
      std::printf(", %.2f MiB written", mib(bytesOnDisk((fs::path(a.output) / std::to_string(k)).string())));
    std::printf("\n");
  }
  const std::uint64_t written = bytesOnDisk(a.output);
  std::printf("wrote %s (%s, %zu levels, %s): %llu bytes (%.2f MiB), compression ratio %.2f of %.2f MiB of voxels\n",
              a.output.c_str(), format.c_str(), levels.size(),
              format == "ome-zarr" ? wo.zarrCompressor.c_str() : (wo.compress ? "deflate" : "uncompressed"),
              static_cast<unsigned long long>(written), mib(written), written ? double(raw) / double(written) : 0.0,
              mib(raw));
  const std::uint64_t slab = std::uint64_t(depth) * in.sliceBytes();
  std::printf("memory bound: one chunk layer per level (%.2f MiB), one input slab (%.2f MiB) and the 2x means of one "
              "layer being handed down (%.2f MiB)\n",
              mib(layers), mib(slab), levels.size() > 1 ? mib(slab / 8) : 0.0);
}

void setupPyramid(CLI::App& cmd) {
  auto args = std::make_shared<PyramidArgs>();
  cmd.add_option("input", args->input, "Volume file or folder of slices to read")->required();
  cmd.add_option("output", args->output, "Where to write: a new .zarr folder (OME-Zarr) or .h5/.hdf5 file (HDF5)")
      ->required();
  addOpenOptions(cmd, args->volume);
  addPyramidOptions(cmd, args->pyramid, "Output");
  cmd.add_option("--out-dataset", args->outDataset,
                 "HDF5 output dataset (default /exchange/data); the levels go to <dataset>_levels/1, /2, ...")
      ->group("Output");
  cmd.footer("Level k holds 2^k x 2^k x 2^k block means of the full resolution (README, \"Chunked multiscale "
             "files\"). The input is read slab by slab; memory is one chunk layer per level plus one input slab. "
             "The output appears only when complete and is never written over a non-empty file or folder.");
  cmd.callback([args] { runPyramid(*args); });
}

} // namespace

CDNET_COMMAND(pyramid, "Build the multiscale levels (2x block means) of a volume into OME-Zarr or HDF5", setupPyramid)

} // namespace cli
