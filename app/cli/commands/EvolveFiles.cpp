// cdnet evolve from files: coarse-level registration and slab-by-slab resampling of B (issue 19).
#include "app/cli/commands/EvolveFiles.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/EvolutionSeeded.h"
#include "core/analysis/EvolutionSlabs.h"
#include "core/analysis/Registration.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace cli {

namespace {
using namespace core;

std::string dims(const volume::Size3& s) {
  return std::to_string(s.x) + "x" + std::to_string(s.y) + "x" + std::to_string(s.z);
}

bool plainRead(const volume::ReadOptions& r) { return !r.crop && r.downsample <= 1; }

/// Region \p part of what \p read selects of \p reader's file (its grid as read), read from the file.
volume::Volume readPart(volume::VolumeReader& reader, const volume::ReadOptions& read, const volume::Region& part, bool nearest) {
  const volume::Region crop = reader.resolveCrop(read);
  const int d = std::max(1, read.downsample);
  // The part in file voxels (through the crop and the downsampling of what is read).
  volume::Region file{{crop.start.x + part.start.x * d, crop.start.y + part.start.y * d, crop.start.z + part.start.z * d},
                      {part.size.x * d, part.size.y * d, part.size.z * d}};
  const volume::Index3 end = crop.end();
  file.size = {std::min(file.size.x, end.x - file.start.x), std::min(file.size.y, end.y - file.start.y),
               std::min(file.size.z, end.z - file.start.z)};
  return reader.read(file, d, nearest ? volume::DownsampleMode::Nearest : read.mode, jobs::nullProgress(), jobs::neverCancelled());
}

/// Slices [z0, z1) of A's grid \p gridA of the file of \p reader (whose grid as read is \p grid)
/// resampled through \p reg, reading only the part of the file that each piece of at most
/// \p slabBytes of A maps into; \p inside (may be null) gets 1 where the file was scanned.
volume::Volume resampleWindow(volume::VolumeReader& reader, const volume::ReadOptions& read, const volume::VolumeInfo& grid,
                              const analysis::RegistrationResult& reg, const volume::VolumeInfo& gridA, std::int64_t z0,
                              std::int64_t z1, bool nearest, std::uint64_t slabBytes, volume::Volume* inside) {
  const volume::Size3 size{gridA.size.x, gridA.size.y, z1 - z0};
  volume::Volume out(size, grid.type, gridA.spacing, gridA.origin);
  if (inside) *inside = volume::Volume(size, volume::VoxelType::UInt8, gridA.spacing, gridA.origin);
  const std::int64_t slices = std::max<std::int64_t>(1, std::int64_t(slabBytes / std::max<std::uint64_t>(1, out.info().sliceBytes())));
  for (std::int64_t a = z0; a < z1; a += slices) {
    const std::int64_t b = std::min(z1, a + slices);
    const volume::Region part = analysis::sourceRegion(reg, gridA, grid, a, b);
    if (part.empty()) continue;
    analysis::resampleSlab(readPart(reader, read, part, nearest), part, grid, reg, gridA, z0, a, b, out, inside, nearest);
  }
  return out;
}

/// The crack threshold that makeCrackMask uses for the whole crack volume of \p reader, decided
/// once (integer volumes without a threshold: the label convention when they hold only 0, 1, 2
/// with a 2, read slab by slab), so that every slab is turned into a mask by the same rule.
struct CrackRule {
  std::optional<double> threshold;
  std::string description;
};
CrackRule crackRule(volume::VolumeReader& reader, const volume::ReadOptions& read, std::optional<double> threshold, bool nearest,
                    std::uint64_t slabBytes) {
  const volume::VolumeInfo g = reader.outputInfo(read);
  if (g.type == volume::VoxelType::Float32 || threshold) {
    const volume::Volume one({1, 1, 1}, g.type);
    return {threshold ? threshold : std::optional<double>(0.5), analysis::makeCrackMask(one, threshold).description};
  }
  bool onlyLabels = true, anyTwo = false;
  const std::int64_t slices = std::max<std::int64_t>(1, std::int64_t(slabBytes / std::max<std::uint64_t>(1, g.sliceBytes())));
  for (std::int64_t z0 = 0; z0 < g.size.z && onlyLabels; z0 += slices) {
    const volume::Volume v = readPart(reader, read, volume::Region::slab(g.size, z0, std::min(g.size.z, z0 + slices)), nearest);
    volume::dispatch(v.type(), [&](auto tag) {
      using T = decltype(tag);
      const T* p = v.as<T>();
      for (std::int64_t i = 0, n = v.voxelCount(); i < n; ++i) {
        onlyLabels = onlyLabels && p[i] <= T(2);
        anyTwo = anyTwo || p[i] == T(2);
      }
    });
  }
  // Unsigned voxel types: value >= 2 is the label convention's crack, value >= 1 is nonzero.
  if (onlyLabels && anyTwo) return {2.0, "labels (value 2 = crack)"};
  return {1.0, "nonzero = crack"};
}

void checkSameGrid(const volume::VolumeInfo& v, const std::string& path, const volume::VolumeInfo& image, const std::string& imagePath) {
  if (v.size != image.size)
    throw std::invalid_argument("'" + path + "' is " + dims(v.size) + " voxels but its image '" + imagePath + "' is " + dims(image.size));
}
} // namespace

