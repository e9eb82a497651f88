#pragma once
/// \file EditBenchmark.h
/// `cdnet-studio --bench-edit`: the cost of one brush dab (label write plus the slice view's
/// overlay update and render) on a 1024^3 label volume, against an unchanged frame of the same
/// view in the same run, and the undo memory after 1000 strokes. GUI thread; needs a display
/// (Xvfb is fine).

#include <QTextStream>

namespace ui {

/// Runs the benchmark on an \p n^3 uint8 image and label volume; prints to \p out. Returns 0, or
/// 1 when the volume cannot be allocated or the window cannot be shown.
int runEditBenchmark(QTextStream& out, int n = 1024);

} // namespace ui
