#pragma once
/// \file EvolutionSeeded.h
/// Crack evolution with scan B segmented by A's particles (issue 19): register B onto A (unless a
/// registration is given), move A's particles onto B's grid as markers (evolutionMarkers), segment
/// B on its own grid with them, resample B's image, particles and cracks onto A's grid and compare
/// (compareTimePoints), registering once. `cdnet evolve` (without --labels-b) and the studio's
/// second time point both run this one function, so the two cannot drift apart. Any thread.

#include "core/analysis/Evolution.h"
#include "core/analysis/ParticleSegmentation.h"
#include "core/jobs/Job.h"

#include <optional>
#include <string>

namespace core::analysis {

/// Scan B on its own grid (spacing and origin as the registration knows them): the grey image and
/// its crack volume as read (mask, labels or probability; null or empty: none), made into masks
/// by makeCrackMask with \p threshold, on B's grid for the segmentation and after resampling
/// (linear for float32 probabilities, else nearest neighbour) on A's grid for the comparison.
struct ScanB {
  const volume::Volume* image = nullptr;
  const volume::Volume* cracks = nullptr;
  std::optional<double> threshold;
};

struct SeededEvolution {
  EvolutionRun run;
  volume::Volume imageB;       ///< B's image on A's grid
  volume::Volume labelsB;      ///< B's particles (uint32) on A's grid
  std::int64_t particlesB = 0; ///< particles segmented in B
  std::string labelsSourceB;   ///< "segmented by cdnet on B's grid with A's particles as markers (N particles), ..."
  std::string crackRuleB;      ///< makeCrackMask's description of B's crack volume ("" without one)
};

/// \p a: A's image, particles (uint32) and crack mask (uint8 0/1, null: none) on A's grid.
/// \p registration: B onto A when already known (the CLI registers from coarse file levels);
/// null: registerScans(a.image, b.image, \p registrationOptions). \p segmentation segments B.
/// Progress over the stages; throws jobs::Cancelled when cancelled, std::invalid_argument on
/// sizes or types that differ, std::runtime_error from the registration (naming \p nameA and
/// \p nameB, with the quality).
SeededEvolution evolveSeeded(const TimePoint& a, const ScanB& b, const RegistrationResult* registration,
                             const RegistrationOptions& registrationOptions, const SegmentationOptions& segmentation,
                             const EvolutionOptions& options, const std::string& nameA, const std::string& nameB,
                             jobs::ProgressSink& progress = jobs::nullProgress(),
                             jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::analysis
