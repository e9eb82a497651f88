#pragma once
/// \file Trainer.h
/// Training CDNet (CDNET.md, "Training"): random augmented crops with sides a multiple of 32,
/// a masked loss over labelled voxels only (BCE, optionally plus soft Dice or soft clDice:
/// TrainerLoss.h), Adam with a constant or cosine learning rate, validation on held-out slices with
/// loss, Dice, precision and recall, and checkpoints written atomically and by time, not every
/// epoch: last.pt at most about once a minute and at the end (also when cancelled or out of time),
/// best.pt when validation improved (held in memory within the interval, written by the end),
/// epoch-NNNN.pt every N epochs with only the newest K kept.
/// A new model, a resumed run (--from: weights, optimiser, epoch and history continue) or a
/// fine-tuned one (weights only, optionally with the encoder frozen).
///
/// Thread affinity: run() blocks; call it on a worker thread. Callbacks are called on that thread.
/// Cancelling (CancelToken) stops within one batch and throws jobs::Cancelled; checkpoints already
/// written stay valid.

#include "core/jobs/Job.h"
#include "core/ml/Augmentation.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Device.h"
#include "core/ml/EarlyStopping.h"
#include "core/ml/ModelOptions.h"
#include "core/ml/Precision.h"
#include "core/ml/TrainerLoss.h"
#include "core/ml/TrainingData.h"

#include <functional>
#include <string>

