// cdnet analyze: crack-aware particle segmentation and per-particle crack statistics to CSV.
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MemoryLimit.h"
#include "app/cli/support/TerminalProgress.h"
#include "app/cli/support/VolumeOptions.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/analysis/SlabOwnership.h"
#include "core/analysis/Threshold.h"
#include "core/cluster/SlabAnalysis.h"
#include "core/volume/io/VolumeIO.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace {

struct AnalyzeArgs {
  std::string image, cracks, outCsv, outProfile, outLabels, depthAxis = "z", depthSide = "first";
  std::optional<double> threshold, solidThreshold;
  std::int64_t minVolume = core::analysis::SegmentationOptions{}.minVolume;
  double binWidth = 10, packingFactor = 1.0, smoothing = core::analysis::SegmentationOptions{}.smoothing;
  double splitHeight = core::analysis::SegmentationOptions{}.splitHeight;
  double contactRatio = core::analysis::SegmentationOptions{}.contactRatio;
  std::string slices;     // --slices A:B (a slab of a cluster job), empty = the whole volume
  std::int64_t halo = 32; // --halo H
  std::string memoryLimit; // --memory-limit BYTES|NK|NM|NG
  cli::VolumeOptions volume;
};

using core::cluster::wholeVolumeSolidThreshold; // the slab analysis's (core/cluster/SlabAnalysis.h)

/// Segmentation and statistics as the options ask (a whole run and the slabs alike).
core::analysis::AnalysisOptions analysisOptions(const AnalyzeArgs& a) {
  core::analysis::AnalysisOptions opt;
  opt.segmentation.solidThreshold = a.solidThreshold;
  opt.segmentation.minVolume = a.minVolume;
  opt.segmentation.smoothing = a.smoothing;
  opt.segmentation.splitHeight = a.splitHeight;
  opt.segmentation.contactRatio = a.contactRatio;
  opt.statistics.depthAxis = a.depthAxis == "x" ? 0 : (a.depthAxis == "y" ? 1 : 2);
  opt.statistics.depthSide = a.depthSide == "last" ? core::analysis::DepthSide::Last : core::analysis::DepthSide::First;
  opt.statistics.packingRadiusFactor = a.packingFactor;
  opt.binWidthUm = a.binWidth;
  return opt;
}

/// --out-labels is checked before the analysis (which may take hours): a format the writer knows
/// from the extension, in a folder that exists.
void checkLabelsOut(const std::string& path) {
  if (path.empty()) return;
  try {
    (void)core::volume::writeFormatFor(path);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("--out-labels: ") + e.what());
  }
  const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw std::invalid_argument("--out-labels '" + path + "': its folder '" + folder.string() + "' does not exist");
}

