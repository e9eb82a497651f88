#pragma once
/// \file GpuBench.h
/// Measurements of `cdnet-ml-bench` that look at the device itself (issue 15): the dense
/// matrix-product peak of this run, forward passes on batches that stay on the device (model-only
/// throughput, no host copies), and steps per second of the Trainer. Each also runs on the CPU,
/// so that the benchmark is tested where there is no GPU. Torch-free header.

#include "core/ml/Device.h"
#include "core/ml/InferenceBench.h"
#include "core/ml/Model.h"
#include "core/ml/ModelOptions.h"

namespace core::ml {

/// Dense matrix-product throughput in TFLOP/s (2 n^3 per product): bf16 on a GPU, float32 on the
/// CPU. One untimed warm-up, then \p repetitions timed products (the median counts).
double measureMatmulTflops(const Device& device, int n, int repetitions);

/// Model-only throughput of a native model: \p batch random tiles of \p size x \p size made on
/// the model's device and kept there, forward passes under inference mode with the model's
/// autocast and layout, timed until the device has finished. One untimed warm-up (cuDNN autotuning
/// when on), then \p repetitions timed passes (the median counts). Throws DeviceOutOfMemory.
InferenceTiming timeDeviceForward(const Model& model, int size, int batch, int repetitions);

struct TrainingTiming {
  int batch = 0, crop = 0, steps = 0;
  double stepsPerSecond = 0;
  double tflops = 0; ///< 3 forward passes' worth of convolutions per crop (forward and backward)
  std::string device;
};

/// Steps per second of the Trainer itself (random crops with augmentation, Adam, the default loss,
/// bf16 autocast where the device has it) for a new \p model on \p device, on random labelled
/// slices of 512 x 512: \p warmup untimed steps, then \p steps timed ones.
TrainingTiming timeTrainingSteps(const ModelOptions& model, DeviceRequest device, int batch, int crop, int steps,
                                 int warmup);

} // namespace core::ml
