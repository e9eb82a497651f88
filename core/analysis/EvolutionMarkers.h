#pragma once
/// \file EvolutionMarkers.h
/// Particle markers for segmenting a later scan B with the particles of the earlier scan A (issue
/// 19): A's labels moved onto B's grid through the registration and eroded, so that B's watershed
/// (segmentParticles with markers) parts touching particles where A's did. Two segmentations made
/// apart disagree on such contacts (one merges what the other splits) and every disagreement
/// reads as a lost, merged or fractured particle; with the markers only a crack cutting a particle
/// of A across (the fracture rule of Evolution.h) makes it differ. Any thread.

#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/Registration.h"
#include "core/volume/Volume.h"

namespace core::analysis {

/// The registration the other way round: B's points onto A's (the inverse of r.physical), for
/// resampling A onto B's grid with resampleOnto. Throws std::invalid_argument when the transform
/// cannot be inverted.
RegistrationResult inverseRegistration(const RegistrationResult& r);

/// \p labelsA (uint32 on A's grid) moved onto \p gridB through \p r (nearest neighbour) and each
/// particle eroded by \p erosion voxels (a voxel stays when every voxel within that many 6-steps
/// holds the same particle), so a marker keeps clear of the contacts that registration error and
/// deformation shift by a voxel or so. uint32 on gridB, 0 = no marker. Throws
/// std::invalid_argument unless \p labelsA is uint32.
volume::Volume evolutionMarkers(const volume::Volume& labelsA, const RegistrationResult& r, const volume::VolumeInfo& gridB,
                                int erosion = 2);

/// Segments the particles of scan B (\p imageB, its crack mask \p cracksB on B's grid or empty) on
/// its own grid with A's particles \p labelsA (uint32 on A's grid) as markers (evolutionMarkers
/// through \p r, registerScans of B onto A). Labels on B's grid; errors as segmentParticles.
Segmentation segmentWithMarkers(const volume::Volume& imageB, const volume::Volume& cracksB, const volume::Volume& labelsA,
                                const RegistrationResult& r, const SegmentationOptions& options = {}, int erosion = 2);

/// Erodes every label of \p labels (uint32) by \p steps 6-neighbour steps in place: a voxel stays
/// when its face neighbours inside the volume hold its label, steps times over.
void erodeLabels(volume::Volume& labels, int steps);

} // namespace core::analysis
