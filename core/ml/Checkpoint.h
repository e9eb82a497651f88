#pragma once
/// \file Checkpoint.h
/// The project's checkpoint format: one file per checkpoint (a LibTorch archive) holding the
/// weights, the optimiser state, the epoch, the metrics so far, the model and training options and
/// a format version. Written to a temporary name in the same folder, flushed and renamed, so a
/// crash never leaves half a checkpoint in place of a good one.
///
/// A training directory holds best.pt (lowest validation loss), last.pt and epoch-NNNN.pt
/// (every N epochs, the newest K kept).
///
/// Format versions: 1 had no recipe fields (loss, schedule, saving); it is read with the values
/// it was trained with (bce, constant learning rate). A version newer than this program's is
/// refused with an error naming the file.

#include "core/ml/Calibration.h"
#include "core/ml/ModelOptions.h"
#include "core/ml/TrainerLoss.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

constexpr int kCheckpointFormatVersion = 2;

/// Metrics of one finished epoch. Validation values are NaN when there is no validation set.
struct EpochMetrics {
  int epoch = 0;                 ///< 1-based
  std::int64_t iterations = 0;   ///< optimiser steps so far, all epochs
  double trainLoss = 0;          ///< mean masked BCE of the epoch's batches
  double valLoss = 0, valDice = 0, valPrecision = 0, valRecall = 0;
  double seconds = 0;            ///< wall time of this epoch
  double elapsedSeconds = 0;     ///< wall time since this run started
  double remainingSeconds = 0;   ///< estimate until the run ends (epochs or time budget)
  bool hasValidation = false;
  /// What the validation metrics were computed on: the labelled voxels (crack and not crack) of
  /// the validation slices; sparse strokes make few voxels and a Dice that says little. Not stored
  /// in checkpoints (0 for epochs read back).
  std::int64_t valVoxels = 0, valCrackVoxels = 0;
  int valSlices = 0;
  /// The decision threshold chosen on this epoch's validation data (or, without it, the training
  /// slices) for the weights of this epoch. Not stored in the history of checkpoints.
  ThresholdCalibration calibration;
};

/// The training settings a checkpoint records (for resume and for the record).
struct TrainingRecord {
  int batch = 8;
  int crop = 256;
  double learningRate = 1e-4;
  double valFraction = 0.25;
  std::uint64_t seed = 0;
  bool freezeEncoder = false;
  // Since format version 2 (version 1 files read as the defaults below, which is how they trained).
  LossKind loss = LossKind::Bce;
  LrSchedule lrSchedule = LrSchedule::Constant;
  double warmupFraction = 0.05;
  int iterationsPerEpoch = 0;      ///< steps per epoch this run used (0 = unknown)
  double saveEveryMinutes = 0;     ///< last.pt / best.pt at most this often (0 = every epoch)
  int saveEverySteps = 0;          ///< ... or after this many steps (0 = no step trigger)
  int checkpointEvery = 0;         ///< epoch-NNNN.pt every N epochs (0 = never)
  int keepCheckpoints = 0;         ///< newest epoch-NNNN.pt kept (0 = all)
};

/// What a checkpoint says about itself (everything but the tensors).
struct CheckpointInfo {
  int formatVersion = kCheckpointFormatVersion;
  std::string role;              ///< "best", "last" or "epoch"
  ModelOptions model;
  TrainingRecord training;
  int epoch = 0;                 ///< epochs completed
  std::int64_t iterations = 0;
  double bestLoss = 0;           ///< best validation (or training, without validation) loss so far
  std::vector<EpochMetrics> history;
  std::string normalisation = "zscore-per-slice";
  /// The decision threshold calibrated for these weights (Calibration.h); checkpoints written
  /// before calibration read as 0.5, not calibrated.
  ThresholdCalibration calibration;
};

/// Reads the metadata of a checkpoint. Throws std::runtime_error naming the file when it is
/// missing, truncated, corrupt, not a CDNet checkpoint or of a newer format version.
CheckpointInfo readCheckpointInfo(const std::string& path);

/// A model path as the user gives it: a file is returned as is; a directory gives its best.pt,
/// else its last.pt. Throws std::runtime_error when neither exists.
std::string resolveModelPath(const std::string& pathOrDirectory);

/// File names inside a training directory.
std::string bestCheckpointName();
std::string lastCheckpointName();
std::string epochCheckpointName(int epoch);

} // namespace core::ml
