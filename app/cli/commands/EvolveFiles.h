#pragma once
/// \file EvolveFiles.h
/// `cdnet evolve` from files in bounded memory (issue 19), shared with `cdnet bench evolution`:
/// registration from coarse levels only (a pyramid level of an OME-Zarr or HDF5 file when there
/// is one, else block means read slab by slab: never a full-resolution scan), then A read whole
/// (the comparison's reference grid) and B's image, crack volume and labels resampled onto A's
/// grid slab by slab, reading only the part of B that each slab of A maps into. With both
/// particle label files given the comparison itself runs slab by slab within memoryLimit
/// (core::analysis::compareInSlabs, the same rows as whole). B's particles, when not given, are
/// segmented on B's grid with A's particles as markers and compared by core::analysis::evolveSeeded
/// (the studio's very sequence, with the registration above; B read whole then, as A is).

#include "app/cli/support/VolumeOptions.h"

#include "core/analysis/Evolution.h"
#include "core/analysis/EvolutionSlabs.h"

#include <optional>
#include <string>

namespace cli {

struct EvolveFileInputs {
  std::string a, b, cracksA, cracksB, labelsA, labelsB; ///< files (cracks and labels may be empty)
  std::optional<double> threshold;                      ///< crack probability threshold
  VolumeOptions volume;                                 ///< how to open and read every file
  core::analysis::RegistrationOptions registration;
  core::analysis::EvolutionOptions evolution;
  std::uint64_t slabBytes = 64ull << 20;                ///< A's slab resampled at a time (B's part is about as large)
  std::uint64_t memoryLimit = 0;                        ///< --memory-limit: compare slab by slab within it (0: whole)
  bool verbose = true;                                  ///< print what is being done on stdout
};

struct EvolveFileResult {
  core::analysis::EvolutionRun run;
  core::volume::VolumeInfo gridA, gridB;   ///< A's grid, B's own grid (as read)
  core::volume::Volume labelsA, labelsB;   ///< the particle labels compared (B's on A's grid; empty when compared slab by slab)
  core::analysis::EvolutionProvenance provenance;
  int coarseLevelA = 0, coarseLevelB = 0;  ///< pyramid level the coarse copies were read from
  core::analysis::EvolutionSlabPlan plan;  ///< how the comparison was cut into slabs
};

/// "rigid", "affine" or "auto" (--transform); throws std::invalid_argument on anything else.
core::analysis::TransformMode transformMode(const std::string& name);

/// Runs the comparison. Throws std::invalid_argument / std::runtime_error naming the file for bad
/// input (sizes that differ from their image, scans that do not register, with the quality).
EvolveFileResult evolveFiles(const EvolveFileInputs& in);

/// A coarse copy of \p path for registration: block means by \p factor on each axis of what \p read
/// selects, from the coarsest pyramid level that is not coarser than \p factor (level in \p level),
/// with the origin of the block centres (core::analysis::registerCoarse).
core::volume::Volume readCoarse(const std::string& path, const core::volume::OpenOptions& open,
                                const core::volume::ReadOptions& read, int factor, int* level = nullptr);

} // namespace cli