void run(AnalyzeArgs& a) {
  using namespace core;
  volume::OpenOptions open = cli::toOpenOptions(a.volume);
  volume::ReadOptions read = cli::toReadOptions(a.volume);
  cli::TerminalProgress progress("Analyze");
  jobs::SubProgress readImage(progress, 0, 0.1), readCracks(progress, 0.1, 0.15), work(progress, 0.15, 1);
  std::optional<analysis::SlabWindow> slab;
  if (!a.slices.empty()) {
    if (!a.outProfile.empty())
      throw std::invalid_argument("--out-profile summarises all particles: it cannot be computed with --slices");
    if (!a.volume.crop.empty() || a.volume.downsample != 1)
      throw std::invalid_argument("--slices cannot be combined with --crop or --downsample");
    if (!a.solidThreshold) {
      // The automatic threshold of one slab would differ from the whole volume's: every slab
      // computes the whole volume's, streaming it slab by slab.
      a.solidThreshold = wholeVolumeSolidThreshold(a.image, open, 256ull << 20);
      std::printf("solid threshold %.17g (automatic, from the whole volume's histogram)\n", *a.solidThreshold);
    }
    const std::int64_t depth = volume::openVolume(a.image, open)->info().size.z;
    const std::size_t colon = a.slices.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("--slices must be A:B, got '" + a.slices + "'");
    std::int64_t z0 = 0, z1 = depth;
    try {
      if (colon > 0) z0 = std::stoll(a.slices.substr(0, colon));
      if (colon + 1 < a.slices.size()) z1 = std::stoll(a.slices.substr(colon + 1));
    } catch (const std::exception&) {
      throw std::invalid_argument("--slices must be A:B (slice numbers), got '" + a.slices + "'");
    }
    slab = analysis::SlabWindow::make(z0, z1, a.halo, depth);
    read.crop = volume::Region{{0, 0, slab->lo}, {0, 0, slab->hi - slab->lo}};
  }
  volume::Volume image = volume::readVolume(a.image, open, read, readImage);
  if (!a.volume.spacing.empty()) {
    const auto& s = a.volume.spacing;
    image.setSpacing(s.size() == 1 ? volume::Vec3{s[0], s[0], s[0]} : volume::Vec3{s[0], s[1], s[2]});
  }
  analysis::checkSpacing(image.spacing(), "'" + a.image + "'");
  // The crack volume is opened by its own extension, cropped and downsampled like the image
  // (nearest neighbour: labels and masks keep their values).
  volume::ReadOptions readLabels = read;
  readLabels.mode = volume::DownsampleMode::Nearest;
  const volume::Volume crackVolume = volume::readVolume(a.cracks, {}, readLabels, readCracks);
  if (crackVolume.size() != image.size()) {
    std::ostringstream os;
    os << "'" << a.cracks << "' is " << crackVolume.size().x << " x " << crackVolume.size().y << " x "
       << crackVolume.size().z << " voxels but '" << a.image << "' is " << image.size().x << " x " << image.size().y
       << " x " << image.size().z << ": the crack volume must have the image's size";
    throw std::invalid_argument(os.str());
  }
  const analysis::CrackMask cracks = analysis::makeCrackMask(crackVolume, a.threshold);

  analysis::AnalysisOptions opt = analysisOptions(a);
  if (slab) opt.statistics.zOffset = slab->lo, opt.statistics.fullDepth = slab->fullDepth;
  analysis::AnalysisResult r = analysis::analyzeVolume(image, cracks.mask, opt, work);
  progress.done();

  auto comments = analysis::analysisComments(r, opt, {a.image, a.cracks + " (" + cracks.description + ")"}, image);
  if (slab) {
    r.particles = analysis::keepSlabParticles(r.particles, r.segmentation.labels, *slab);
    // Slab-neutral comments: the merge keeps the first piece's of each key.
    analysis::CsvComments neutral;
    for (auto& c : comments) {
      if (c.first == "result" || c.first == "cracks") continue;
      if (c.first == "size_voxels")
        c.second = std::to_string(image.size().x) + " x " + std::to_string(image.size().y) + " x " +
                   std::to_string(slab->fullDepth);
      neutral.push_back(c);
    }
    neutral.push_back({"merge_ids", "rank"});
    comments = neutral;
    std::printf("slices %lld:%lld (read %lld:%lld with the halo): %lld particles owned\n", (long long)slab->z0,
                (long long)slab->z1, (long long)slab->lo, (long long)slab->hi, (long long)r.particles.rowCount());
  }
  analysis::writeCsv(r.particles, a.outCsv, comments);
  if (!a.outProfile.empty()) analysis::writeCsv(r.depthProfile, a.outProfile, comments);
  if (!a.outLabels.empty()) volume::writeVolume(r.segmentation.labels, a.outLabels);

  const auto& st = r.segmentation.stats;
  const auto& frac = r.particles.column("crack_fraction").values;
  std::int64_t cracked = 0;
  double sumCrack = 0, sumFilled = 0;
  for (std::size_t i = 0; i < frac.size(); ++i) {
    cracked += frac[i] > 0;
    sumCrack += r.particles.column("crack_volume").values[i];
    sumFilled += r.particles.column("filled_volume").values[i];
  }
  std::printf("%u particles (%lld cracked), solid threshold %g (%s), crack volume fraction %.4f overall\n",
              st.particleCount, static_cast<long long>(cracked), st.solidThreshold, st.thresholdMethod.c_str(),
              sumFilled > 0 ? sumCrack / sumFilled : 0.0);
  std::printf("segmentation %.1f s, statistics %.1f s; wrote %s%s%s%s%s\n", r.segmentSeconds, r.measureSeconds,
              a.outCsv.c_str(), a.outProfile.empty() ? "" : ", ", a.outProfile.c_str(), a.outLabels.empty() ? "" : ", ",
              a.outLabels.c_str());
}

