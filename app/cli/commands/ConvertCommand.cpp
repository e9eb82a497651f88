// cdnet convert: any reader to any writer, with crop, downsampling and type conversion, slab by
// slab so that memory stays bounded whatever the size of the input.
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/PyramidOptions.h"
#include "app/cli/support/TerminalProgress.h"
#include "app/cli/support/VolumeOptions.h"

#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace cli {

namespace {

using namespace core::volume;

struct ConvertArgs {
  std::string input, output, outFormat = "auto", type, outDataset = "/exchange/data";
  VolumeOptions volume;
  PyramidOptions pyramid;
  bool compress = false;
  std::uint64_t slabMiB = 256;
};

void runConvert(const ConvertArgs& a) {
  auto reader = openVolume(a.input, toOpenOptions(a.volume));
  const ReadOptions ro = toReadOptions(a.volume);
  VolumeInfo out = reader->outputInfo(ro);
  const VoxelType from = out.type;
  if (!a.type.empty()) out.type = parseVoxelType(a.type);
  WriteOptions wo;
  wo.format = a.outFormat;
  wo.hdf5Dataset = a.outDataset;
  wo.compress = a.compress;
  const std::string format = writeFormatFor(a.output, wo);
  applyPyramidOptions(a.pyramid, a.output, format, false, wo);
  auto writer = createWriter(a.output, out, wo);
  TerminalProgress progress("convert");
  // HDF5 is written in layers of chunks (64 slices by default): slabs of whole layers avoid buffering.
  forEachSlab(
      *reader, ro, a.slabMiB << 20,
      [&](Volume& slab, std::int64_t z0) {
        if (slab.type() != out.type) writer->writeSlab(slab.convertTo(out.type), z0);
        else writer->writeSlab(slab, z0);
      },
      progress, core::jobs::neverCancelled(), format == "hdf5" ? std::max<std::int64_t>(1, wo.hdf5Chunk.z) : 1);
  writer->finish();
  progress.done();
  std::printf("wrote %s: %lld x %lld x %lld %s (%s)%s\n", a.output.c_str(), static_cast<long long>(out.size.x),
              static_cast<long long>(out.size.y), static_cast<long long>(out.size.z), toString(out.type), format.c_str(),
              from != out.type ? (std::string(", converted from ") + toString(from)).c_str() : "");
}

void setupConvert(CLI::App& cmd) {
  auto args = std::make_shared<ConvertArgs>();
  cmd.add_option("input", args->input, "Volume file or folder of slices to read")->required();
  cmd.add_option("output", args->output,
                 "Where to write: .tif/.tiff (multi-page, BigTIFF over 4 GiB), .nrrd, .h5/.hdf5, .zarr (OME-Zarr "
                 "with a pyramid), .mha, .nii/.nii.gz, or a folder (TIFF slices)")
      ->required();
  addOpenOptions(cmd, args->volume);
  cmd.add_option("--out-format", args->outFormat, "Output format: auto (by extension), tiff-folder, tiff, nrrd, hdf5, "
                                                  "ome-zarr, mha, nifti")
      ->group("Output");
  cmd.add_option("--type", args->type,
                 "Output voxel type uint8, uint16 or float32 (integers are rounded and clamped, NaN becomes 0)")
      ->group("Output");
  cmd.add_flag("--compress", args->compress, "Compress: deflate (TIFF, HDF5), gzip (NRRD)")->group("Output");
  cmd.add_option("--out-dataset", args->outDataset, "HDF5 output dataset (default /exchange/data)")->group("Output");
  addPyramidOptions(cmd, args->pyramid, "Output");
  cmd.add_option("--slab-mib", args->slabMiB, "Memory for one slab of output, MiB (default 256)")
      ->check(wholeIn(1, 1 << 20))
      ->group("Output");
  cmd.footer("The output appears only when complete (written to a temporary name, then renamed); a slice folder "
             "is never written into a non-empty folder.");
  cmd.callback([args] { runConvert(*args); });
}

} // namespace

CDNET_COMMAND(convert, "Convert a volume between formats, with crop, downsampling and type conversion", setupConvert)

} // namespace cli
