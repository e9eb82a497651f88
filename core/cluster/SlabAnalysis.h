#pragma once
/// \file SlabAnalysis.h
/// Particle analysis of a volume of any size in bounded memory, in one process: the image and its
/// crack volume are read slab by slab (each slab with a halo, as a cluster task reads it), each
/// slab is segmented and measured (core::analysis::analyzeVolume), keeps the particles whose
/// centroid it owns (keepSlabParticles), and the slabs' rows are joined as `cdnet merge` joins
/// them (mergeCsvPieces, ids ranked 1..N): the rows of a whole-volume run when the halo covers
/// the largest particle. Optionally the particle labels are written too (labelsOut), with the
/// merged ids. What `cdnet analyze --memory-limit` and the studio's analysis of a lazily
/// opened volume run. Any thread.

#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/jobs/Job.h"
#include "core/volume/io/VolumeIO.h"

#include <cstdint>
#include <optional>
#include <string>

namespace core::cluster {

/// Bytes of working memory the analysis needs per voxel (image, crack mask, smoothed image,
/// distance map, labels, phases and scratch), measured on phantoms (~50) with a margin.
inline constexpr std::uint64_t kAnalysisBytesPerVoxel = 64;

/// The automatic solid threshold of the whole image, read slab by slab (two passes: range, then
/// the histogram: core::analysis::ThresholdHistogram), equal to what a whole-volume run computes.
double wholeVolumeSolidThreshold(const std::string& path, const volume::OpenOptions& open, std::uint64_t slabBytes);

struct SlabAnalysisOptions {
  /// How the image is opened (format, HDF5 dataset, raw parameters, spacing); the crack volume is
  /// opened by its own content.
  volume::OpenOptions open;
  /// Segmentation and statistics; an unset solid threshold is the whole volume's (computed first).
  analysis::AnalysisOptions analysis;
  /// Crack where the crack volume's value >= this (makeCrackMask); unset: its default.
  std::optional<double> crackThreshold;
  std::int64_t slabSlices = 0; ///< owned slices per slab (> 0)
  std::int64_t halo = 32;      ///< slices read beyond each border
  /// When set, the particle labels too: uint32 on the image's grid, each particle's voxels holding
  /// its id in the merged table (0: none), as its owning slab segmented it (the voxels its row
  /// measured), so they equal a whole-volume run's when the rows do. Written as a one-level
  /// OME-Zarr chunked \p labelsChunk (empty: 64^3) in bounded memory (a buffer of one window's
  /// slices): provisional ids while the slabs run, then one pass over the labels renumbers them.
  /// Both are temporaries of \p labelsOut; an existing \p labelsOut is replaced only when the new
  /// one is complete (core::files::swapInFolder), and stays on a failure or Cancel.
  std::string labelsOut;
  volume::Size3 labelsChunk{};
};

struct SlabAnalysisResult {
  analysis::Table particles;      ///< merged rows, ids 1..N
  analysis::Table depthProfile;   ///< recomputed from the merged rows
  analysis::CsvComments comments; ///< provenance of the merged table
  std::int64_t slabs = 0;
  double solidThreshold = 0;
};

/// Analyses \p image with the crack volume \p cracks (same size) slab by slab. The slabs' tables
/// are temporaries beside \p workCsv, merged into \p workCsv (kept; the caller may remove it).
/// Throws std::invalid_argument on sizes that differ, std::runtime_error naming the file on bad
/// input or when a particle reaches a slab's halo, jobs::Cancelled when cancelled.
SlabAnalysisResult analyzeInSlabs(const std::string& image, const std::string& cracks, const SlabAnalysisOptions& options,
                                  const std::string& workCsv, jobs::ProgressSink& progress = jobs::nullProgress(),
                                  jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::cluster
