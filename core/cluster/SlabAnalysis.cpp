#include "core/cluster/SlabAnalysis.h"

#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleStatistics.h"
#include "core/analysis/SlabOwnership.h"
#include "core/analysis/Summaries.h"
#include "core/analysis/Threshold.h"
#include "core/cluster/CsvMerge.h"
#include "core/files/AtomicFile.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace core::cluster {

double wholeVolumeSolidThreshold(const std::string& path, const volume::OpenOptions& open, std::uint64_t slabBytes) {
  auto reader = volume::openVolume(path, open);
  analysis::ThresholdHistogram histogram;
  volume::forEachSlab(*reader, {}, slabBytes, [&](volume::Volume& slab, std::int64_t) { histogram.addRange(slab); });
  try {
    volume::forEachSlab(*reader, {}, slabBytes, [&](volume::Volume& slab, std::int64_t) { histogram.addCounts(slab); });
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("'" + path + "': " + e.what());
  }
  return histogram.threshold(analysis::SegmentationOptions{}.thresholdMethod).value;
}

SlabAnalysisResult analyzeInSlabs(const std::string& image, const std::string& cracks, const SlabAnalysisOptions& options,
                                  const std::string& workCsv, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  if (options.slabSlices < 1) throw std::invalid_argument("slab analysis needs at least one slice per slab");
  const volume::VolumeInfo info = volume::openVolume(image)->info();
  const volume::VolumeInfo crackInfo = volume::openVolume(cracks)->info();
  if (!(crackInfo.size == info.size))
    throw std::invalid_argument("'" + cracks + "' does not have the size of '" + image + "': the crack volume must be on the image's grid");
  const std::int64_t depth = info.size.z;
  SlabAnalysisResult result;
  analysis::AnalysisOptions opt = options.analysis;
  const std::uint64_t sliceBytes = std::uint64_t(info.size.x) * std::uint64_t(info.size.y) * kAnalysisBytesPerVoxel;
  if (!opt.segmentation.solidThreshold)
    opt.segmentation.solidThreshold =
        wholeVolumeSolidThreshold(image, {}, std::max<std::uint64_t>(1, sliceBytes * std::uint64_t(options.slabSlices) / 4));
  result.solidThreshold = *opt.segmentation.solidThreshold;
  // The slabs' tables are temporaries of the output (removed on every path).
  struct Pieces : std::vector<std::string> {
    ~Pieces() {
      for (const std::string& p : *this) std::remove(p.c_str());
    }
  } pieces;
  const std::int64_t count = (depth + options.slabSlices - 1) / options.slabSlices;
  for (std::int64_t z0 = 0; z0 < depth; z0 += options.slabSlices) {
    cancel.throwIfCancelled();
    const std::int64_t index = std::int64_t(pieces.size());
    jobs::SubProgress part(progress, double(index) / double(count), double(index + 1) / double(count));
    const analysis::SlabWindow slab = analysis::SlabWindow::make(z0, std::min(depth, z0 + options.slabSlices), options.halo, depth);
    volume::ReadOptions read;
    read.crop = volume::Region{{0, 0, slab.lo}, {0, 0, slab.hi - slab.lo}};
    const volume::Volume img = volume::readVolume(image, {}, read, jobs::nullProgress(), cancel);
    analysis::checkSpacing(img.spacing(), "'" + image + "'");
    volume::ReadOptions readLabels = read;
    readLabels.mode = volume::DownsampleMode::Nearest;
    const analysis::CrackMask mask =
        analysis::makeCrackMask(volume::readVolume(cracks, {}, readLabels, jobs::nullProgress(), cancel), options.crackThreshold);
    analysis::AnalysisOptions slabOpt = opt;
    slabOpt.statistics.zOffset = slab.lo;
    slabOpt.statistics.fullDepth = slab.fullDepth;
    analysis::AnalysisResult r = analysis::analyzeVolume(img, mask.mask, slabOpt, part, cancel);
    auto comments = analysis::analysisComments(r, slabOpt, {image, cracks + " (" + mask.description + ")"}, img);
    r.particles = analysis::keepSlabParticles(r.particles, r.segmentation.labels, slab);
    // Slab-neutral comments: the merge keeps the first piece's of each key.
    analysis::CsvComments neutral;
    for (auto& c : comments) {
      if (c.first == "result" || c.first == "cracks") continue;
      if (c.first == "size_voxels")
        c.second = std::to_string(img.size().x) + " x " + std::to_string(img.size().y) + " x " + std::to_string(slab.fullDepth);
      neutral.push_back(c);
    }
    neutral.push_back({"merge_ids", "rank"});
    pieces.push_back(files::temporarySibling(workCsv, ".slab" + std::to_string(index) + ".csv"));
    analysis::writeCsv(r.particles, pieces.back(), neutral);
  }
  mergeCsvPieces(pieces, workCsv);
  const analysis::CsvData merged = analysis::readCsv(workCsv);
  result.particles = analysis::tableFromCsv(merged, analysis::particleColumns(), "'" + workCsv + "'");
  result.depthProfile = analysis::depthProfile(result.particles, opt.binWidthUm);
  result.comments = merged.comments;
  result.slabs = std::int64_t(pieces.size());
  return result;
}

} // namespace core::cluster
