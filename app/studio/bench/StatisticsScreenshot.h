#pragma once
/// \file StatisticsScreenshot.h
/// `cdnet-studio --screenshot-statistics FILE`: the user guide's picture of the Statistics panel.
/// Opens a 96^3 phantom (its ground-truth cracks as the prediction), runs the particle analysis
/// from the panel, selects the largest particle away from the border, colours the particles in
/// the views and saves the window as a PNG. GUI thread; needs a display (Xvfb is fine).

#include <QString>

namespace ui {

/// Returns 0 when \p file was written, 1 otherwise (the reason goes to stderr).
int saveStatisticsScreenshot(const QString& file);

} // namespace ui
