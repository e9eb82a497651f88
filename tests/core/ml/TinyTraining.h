#pragma once
// The small, seeded CPU training run the core/ml training tests share: base width 8, batch 4,
// 64 x 64 crops, 5 steps per epoch, the last quarter of the slices for validation; and what it
// learns from: four 64 x 64 slices of synthetic cracks, with a temporary folder for checkpoints.
#include "MlTestData.h"
#include "core/ml/Trainer.h"

#include <QTemporaryDir>
#include <filesystem>
#include <string>

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

struct TinyTrainingSet {
  QTemporaryDir dir;
  core::ml::TrainingData data;
  TinyTrainingSet() {
    auto [img, lab] = crackVolume(64, 64, 4, 21);
    data = core::ml::TrainingData::fromVolumes(img, lab, {});
  }
  /// \p name inside the temporary folder.
  std::string path(const std::string& name) const {
    return (std::filesystem::path(dir.path().toStdString()) / name).string();
  }
};

} // namespace mltest