analysis::TransformMode transformMode(const std::string& name) {
  if (name == "rigid") return analysis::TransformMode::Rigid;
  if (name == "affine") return analysis::TransformMode::Affine;
  if (name == "auto") return analysis::TransformMode::Auto;
  throw std::invalid_argument("--transform must be rigid, affine or auto, got '" + name + "'");
}

volume::Volume readCoarse(const std::string& path, const volume::OpenOptions& open, const volume::ReadOptions& read, int factor,
                          int* level) {
  factor = std::max(1, factor);
  volume::OpenOptions o = open;
  volume::ReadOptions r = read;
  int k = 0;
  if (plainRead(read)) { // a pyramid level does part of the block means
    const std::vector<volume::VolumeInfo> levels = volume::resolutionLevels(path, open);
    while (k + 1 < int(levels.size()) && (1 << (k + 1)) <= factor && factor % (1 << (k + 1)) == 0) ++k;
    o.level = k;
    r.downsample = factor >> k;
  } else {
    r.downsample = std::max(1, read.downsample) * factor;
  }
  r.mode = volume::DownsampleMode::Mean;
  const auto reader = volume::openVolume(path, o);
  const volume::VolumeInfo base = reader->outputInfo([&] {
    volume::ReadOptions one = r;
    one.downsample = 1;
    return one;
  }());
  const int d = r.downsample;
  r.downsample = std::min<int>(d, int(std::max({base.size.x, base.size.y, base.size.z})));
  volume::Volume v = reader->read(r);
  const double h = (r.downsample - 1) / 2.0; // the reader's origin is the first voxel's, not the block centre's
  v.setOrigin({v.origin().x + base.spacing.x * h, v.origin().y + base.spacing.y * h, v.origin().z + base.spacing.z * h});
  if (level) *level = k;
  return v;
}

