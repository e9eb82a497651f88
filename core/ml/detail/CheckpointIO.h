#pragma once
/// \file CheckpointIO.h
/// INTERNAL to core/ml (includes Torch): writing and reading checkpoint files (Checkpoint.h).

#include "core/ml/Checkpoint.h"
#include "core/ml/detail/UNet.h"

#include <torch/torch.h>

#include <chrono>

namespace core::ml::detail {

/// Writes \p net, the optimiser state (when given) and \p info to \p path atomically, in the layout
/// of \p formatVersion (older layouts only for tests of the conversion). Returns the bytes written.
std::uint64_t writeCheckpoint(const std::string& path, UNet& net, torch::optim::Optimizer* optimizer,
                              const CheckpointInfo& info, int formatVersion = kCheckpointFormatVersion);

/// The bytes writeCheckpoint would write, kept in memory (a best checkpoint held back by the
/// saving interval), and writing such bytes atomically (returns their count).
std::string serializeCheckpoint(UNet& net, torch::optim::Optimizer* optimizer, const CheckpointInfo& info);
std::uint64_t writeCheckpointBytes(const std::string& path, const std::string& bytes);

/// When a training run writes its checkpoints (Trainer.h, TrainOptions).
struct SavePolicy {
  std::string outDir;          ///< empty: write nothing
  double everySeconds = 60;    ///< last.pt and best.pt at most this often ...
  int everySteps = 0;          ///< ... or after this many steps; both 0: every epoch
  int periodicEvery = 0;       ///< epoch-NNNN.pt every N epochs (0 = never)
  int keepPeriodic = 0;        ///< newest epoch-NNNN.pt kept (0 = all)
};

/// What a run wrote.
struct SaveCounters {
  int lastWrites = 0, bestWrites = 0, periodicWrites = 0, periodicRemoved = 0;
  std::uint64_t bytesWritten = 0;
};

/// Writes a run's checkpoints by time and steps instead of every epoch: last.pt after the first
/// epoch, then when the interval has passed, and at the end; best.pt when validation improved and
/// the interval has passed (an improvement within the interval is kept in memory and written when
/// the interval has passed or the run ends); epoch-NNNN.pt every N epochs, the newest K kept.
class CheckpointSaver {
public:
  CheckpointSaver(SavePolicy policy, UNet& net, torch::optim::Optimizer& optimizer);
  /// After an epoch; \p info is that epoch's state (epoch, iterations, history, best loss).
  void epochEnded(CheckpointInfo& info, bool improved);
  /// At the end of a run (finished, out of time or cancelled): last.pt when steps were taken since
  /// it was written, and a best.pt held back.
  void finish(CheckpointInfo& info);
  const SaveCounters& counters() const { return m_counters; }
  /// Paths written by this run (empty when none).
  const std::string& bestPath() const { return m_bestPath; }
  const std::string& lastPath() const { return m_lastPath; }
  /// Checkpoint files (*.pt) in the folder now and their total size.
  std::uint64_t keptBytes(int* files = nullptr) const;

private:
  using Clock = std::chrono::steady_clock;
  struct Mark {
    Clock::time_point at;
    std::int64_t step = -1; ///< -1: never written
  };
  bool due(const Mark& m, std::int64_t step) const;
  std::string write(const std::string& name, CheckpointInfo& info, const char* role, Mark* mark);
  void prunePeriodic();
  void flushPendingBest();

  SavePolicy m_policy;
  UNet& m_net;
  torch::optim::Optimizer& m_optimizer;
  SaveCounters m_counters;
  Mark m_last, m_best;
  std::string m_pendingBest; ///< serialised best.pt held back by the interval
  std::int64_t m_pendingStep = 0;
  std::string m_bestPath, m_lastPath;
};

/// A checkpoint read back.
struct LoadedCheckpoint {
  CheckpointInfo info;
  UNet net{nullptr};
};

/// Reads a checkpoint into a new UNet on \p device (weights verified against the stored checksum).
/// Throws std::runtime_error naming the file on any problem.
LoadedCheckpoint loadCheckpoint(const std::string& path, const torch::Device& device);

/// Restores the optimiser state stored in the checkpoint at \p path.
void loadOptimizerState(const std::string& path, torch::optim::Optimizer& optimizer);

/// True when \p module (a loaded archive) is a CDNet checkpoint.
bool isCheckpointArchive(const torch::jit::Module& module);

} // namespace core::ml::detail
