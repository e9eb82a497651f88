#pragma once
/// \file EditBenchmark.h
/// `cdnet-studio --bench-edit`: the cost of one brush dab (label write plus the slice view's
/// overlay update and render) in milliseconds on the phantom at 1024^3, against the 16.7 ms frame
/// budget and an unchanged frame of the same view in the same run, and the undo memory after 1000
/// strokes; names the OpenGL renderer. GUI thread; needs a display (Xvfb is fine).

#include <QString>
#include <QTextStream>

namespace ui {

/// Runs the benchmark on an \p n^3 uint8 phantom and label volume; prints to \p out, ending with a
/// `result:` line (its keys also to \p jsonPath when set). Returns 0, or 1 when the volume cannot
/// be allocated, the window cannot be shown or the JSON file not written.
int runEditBenchmark(QTextStream& out, int n = 1024, const QString& jsonPath = {});

} // namespace ui
