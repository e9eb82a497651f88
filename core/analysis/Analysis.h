#pragma once
/// \file Analysis.h
/// The whole particle and crack analysis in one call (segmentation, statistics, depth profile)
/// and the provenance comments of its CSV files. This is what `cdnet analyze` and the studio's
/// Statistics panel call. Any thread (the studio calls it on its worker thread).

#include "core/analysis/Csv.h"
#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleStatistics.h"
#include "core/analysis/Table.h"

#include <string>

namespace core::analysis {

struct AnalysisOptions {
  SegmentationOptions segmentation;
  StatisticsOptions statistics;
  double binWidthUm = 10; ///< depth-profile bin width, micrometres
};

struct AnalysisResult {
  Segmentation segmentation; ///< particle labels (uint32) and phase flags
  Table particles;           ///< one row per particle (particleColumns())
  Table depthProfile;        ///< damageSummary over depth
  double segmentSeconds = 0, measureSeconds = 0;
};

/// Segments and measures. \p crackMask is uint8 0/1 of the image's size (makeCrackMask), or an
/// empty Volume when there are no cracks. Errors as segmentParticles and measureParticles.
AnalysisResult analyzeVolume(const volume::Volume& image, const volume::Volume& crackMask,
                             const AnalysisOptions& options = {}, jobs::ProgressSink& progress = jobs::nullProgress(),
                             jobs::CancelToken& cancel = jobs::neverCancelled());

/// Where the inputs came from, for the CSV comments.
struct AnalysisProvenance {
  std::string source;      ///< image file (or "phantom seed 1 ...")
  std::string crackSource; ///< e.g. "model m.pt, threshold 0.5", "labels l.nrrd (value 2 = crack)"
};

/// Comment lines for the CSV files: source, cracks, size, spacing, parameters, solid threshold,
/// particle count, product version (CDNET_VERSION) and the date (UTC, ISO 8601).
CsvComments analysisComments(const AnalysisResult& result, const AnalysisOptions& options,
                             const AnalysisProvenance& provenance, const volume::Volume& image);

} // namespace core::analysis
