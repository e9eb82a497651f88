#pragma once
/// \file CheckpointIO.h
/// INTERNAL to core/ml (includes Torch): writing and reading checkpoint files (Checkpoint.h).

#include "core/ml/Checkpoint.h"
#include "core/ml/detail/UNet.h"

#include <torch/torch.h>

namespace core::ml::detail {

/// Writes \p net, the optimiser state (when given) and \p info to \p path atomically.
void writeCheckpoint(const std::string& path, UNet& net, torch::optim::Optimizer* optimizer, const CheckpointInfo& info);

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
