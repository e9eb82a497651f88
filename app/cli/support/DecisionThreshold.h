#pragma once
/// \file DecisionThreshold.h
/// --threshold auto|T of the commands that make crack masks from a model's probabilities: auto is
/// the threshold calibrated when the model was trained (core/ml/Calibration.h; 0.5 for models
/// without one). The default stays 0.5: on the real sample the calibrated threshold did not
/// transfer to unseen data (README, decision threshold).

#include "core/ml/Calibration.h"
#include "core/ml/Model.h"

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

/// Accepts "auto" or a number in (0, 1).
extern const CLI::Validator kDecisionThreshold;

/// True for "auto".
bool isAutoThreshold(const std::string& text);

/// The threshold \p text asks for with \p model: its calibrated one for auto, else the number.
double decisionThresholdFor(const std::string& text, const core::ml::Model& model);
/// The same from what a checkpoint says about itself (no weights loaded).
double decisionThresholdFor(const std::string& text, const core::ml::ThresholdCalibration& calibration);

/// ", calibrated on the validation data when the model was trained" and the like for auto; "" for a number.
std::string describeThresholdChoice(const std::string& text, const core::ml::Model& model);
std::string describeThresholdChoice(const std::string& text, const core::ml::ThresholdCalibration& calibration);

} // namespace cli
