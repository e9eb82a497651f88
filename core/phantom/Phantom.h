#pragma once
/// \file Phantom.h
/// A synthetic cathode: the test bed and the demo of the whole product (CDNET.md, "The data").
/// Bright spherical NMC secondary particles of varied size built from smaller grains, a mid-grey
/// carbon-binder domain, dark pores, thin dark cracks (1-3 voxels, branching, mostly inside
/// particles, some between them), blur, noise and phase-contrast edge fringes; with ground truth.
/// Two presets (PhantomOptions::preset): "realistic" (the default) adds what real nano-CT of
/// NMC cathodes shows and a filter cannot sort out: lobed cauliflower particles, pores, hollow
/// cores and dark inclusions inside particles (as dark as cracks, not cracks in the truth),
/// cracks from sub-voxel (partial-volume contrast) to 6 voxels wide with contrast varying along
/// them and partly filled stretches, thin gaps between touching particles (crack in the truth, as
/// the paper's masks mark them), a blur wider in z than in x-y, ring artefacts around a rotation
/// axis, streaks, slow intensity drift across the field and between slices; "simple" is the
/// phantom of the first release, bit for bit. Every artefact is a function of (x, y, z, seed).
/// Deterministic from (options, seed). The particle and crack geometry is analytic, so any slab can
/// be generated alone and equals the same slices of the whole volume (for out-of-core tests).
///
/// How it is made: particle spheres packed by pushing overlapping ones apart; grains are the
/// Voronoi cells of jittered seeds (darker boundaries, slightly different brightness; they also
/// facet the particle surfaces); cracks are sheets limited to ragged discs, either along the grain
/// boundaries that separate the grains on the two sides of a plane (intergranular) or wavy surfaces
/// through the grains (transgranular), with branches starting on their parent; then a Gaussian
/// blur, minus a scaled Laplacian (fringes) and noise hashed from (x, y, z, seed).
/// Thread affinity: any thread; the work runs on options.threads threads (the calling one
/// included), progress is reported from the calling thread. The result never depends on threads.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace core::phantom {

/// Which phantom model to generate (see the file comment).
enum class PhantomPreset { Realistic, Simple };

/// "realistic" or "simple".
const char* presetName(PhantomPreset preset);
/// Parses "realistic" or "simple"; throws std::invalid_argument naming the text otherwise.
PhantomPreset parsePreset(const std::string& text);

/// What to generate. Lengths in voxels unless said otherwise. The fields below `preset` apply to
/// both presets; `realism` only to the realistic one.
struct PhantomOptions {
  PhantomPreset preset = PhantomPreset::Realistic;
  volume::Size3 size{128, 128, 128};
  std::uint64_t seed = 1;
  volume::Vec3 spacing{0.05, 0.05, 0.05};   ///< micrometres per voxel (nano-CT scale)
  volume::VoxelType imageType = volume::VoxelType::UInt16;
  double particleRadiusMin = 10;            ///< voxels
  double particleRadiusMax = 28;            ///< voxels
  double solidFraction = 0.5;               ///< target volume fraction of particles
  double crackedFraction = 0.6;             ///< fraction of particles that carry cracks
  double interParticleCracks = 0.15;        ///< share of cracks that run between particles
  double noise = 1.0;                       ///< noise scale (1 = realistic, 0 = none)
  double grainSize = 7.0;                   ///< mean primary grain diameter, voxels
  double cbdFraction = 0.45;                ///< share of the space between particles filled by carbon-binder
  double blurSigma = 0.8;                   ///< Gaussian blur of the detector, voxels (0 = none)
  double phaseContrast = 1.0;               ///< strength of the bright/dark edge fringes (0 = none)
  int threads = 0;                          ///< worker threads (0 = all cores); never changes the result
  bool withPhases = false;                  ///< also fill Phantom::phases (one more byte per voxel)
  bool lowSignal = false;                   ///< realistic only: a low-dose scan (less contrast, more noise)
  /// Strengths of the realistic preset's features (0 turns one off). Ignored by "simple".
  struct Realism {
    double lobes = 1.0;        ///< cauliflower lobes and grooves of the particle surfaces
    double pores = 1.0;        ///< pores, hollow cores and dark inclusions inside particles
    double contactGaps = 1.0;  ///< thin dark gaps between touching particles (crack in the truth)
    double xyBlur = 1.5;       ///< blur sigma in x-y over blurSigma (the real scans are softer)
    double zBlur = 1.6;        ///< blur sigma in z over blur sigma in x-y (anisotropic resolution)
    double rings = 1.0;        ///< ring artefacts around the rotation axis
    double streaks = 1.0;      ///< streaks across slices
    double drift = 1.0;        ///< slow intensity drift across the field and between slices
  } realism;
};

