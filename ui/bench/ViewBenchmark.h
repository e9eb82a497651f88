#pragma once
/// \file ViewBenchmark.h
/// `cdnet-studio --bench-views`: how much a slice change costs against an unchanged frame, and
/// how much memory the window takes over its voxel arrays, on 512^3 and 1024^3 uint16 volumes
/// with labels and a prediction overlay, in one run on this machine. GUI thread; needs a display
/// (Xvfb is fine).

#include <QList>
#include <QTextStream>

namespace ui {

/// Runs the benchmark, prints a report to \p out. Returns 0, or 1 when a volume cannot be
/// allocated. \p sizes: the cube edges to measure (default 512 and 1024).
int runViewBenchmark(QTextStream& out, const QList<int>& sizes = QList<int>{512, 1024});

} // namespace ui
