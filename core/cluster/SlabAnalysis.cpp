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
/// Each particle's voxels come from the slab that owns it (keeps its row), so the labels are
/// exactly what the table measured: its window holds it whole, which may reach into neighbouring
/// slabs' slices (at most the halo). Owned particles are painted into a buffer of the slices not
/// final yet (a voxel claimed twice keeps its first owner); slices below the next window are
/// final and go to a provisional volume with one id (slot) per owned particle. finish() maps
/// slots to the merged ranks (ranks follow the keys, the first voxels) in one pass over it.
class SlabLabelWriter {
public:
  SlabLabelWriter(const std::string& out, const volume::VolumeInfo& image, volume::Size3 chunk)
      : m_out(out), m_slots(out), m_staging(out) {
    m_info = image;
    m_info.type = volume::VoxelType::UInt32;
    m_options.format = "ome-zarr";
    m_options.hdf5Chunk = chunk.count() > 0 ? chunk : volume::Size3{64, 64, 64};
    m_options.pyramidLevels = 1;
    m_slice = image.size.x * image.size.y;
    m_writer = volume::createWriter(m_slots.path(), m_info, m_options);
  }

  /// Paints the particles of \p kept (keepSlabParticles' rows: ids are keys) from \p labels (the
  /// window [w.lo, w.hi)), then writes the slices below \p finalBelow (no later window reaches them).
  void addSlab(const volume::Volume& labels, const analysis::SlabWindow& w, const analysis::Table& kept, std::int64_t finalBelow) {
    const auto* lab = labels.as<std::uint32_t>();
    std::uint32_t maxId = 0;
    for (std::int64_t i = 0; i < labels.voxelCount(); ++i) maxId = std::max(maxId, lab[i]);
    std::vector<std::uint32_t> slotOf(std::size_t(maxId) + 1, 0);
    const int idCol = kept.indexOf("id");
    for (std::int64_t r = 0; r < kept.rowCount(); ++r) {
      const auto key = std::uint64_t(kept.value(r, idCol));
      const std::uint32_t local = lab[key - 1 - std::uint64_t(w.lo * m_slice)]; // the particle's first voxel
      m_keyOfSlot.push_back(key);
      slotOf[local] = std::uint32_t(m_keyOfSlot.size());
    }
    if (std::int64_t(m_buffer.size()) < (w.hi - m_bufferZ0) * m_slice) m_buffer.resize(std::size_t((w.hi - m_bufferZ0) * m_slice), 0);
    std::uint32_t* dst = m_buffer.data() + (w.lo - m_bufferZ0) * m_slice;
    for (std::int64_t i = 0; i < labels.voxelCount(); ++i)
      if (const std::uint32_t slot = slotOf[lab[i]]; slot != 0 && dst[i] == 0) dst[i] = slot;
    flushBelow(finalBelow);
  }

  /// Renumbers the provisional labels to the merged ranks into \p labelsOut, slab by slab.
  void finish(std::uint64_t slabBytes, jobs::CancelToken& cancel) {
    flushBelow(m_info.size.z);
    m_writer->finish();
    m_writer.reset();
    std::vector<std::uint64_t> keys = m_keyOfSlot;
    std::sort(keys.begin(), keys.end());
    std::vector<std::uint32_t> rankOfSlot(m_keyOfSlot.size() + 1, 0);
    for (std::size_t slot = 1; slot <= m_keyOfSlot.size(); ++slot)
      rankOfSlot[slot] = std::uint32_t(std::lower_bound(keys.begin(), keys.end(), m_keyOfSlot[slot - 1]) - keys.begin() + 1);
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
  /// Writes the buffered slices below \p z (final) to the provisional volume.
  void flushBelow(std::int64_t z) {
    const std::int64_t n = std::min(z, m_info.size.z) - m_bufferZ0;
    if (n <= 0) return;
    m_buffer.resize(std::max(m_buffer.size(), std::size_t(n * m_slice)), 0);
    volume::Volume part({m_info.size.x, m_info.size.y, n}, volume::VoxelType::UInt32);
    part.setSpacing(m_info.spacing);
    std::copy_n(m_buffer.begin(), std::size_t(n * m_slice), part.as<std::uint32_t>());
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + std::ptrdiff_t(n * m_slice));
    m_writer->writeSlab(part, m_bufferZ0);
    m_bufferZ0 += n;
  }

  std::string m_out;
  files::TemporaryPath m_slots, m_staging; ///< provisional labels; the renumbered ones until swapped in
  volume::VolumeInfo m_info;
  volume::WriteOptions m_options;
  std::unique_ptr<volume::VolumeWriter> m_writer;
  std::int64_t m_slice = 0;
  std::vector<std::uint32_t> m_buffer; ///< slices [m_bufferZ0, ...) not final yet, slot ids
  std::int64_t m_bufferZ0 = 0;
  std::vector<std::uint64_t> m_keyOfSlot; ///< slot - 1 -> key
};

} // namespace

SlabAnalysisResult analyzeInSlabs(const std::string& image, const std::string& cracks, const SlabAnalysisOptions& options,
                                  const std::string& workCsv, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  if (options.slabSlices < 1) throw std::invalid_argument("slab analysis needs at least one slice per slab");
  const volume::VolumeInfo info = volume::openVolume(image, options.open)->info();
  const volume::VolumeInfo crackInfo = volume::openVolume(cracks)->info();
  if (!(crackInfo.size == info.size))
    throw std::invalid_argument("'" + cracks + "' does not have the size of '" + image + "': the crack volume must be on the image's grid");
  const std::int64_t depth = info.size.z;
  SlabAnalysisResult result;
  analysis::AnalysisOptions opt = options.analysis;
  const std::uint64_t sliceBytes = std::uint64_t(info.size.x) * std::uint64_t(info.size.y) * kAnalysisBytesPerVoxel;
  if (!opt.segmentation.solidThreshold)
    opt.segmentation.solidThreshold =
        wholeVolumeSolidThreshold(image, options.open, std::max<std::uint64_t>(1, sliceBytes * std::uint64_t(options.slabSlices) / 4));
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
    const volume::Volume img = volume::readVolume(image, options.open, read, jobs::nullProgress(), cancel);
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
    if (labels) labels->addSlab(r.segmentation.labels, slab, r.particles, slab.z1 >= depth ? depth : slab.z1 - options.halo);
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
