#pragma once
/// \file InferenceBench.h
/// Measurements shared by `cdnet bench infer` and the ML-only `cdnet-ml-bench`: inference speed of
/// a model on square slices, and the process's peak memory. Torch-free.

#include "core/ml/Model.h"

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

/// Peak resident memory of this process so far, bytes (getrusage).
std::uint64_t peakResidentBytes();

} // namespace core::ml