/// Options with the defaults of \p preset (size, seed and the rest as default-constructed).
PhantomOptions presetOptions(PhantomPreset preset);

/// Values of Phantom::phases: what each voxel is made of (cracks inside particles or binder).
enum class Phase : std::uint8_t { Pore = 0, Binder = 1, Particle = 2, Crack = 3 };

/// Throws std::invalid_argument naming the first bad option (zero size, radius min > max, ...).
void validate(const PhantomOptions& options);

/// Ground truth of one particle (counts over the whole volume).
struct ParticleTruth {
  std::uint32_t id = 0;           ///< value in the particle label map (1-based)
  volume::Vec3 centre;            ///< voxels
  double radius = 0;              ///< voxels
  std::int64_t filledVoxels = 0;  ///< voxels of the particle with its cracks filled
  std::int64_t crackVoxels = 0;   ///< crack voxels inside the particle
  bool cracked() const { return crackVoxels > 0; }
  double crackFraction() const { return filledVoxels ? double(crackVoxels) / double(filledVoxels) : 0.0; }
};

/// A generated volume (or slab) and its ground truth. Mean image values of pores (and cracks),
/// binder and particles: uint16 about 7000, 27000 and 44000 (fringes and noise spread them over
/// most of the range); uint8 about 28, 104 and 169; float32 about 0.08, 0.46 and 0.79.
struct Phantom {
  volume::Volume image;      ///< options.imageType, grey values as a scanner would give
  volume::Volume cracks;     ///< uint8, 1 = crack, 0 = not
  volume::Volume particles;  ///< uint32, particle id (cracks inside a particle carry its id), 0 = none
  volume::Volume phases;     ///< uint8 Phase per voxel when options.withPhases, else empty
  std::vector<ParticleTruth> truth;
};

/// Generates the whole phantom. Throws std::invalid_argument on bad options, jobs::Cancelled when
/// cancelled, std::runtime_error when the volume does not fit in memory (before allocating).
/// About 0.4 s (simple) and 0.6 s (realistic) of processor time for 128^3.
Phantom generatePhantom(const PhantomOptions& options, jobs::ProgressSink& progress = jobs::nullProgress(),
                        jobs::CancelToken& cancel = jobs::neverCancelled());

/// Generates slices [z0, z1) only; equal to the same slices of generatePhantom(options).
/// truth holds the particles that intersect the slab, with their whole-volume counts.
Phantom generatePhantomSlab(const PhantomOptions& options, std::int64_t z0, std::int64_t z1,
                            jobs::ProgressSink& progress = jobs::nullProgress(),
                            jobs::CancelToken& cancel = jobs::neverCancelled());

/// Generates the whole volume slab by slab, in increasing z, handing each slab of \p slabDepth
/// slices (the last may be shorter) to \p sink, which may move from it. Memory is that of one
/// slab; each slab equals generatePhantomSlab() of its range, but its truth is left empty: the
/// whole-volume truth is returned at the end. \p sink runs on the calling thread.
std::vector<ParticleTruth> generatePhantomSlabs(const PhantomOptions& options, std::int64_t slabDepth,
                                                const std::function<void(Phantom& slab, std::int64_t z0)>& sink,
                                                jobs::ProgressSink& progress = jobs::nullProgress(),
                                                jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::phantom
