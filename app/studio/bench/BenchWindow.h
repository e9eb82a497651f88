#pragma once
/// \file BenchWindow.h
/// What the window benchmarks (--bench-views, --bench-edit, --bench-latency) share: showing the
/// window, a phantom to show, the renderer and frame budget they are measured against, and the
/// conditions and `result:` lines of core/bench/BenchReport.h. GUI thread only.

#include "core/bench/BenchReport.h"
#include "core/volume/Volume.h"
#include "ui/model/Session.h"

#include <QString>
#include <QTextStream>

#include <cstdint>
#include <vector>

namespace ui {

class MainWindow;
class VtkHostWidget;

/// The frame budget of a 60 Hz display, milliseconds.
constexpr double kFrameBudgetMs = 1000.0 / 60.0;

/// Shows \p window at 1280 x 800 with error dialogs off and waits (at most 10 s) until it is
/// exposed, so frames can be timed. Returns false, after writing why to \p out, when it never is.
bool showForBenchmark(MainWindow& window, QTextStream& out);

/// An \p n^3 dataset made from the synthetic cathode (core/phantom, seed 1, image of \p imageType):
/// generated at n^3 up to 256^3, and above that a 256^3 phantom mirrored along each axis to fill
/// n^3 (a 1024^3 phantom would take minutes and 7 GiB to generate). With \p overlays, the
/// phantom's truth as labels (crack, and not crack inside particles) and its cracks as the
/// prediction (255 on cracks, 0 elsewhere, as --demo shows it). Throws std::bad_alloc.
Dataset makePhantomDataset(int n, core::volume::VoxelType imageType, bool overlays);

/// "llvmpipe (LLVM 15.0.6, 256 bits): software rendering on the CPU" or "<name>: a GPU driver".
QString describeRenderer(const VtkHostWidget& view);
/// Records the renderer (and, for llvmpipe, its threads) in \p report.
void setRenderer(core::bench::Report& report, const VtkHostWidget& view);

/// "12.34 ms (74% of the 16.7 ms frame budget)".
QString againstFrameBudget(double ms);

/// Resident set size of this process in bytes (VmRSS of /proc/self/status; 0 when unreadable).
std::uint64_t residentBytes();
using core::bench::quantileOf; ///< the \p q quantile (0..1, nearest rank); 0 when empty

/// Writes report.conditionsLine() to \p out.
void printConditions(QTextStream& out, const core::bench::Report& report);
/// Writes the JSON file (when \p jsonPath is set) and the result line as the last line of
/// \p out. Returns 0, or 1 after saying why when the JSON file cannot be written.
int printResult(QTextStream& out, core::bench::Report& report, const QString& jsonPath);

} // namespace ui
