#include "core/cluster/SlabAnalysis.h"

#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleStatistics.h"
#include "core/analysis/SlabOwnership.h"
#include "core/analysis/Summaries.h"
#include "core/analysis/Threshold.h"
#include "core/cluster/CsvMerge.h"
#include "core/files/AtomicFile.h"
#include "core/files/FolderSwap.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <unordered_map>
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

namespace {

/// The particle labels of a slab analysis, written slab by slab (SlabAnalysisOptions::labelsOut).
/// A particle is known by its key (1 + linear index of its first voxel in the whole volume, as
/// keepSlabParticles names it), the same in every slab whose window holds it whole; each key gets
/// a provisional id (a slot) the first time a slab sees it. finish() maps slots to the merged
/// ranks (ranks follow the keys) in one pass over the provisional labels.
class SlabLabelWriter {
public:
  SlabLabelWriter(const std::string& out, const volume::VolumeInfo& image, volume::Size3 chunk)
      : m_out(out), m_slots(out), m_staging(out) {
    m_info = image;
    m_info.type = volume::VoxelType::UInt32;
    m_options.format = "ome-zarr";
    m_options.hdf5Chunk = chunk.count() > 0 ? chunk : volume::Size3{64, 64, 64};
    m_options.pyramidLevels = 1;
    m_writer = volume::createWriter(m_slots.path(), m_info, m_options);
  }

  /// Writes the owned slices [w.z0, w.z1) of \p labels (the window [w.lo, w.hi)) with slot ids.
  void addSlab(const volume::Volume& labels, const analysis::SlabWindow& w) {
    const volume::Size3 n = labels.size();
    const std::int64_t slice = n.x * n.y;
    const auto* lab = labels.as<std::uint32_t>();
    std::uint32_t maxId = 0;
    for (std::int64_t i = 0; i < labels.voxelCount(); ++i) maxId = std::max(maxId, lab[i]);
    std::vector<std::uint32_t> slotOf(std::size_t(maxId) + 1, 0);
    for (std::int64_t i = 0; i < labels.voxelCount(); ++i) {
      const std::uint32_t l = lab[i];
      if (l == 0 || slotOf[l] != 0) continue;
      const std::uint64_t key = 1 + std::uint64_t(w.lo * slice + i); // first voxel in raster order
      const auto it = m_slotOfKey.emplace(key, std::uint32_t(m_slotOfKey.size() + 1)).first;
      slotOf[l] = it->second;
    }
    volume::Volume owned({n.x, n.y, w.z1 - w.z0}, volume::VoxelType::UInt32);
    owned.setSpacing(m_info.spacing);
    const std::uint32_t* src = lab + (w.z0 - w.lo) * slice;
    std::uint32_t* dst = owned.as<std::uint32_t>();
    for (std::int64_t i = 0; i < owned.voxelCount(); ++i) dst[i] = slotOf[src[i]];
    m_writer->writeSlab(owned, w.z0);
  }

  /// The keys of the particles in the merged table (its ids before ranking).
  void addKeptKeys(const analysis::Table& kept) {
    const int idCol = kept.indexOf("id");
    for (std::int64_t r = 0; r < kept.rowCount(); ++r) m_keptKeys.push_back(std::uint64_t(kept.value(r, idCol)));
  }

  /// Renumbers the provisional labels to the merged ranks into \p labelsOut, slab by slab.
  void finish(std::uint64_t slabBytes, jobs::CancelToken& cancel) {
    m_writer->finish();
    m_writer.reset();
    std::sort(m_keptKeys.begin(), m_keptKeys.end());
    std::vector<std::uint32_t> rankOfSlot(m_slotOfKey.size() + 1, 0);
    for (const auto& [key, slot] : m_slotOfKey) {
      const auto it = std::lower_bound(m_keptKeys.begin(), m_keptKeys.end(), key);
      if (it != m_keptKeys.end() && *it == key) rankOfSlot[slot] = std::uint32_t(it - m_keptKeys.begin() + 1);
    }
    std::filesystem::create_directory(m_staging.path());
    const std::string staged = (std::filesystem::path(m_staging.path()) / std::filesystem::path(m_out).filename()).string();
    auto reader = volume::openVolume(m_slots.path());
    auto writer = volume::createWriter(staged, m_info, m_options);
    volume::forEachSlab(*reader, {}, slabBytes, [&](volume::Volume& slab, std::int64_t z0) {
      cancel.throwIfCancelled();
      std::uint32_t* p = slab.as<std::uint32_t>();
      for (std::int64_t i = 0; i < slab.voxelCount(); ++i) p[i] = rankOfSlot[p[i]];
      writer->writeSlab(slab, z0);
    });
    writer->finish();
    reader.reset();
    files::swapInFolder(staged, m_out);
  }

private:
  std::string m_out;
  files::TemporaryPath m_slots, m_staging; ///< provisional labels; the renumbered ones until swapped in
  volume::VolumeInfo m_info;
  volume::WriteOptions m_options;
  std::unique_ptr<volume::VolumeWriter> m_writer;
  std::unordered_map<std::uint64_t, std::uint32_t> m_slotOfKey;
  std::vector<std::uint64_t> m_keptKeys;
};

} // namespace

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
  std::unique_ptr<SlabLabelWriter> labels;
  if (!options.labelsOut.empty()) labels = std::make_unique<SlabLabelWriter>(options.labelsOut, info, options.labelsChunk);
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
    if (labels) {
      labels->addSlab(r.segmentation.labels, slab);
      labels->addKeptKeys(r.particles);
    }
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
  if (labels) labels->finish(std::max<std::uint64_t>(1, sliceBytes * std::uint64_t(options.slabSlices) / 16), cancel);
  const analysis::CsvData merged = analysis::readCsv(workCsv);
  result.particles = analysis::tableFromCsv(merged, analysis::particleColumns(), "'" + workCsv + "'");
  result.depthProfile = analysis::depthProfile(result.particles, opt.binWidthUm);
  result.comments = merged.comments;
  result.slabs = std::int64_t(pieces.size());
  return result;
}

} // namespace core::cluster
