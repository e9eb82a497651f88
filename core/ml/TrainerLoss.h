#pragma once
/// \file TrainerLoss.h
/// The training recipe's choices that are not the network: the loss and the learning-rate
/// schedule, and their plain-array forms (for tests and for the record; the training loop runs
/// the same code on tensors).
///
/// Every loss is masked: unlabelled voxels (label 0) never contribute and get exactly zero
/// gradient. The region terms use p * mask, so a prediction on an unlabelled voxel cannot move a
/// Dice sum or a soft skeleton either.
/// - bce: mean binary cross-entropy over labelled voxels (the paper's loss).
/// - bce+dice: bce + (1 - soft Dice), soft Dice = 2 sum(p t) / (sum p + sum t) over labelled voxels
///   of the whole batch.
/// - bce+cldice: bce + (1 - soft clDice) (Shit et al., CVPR 2021): soft skeletons of the prediction
///   and of the truth by iterated 3x3 min/max pooling; topology precision sum(S(p) t) / sum S(p),
///   sensitivity sum(S(t) p) / sum S(t), clDice their harmonic mean.

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

enum class LossKind { Bce, BceDice, BceClDice };
enum class LrSchedule { Constant, Cosine };

/// "bce", "bce+dice", "bce+cldice".
std::string toString(LossKind loss);
/// "constant", "cosine".
std::string toString(LrSchedule schedule);
/// Parse the names above; throw std::invalid_argument listing the choices.
LossKind parseLossKind(const std::string& name);
LrSchedule parseLrSchedule(const std::string& name);

/// Erosion steps of the soft skeleton (cracks up to about 2 * 5 + 1 voxels wide reduce to lines).
constexpr int kSoftSkeletonIterations = 5;

/// The learning rate at \p fraction (0..1) of the run's budget (time or epochs).
/// Constant: \p base throughout. Cosine: linear warm-up from base / 10 to base over the first
/// \p warmupFraction, then half a cosine down to base / 100 at fraction 1.
double scheduledLearningRate(LrSchedule schedule, double base, double fraction, double warmupFraction = 0.05);

/// 1 - soft Dice of sigmoid(\p logits) against \p labels (convention: 0 unlabelled, 1 not crack,
/// 2 crack) over labelled voxels. \p gradient (when given) receives d loss / d logit.
double maskedSoftDiceLoss(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                          std::vector<float>* gradient = nullptr);

/// 1 - soft clDice of one \p width x \p height image (row-major), as above.
double maskedSoftClDiceLoss(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels, int width,
                            int height, std::vector<float>* gradient = nullptr);

/// The soft skeleton of one \p width x \p height image of values in [0, 1] (for tests).
std::vector<float> softSkeleton(const std::vector<float>& image, int width, int height,
                                int iterations = kSoftSkeletonIterations);

} // namespace core::ml