namespace core::ml {

struct TrainOptions {
  ModelOptions model;              ///< architecture of a new model (a checkpoint brings its own)
  int epochs = 50;                 ///< epochs this run adds (a resumed run numbers on); 0 = no limit
  double maxMinutes = 0;           ///< wall-time budget in minutes; 0 = none. One of the three must be set.
  std::int64_t maxSteps = 0;       ///< optimiser steps this run takes at most (equal work on a busy machine); 0 = none
  int batch = 8;
  int crop = 256;                  ///< crop side (rounded down to a multiple of 32, at most the slice)
  double valFraction = 0.25;       ///< share of labelled slices (the last ones) held out for validation
  /// > 0: instead of whole slices, the bottom valStrip of the rows of every labelled slice is held
  /// out for validation (holdOutStrips): validation, best.pt and early stopping for one slice.
  double valStrip = 0;
  BestMetric bestMetric = BestMetric::Loss; ///< what best.pt and early stopping watch
  int patience = 0;                ///< stop after this many epochs without a new best (0 = never)
  double learningRate = 1e-4;
  double weightDecay = 0;          ///< Adam's L2 weight decay; 0 = none
  double dropout = -1;             ///< dropout of the network this run trains (-1 = the model's; ModelOptions::dropout)
  /// > 0: the checkpoints hold an exponential moving average of the weights over the steps (Polyak
  /// averaging; decay per step, warmed up as min(decay, (1+n)/(10+n))) instead of the newest
  /// weights; validation scores the average. 0 = off. A resumed run continues from the average.
  double weightAverage = 0;
  std::uint64_t seed = 1;          ///< the same seed on CPU gives the same run
  DeviceRequest device = DeviceRequest::Auto;
  int cpuThreads = 0;              ///< 0 = every core
  int iterationsPerEpoch = 0;      ///< 0 = enough batches to cover the training slices' area once, at least
                                   ///< minIterationsPerEpoch (so one small slice does not validate every step)
  int minIterationsPerEpoch = 20;
  LossKind loss = LossKind::Bce;               ///< measured best in short CPU runs (README); a resumed run keeps its checkpoint's
  LrSchedule lrSchedule = LrSchedule::Constant; ///< cosine: over the time or epoch budget; a resumed run keeps its checkpoint's
  double warmupFraction = 0.05;    ///< cosine: share of the budget spent warming up
  double saveEveryMinutes = 1.0;   ///< last.pt and best.pt at most this often (and at the end); 0 with
  int saveEverySteps = 0;          ///< saveEverySteps 0 = every epoch; steps > 0 also saves after that many steps
  int checkpointEvery = 20;        ///< also keep epoch-NNNN.pt every N epochs; 0 = never
  int keepCheckpoints = 5;         ///< only the newest K epoch-NNNN.pt stay (older ones are deleted); 0 = all
  std::string outDir;              ///< where checkpoints go (created); empty = keep none
  AugmentOptions augment;
  std::string resumeFrom;          ///< checkpoint to continue (weights, optimiser, epoch, history)
  std::string fineTuneFrom;        ///< checkpoint whose weights start a new run on new labels
  bool freezeEncoder = false;      ///< fine-tuning: keep enc1..enc4 and the bottleneck fixed
  /// Training steps on the CPU: Fp32, or Bf16 (autocast: bf16 forward and backward, fp32 master
  /// weights and optimiser; an error on a CPU without bf16); Auto = Bf16 where the CPU has it.
  /// A GPU keeps its own mixed precision (Device::mixedPrecision).
  Precision precision = Precision::Fp32;
};

/// One optimiser step.
struct IterationMetrics {
  int epoch = 0;                   ///< 1-based
  int iterationInEpoch = 0;        ///< 1-based
  int iterationsPerEpoch = 0;
  std::int64_t iteration = 0;      ///< steps so far, all epochs
  double loss = 0;
};

struct TrainCallbacks {
  std::function<void(const IterationMetrics&)> onIteration;
  std::function<void(const EpochMetrics&)> onEpoch;
  /// Free text worth showing once (device, split, resumed epoch).
  std::function<void(const std::string&)> onMessage;
};

struct TrainResult {
  std::vector<EpochMetrics> history;   ///< all epochs, including those of a resumed checkpoint
  std::string bestCheckpoint, lastCheckpoint;
  int trainSlices = 0, validationSlices = 0;
  std::string device;
  std::int64_t parameters = 0;
  bool stoppedByTime = false;
  bool stoppedEarly = false;           ///< patience ran out
  int bestEpoch = 0;                   ///< epoch of best.pt in this run (0 = none improved)
  // What the run wrote and what its folder keeps (checkpoint files *.pt, all runs in it).
  int lastWrites = 0, bestWrites = 0, periodicWrites = 0, periodicRemoved = 0;
  std::uint64_t bytesWritten = 0;
  int keptFiles = 0;
  std::uint64_t keptBytes = 0;
  int checkpointWrites() const { return lastWrites + bestWrites + periodicWrites; }
  /// The decision thresholds stored with best.pt and last.pt of this run (Calibration.h).
  ThresholdCalibration bestCalibration() const;
  ThresholdCalibration lastCalibration() const;
};

/// "decision threshold ...: 0.43 (Dice 0.712 on the validation data; 0.698 at 0.5)", naming best.pt
/// and last.pt when they hold weights of different epochs.
std::string describeCalibration(const TrainResult& r);

/// One line about the disk a run used: "checkpoints: 3 files, 12.3 MB kept in DIR; 9 written (110.2 MB)".
std::string describeCheckpointDisk(const TrainResult& r, const std::string& outDir);

/// The training loss on plain arrays: mean binary cross-entropy of sigmoid(logits) against
/// \p labels (convention) over labelled voxels only. When \p gradient is given it receives
/// d loss / d logit per voxel (exactly 0 on unlabelled voxels). The training loop uses the same
/// code on tensors.
double maskedBinaryCrossEntropy(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                                std::vector<float>* gradient = nullptr);

class Trainer {
public:
  explicit Trainer(TrainOptions options, TrainCallbacks callbacks = {});
  /// Trains on \p data. Throws std::runtime_error on bad options or checkpoints (named),
  /// jobs::Cancelled when cancelled.
  TrainResult run(const TrainingData& data, jobs::ProgressSink& progress = jobs::nullProgress(),
                  jobs::CancelToken& cancel = jobs::neverCancelled());

private:
  TrainOptions m_options;
  TrainCallbacks m_callbacks;
};

} // namespace core::ml
