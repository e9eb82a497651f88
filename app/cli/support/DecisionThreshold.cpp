// --threshold auto|T (DecisionThreshold.h).
#include "app/cli/support/DecisionThreshold.h"

#include "app/cli/support/NumberChecks.h"

namespace cli {

const CLI::Validator kDecisionThreshold(
    [](std::string& text) -> std::string {
      if (isAutoThreshold(text)) return {};
      const std::string why = numberIn(0, 1, true, true)(text);
      return why.empty() ? std::string() : why + " (or auto)";
    },
    "auto|(0,1)");

bool isAutoThreshold(const std::string& text) { return text == "auto"; }

double decisionThresholdFor(const std::string& text, const core::ml::ThresholdCalibration& calibration) {
  return isAutoThreshold(text) ? calibration.threshold : std::stod(text);
}

double decisionThresholdFor(const std::string& text, const core::ml::Model& model) {
  return decisionThresholdFor(text, calibrationOf(model));
}

std::string describeThresholdChoice(const std::string& text, const core::ml::ThresholdCalibration& c) {
  if (!isAutoThreshold(text)) return "";
  if (!c.calibrated()) return ", the default: the model carries no calibrated threshold";
  return ", calibrated on the " + c.source + " data when the model was trained";
}

std::string describeThresholdChoice(const std::string& text, const core::ml::Model& model) {
  return describeThresholdChoice(text, calibrationOf(model));
}

} // namespace cli
