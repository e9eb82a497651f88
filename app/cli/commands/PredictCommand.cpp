// cdnet predict: crack probabilities (or a thresholded mask) of a volume, slab by slab, in
// overlapping tiles, to any writer.
#include "app/cli/commands/BioimageioExport.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/DecisionThreshold.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MemoryLimit.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/StarterModel.h"
#include "core/ml/TrainingData.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <unistd.h>

namespace cli {

namespace {

using namespace core::ml;
using core::volume::VoxelType;

struct PredictArgs {
  std::string model, input, out, probabilityOut, slices = ":", type = "float32", outFormat = "auto";
  std::optional<std::string> threshold; // a number, or "auto": the model's calibrated one
  std::string tile; // a number, "auto", or empty: the default
  int overlap = 192, batch = 0, maskValue = 255;
  bool scriptLogits = false, tta = false, triPlanar = false;
  std::string memoryLimit; // --memory-limit
  std::string precision = "auto";
  bool keepEmptyTiles = false;
  VolumeOptions volume;
  DeviceArgs device;
};

/// \p model, or the starter model when it is empty (with a note on stdout).
std::string modelOrStarter(const std::string& model) {
  if (!model.empty()) return model;
  const std::string starter = findStarterModel();
  if (starter.empty())
    throw std::invalid_argument("--model is required: no starter model at " + starterModelSearchPath());
  std::printf("no --model: using the starter model %s (pretrained on phantoms; fine-tune it on your data with `cdnet "
              "train --fine-tune`)\n",
              starter.c_str());
  return starter;
}

void runPredict(const PredictArgs& a) {
  const VoxelType probType = core::volume::parseVoxelType(a.type);
  if (probType != VoxelType::Float32 && probType != VoxelType::UInt8)
    throw std::invalid_argument("--type must be float32 or uint8 (probabilities 0..1 or 0..255)");
  if (!a.probabilityOut.empty() && !a.threshold)
    throw std::invalid_argument("--probability-out goes with --threshold (without it --out holds the probabilities)");

  auto reader = core::volume::openVolume(a.input, toOpenOptions(a.volume));
  const core::volume::VolumeInfo in = reader->info();
  std::int64_t z0 = 0, z1 = 0;
  parseSliceRange(a.slices, in.size.z, z0, z1);

  LoadOptions lo;
  lo.device = a.device.request();
  lo.cpuThreads = a.device.threads;
  lo.scriptOutputsLogits = a.scriptLogits;
  const Model model = loadModelOrPackage(modelOrStarter(a.model), lo); // a bioimage.io zip too
  checkContextDepth(in.size.z, model.options().contextSlices, a.input); // before any output is created

  PredictOptions po;
  po.tile = a.tile.empty() ? 0 : a.tile == "auto" ? kAutoTile : std::stoi(a.tile);
  po.tileTuning.cacheFile = defaultTileCacheFile();
  po.overlap = a.overlap;
  po.batch = a.batch;
  po.tta = a.tta;
  po.triPlanar = a.triPlanar;
  po.precision = parsePrecision(a.precision);
  po.skipEmptyTiles = !a.keepEmptyTiles;
  if (a.triPlanar && a.memoryLimit.empty()) {
    // Tri-planar fusion holds the whole slice range: without a limit, up to half the memory.
    po.slabBytes = std::max<std::uint64_t>(po.slabBytes, std::uint64_t(::sysconf(_SC_PHYS_PAGES)) *
                                                             std::uint64_t(::sysconf(_SC_PAGESIZE)) / 2);
  }
  if (!a.memoryLimit.empty()) {
    // Volume data (slab input, accumulators, output slabs) stays under the limit: slabs get half
    // of it, and any allocation above the limit is refused with a clear error.
    const std::uint64_t limit = parseMemoryLimit(a.memoryLimit);
    core::volume::setMemoryLimit(limit);
    po.slabBytes = limit / 2;
  }
  std::optional<Predictor> predictorHolder;
  try {
    predictorHolder.emplace(model, po);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--tile/--overlap: ") + e.what());
  }
  Predictor& predictor = *predictorHolder;
  predictor.tuneTiles(*reader, z0, z1, interruptToken()); // --tile auto: measured here, before any output
  if (const TileChoice* choice = predictor.tileChoice()) {
    std::printf("%s\n", choice->describe().c_str());
    std::fflush(stdout);
  }

  core::volume::VolumeInfo outInfo = in;
  outInfo.size.z = z1 - z0;
  outInfo.origin.z = in.origin.z + double(z0) * in.spacing.z;
  core::volume::WriteOptions wo;
  wo.format = a.outFormat;
  std::unique_ptr<core::volume::VolumeWriter> probWriter, maskWriter;
  PredictOutputs outputs;
  outputs.probabilityType = probType;
  if (a.threshold) {
    core::volume::VolumeInfo mi = outInfo;
    mi.type = VoxelType::UInt8;
    maskWriter = core::volume::createWriter(a.out, mi, wo);
    outputs.mask = maskWriter.get();
    outputs.threshold = decisionThresholdFor(*a.threshold, model);
    outputs.maskValue = std::uint8_t(a.maskValue);
  }
  const std::string probPath = a.threshold ? a.probabilityOut : a.out;
  if (!probPath.empty()) {
    core::volume::VolumeInfo pi = outInfo;
    pi.type = probType;
    probWriter = core::volume::createWriter(probPath, pi, a.threshold ? core::volume::WriteOptions{} : wo);
    outputs.probability = probWriter.get();
  }

  std::printf("model %s (%s, base width %s%s) on %s, %s; tiles %d px, overlap %d px, batch %d%s%s\n",
              model.source().c_str(), model.kind() == ModelKind::Native ? "CDNet checkpoint" : "TorchScript",
              model.options().baseWidth > 0 ? std::to_string(model.options().baseWidth).c_str() : "?",
              model.options().contextSlices > 0
                  ? (", 2.5D with " + std::to_string(model.options().contextSlices) + " context slices").c_str()
                  : "",
              model.device().describe().c_str(), toString(predictor.precision()), predictor.options().tile, predictor.options().overlap,
              predictor.options().batch, a.tta ? "; test-time augmentation (8 orientations)" : "",
              a.triPlanar ? "; tri-planar fusion (XY, XZ, YZ)" : "");
  std::fflush(stdout);
  const auto t0 = std::chrono::steady_clock::now();
  TerminalProgress progress("predict");
  predictor.predict(*reader, z0, z1, outputs, progress, interruptToken());
  progress.done();
  // "wrote" only once a file is complete and in place (finish() throws on any failure).
  if (maskWriter) {
    maskWriter->finish();
    std::printf("wrote %s: mask (uint8, %d where p >= %g%s)\n", a.out.c_str(), a.maskValue, outputs.threshold,
                describeThresholdChoice(*a.threshold, model).c_str());
    std::fflush(stdout);
  }
  if (probWriter) {
    probWriter->finish();
    std::printf("wrote %s: crack probability (%s)\n", probPath.c_str(),
                probType == VoxelType::UInt8 ? "uint8, 255 = 1" : "float32");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%lld slices of %lld x %lld in %s (%.2f slices/s); %lld tiles run, %lld empty tiles skipped\n",
              static_cast<long long>(z1 - z0), static_cast<long long>(in.size.x), static_cast<long long>(in.size.y),
              formatDuration(s).c_str(), double(z1 - z0) / s, static_cast<long long>(predictor.tilesRun()),
              static_cast<long long>(predictor.tilesSkipped()));
}

void setupPredict(CLI::App& cmd) {
  auto a = std::make_shared<PredictArgs>();
  cmd.add_option("--model", a->model,
                 "Checkpoint, training folder (its best checkpoint), TorchScript file or bioimage.io package (.zip with "
                 "TorchScript weights; default: the starter model "
                 "that ships with cdnet, pretrained on phantoms)");
  cmd.add_option("--input", a->input, "Image volume to predict (any format cdnet reads)")->required();
  cmd.add_option("--out", a->out, "Output volume: probabilities, or with --threshold a mask")->required();
  cmd.add_option("--threshold", a->threshold,
                 "Write a mask (crack where probability >= T) instead of probabilities; auto: the threshold calibrated "
                 "on the validation data when the model was trained (0.5 for models without one; on the real sample "
                 "it did not beat 0.5, so 0.5 is the usual choice)")
      ->type_name("auto|T")
      ->check(kDecisionThreshold);
  cmd.add_option("--probability-out", a->probabilityOut, "With --threshold: also write the probabilities here");
  cmd.add_option("--type", a->type, "Probability type: float32 (0..1) or uint8 (0..255)")->capture_default_str();
  cmd.add_option("--mask-value", a->maskValue, "Value of crack voxels in the mask")
      ->capture_default_str()
      ->check(wholeIn(1, 255));
  cmd.add_option("--tile", a->tile,
                 "Tile side in pixels (64-16384; 512 on a CPU, 1024 on a GPU), or auto: on a CPU, the fastest tile size "
                 "and overlap whose seams stay within 0.01 of whole-slice prediction, measured on the input (up to "
                 "about 30 s; remembered per model, threads and precision)")
      ->check(CLI::Validator(
          [](std::string& input) {
            // "auto", else wholeIn's own message (one reason, not CLI11's "A OR B").
            return input == "auto" ? std::string() : wholeIn(64, 16384)(input);
          },
          "auto or INT in 64..16384"));
  cmd.add_option("--overlap", a->overlap,
                 "Overlap of neighbouring tiles in pixels, at most half the tile (below ~192 seams may show)")
      ->capture_default_str()
      ->check(wholeIn(0, 8192));
  cmd.add_option("--batch", a->batch, "Tiles per forward pass (default 1 on a CPU, 4 on a GPU)")->check(wholeIn(1, 1024));
  cmd.add_option("--memory-limit", a->memoryLimit,
                 "Memory for volume data, BYTES or e.g. 2G: slabs are sized to half of it; allocations above it are refused");
  cmd.add_option("--slices", a->slices, "Slice range A:B (B excluded; either may be left out; -N counts from the end)")
      ->capture_default_str();
  cmd.add_option("--out-format", a->outFormat, "Output format: auto (by extension), tiff-folder, tiff, nrrd, hdf5")
      ->capture_default_str();
  cmd.add_flag("--tta", a->tta,
               "Test-time augmentation: average the 8 flips and 90-degree rotations of every tile (about 8x slower)");
  cmd.add_flag("--tri-planar", a->triPlanar,
               "Average predictions along XY, XZ and YZ slices of the --slices range (about 3x slower; holds the "
               "range in memory: --memory-limit, else half the machine's memory)");
  cmd.add_option("--precision", a->precision,
                 "Arithmetic of the network: auto (bf16 on a CPU with AVX512_BF16 or AMX, else fp32), fp32, or bf16 "
                 "(an error on a CPU without it); bf16 differs from fp32 by about 0.01 in probability")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  cmd.add_flag("--keep-empty-tiles", a->keepEmptyTiles,
               "Run every tile, also those with no solid phase (by default they are skipped and get probability 0)");
  cmd.add_flag("--script-logits", a->scriptLogits, "The TorchScript model returns logits, not probabilities");
  addDeviceOptions(cmd, a->device);
  addOpenOptions(cmd, a->volume, false);
  cmd.footer("Each slice is z-score normalised as a whole, then predicted in overlapping tiles blended without "
             "seams. Outputs appear only when complete.");
  cmd.callback([a] { runPredict(*a); });
}

} // namespace

CDNET_COMMAND(predict, "Predict crack probabilities (or a mask) of a volume with a trained model", setupPredict)

} // namespace cli
