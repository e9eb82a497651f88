#pragma once
/// \file BenchTraining.h
/// A model trained within a time budget on slices of a phantom, for the benchmarks that need one
/// (bench analysis from predicted cracks). Training slices are every second slice of a phantom of
/// its own seed, so nothing of the phantom under test is seen.

#include "core/ml/Model.h"
#include "core/ml/TrainingData.h"
#include "core/phantom/Phantom.h"

#include <cstdint>
#include <string>

namespace cli {

struct PhantomTrainingSpec {
  int size = 256;            ///< slice side
  int slices = 48;           ///< training slices (a phantom of 2 * slices slices, every second one)
  std::uint64_t seed = 1001; ///< seed of the training phantom
  double minutes = 5;        ///< wall-time budget
  int baseWidth = 16;
  int threads = 0;           ///< 0 = every core
  std::string outDir;        ///< checkpoints; created, left for the caller to remove
};

/// Every second of the first 2 * \p slices slices of \p phantom (neighbours are nearly the same)
/// with its crack truth, fully annotated, as training data named \p name. With \p contextSlices
/// = k > 0 (2.5D) each of those slices carries its k image neighbours on each side from the
/// phantom (the odd slices in between are context only, never labels; mirrored at the ends).
core::ml::TrainingData everySecondSlice(const core::phantom::Phantom& phantom, int slices, const std::string& name,
                                        int contextSlices = 0);

/// Trains and returns the best checkpoint's model on the CPU; prints one line per epoch.
core::ml::Model trainOnPhantom(const PhantomTrainingSpec& spec);

} // namespace cli
