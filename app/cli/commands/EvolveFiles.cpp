// cdnet evolve from files: coarse-level registration and slab-by-slab resampling of B (issue 19).
#include "app/cli/commands/EvolveFiles.h"

#include "core/analysis/Analysis.h"
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

/// \p path (whose grid as read is \p grid) resampled onto A's grid \p gridA through \p reg, one slab
/// of A at a time, reading only the part of the file that the slab maps into.
volume::Volume resampleFile(volume::VolumeReader& reader, const volume::ReadOptions& read, const volume::VolumeInfo& grid,
                            const analysis::RegistrationResult& reg, const volume::VolumeInfo& gridA, bool nearest,
                            std::uint64_t slabBytes, volume::Volume* inside) {
  volume::VolumeInfo info = gridA;
  info.type = grid.type;
  volume::Volume out(info);
  if (inside) *inside = volume::Volume(gridA.size, volume::VoxelType::UInt8, gridA.spacing, gridA.origin);
  const volume::Region crop = reader.resolveCrop(read);
  const int d = std::max(1, read.downsample);
  const std::int64_t slices = std::max<std::int64_t>(1, std::int64_t(slabBytes / std::max<std::uint64_t>(1, info.sliceBytes())));
  for (std::int64_t z0 = 0; z0 < gridA.size.z; z0 += slices) {
    const std::int64_t z1 = std::min(gridA.size.z, z0 + slices);
    const volume::Region part = analysis::sourceRegion(reg, gridA, grid, z0, z1);
    if (part.empty()) continue;
    // The part in file voxels (through the crop and the downsampling of what is read).
    volume::Region file{{crop.start.x + part.start.x * d, crop.start.y + part.start.y * d, crop.start.z + part.start.z * d},
                        {part.size.x * d, part.size.y * d, part.size.z * d}};
    const volume::Index3 end = crop.end();
    file.size = {std::min(file.size.x, end.x - file.start.x), std::min(file.size.y, end.y - file.start.y),
                 std::min(file.size.z, end.z - file.start.z)};
    const volume::Volume slab = reader.read(file, d, nearest ? volume::DownsampleMode::Nearest : read.mode,
                                            jobs::nullProgress(), jobs::neverCancelled());
    analysis::resampleSlab(slab, part, grid, reg, z0, z1, out, inside, nearest);
  }
  return out;
}

void checkSameGrid(const volume::VolumeInfo& v, const std::string& path, const volume::VolumeInfo& image, const std::string& imagePath) {
  if (v.size != image.size)
    throw std::invalid_argument("'" + path + "' is " + dims(v.size) + " voxels but its image '" + imagePath + "' is " + dims(image.size));
}
} // namespace

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
  }

  // A: read whole (the reference grid).
  analysis::EvolutionProvenance& prov = res.provenance;
  prov.sourceA = in.a;
  prov.sourceB = in.b;
  const volume::Volume imageA = readerA->read(read);
  volume::Volume cracksA, cracksB;
  if (!in.cracksA.empty()) {
    auto rc = volume::openVolume(in.cracksA, {});
    checkSameGrid(rc->outputInfo(read), in.cracksA, res.gridA, in.a);
    analysis::CrackMask cm = analysis::makeCrackMask(rc->read(read), in.threshold);
    cracksA = std::move(cm.mask);
    prov.cracksA = in.cracksA + " (" + cm.description + ")";
  } else {
    cracksA = volume::Volume(res.gridA.size, volume::VoxelType::UInt8);
    prov.cracksA = "none";
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

  // B: onto A's grid, slab by slab.
  say("resampling scan B onto A's grid slab by slab");
  volume::Volume inside;
  const volume::Volume imageB = resampleFile(*readerB, read, res.gridB, res.run.registration, res.gridA, false, in.slabBytes, &inside);
  if (!in.cracksB.empty()) {
    auto rc = volume::openVolume(in.cracksB, {});
    const volume::VolumeInfo g = rc->outputInfo(read);
    checkSameGrid(g, in.cracksB, res.gridB, in.b);
    const bool linear = g.type == volume::VoxelType::Float32;
    const volume::Volume raw = resampleFile(*rc, read, g, res.run.registration, res.gridA, !linear, in.slabBytes, nullptr);
    analysis::CrackMask cm = analysis::makeCrackMask(raw, in.threshold);
    cracksB = std::move(cm.mask);
    prov.cracksB = in.cracksB + " (" + cm.description + ")";
  } else {
    cracksB = volume::Volume(res.gridA.size, volume::VoxelType::UInt8);
    prov.cracksB = "none";
  }
  cracksB.setSpacing(res.gridA.spacing);
  cracksB.setOrigin(res.gridA.origin);
  if (!in.labelsB.empty()) {
    auto rl = volume::openVolume(in.labelsB, {});
    const volume::VolumeInfo g = rl->outputInfo(read);
    checkSameGrid(g, in.labelsB, res.gridB, in.b);
    res.labelsB = resampleFile(*rl, read, g, res.run.registration, res.gridA, true, in.slabBytes, nullptr);
    if (res.labelsB.type() != volume::VoxelType::UInt32) res.labelsB = res.labelsB.convertTo(volume::VoxelType::UInt32);
    prov.labelsB = in.labelsB + " (resampled onto A's grid)";
  } else {
    // On B's own grid, as its analysis would segment it, labels then resampled by nearest neighbour:
    // the linear interpolation onto A's grid blurs B (more so where it lands between voxels), and
    // on that image the watershed merged small particles with their neighbours that A's kept apart.
    say("segmenting the particles of scan B on its own grid (" + in.b + ")");
    volume::Volume ownCracks;
    if (!in.cracksB.empty()) ownCracks = analysis::makeCrackMask(volume::openVolume(in.cracksB, {})->read(read), in.threshold).mask;
    analysis::AnalysisResult r = analysis::analyzeVolume(readerB->read(read), ownCracks);
    r.segmentation.labels.setSpacing(res.gridB.spacing);
    r.segmentation.labels.setOrigin(res.gridB.origin);
    res.labelsB = analysis::resampleOnto(r.segmentation.labels, res.run.registration, res.gridA);
    prov.labelsB = "segmented by cdnet on B's grid (" + std::to_string(r.segmentation.stats.particleCount) +
                   " particles), resampled onto A's grid";
  }
  res.labelsB.setSpacing(res.gridA.spacing);
  res.labelsB.setOrigin(res.gridA.origin);
  say("matching particles");
  res.run.result = analysis::compareTimePoints({&imageA, &res.labelsA, &cracksA}, {&imageB, &res.labelsB, &cracksB}, &inside,
                                               in.evolution);
  return res;
}

} // namespace cli
