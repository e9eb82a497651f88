#pragma once
/// \file DecisionThreshold.h
/// --threshold auto|T of the commands that make crack masks from a model's probabilities: auto
/// (or an empty value: the option given alone) is the threshold calibrated when the model was
/// trained (core/ml/Calibration.h; 0.5 for models without one), a number overrides it.

#include "core/ml/Model.h"

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

/// Accepts "auto", an empty value, or a number in (0, 1).
extern const CLI::Validator kDecisionThreshold;

/// True for "auto" and "".
bool isAutoThreshold(const std::string& text);

/// The threshold \p text asks for with \p model: its calibrated one for auto, else the number.
double decisionThresholdFor(const std::string& text, const core::ml::Model& model);
/// The same from what a checkpoint says about itself (no weights loaded).
double decisionThresholdFor(const std::string& text, const core::ml::ThresholdCalibration& calibration);

/// ", calibrated on the validation data when the model was trained" and the like for auto; "" for a number.
std::string describeThresholdChoice(const std::string& text, const core::ml::Model& model);
std::string describeThresholdChoice(const std::string& text, const core::ml::ThresholdCalibration& calibration);

} // namespace cli
