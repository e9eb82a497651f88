#pragma once
/// \file detail/TrainerLoss.h
/// INTERNAL to core/ml (includes Torch): the masked losses of TrainerLoss.h on tensors.

#include "core/ml/TrainerLoss.h"

#include <torch/torch.h>

namespace core::ml::detail {

/// Mean binary cross-entropy of \p logits against \p target over voxels where \p mask is 1.
torch::Tensor maskedBce(const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& mask);

/// Soft skeleton of \p p (N x C x H x W, values in [0, 1]) by iterated min/max pooling.
torch::Tensor softSkeleton(const torch::Tensor& p, int iterations = kSoftSkeletonIterations);

/// The training loss \p kind (N x 1 x H x W tensors; \p target and \p mask 0/1).
torch::Tensor maskedLoss(LossKind kind, const torch::Tensor& logits, const torch::Tensor& target,
                         const torch::Tensor& mask);

/// Labels (convention) to 0/1 target and mask.
void toTargetAndMask(const std::uint8_t* labels, std::size_t n, float* target, float* mask);

} // namespace core::ml::detail
