#pragma once
/// \file TrainingLatencyBenchmark.h
/// `cdnet-studio --bench-latency`: the window's event-loop latency (lateness of a 10 ms timer:
/// median and 99th percentile) while idle and while a small training runs on the CPU through the
/// Train and predict dock, in one run on this machine. GUI thread; needs a display (Xvfb is fine).

#include <QString>
#include <QTextStream>

namespace ui {

/// Measures \p seconds idle, then \p seconds while training; prints a report ending with a
/// `result:` line to \p out (its keys also to \p jsonPath when set). Returns 0, or 1 when the
/// training could not start or the JSON file not written.
int runTrainingLatencyBenchmark(QTextStream& out, double seconds = 10, const QString& jsonPath = {});

} // namespace ui
