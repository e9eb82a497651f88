#pragma once
/// \file RecipeOptions.h
/// The training-recipe flags beyond the paper's (issue 14: augmentation against overfitting,
/// validation on held-out strips, best checkpoint and early stopping, weight decay, dropout),
/// shared by `cdnet train`, `cdnet bench real` and `cdnet bench accuracy` and bound straight to
/// core::ml::TrainOptions.

#include "core/ml/Trainer.h"

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

void addRecipeOptions(CLI::App& cmd, core::ml::TrainOptions& o);

/// --aug-scale MIN,MAX: the crops' magnification range (AugmentOptions::scaleMin/scaleMax),
/// checked (0.1 <= MIN <= MAX <= 10). Shared by the Recipe options and `cdnet pretrain`.
CLI::Option* addScaleOption(CLI::App& cmd, core::ml::AugmentOptions& a);

/// The values --loss and --lr-schedule accept (cdnet train and cdnet bench real), as checks.
CLI::IsMember lossChoices();
CLI::IsMember lrScheduleChoices();

/// A benchmark's --loss and --lr-schedule ("as cdnet train's"), checked, into \p loss and
/// \p lrSchedule (their values are the defaults shown). Shared by `bench real` and `bench accuracy`.
void addBenchLossOptions(CLI::App& cmd, std::string& loss, std::string& lrSchedule);

} // namespace cli