using core::cluster::kAnalysisBytesPerVoxel;

/// --memory-limit: when the whole volume does not fit, analyses it slab by slab in this process
/// (each slab with its halo, as a cluster task would; core::cluster::analyzeInSlabs) and joins the
/// rows exactly as cdnet merge, writing the particle labels too (OME-Zarr) with --out-labels.
/// Returns false when the whole volume fits (the caller then runs once).
bool runInSlabs(AnalyzeArgs& a) {
  using namespace core;
  const std::uint64_t limit = cli::parseMemoryLimit(a.memoryLimit);
  volume::setMemoryLimit(limit);
  const volume::OpenOptions open = cli::toOpenOptions(a.volume);
  const volume::VolumeInfo info = volume::openVolume(a.image, open)->info();
  const std::uint64_t slice = std::uint64_t(info.size.x) * std::uint64_t(info.size.y) * kAnalysisBytesPerVoxel;
  const std::int64_t depth = info.size.z;
  if (slice * std::uint64_t(depth) <= limit) return false;
  if (!a.outProfile.empty() || !a.slices.empty() || !a.volume.crop.empty() || a.volume.downsample != 1)
    throw std::invalid_argument("the volume needs about " + std::to_string(slice * std::uint64_t(depth) >> 20) +
                                " MiB, over --memory-limit: slab by slab, --out-profile, --slices, "
                                "--crop and --downsample are not available");
  if (!a.outLabels.empty() && volume::writeFormatFor(a.outLabels) != "ome-zarr")
    throw std::invalid_argument("--out-labels '" + a.outLabels + "': the volume needs about " +
                                std::to_string(slice * std::uint64_t(depth) >> 20) +
                                " MiB, over --memory-limit, and slab by slab the labels are written as OME-Zarr only "
                                "(give a .zarr path)");
  const std::int64_t fit = std::int64_t(limit / slice) - 2 * a.halo;
  if (fit < 1)
    throw std::invalid_argument("--memory-limit " + a.memoryLimit + " holds " + std::to_string(limit / slice) +
                                " slices, fewer than one slice plus twice the halo (" + std::to_string(a.halo) + ")");
  const std::int64_t count = (depth + fit - 1) / fit, step = (depth + count - 1) / count;
  std::printf("the volume needs about %llu MiB, over --memory-limit: analysing %lld slabs of %lld slices (halo %lld)\n",
              (unsigned long long)(slice * std::uint64_t(depth) >> 20), (long long)count, (long long)step,
              (long long)a.halo);
  if (!a.solidThreshold) {
    a.solidThreshold = wholeVolumeSolidThreshold(a.image, open, std::max<std::uint64_t>(1, limit / 4));
    std::printf("solid threshold %.17g (automatic, from the whole volume's histogram)\n", *a.solidThreshold);
  }
  cluster::SlabAnalysisOptions o;
  o.open = open;
  o.analysis = analysisOptions(a);
  o.crackThreshold = a.threshold;
  o.slabSlices = step;
  o.halo = a.halo;
  o.labelsOut = a.outLabels;
  cli::TerminalProgress progress("Analyze");
  const cluster::SlabAnalysisResult r = cluster::analyzeInSlabs(a.image, a.cracks, o, a.outCsv, progress);
  progress.done();
  std::printf("%lld particles from %lld slabs; wrote %s%s%s\n", (long long)r.particles.rowCount(), (long long)r.slabs,
              a.outCsv.c_str(), a.outLabels.empty() ? "" : ", ", a.outLabels.c_str());
  return true;
}

