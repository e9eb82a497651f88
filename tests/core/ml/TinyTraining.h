#pragma once
// The small, seeded CPU training run the core/ml training tests share: base width 8, batch 4,
// 64 x 64 crops, 5 steps per epoch, the last quarter of the slices for validation.
#include "core/ml/Trainer.h"

namespace mltest {

inline core::ml::TrainOptions tinyTraining(int epochs) {
  core::ml::TrainOptions o;
  o.model = core::ml::ModelOptions::paper(8);
  o.epochs = epochs;
  o.batch = 4;
  o.crop = 64;
  o.iterationsPerEpoch = 5;
  o.valFraction = 0.25;
  o.device = core::ml::DeviceRequest::Cpu;
  o.seed = 42;
  return o;
}

} // namespace mltest