namespace {
/// The two time points from files, slab by slab (labels of both given): A's slices read, B's
/// resampled onto them.
class FileSource : public analysis::EvolutionSource {
public:
  FileSource(const EvolveFileInputs& in, const volume::ReadOptions& read, const EvolveFileResult& res,
             volume::VolumeReader& imageA, volume::VolumeReader& imageB, analysis::EvolutionProvenance& prov)
      : m_in(in), m_read(read), m_reg(res.run.registration), m_gridA(res.gridA), m_gridB(res.gridB), m_imageA(imageA),
        m_imageB(imageB) {
    m_labelsA = volume::openVolume(in.labelsA, {});
    checkSameGrid(m_labelsA->outputInfo(read), in.labelsA, m_gridA, in.a);
    m_labelsB = volume::openVolume(in.labelsB, {});
    m_gridLabelsB = m_labelsB->outputInfo(read);
    checkSameGrid(m_gridLabelsB, in.labelsB, m_gridB, in.b);
    prov.labelsA = in.labelsA;
    prov.labelsB = in.labelsB + " (resampled onto A's grid)";
    prov.cracksA = prov.cracksB = "none";
    if (!in.cracksA.empty()) {
      m_cracksA = volume::openVolume(in.cracksA, {});
      checkSameGrid(m_cracksA->outputInfo(read), in.cracksA, m_gridA, in.a);
      m_ruleA = crackRule(*m_cracksA, read, in.threshold, false, in.slabBytes);
      prov.cracksA = in.cracksA + " (" + m_ruleA.description + ")";
    }
    if (!in.cracksB.empty()) {
      m_cracksB = volume::openVolume(in.cracksB, {});
      m_gridCracksB = m_cracksB->outputInfo(read);
      checkSameGrid(m_gridCracksB, in.cracksB, m_gridB, in.b);
      m_ruleB = crackRule(*m_cracksB, read, in.threshold, !linearCracksB(), in.slabBytes);
      prov.cracksB = in.cracksB + " (" + m_ruleB.description + ")";
    }
  }
  volume::VolumeInfo grid() const override { return m_gridA; }
  void labels(std::int64_t z0, std::int64_t z1, volume::Volume& a, volume::Volume& b) override {
    a = onGrid(uint32(readPart(*m_labelsA, m_read, volume::Region::slab(m_gridA.size, z0, z1), true)));
    b = uint32(resampleWindow(*m_labelsB, m_read, m_gridLabelsB, m_reg, m_gridA, z0, z1, true, m_in.slabBytes, nullptr));
  }
  void slab(std::int64_t z0, std::int64_t z1, Slab& a, Slab& b, volume::Volume& insideB) override {
    const volume::Region region = volume::Region::slab(m_gridA.size, z0, z1);
    a.image = onGrid(readPart(m_imageA, m_read, region, false));
    a.cracks = m_cracksA ? onGrid(analysis::makeCrackMask(readPart(*m_cracksA, m_read, region, false), m_ruleA.threshold).mask)
                         : none(z0, z1);
    b.image = resampleWindow(m_imageB, m_read, m_gridB, m_reg, m_gridA, z0, z1, false, m_in.slabBytes, &insideB);
    b.cracks = m_cracksB ? analysis::makeCrackMask(resampleWindow(*m_cracksB, m_read, m_gridCracksB, m_reg, m_gridA, z0, z1,
                                                                  !linearCracksB(), m_in.slabBytes, nullptr),
                                                   m_ruleB.threshold)
                               .mask
                         : none(z0, z1);
    labels(z0, z1, a.labels, b.labels);
  }

private:
  const EvolveFileInputs& m_in;
  volume::ReadOptions m_read;
  analysis::RegistrationResult m_reg;
  volume::VolumeInfo m_gridA, m_gridB, m_gridLabelsB, m_gridCracksB;
  volume::VolumeReader &m_imageA, &m_imageB;
  std::unique_ptr<volume::VolumeReader> m_labelsA, m_labelsB, m_cracksA, m_cracksB;
  CrackRule m_ruleA, m_ruleB;

  bool linearCracksB() const { return m_gridCracksB.type == volume::VoxelType::Float32; }
  static volume::Volume uint32(volume::Volume v) {
    if (v.type() == volume::VoxelType::UInt32) return v;
    return v.convertTo(volume::VoxelType::UInt32);
  }
  volume::Volume onGrid(volume::Volume v) const {
    v.setSpacing(m_gridA.spacing);
    v.setOrigin(m_gridA.origin);
    return v;
  }
  volume::Volume none(std::int64_t z0, std::int64_t z1) const {
    return volume::Volume({m_gridA.size.x, m_gridA.size.y, z1 - z0}, volume::VoxelType::UInt8, m_gridA.spacing, m_gridA.origin);
  }
};
} // namespace

