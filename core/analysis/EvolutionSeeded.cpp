// Crack evolution with B segmented by A's particles as markers: the one sequence of `cdnet
// evolve` and the studio.
#include "core/analysis/EvolutionSeeded.h"

#include "core/analysis/EvolutionMarkers.h"

#include <stdexcept>

namespace core::analysis {

SeededEvolution evolveSeeded(const TimePoint& a, const ScanB& b, const RegistrationResult* registration,
                             const RegistrationOptions& registrationOptions, const SegmentationOptions& segmentation,
                             const EvolutionOptions& options, const std::string& nameA, const std::string& nameB,
                             jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  if (!a.image || !a.labels || !b.image) throw std::invalid_argument("evolution: a time point lacks its image or particles");
  const volume::Volume& imageB = *b.image;
  const bool cracked = b.cracks && !b.cracks->empty();
  if (cracked && b.cracks->size() != imageB.size())
    throw std::invalid_argument("evolution: the crack volume of '" + nameB + "' is not the size of its image");
  const volume::VolumeInfo grid = a.image->info();
  SeededEvolution out;
  EvolutionRun& run = out.run;
  cancel.throwIfCancelled();
  if (registration) {
    run.registration = *registration;
  } else {
    progress.setProgress(0.0, "Registering B onto A");
    run.registration = registerScans(*a.image, imageB, registrationOptions, nameA, nameB);
  }
  cancel.throwIfCancelled();

  // B's particles on its own grid, seeded with A's (moved through the registration and eroded).
  progress.setProgress(0.15, "Segmenting B with A's particles as markers");
  volume::Volume cracksOwn;
  if (cracked) {
    CrackMask cm = makeCrackMask(*b.cracks, b.threshold);
    cracksOwn = std::move(cm.mask);
    out.crackRuleB = cm.description;
  }
  Segmentation seg;
  {
    const volume::Volume markers = evolutionMarkers(*a.labels, run.registration, imageB.info());
    jobs::SubProgress sub(progress, 0.15, 0.75);
    seg = segmentParticles(imageB, cracksOwn, markers, segmentation, sub, cancel);
  }
  cracksOwn = volume::Volume();
  out.particlesB = seg.stats.particleCount;
  out.labelsSourceB = "segmented by cdnet on B's grid with A's particles as markers (" + std::to_string(out.particlesB) +
                      " particles), resampled onto A's grid";
  seg.labels.setSpacing(imageB.spacing());
  seg.labels.setOrigin(imageB.origin());
  cancel.throwIfCancelled();

  // B onto A's grid: image (linear), particles (nearest), cracks (as the CLI resamples its files).
  progress.setProgress(0.75, "Resampling B onto A's grid");
  volume::Volume inside;
  out.imageB = resampleOnto(imageB, run.registration, grid, false, &inside); // as `cdnet evolve` resamples its files
  out.labelsB = resampleOnto(seg.labels, run.registration, grid);
  out.labelsB.setSpacing(grid.spacing);
  out.labelsB.setOrigin(grid.origin);
  seg = Segmentation();
  volume::Volume cracksB(grid.size, volume::VoxelType::UInt8, grid.spacing, grid.origin);
  if (cracked) {
    const bool linear = b.cracks->type() == volume::VoxelType::Float32;
    cracksB = makeCrackMask(resampleOnto(*b.cracks, run.registration, grid, !linear), b.threshold).mask;
    cracksB.setSpacing(grid.spacing);
    cracksB.setOrigin(grid.origin);
  }
  cancel.throwIfCancelled();

  progress.setProgress(0.85, "Matching particles");
  volume::Volume noCracksA;
  TimePoint ta = a;
  if (!ta.cracks || ta.cracks->empty()) {
    noCracksA = volume::Volume(grid.size, volume::VoxelType::UInt8, grid.spacing, grid.origin);
    ta.cracks = &noCracksA;
  }
  run.result = compareTimePoints(ta, {&out.imageB, &out.labelsB, &cracksB}, &inside, options);
  progress.setProgress(1.0, "Done");
  return out;
}

} // namespace core::analysis
