#include "core/analysis/Analysis.h"

#include "core/analysis/Summaries.h"

#include <chrono>
#include <ctime>
#include <sstream>

namespace core::analysis {

AnalysisResult analyzeVolume(const volume::Volume& image, const volume::Volume& crackMask, const AnalysisOptions& options,
                             jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  if (!(options.binWidthUm > 0)) throw std::invalid_argument("the depth bin width must be positive");
  AnalysisResult r;
  jobs::SubProgress segProgress(progress, 0, 0.7), measureProgress(progress, 0.7, 1.0);
  const auto t0 = std::chrono::steady_clock::now();
  r.segmentation = segmentParticles(image, crackMask, options.segmentation, segProgress, cancel);
  const auto t1 = std::chrono::steady_clock::now();
  r.particles = measureParticles(image, r.segmentation.labels, r.segmentation.phases, options.statistics,
                                 measureProgress, cancel);
  r.depthProfile = depthProfile(r.particles, options.binWidthUm);
  const auto t2 = std::chrono::steady_clock::now();
  r.segmentSeconds = std::chrono::duration<double>(t1 - t0).count();
  r.measureSeconds = std::chrono::duration<double>(t2 - t1).count();
  return r;
}

CsvComments analysisComments(const AnalysisResult& r, const AnalysisOptions& o, const AnalysisProvenance& p,
                             const volume::Volume& image) {
  auto str = [](auto... parts) {
    std::ostringstream os;
    os.imbue(std::locale::classic());
    (os << ... << parts);
    return os.str();
  };
  const auto& st = r.segmentation.stats;
  const auto& sp = image.spacing();
  const char* axes[] = {"x", "y", "z"};
  char date[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  CsvComments c;
  c.push_back({"product", str("CDNet Studio ", CDNET_VERSION)});
  c.push_back({"date", date});
  c.push_back({"source", p.source});
  c.push_back({"cracks", p.crackSource});
  c.push_back({"size_voxels", str(image.size().x, " x ", image.size().y, " x ", image.size().z)});
  c.push_back({"spacing_um", str(sp.x, " x ", sp.y, " x ", sp.z)});
  c.push_back({"solid_threshold", str(st.solidThreshold, " (", st.thresholdMethod, ")")});
  const auto& so = o.segmentation;
  c.push_back({"segmentation", str("crack_fill_radius_voxels=", so.crackFillRadius, " fill_holes=", so.fillHoles ? 1 : 0,
                                   " split_height=", so.splitHeight, " split_offset_voxels=", so.splitOffset,
                                   " min_volume_voxels=", so.minVolume)});
  c.push_back({"statistics", str("depth_axis=", axes[o.statistics.depthAxis], " depth_side=",
                                 o.statistics.depthSide == DepthSide::First ? "first" : "last",
                                 " packing_radius_factor=", o.statistics.packingRadiusFactor,
                                 " depth_bin_width_um=", o.binWidthUm)});
  c.push_back({"result", str(st.particleCount, " particles; ", st.fragmentsMerged, " fragments merged, ",
                             st.fragmentsDropped, " dropped; crack voxels filled ", st.crackVoxelsFilled,
                             ", left outside particles ", st.crackVoxelsRejected,
                             ", given back from gaps between particles ", st.contactGapVoxelsReleased)});
  c.push_back({"surface_area", "Cauchy-Crofton estimate over 13 lattice directions; nn_distance: centroid to centroid"});
  return c;
}

} // namespace core::analysis
