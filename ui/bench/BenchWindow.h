#pragma once
/// \file BenchWindow.h
/// Shared set-up of the window benchmarks (--bench-views, --bench-edit). GUI thread only.

#include <QTextStream>

namespace ui {

class MainWindow;

/// Shows \p window at 1280 x 800 with error dialogs off and waits (at most 10 s) until it is
/// exposed, so frames can be timed. Returns false, after writing why to \p out, when it never is.
bool showForBenchmark(MainWindow& window, QTextStream& out);

} // namespace ui
