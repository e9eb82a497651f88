#pragma once
/// \file ParticleShape.h
/// Geometry helpers of the statistics (internal to core/analysis): Crofton surface weights, the
/// eigen-decomposition of a 3x3 covariance, the Feret diameter of a point set, nearest neighbours.

#include "core/volume/Volume.h"

#include <array>
#include <cstdint>
#include <vector>

namespace core::analysis {

/// The 13 lattice directions (dx, dy, dz) with the first nonzero of (dz, dy, dx) positive.
const std::array<std::array<int, 3>, 13>& croftonDirections();

/// Area per transition for each of the 13 directions: the surface area of a digital object is
/// sum over directions of factor[d] * (number of object/non-object transitions along d), from the
/// Cauchy-Crofton formula S = 2 E_u[ integral of intersection counts ] with Voronoi weights of the
/// directions on the sphere (in physical space, so anisotropic spacing is handled).
std::array<double, 13> croftonAreaFactors(const volume::Vec3& spacing);

/// Eigenvalues (descending) and eigenvectors (columns, same order) of a symmetric 3x3 matrix.
void symmetricEigen(const double a[3][3], double values[3], double vectors[3][3]);

/// Maximum caliper (micrometres) of voxels centred at \p points (voxel indices), each voxel a box
/// of \p spacing: the largest centre distance plus the voxel's extent along that direction. Exact
/// for up to a few hundred points; above, the candidates are the extreme points along 256
/// directions (error below 0.3% of the diameter).
double feretDiameter(const std::vector<std::array<std::int32_t, 3>>& points, const volume::Vec3& spacing);

/// For each point, the index of its nearest other point and the distance (-1 / NaN when alone).
void nearestNeighbours(const std::vector<std::array<double, 3>>& points, std::vector<std::int64_t>& index,
                       std::vector<double>& distance);

} // namespace core::analysis
