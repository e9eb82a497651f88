#pragma once
/// \file InferenceBench.h
/// Measurements shared by `cdnet bench infer` and the ML-only `cdnet-ml-bench`: inference speed of
/// a model on square slices, and the process's peak memory. Torch-free.

#include "core/ml/Model.h"
#include "core/ml/Predictor.h"

#include <cstdint>
#include <string>

namespace core::ml {

struct InferenceTiming {
  int size = 0, batch = 0, repetitions = 0;
  double secondsPerSlice = 0;
  double slicesPerSecond = 0;
  double gflops = 0; ///< billions of floating-point operations per second (forwardFlops / time)
};

/// Times \p model on \p batch random normalised slices of \p size x \p size: one untimed
/// warm-up pass, then \p repetitions timed passes (the median counts).
InferenceTiming timeInference(const Model& model, int size, int batch, int repetitions);

/// fp32 against bf16 prediction of the same model on a labelled volume.
struct PrecisionAccuracy {
  double maxProbDiff = 0;            ///< max |p_bf16 - p_fp32| over all voxels
  double diceFp32 = 0, diceBf16 = 0; ///< crack Dice at p >= 0.5 against the truth
  double secondsFp32 = 0, secondsBf16 = 0; ///< wall time of each whole prediction
};

/// Predicts every slice of \p image with \p options in fp32 and in bf16 (options.precision is
/// overridden; bf16 must be available: resolvePrecision) and compares both with \p cracks
/// (non-zero = crack, same size).
PrecisionAccuracy comparePrecisions(const Model& model, const volume::Volume& image, const volume::Volume& cracks,
                                    PredictOptions options = {});

/// Eager against fused fp32 prediction (Model::fusedFp32) of the same model on a labelled volume.
struct FusedAccuracy {
  double maxProbDiff = 0;               ///< max |p_fused - p_eager| over all voxels
  double diceEager = 0, diceFused = 0;  ///< crack Dice at p >= 0.5 against the truth
  double secondsEager = 0, secondsFused = 0;
};

/// Predicts every slice of \p image in fp32 with the fused path off, then on (the model's own
/// setting is restored afterwards), and compares both with \p cracks.
FusedAccuracy compareFusedFp32(Model model, const volume::Volume& image, const volume::Volume& cracks,
                               PredictOptions options = {});

/// The same for the fused path's Winograd variant (Model::winogradFp32; "fused" in the result
/// is the Winograd variant).
FusedAccuracy compareWinogradFp32(Model model, const volume::Volume& image, const volume::Volume& cracks,
                                  PredictOptions options = {});

/// Peak resident memory of this process so far, bytes (getrusage).
std::uint64_t peakResidentBytes();

} // namespace core::ml
