#pragma once
/// \file MlCommon.h
/// What the CDNet commands (train, predict, evaluate, export, bench infer/accuracy/memory) share:
/// the device options, reading label volumes in the product's convention, number formatting.

#include "app/cli/support/VolumeOptions.h"

#include "core/jobs/Job.h"
#include "core/ml/Device.h"
#include "core/ml/TrainingData.h"
#include "core/volume/Volume.h"

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

/// --device auto|cpu|cuda and --threads N.
struct DeviceArgs {
  std::string device = "auto";
  int threads = 0;
  core::ml::DeviceRequest request() const { return core::ml::parseDeviceRequest(device); }
};
void addDeviceOptions(CLI::App& cmd, DeviceArgs& args);

/// How --labels / --truth values are read: "auto" (0/1 or 0/255 = binary mask, else the label
/// convention), "mask" or "labels" (the convention).
core::ml::LabelEncoding* parseLabelEncoding(const std::string& text, core::ml::LabelEncoding& storage);

/// A token that Ctrl-C (SIGINT) cancels, so that long work stops between batches and leaves every
/// file complete (main prints "cdnet: cancelled"). Installs the handler on first use.
core::jobs::CancelToken& interruptToken();

/// "12.3 s", "4 min 05 s", "1 h 02 min".
std::string formatDuration(double seconds);
/// "0.8123", or "-" for NaN.
std::string formatMetric(double v);

} // namespace cli
