#pragma once
/// \file RecipeOptions.h
/// The training-recipe flags beyond the paper's (issue 14: augmentation against overfitting,
/// validation on held-out strips, best checkpoint and early stopping, weight decay, dropout),
/// shared by `cdnet train` and `cdnet bench real` and bound straight to core::ml::TrainOptions.

#include "core/ml/Trainer.h"

#include <CLI/CLI.hpp>

namespace cli {

void addRecipeOptions(CLI::App& cmd, core::ml::TrainOptions& o);

/// --aug-scale MIN,MAX: the crops' magnification range (AugmentOptions::scaleMin/scaleMax),
/// checked (0.1 <= MIN <= MAX <= 10). Shared by the Recipe options and `cdnet pretrain`.
CLI::Option* addScaleOption(CLI::App& cmd, core::ml::AugmentOptions& a);

/// The values --loss and --lr-schedule accept (cdnet train and cdnet bench real), as checks.
CLI::IsMember lossChoices();
CLI::IsMember lrScheduleChoices();

} // namespace cli
