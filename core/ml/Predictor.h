#pragma once
/// \file Predictor.h
/// Tiled prediction over slices and volumes of any size in bounded memory (CDNET.md: the reference
/// predicts whole slices and runs out of memory). Each slice is normalised as a whole, cut into
/// overlapping tiles, the tiles run in batches, and their outputs are blended with a smooth
/// window that is zero near inner tile borders and sums to one, so no seam shows and the result
/// matches whole-slice prediction within a small tolerance (tests measure it). On a GPU that runs
/// out of memory the batch, then the tile, shrinks and the slab is redone. Torch-free: it drives
/// a Model.
///
/// Thread affinity: one Predictor per thread (it uses its Model's network).

#include "core/jobs/Job.h"
#include "core/ml/Model.h"
#include "core/ml/TileTuner.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>

namespace core::volume {
class VolumeReader;
class VolumeWriter;
} // namespace core::volume

namespace core::ml {

struct PredictOptions {
  /// Tile side in pixels (rounded down to a multiple of 32; at least 64). 0 = 512 on a CPU
  /// (about 1.4 GiB at base width 64), 1024 on a GPU. kAutoTile: on a CPU, tile and overlap are
  /// chosen by measurement on the first slice predicted (TileTuner.h; overlap is then ignored),
  /// on a GPU it is 0.
  int tile = 0;
  TileTuneOptions tileTuning; ///< with kAutoTile
  /// Pixels shared by neighbouring tiles (at most tile / 2; rounded up so that tiles start on a
  /// 32-pixel grid). The U-Net sees about 100 pixels around each output pixel: measured on
  /// 1024 x 1024 slices with 512-pixel tiles (base width 16), overlap 128 left differences from
  /// whole-slice output of up to 0.06, overlap 192 up to 0.007, overlap 256 up to 0.0001.
  int overlap = 192;
  /// Pixels next to an inner tile border whose output is discarded (the network sees the tile
  /// edge there instead of the image); the rest of the overlap is a smooth ramp. -1 = 3/8 of the
  /// overlap.
  int margin = -1;
  int batch = 0;      ///< tiles per forward pass; 0 = 1 on CPU, 4 on a GPU
  int minTile = 64;   ///< smallest tile the out-of-memory fallback goes down to
  /// Upper bound of slab memory for the slab-wise path, bytes (input + accumulators).
  std::uint64_t slabBytes = 512ull << 20;
  /// Test-time augmentation: each tile is also predicted in its 7 other flips and 90-degree
  /// rotations (the dihedral group D4), each output mapped back, and the 8 averaged. About 8x the
  /// cost of plain prediction. Off by default.
  bool tta = false;
  /// Tri-planar fusion (volumes only): the slices [z0, z1) are also resliced along XZ and YZ,
  /// predicted there (those planes span the selected range only) and the three probabilities
  /// averaged. About 3x the cost (more on flat ranges: the XZ and YZ planes get 16 mirrored rows
  /// beyond each end of the range, so that its first and last slices are not image borders there).
  /// In memory only: the out-of-core path reads the whole range at once and throws when that
  /// needs more than slabBytes. A 2.5D model takes its neighbours along each plane's normal.
  bool triPlanar = false;
  /// Numeric precision of the forward pass (Precision.h): Auto is bf16 on a CPU with AVX512_BF16 or
  /// AMX-BF16 and fp32 elsewhere (a TorchScript model from elsewhere: fp32); Bf16 where the CPU
  /// lacks it makes the constructor throw std::runtime_error. Fp32 is exactly the former output.
  Precision precision = Precision::Auto;
  /// Tiles with no solid phase are not run; their pixels get probability 0 from them (where other
  /// tiles overlap, those tiles' output counts alone). A tile is empty when its normalised grey
  /// values span less than 0.001 (a constant border or fill), or when at most one pixel in 10000
  /// lies above the slice's Otsu threshold (pure background or outside the sample). Cracks lie
  /// inside particles, so such tiles hold none; tests check that a slice padded with an empty
  /// border predicts the same inside with fewer tiles. For 2.5D models the centre slice decides.
  bool skipEmptyTiles = true;
  /// Testing hook: when > 0, a forward pass of more than this many input pixels throws
  /// DeviceOutOfMemory, as a full GPU would.
  std::int64_t simulatedDevicePixels = 0;
};

/// What prediction writes. Any of the outputs may be absent (but not all).
struct PredictOutputs {
  volume::VolumeWriter* probability = nullptr;            ///< crack probability per voxel
  volume::VoxelType probabilityType = volume::VoxelType::Float32; ///< Float32 (0..1) or UInt8 (0..255)
  volume::VolumeWriter* mask = nullptr;                   ///< uint8, maskValue where p >= threshold
  double threshold = 0.5;
  std::uint8_t maskValue = 255;
};

class Predictor {
public:
  explicit Predictor(Model model, PredictOptions options = {});

  /// Crack probabilities of one normalised slice into \p out (width * height floats). \p image
  /// holds the model's channels (ModelOptions::channels(): 1, or 2k+1 normalised neighbour slices
  /// z-k .. z+k for a 2.5D model) one plane after the other, channels * width * height floats.
  /// Reports progress per batch of tiles and checks \p cancel between batches.
  void predictNormalised(const float* image, int width, int height, float* out,
                         jobs::ProgressSink& progress = jobs::nullProgress(),
                         jobs::CancelToken& cancel = jobs::neverCancelled());

