#pragma once
/// \file PhantomPacking.h
/// Packing of the phantom's particle spheres (internal to core/phantom).

#include "core/phantom/PhantomGeometry.h"

#include <vector>

namespace core::phantom::detail {

/// Particles may overlap by this share of their summed radii: slightly touching.
constexpr double kTouch = 0.97;

/// Spheres with radii in [particleRadiusMin, particleRadiusMax] filling about solidFraction of
/// the volume, none overlapping more than kTouch allows, each reaching more than a grain into
/// the volume; largest first. Deterministic from the options; time O(particles).
std::vector<ParticleShape> packParticles(const PhantomOptions& options);

} // namespace core::phantom::detail
