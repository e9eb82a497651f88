#pragma once
/// \file PhantomGeometry.h
/// The analytic geometry of the phantom (internal to core/phantom): particle spheres, crack
/// sheets and a spatial grid to find them, built from (options, seed) with no voxel work.
/// Immutable after construction; any thread may read it.

#include "core/phantom/Phantom.h"

#include <cstdint>
#include <vector>

namespace core::phantom::detail {

struct P3 {
  double x = 0, y = 0, z = 0;
};
inline P3 operator-(const P3& a, const P3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline P3 operator+(const P3& a, const P3& b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline P3 operator*(const P3& a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline double dot(const P3& a, const P3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double norm2(const P3& a) { return dot(a, a); }
/// A fixed rotation: noise evaluated in this frame hides the axis-aligned lattice of value noise.
inline P3 rotated(const P3& p) {
  return {0.6 * p.x - 0.64 * p.y + 0.48 * p.z, 0.8 * p.x + 0.48 * p.y - 0.36 * p.z, 0.6 * p.y + 0.8 * p.z};
}
inline P3 cross(const P3& a, const P3& b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }

/// A pore, hollow core or dark inclusion inside a particle (realistic preset): a rough sphere.
struct PoreShape {
  P3 c;                  ///< centre, voxels
  double r = 0;          ///< mean radius, voxels
  float level = 0.1f;    ///< clean grey level (as dark as a crack)
};

/// One secondary particle: a sphere whose surface is faceted by its grains (and, in the
/// realistic preset, lobed: its surface lies between r (1 - lobeDepth) and r (1 + lobeBulge)).
struct ParticleShape {
  P3 c;                     ///< centre, voxels
  double r = 0;             ///< radius, voxels
  std::vector<int> cracks;  ///< indices into Geometry::cracks of the cracks inside it
  std::vector<PoreShape> pores; ///< realistic preset only
};

/// A crack: a thin sheet around a plane, limited to a ragged disc, optionally to one side of a
/// clip plane (branches start on their parent crack). Intergranular sheets follow the grain
/// boundaries that separate the grains on either side of the plane; transgranular ones are a
/// wavy surface through the grains.
struct CrackSheet {
  P3 o, n, u, v;             ///< origin; unit normal; in-plane unit basis
  double extent = 0;         ///< disc radius in the plane, voxels
  double halfWidthMax = 1;   ///< half thickness at the origin, voxels
  double halfWidthMin = 0.5; ///< half thickness at the rim, voxels
  bool intergranular = false;
  double waveAmp = 0, waveScale = 8; ///< transgranular waviness, voxels
  bool clipped = false;
  P3 clipPoint, clipNormal;  ///< when clipped, only points with dot(p - clipPoint, clipNormal) >= 0
  std::uint64_t key = 0;     ///< noise key of this crack
  std::uint32_t particle = 0;///< 1-based id of its particle; 0 for a crack between particles
  bool partialVolume = false;///< realistic: sub-voxel widths darken by coverage, contrast varies
  /// Radius of a sphere around o that holds every voxel of the crack.
  double reach() const { return extent * 1.3 + waveAmp + halfWidthMax + 2.0; }
};

/// Particles, cracks and a uniform grid over the volume extended by a margin. Grid cells list
/// the particles whose sphere plus margin reaches into them and the between-particle cracks
/// whose reach does.
class Geometry {
public:
  /// Validates \p options (std::invalid_argument) and builds everything. Time O(particles).
  explicit Geometry(const PhantomOptions& options);

  const PhantomOptions& options() const { return m_options; }
  const std::vector<ParticleShape>& particles() const { return m_particles; }
  const std::vector<CrackSheet>& cracks() const { return m_cracks; }
  double grainSize() const { return m_options.grainSize; }
  bool realistic() const { return m_options.preset == PhantomPreset::Realistic; }
  /// Largest share of a particle's radius that its grooves take away (0 in the simple preset);
  /// its lobes may also reach lobeBulge() beyond the radius.
  double lobeDepth() const { return m_lobeDepth; }
  /// Largest share of a particle's radius that its lobes reach beyond it (0 in the simple preset).
  double lobeBulge() const { return m_lobeBulge; }
  /// The radius of particle \p index (0-based) in the direction of \p p, lobes included.
  double lobedRadius(std::size_t index, const P3& p) const;
  /// Threshold of cbdField() above which the space between particles is carbon-binder.
  double cbdThreshold() const { return m_cbdThreshold; }
  /// Fraction of the volume inside particle spheres (an estimate, from the spheres).
  double sphereFraction() const { return m_sphereFraction; }

  /// Indices of particles that may lie within the margin of \p p (empty outside the grid).
  void particlesNear(const P3& p, const std::uint32_t*& begin, const std::uint32_t*& end) const;
  /// Indices of between-particle cracks whose reach may include \p p.
  void interCracksNear(const P3& p, const std::uint32_t*& begin, const std::uint32_t*& end) const;
  /// Signed distance to the nearest particle sphere (negative inside), capped at the margin.
  double surfaceDistance(const P3& p) const;
  /// The carbon-binder field at \p p, for a point at \p surfaceDistance from the particles.
  /// \p fine, when given, receives its fine-scale noise component (0..1), reused as texture.
  double cbdField(const P3& p, double surfaceDistance, double* fine = nullptr) const;
  /// Distance beyond a particle sphere that the grid lists cover, voxels.
  double margin() const { return m_margin; }

private:
  void placeParticles();
  void makeCracks();
  void buildGrid();
  void calibrateCbd();
  void makePores();
  void makeRealisticCrackWidths();
  std::int64_t cellOf(const P3& p) const;

  PhantomOptions m_options;
  std::vector<ParticleShape> m_particles;
  std::vector<CrackSheet> m_cracks;
  double m_margin = 0, m_cbdThreshold = 0.5, m_sphereFraction = 0, m_lobeDepth = 0, m_lobeBulge = 0;
  std::uint64_t m_lobeKey = 0;
  // grid
  P3 m_gridOrigin;
  double m_cell = 1, m_invCell = 1;
  std::int64_t m_gx = 0, m_gy = 0, m_gz = 0;
  std::vector<std::uint32_t> m_pStart, m_pItems, m_cStart, m_cItems;
};

} // namespace core::phantom::detail
