#include "app/cli/support/PyramidOptions.h"
#include "app/cli/support/NumberChecks.h"

#include <filesystem>
#include <stdexcept>

namespace cli {

void addPyramidOptions(CLI::App& app, PyramidOptions& o, const std::string& group) {
  o.levelsOption = app.add_option("--levels", o.levels,
                                  "Resolution levels of a .zarr or .h5 output, full resolution included (2x block "
                                  "means); 0 = halve until the longest side is at most 256")
                       ->check(wholeIn(0, 30))
                       ->group(group);
  app.add_option("--chunk", o.chunk, "Chunk shape X,Y,Z in voxels of a .zarr or .h5 output (default 64,64,64)")
      ->delimiter(',')
      ->expected(3)
      ->check(wholeIn(1, 1 << 16))
      ->group(group);
  app.add_option("--compressor", o.compressor,
                 "Chunk compressor: blosc (lz4, default for .zarr), blosc-zstd, zstd, zlib, gzip or none (default "
                 "for .h5); HDF5 compresses with deflate for any of them but none")
      ->group(group);
}

void applyPyramidOptions(const PyramidOptions& o, const std::string& path, const std::string& format,
                         bool levelsByDefault, core::volume::WriteOptions& wo) {
  using core::volume::WriteOptions;
  if (!o.compressor.empty()) {
    try {
      core::volume::checkCompressorName(o.compressor);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("writing \"" + path + "\": " + e.what());
    }
  }
  if (format != "ome-zarr" && format != "hdf5") return;
  if (o.chunk.size() == 3) wo.hdf5Chunk = {o.chunk[0], o.chunk[1], o.chunk[2]};
  const bool given = o.levelsOption && o.levelsOption->count() > 0;
  if (given) wo.pyramidLevels = o.levels == 0 ? WriteOptions::kAutoLevels : o.levels;
  else if (levelsByDefault) wo.pyramidLevels = WriteOptions::kAutoLevels;
  if (format == "ome-zarr" && !o.compressor.empty()) wo.zarrCompressor = o.compressor;
  if (format == "hdf5" && !o.compressor.empty()) wo.compress = o.compressor != "none";
}

std::uint64_t bytesOnDisk(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  std::uint64_t n = 0;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  return n;
}

} // namespace cli
