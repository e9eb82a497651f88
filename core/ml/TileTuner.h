#pragma once
/// \file TileTuner.h
/// Tile size and overlap chosen by measurement (PredictOptions::tile = kAutoTile, `cdnet predict
/// --tile auto`). Each candidate tile size is timed with one forward pass on this CPU and its cost
/// per slice estimated from the number of tiles it needs on the input's slices; then, fastest
/// first, each candidate predicts a sample of the actual input in tiles and is kept when its
/// output stays within the seam tolerance of whole-sample prediction (the check the predictor's
/// tests make). Bounded in time: when no candidate passed within the budget, the default (512
/// pixels, overlap 192) is used. Choices are cached per model (a fingerprint of its weights),
/// threads, precision and slice size: in memory, and optionally in a file (defaultTileCacheFile).
/// Torch-free: it drives a Model and a Predictor.

#include "core/jobs/Job.h"
#include "core/ml/Model.h"
#include "core/ml/Precision.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

/// PredictOptions::tile value meaning "choose by measurement".
constexpr int kAutoTile = -1;

struct TileTuneOptions {
  double seamTolerance = 0.01; ///< max |tiled - whole| on the sample (the predictor tests' bound)
  double budgetSeconds = 30;   ///< the tuning stops trying candidates after about this long
  int sampleSide = 768;        ///< side of the sample cut from the centre of the slice
  std::vector<int> tiles{256, 384, 512, 768, 1024, 1536};
  std::vector<int> overlaps{64, 96, 128, 192, 256};
  /// Tiles whose estimated forward-pass memory (about 55 bytes per pixel and base-width unit,
  /// measured: a 512 tile at base 64 peaked at 1.2-1.5 GiB) exceeds this are not tried.
  std::uint64_t tileMemoryBytes = 2ull << 30;
  std::string cacheFile; ///< empty: in-memory cache only
};

/// One candidate as tried: estimated seconds per slice of the input; seam error on the sample
/// (-1 = not checked: pruned or out of time; 0 for a tile covering the whole slice).
struct TileCandidate {
  int tile = 0, overlap = 0;
  std::int64_t tilesPerSlice = 0;
  double secondsPerSlice = 0;
  double seamError = -1;
};

struct TileChoice {
  int tile = 512, overlap = 192;
  double seamError = 0;                 ///< of the chosen candidate on the sample
  double secondsPerSlice = 0;           ///< estimated, chosen candidate
  double defaultSecondsPerSlice = 0;    ///< estimated the same way for 512 / 192
  double tuningSeconds = 0;             ///< wall time of the tuning (0 from the cache)
  bool fromCache = false;
  bool fallback = false;                ///< nothing passed within the budget: the default
  std::vector<TileCandidate> tried;     ///< empty when from the cache
  /// One line: "tiles 768 px, overlap 192 px (auto: ...)".
  std::string describe() const;
};

/// Chooses tile and overlap for slices of \p width x \p height of which \p slice is one,
/// normalised, with the model's channels one plane after the other (as Predictor::predictNormalised
/// takes it). \p precision: resolved (Fp32 or Bf16). Checks \p cancel between candidates.
TileChoice chooseTiles(const Model& model, Precision precision, const float* slice, int width, int height,
                       const TileTuneOptions& options = {}, jobs::CancelToken& cancel = jobs::neverCancelled());

/// $XDG_CACHE_HOME/cdnet/tile-choices.tsv, else $HOME/.cache/cdnet/tile-choices.tsv; empty when
/// neither variable is set.
std::string defaultTileCacheFile();

/// Testing hook: forgets the in-memory cache.
void clearTileCache();

} // namespace core::ml