  /// Probabilities (float32 volume, same x/y size, z1 - z0 slices) of slices [z0, z1) of an
  /// in-memory image volume of any voxel type. A 2.5D model reads the neighbours of each slice from
  /// \p images (mirrored at its ends). Throws std::invalid_argument on an empty or out-of-range
  /// slice range, std::runtime_error when the volume is too thin for a 2.5D model.
  volume::Volume predict(const volume::Volume& images, std::int64_t z0, std::int64_t z1,
                         jobs::ProgressSink& progress = jobs::nullProgress(),
                         jobs::CancelToken& cancel = jobs::neverCancelled());

  /// Out of core: reads slices [z0, z1) from \p reader slab by slab, predicts and writes each
  /// slab to the outputs (slices numbered from 0 = z0). Does not call finish() on the writers.
  /// A 2.5D model's slabs carry k extra slices of halo on each side; with triPlanar the whole
  /// range is one slab (an error naming the budget when it does not fit in slabBytes).
  void predict(volume::VolumeReader& reader, std::int64_t z0, std::int64_t z1, const PredictOutputs& outputs,
               jobs::ProgressSink& progress = jobs::nullProgress(), jobs::CancelToken& cancel = jobs::neverCancelled());

  /// Slices per slab the out-of-core path uses for slices of \p width x \p height.
  std::int64_t slicesPerSlab(std::int64_t width, std::int64_t height) const;

  /// The options in force (tile and batch shrink after an out-of-memory fallback).
  const PredictOptions& options() const { return m_options; }
  /// The precision the forward passes run in (options().precision resolved: Fp32 or Bf16).
  Precision precision() const { return m_precision; }
  /// With tile = kAutoTile on a CPU: chooses tile and overlap on slice \p z of \p images (the
  /// middle of what will be predicted) unless chosen already; afterwards options() holds them.
  /// The prediction calls do this themselves on their first slice; call it first to learn the
  /// choice before predicting. Does nothing for explicit tiles.
  void tuneTiles(const volume::Volume& images, std::int64_t z, jobs::CancelToken& cancel = jobs::neverCancelled());
  /// The same on the middle slice of [z0, z1) of \p reader (as predict(reader, ...) does).
  void tuneTiles(volume::VolumeReader& reader, std::int64_t z0, std::int64_t z1,
                 jobs::CancelToken& cancel = jobs::neverCancelled());
  /// The choice of tuneTiles (nullptr before it or with explicit tiles).
  const TileChoice* tileChoice() const { return m_tilesChosen ? &m_tileChoice : nullptr; }
  /// Tiles one slice of \p width x \p height needs with \p tile and \p overlap (as this class tiles).
  static std::int64_t tilesPerSlice(int width, int height, int tile, int overlap);
  /// Tiles run through the network and tiles skipped as empty, since construction.
  std::int64_t tilesRun() const { return m_tilesRun; }
  std::int64_t tilesSkipped() const { return m_tilesSkipped; }

  /// Converts probabilities to the outputs' types (one slab). Torch-free helper, public for tests.
  static volume::Volume toProbabilityVolume(const volume::Volume& probabilities, volume::VoxelType type);
  static volume::Volume toMask(const volume::Volume& probabilities, double threshold, std::uint8_t value);

private:
  struct SliceJob;
  void runSlices(std::vector<SliceJob>& jobs, jobs::ProgressSink& progress, jobs::CancelToken& cancel,
                 std::int64_t tilesBefore, std::int64_t tilesTotal);
  void runWithFallback(std::vector<SliceJob>& jobs, jobs::ProgressSink& progress, jobs::CancelToken& cancel,
                       std::int64_t tilesBefore, std::int64_t tilesTotal);
  std::int64_t tileCount(int width, int height) const;
  volume::Volume predictPlanes(const volume::Volume& images, std::int64_t z0, std::int64_t z1, std::int64_t globalZ0,
                               std::int64_t globalDepth, jobs::ProgressSink& progress, jobs::CancelToken& cancel);
  volume::Volume predictTriPlanar(const volume::Volume& images, std::int64_t z0, std::int64_t z1,
                                  jobs::ProgressSink& progress, jobs::CancelToken& cancel);
  int stride() const;
  void forward(const float* in, int n, int h, int w, float* out);

  Model m_model;
  PredictOptions m_options;
  Precision m_precision = Precision::Fp32;
  bool m_autoTiles = false, m_tilesChosen = false;
  TileChoice m_tileChoice;
  void tuneTilesOn(const float* normalised, int width, int height, jobs::CancelToken& cancel);
  std::int64_t m_tilesRun = 0, m_tilesSkipped = 0;
};

/// The slice range "A:B" as the command line gives it ([A, B), either side may be empty:
/// ":10", "5:", ":"; a single "A" is that one slice), checked against \p depth slices.
/// Throws std::invalid_argument on a malformed or empty range.
void parseSliceRange(const std::string& text, std::int64_t depth, std::int64_t& z0, std::int64_t& z1);

} // namespace core::ml
