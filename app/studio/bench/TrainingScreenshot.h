#pragma once
/// \file TrainingScreenshot.h
/// `cdnet-studio --screenshot-training FILE`: the README's picture of the Train and predict dock.
/// Opens a small phantom, labels a few slices from its ground truth, trains a small model from
/// the dock for about \p seconds, predicts slices around the current one and saves the dock's content as a PNG.
/// GUI thread; needs a display (Xvfb is fine).

#include <QString>

namespace ui {

/// Returns 0 when \p file was written, 1 otherwise (the reason goes to stderr).
int saveTrainingScreenshot(const QString& file, double seconds = 60);

} // namespace ui