EvolveFileResult evolveFiles(const EvolveFileInputs& in) {
  const volume::OpenOptions open = toOpenOptions(in.volume);
  const volume::ReadOptions read = toReadOptions(in.volume);
  EvolveFileResult res;
  auto say = [&](const std::string& s) {
    if (!in.verbose) return;
    std::printf("%s\n", s.c_str());
    std::fflush(stdout);
  };
  auto readerA = volume::openVolume(in.a, open), readerB = volume::openVolume(in.b, open);
  res.gridA = readerA->outputInfo(read);
  res.gridB = readerB->outputInfo(read);

  // Registration from coarse copies only.
  const int fa = analysis::registrationFactor(res.gridA.size, in.registration.coarseSize);
  const int fb = analysis::registrationFactorB(res.gridA, res.gridB, fa);
  {
    const volume::Volume ca = readCoarse(in.a, open, read, fa, &res.coarseLevelA);
    const volume::Volume cb = readCoarse(in.b, open, read, fb, &res.coarseLevelB);
    say("registering on coarse copies: A " + dims(ca.size()) + " (level " + std::to_string(res.coarseLevelA) + "), B " +
        dims(cb.size()) + " (level " + std::to_string(res.coarseLevelB) + ")");
    res.run.registration = analysis::registerCoarse(ca, cb, res.gridA, res.gridB, in.registration, in.a, in.b);
    say("transform: " + res.run.registration.choice);
  }
  analysis::EvolutionProvenance& prov = res.provenance;
  prov.sourceA = in.a;
  prov.sourceB = in.b;

  // Both time points' labels given: slab by slab within the memory limit (or whole without one).
  if (!in.labelsA.empty() && !in.labelsB.empty()) {
    FileSource source(in, read, res, *readerA, *readerB, prov);
    res.run.result = analysis::compareInSlabs(source, in.evolution, in.memoryLimit, &res.plan);
    if (res.plan.slabs > 1)
      say("compared in " + std::to_string(res.plan.slabs) + " slabs of " + std::to_string(res.plan.slabSlices) +
          " slices (halo " + std::to_string(res.plan.halo) + ", about " + std::to_string(res.plan.slabBytes >> 20) +
          " MiB each) within the memory limit");
    return res;
  }

  // Particles segmented by cdnet: both time points whole (the segmentation needs the whole scan).
  const std::uint64_t whole = std::uint64_t(res.gridA.size.count()) * analysis::evolutionBytesPerVoxel(res.gridA);
  if (in.memoryLimit && whole > in.memoryLimit)
    std::fprintf(stderr,
                 "cdnet: note: segmenting the particles needs both scans whole (about %llu MiB, over the memory limit); give "
                 "--labels-a and --labels-b to compare slab by slab\n",
                 (unsigned long long)(whole >> 20));
  const volume::Volume imageA = readPart(*readerA, read, volume::Region::whole(res.gridA.size), false);
  volume::Volume cracksA(res.gridA.size, volume::VoxelType::UInt8), cracksB(res.gridA.size, volume::VoxelType::UInt8);
  prov.cracksA = prov.cracksB = "none";
  if (!in.cracksA.empty()) {
    auto rc = volume::openVolume(in.cracksA, {});
    checkSameGrid(rc->outputInfo(read), in.cracksA, res.gridA, in.a);
    analysis::CrackMask cm = analysis::makeCrackMask(rc->read(read), in.threshold);
    cracksA = std::move(cm.mask);
    prov.cracksA = in.cracksA + " (" + cm.description + ")";
  }
  cracksA.setSpacing(res.gridA.spacing);
  cracksA.setOrigin(res.gridA.origin);
  if (!in.labelsA.empty()) {
    auto rl = volume::openVolume(in.labelsA, {});
    checkSameGrid(rl->outputInfo(read), in.labelsA, res.gridA, in.a);
    volume::ReadOptions nearest = read;
    nearest.mode = volume::DownsampleMode::Nearest;
    res.labelsA = rl->read(nearest);
    if (res.labelsA.type() != volume::VoxelType::UInt32) res.labelsA = res.labelsA.convertTo(volume::VoxelType::UInt32);
    prov.labelsA = in.labelsA;
  } else {
    say("segmenting the particles of scan A (" + in.a + ")");
    analysis::AnalysisResult r = analysis::analyzeVolume(imageA, in.cracksA.empty() ? volume::Volume() : cracksA.clone());
    res.labelsA = std::move(r.segmentation.labels);
    prov.labelsA = "segmented by cdnet (" + std::to_string(r.segmentation.stats.particleCount) + " particles)";
  }
  res.labelsA.setSpacing(res.gridA.spacing);
  res.labelsA.setOrigin(res.gridA.origin);

  if (in.labelsB.empty()) {
    // B's particles segmented on B's own grid with A's particles as markers, as the studio does
    // (core::analysis::evolveSeeded, with the registration from the coarse levels above): the two
    // segmentations then part touching particles alike, and only a crack cutting a particle across
    // tells them apart.
    say("segmenting the particles of scan B on its own grid with A's particles as markers (" + in.b + ")");
    volume::Volume ownImage = readerB->read(read);
    ownImage.setSpacing(res.gridB.spacing); // the markers are placed on B's grid as the registration knows it
    ownImage.setOrigin(res.gridB.origin);
    volume::Volume ownCracks;
    if (!in.cracksB.empty()) {
      auto rc = volume::openVolume(in.cracksB, {});
      checkSameGrid(rc->outputInfo(read), in.cracksB, res.gridB, in.b);
      ownCracks = rc->read(read);
    }
    analysis::SeededEvolution s =
        analysis::evolveSeeded({&imageA, &res.labelsA, &cracksA}, {&ownImage, &ownCracks, in.threshold}, &res.run.registration,
                               in.registration, analysis::AnalysisOptions{}.segmentation, in.evolution, in.a, in.b);
    res.run = std::move(s.run);
    res.labelsB = std::move(s.labelsB);
    prov.labelsB = s.labelsSourceB;
    if (!in.cracksB.empty()) prov.cracksB = in.cracksB + " (" + s.crackRuleB + ")";
    return res;
  }

  // B: onto A's grid, slab by slab.
  say("resampling scan B onto A's grid slab by slab");
  const analysis::RegistrationResult& reg = res.run.registration;
  volume::Volume inside;
  const volume::Volume imageB = resampleWindow(*readerB, read, res.gridB, reg, res.gridA, 0, res.gridA.size.z, false, in.slabBytes, &inside);
  if (!in.cracksB.empty()) {
    auto rc = volume::openVolume(in.cracksB, {});
    const volume::VolumeInfo g = rc->outputInfo(read);
    checkSameGrid(g, in.cracksB, res.gridB, in.b);
    const bool linear = g.type == volume::VoxelType::Float32;
    const volume::Volume raw = resampleWindow(*rc, read, g, reg, res.gridA, 0, res.gridA.size.z, !linear, in.slabBytes, nullptr);
    analysis::CrackMask cm = analysis::makeCrackMask(raw, in.threshold);
    cracksB = std::move(cm.mask);
    prov.cracksB = in.cracksB + " (" + cm.description + ")";
  }
  cracksB.setSpacing(res.gridA.spacing);
  cracksB.setOrigin(res.gridA.origin);
  {
    auto rl = volume::openVolume(in.labelsB, {});
    const volume::VolumeInfo g = rl->outputInfo(read);
    checkSameGrid(g, in.labelsB, res.gridB, in.b);
    res.labelsB = resampleWindow(*rl, read, g, reg, res.gridA, 0, res.gridA.size.z, true, in.slabBytes, nullptr);
    if (res.labelsB.type() != volume::VoxelType::UInt32) res.labelsB = res.labelsB.convertTo(volume::VoxelType::UInt32);
    prov.labelsB = in.labelsB + " (resampled onto A's grid)";
  }
  res.labelsB.setSpacing(res.gridA.spacing);
  res.labelsB.setOrigin(res.gridA.origin);
  say("matching particles");
  res.run.result = analysis::compareTimePoints({&imageA, &res.labelsA, &cracksA}, {&imageB, &res.labelsB, &cracksB}, &inside,
                                               in.evolution);
  return res;
}

} // namespace cli
