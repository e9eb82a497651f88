#pragma once
/// \file SparseLabelBenchmark.h
/// For `cdnet-studio --bench-bigvolume` (issue 16, target "a brush stroke costs <= 1.5x an empty
/// frame; saving labels after painting on 10 slices writes only the chunks touched"):
/// measureSparseStrokes() paints brush strokes on XY slices of the volume open in the window's
/// LazyBrowser, exactly as the brush tool does (a SparseLabels window of the slice, a
/// core::labels::BrushStroke, the XY view re-composed and rendered after every dab), interleaved
/// with unchanged frames of the same view, then saves the sparse labels and reports the bytes.
/// The caller opens the volume (MainWindow::lazyBrowser()->open) and shows the window first, and
/// prints the numbers (stroke_ratio = dab_median_ms / frame_median_ms). GUI thread.

#include <cstdint>
#include <string>

namespace ui {

class MainWindow;

struct SparseStrokeMeasurement {
  int slices = 0, strokes = 0, dabs = 0;
  double dabMedianMs = 0, dabP95Ms = 0;     ///< label write + overlay from the sparse chunks + render
  double frameMedianMs = 0, frameP95Ms = 0; ///< the same view rendered again, nothing changed
  double strokeRatio = 0;                   ///< dabMedianMs / frameMedianMs
  std::size_t chunksTouched = 0;            ///< chunks changed by the strokes (the save's dirty set)
  std::size_t chunksInGrid = 0;             ///< chunks of the whole volume on the same grid
  std::size_t chunksWritten = 0;            ///< chunk files the save wrote
  std::uint64_t bytesWritten = 0;           ///< bytes the save wrote (chunks and metadata)
  double saveMs = 0;
};

/// Paints \p strokesPerSlice strokes of 40 dabs (brush 9 voxels) on each of \p slices XY slices
/// spread evenly through the lazily opened volume, then saves the labels into \p saveDir (empty:
/// "<image>.labels.zarr", where the studio keeps them). Waits for each slice's blocks before
/// painting it. Throws std::runtime_error when no volume is open lazily or the save fails.
SparseStrokeMeasurement measureSparseStrokes(MainWindow& window, int strokesPerSlice = 3, int slices = 10,
                                             const std::string& saveDir = {});

} // namespace ui