void setupAnalyze(CLI::App& cmd) {
  auto a = std::make_shared<AnalyzeArgs>();
  cmd.add_option("--image", a->image, "Grey-value volume")->required();
  cmd.add_option("--cracks", a->cracks,
                 "Crack volume: a prediction (float probability), labels (2 = crack) or a 0/1 or 0/255 mask")
      ->required();
  cmd.add_option("--threshold", a->threshold, "Crack probability (or value) threshold; default 0.5 for probabilities")
      ->check(cli::numberIn(-1e30, 1e30));
  cmd.add_option("--solid-threshold", a->solidThreshold, "Grey value from which a voxel is solid (default: automatic)")
      ->check(cli::numberIn(-1e30, 1e30));
  cmd.add_option("--smoothing", a->smoothing, "Gaussian sigma in voxels before the solid threshold (0 = none)")
      ->check(cli::numberIn(0, 20));
  cmd.add_option("--min-volume", a->minVolume, "Smallest particle, voxels (smaller fragments are merged or dropped)")
      ->check(cli::wholeIn(0, std::int64_t(1) << 40));
  cmd.add_option("--split-height", a->splitHeight, "Relative height of a distance-map peak that makes its own particle")
      ->check(cli::numberIn(0.01, 0.99));
  cmd.add_option("--contact-ratio", a->contactRatio,
                 "Touching particles that the split height joins stay apart when their contact is narrower than this "
                 "times the smaller one's equivalent radius (0 = off)")
      ->check(cli::numberIn(0, 100));
  cmd.add_option("--depth-axis", a->depthAxis, "Axis of the electrode depth")->check(CLI::IsMember({"x", "y", "z"}));
  cmd.add_option("--depth-side", a->depthSide, "Face that depth is measured from")->check(CLI::IsMember({"first", "last"}));
  cmd.add_option("--bin-width", a->binWidth, "Depth-profile bin width, micrometres")->check(cli::numberIn(0.001, 1e6));
  cmd.add_option("--packing-radius-factor", a->packingFactor,
                 "Packing-density sphere radius as a multiple of the particle's equivalent diameter")
      ->check(cli::numberIn(0, 100, true));
  cmd.add_option("--out-csv", a->outCsv, "Per-particle CSV")->required();
  cmd.add_option("--out-profile", a->outProfile, "Depth-profile CSV");
  cmd.add_option("--out-labels", a->outLabels, "Particle label volume (uint32), e.g. labels.nrrd");
  cmd.add_option("--slices", a->slices,
                 "Analyse only the particles whose centroid lies in slices A:B (a slab of a cluster job); ids become "
                 "global keys that cdnet merge renumbers. Without --solid-threshold the automatic threshold is computed from "
                 "the whole volume's histogram (read slab by slab), as a whole run would");
  cmd.add_option("--halo", a->halo,
                 "With --slices: slices read beyond each side; must cover the largest particle plus the packing "
                 "sphere and nearest-neighbour distance (else an error names the particle)")
      ->check(cli::wholeIn(0, cli::kMaxEdge))
      ->capture_default_str();
  cli::addOpenOptions(cmd, a->volume);
  cmd.add_option("--memory-limit", a->memoryLimit,
                 "Working memory for volume data, BYTES or e.g. 2G; a larger volume is analysed slab by slab with "
                 "--halo; allocations above it are refused");
  cmd.callback([a] {
    checkLabelsOut(a->outLabels);
    if (!a->memoryLimit.empty() && runInSlabs(*a)) return;
    run(*a);
  });
}

} // namespace

CDNET_COMMAND(analyze, "Segment particles (keeping cracked ones whole) and measure their cracks, to CSV", setupAnalyze)
