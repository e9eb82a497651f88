#pragma once
/// \file ViewBenchmark.h
/// `cdnet-studio --bench-views`: how much a slice change costs in milliseconds, against the
/// 16.7 ms frame budget and an unchanged frame, and how much memory the window takes over its
/// voxel arrays, on the phantom at 512^3 and 1024^3 (uint16, its truth as labels, its cracks as
/// the prediction), in one run on this machine; names the OpenGL renderer. GUI thread; needs a
/// display (Xvfb is fine).

#include <QList>
#include <QString>
#include <QTextStream>

namespace ui {

/// Runs the benchmark, prints a report ending with a `result:` line to \p out (and its keys to
/// \p jsonPath when set). Returns 0, or 1 when a volume cannot be allocated or the JSON file not
/// written. \p sizes: the cube edges to measure (default 512 and 1024).
int runViewBenchmark(QTextStream& out, const QList<int>& sizes = QList<int>{512, 1024}, const QString& jsonPath = {});

} // namespace ui
