#include "core/analysis/ParticleStatistics.h"

#include "core/analysis/ConnectedComponents.h"
#include "core/analysis/ParallelFor.h"
#include "core/analysis/ParticleSegmentation.h"
#include "core/analysis/ParticleShape.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_set>
#include <vector>

namespace core::analysis {
namespace {

constexpr int kMoments = 10; // n, x, y, z, xx, yy, zz, xy, xz, yz (voxel indices)
constexpr std::int32_t kBig = std::numeric_limits<std::int32_t>::max();

/// Sums of one worker, indexed by label.
struct Accumulator {
  std::vector<double> moments;            // (N+1) * kMoments
  std::vector<std::int64_t> counts;       // (N+1) * 3: crack, void, solid
  std::vector<double> grey;               // (N+1) * 2: over solid voxels, over all voxels
  std::vector<std::int32_t> box;          // (N+1) * 6: min x y z, max x y z
  std::vector<std::int64_t> transitions;  // (N+1) * 13
  std::unordered_set<std::uint64_t> touching;
  std::vector<std::array<std::int32_t, 4>> candidates; // label, x, y, z: Feret candidates
  explicit Accumulator(std::size_t n)
      : moments(n * kMoments, 0), counts(n * 3, 0), grey(n * 2, 0), box(n * 6, 0), transitions(n * 13, 0) {
    for (std::size_t l = 0; l < n; ++l)
      for (int k = 0; k < 3; ++k) box[l * 6 + std::size_t(k)] = kBig, box[l * 6 + 3 + std::size_t(k)] = -1;
  }
};

/// Voxels of the ball of radius r (micrometres) around c (micrometres, relative to voxel 0) that
/// lie in the volume, and how many of them hold a particle, from per-row prefix counts.
template <class P>
std::pair<std::int64_t, std::int64_t> ballCount(const P* prefix, const volume::Size3& size, const volume::Vec3& s,
                                                const double c[3], double r) {
  const std::int64_t nx = size.x, ny = size.y, nz = size.z;
  std::int64_t inside = 0, occupied = 0;
  const std::int64_t z0 = std::max<std::int64_t>(0, std::int64_t(std::ceil((c[2] - r) / s.z)));
  const std::int64_t z1 = std::min<std::int64_t>(nz - 1, std::int64_t(std::floor((c[2] + r) / s.z)));
  for (std::int64_t z = z0; z <= z1; ++z) {
    const double dz = z * s.z - c[2], rz2 = r * r - dz * dz;
    if (rz2 < 0) continue;
    const double ry = std::sqrt(rz2);
    const std::int64_t y0 = std::max<std::int64_t>(0, std::int64_t(std::ceil((c[1] - ry) / s.y)));
    const std::int64_t y1 = std::min<std::int64_t>(ny - 1, std::int64_t(std::floor((c[1] + ry) / s.y)));
    for (std::int64_t y = y0; y <= y1; ++y) {
      const double dy = y * s.y - c[1], rx2 = rz2 - dy * dy;
      if (rx2 < 0) continue;
      const double rx = std::sqrt(rx2);
      const std::int64_t x0 = std::max<std::int64_t>(0, std::int64_t(std::ceil((c[0] - rx) / s.x)));
      const std::int64_t x1 = std::min<std::int64_t>(nx - 1, std::int64_t(std::floor((c[0] + rx) / s.x)));
      if (x1 < x0) continue;
      const P* row = prefix + (z * ny + y) * (nx + 1);
      inside += x1 - x0 + 1;
      occupied += std::int64_t(row[x1 + 1]) - std::int64_t(row[x0]);
    }
  }
  return {inside, occupied};
}

} // namespace

Table particleColumns() {
  Table t;
  auto add = [&](const char* name, const char* unit, ColumnKind kind, const char* what) { t.addColumn(name, unit, kind, what); };
  add("id", "", ColumnKind::Integer, "Particle id, the value in the particle label volume");
  add("centroid_x", "um", ColumnKind::Real, "Centroid x (volume origin + index * spacing)");
  add("centroid_y", "um", ColumnKind::Real, "Centroid y");
  add("centroid_z", "um", ColumnKind::Real, "Centroid z");
  add("depth", "um", ColumnKind::Real, "Centroid distance from the chosen electrode face (outer face of the first or last slice)");
  add("filled_voxels", "", ColumnKind::Integer, "Voxels of the particle with its cracks and holes filled");
  add("filled_volume", "um3", ColumnKind::Real, "Volume with cracks and enclosed holes filled");
  add("solid_volume", "um3", ColumnKind::Real, "Volume of solid voxels (grey value >= threshold, not crack)");
  add("crack_volume", "um3", ColumnKind::Real, "Volume of crack-mask voxels inside the particle");
  add("void_volume", "um3", ColumnKind::Real, "Volume of enclosed dark voxels that are not in the crack mask (pores, missed cracks)");
  add("crack_fraction", "", ColumnKind::Real, "Crack volume fraction (damage degree) = crack_volume / filled_volume");
  add("damage_fraction", "", ColumnKind::Real, "(filled_volume - solid_volume) / filled_volume = crack + void fraction");
  add("crack_pieces", "", ColumnKind::Integer, "Connected pieces (26-connected) of the crack inside the particle");
  add("eq_diameter", "um", ColumnKind::Real, "Equivalent sphere diameter (6 V / pi)^(1/3) of the filled volume");
  add("surface_area", "um2", ColumnKind::Real, "Surface area, Cauchy-Crofton estimate over 13 lattice directions");
  add("sphericity", "", ColumnKind::Real, "36 pi V^2 / S^3 (1 for a sphere)");
  add("elongation", "", ColumnKind::Real, "sqrt(l2 / l1) of the inertia (covariance) eigenvalues l1 >= l2 >= l3 (1 = round)");
  add("flatness", "", ColumnKind::Real, "sqrt(l3 / l2) (1 = round)");
  add("major_axis_angle", "deg", ColumnKind::Real, "Angle between the longest principal axis and the depth axis");
  add("feret_diameter", "um", ColumnKind::Real, "Maximum caliper diameter");
  add("mean_grey", "", ColumnKind::Real, "Mean grey value of the solid voxels (of all voxels when none is solid)");
  add("packing_density", "", ColumnKind::Real, "Fraction of voxels holding a particle in the sphere of radius factor * eq_diameter around the centroid (inside the volume)");
  add("nn_distance", "um", ColumnKind::Real, "Distance from the centroid to the nearest other particle's centroid (empty when alone)");
  add("nn_id", "", ColumnKind::Integer, "Id of that nearest particle (empty when alone)");
  add("touching_neighbours", "", ColumnKind::Integer, "Particles sharing at least one voxel face with this one");
  add("border", "", ColumnKind::Flag, "1 when the particle touches a face of the volume (cut: sizes are partial)");
  return t;
}

namespace {

void checkMeasureInputs(const volume::Volume& image, const volume::Volume& labelVolume, const volume::Volume& phaseVolume,
                        const StatisticsOptions& options) {
  if (labelVolume.empty() || labelVolume.type() != volume::VoxelType::UInt32)
    throw std::invalid_argument("the particle label volume must be uint32");
  if (phaseVolume.empty() || phaseVolume.type() != volume::VoxelType::UInt8 || phaseVolume.size() != labelVolume.size())
    throw std::invalid_argument("the phase volume must be uint8 and of the label volume's size");
  if (image.empty() || image.size() != labelVolume.size())
    throw std::invalid_argument("the image and the particle label volume must have the same size");
  checkSpacing(labelVolume.spacing(), "particle labels");
  if (options.depthAxis < 0 || options.depthAxis > 2) throw std::invalid_argument("depth axis must be x, y or z");
  if (!(options.packingRadiusFactor > 0) || !std::isfinite(options.packingRadiusFactor))
    throw std::invalid_argument("packing radius factor must be positive");
}

/// One pass over the voxels, slab-parallel: moments, phase counts, grey sums, boxes, Feret
/// candidates, surface transitions and face contacts of every label 1..N-1, reduced into one.
Accumulator accumulate(const volume::Volume& image, const volume::Volume& labelVolume, const volume::Volume& phaseVolume,
                       std::size_t N, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const volume::Size3 size = labelVolume.size();
  const std::int64_t nx = size.x, ny = size.y, nz = size.z, slice = nx * ny;
  const std::uint32_t* L = labelVolume.as<std::uint32_t>();
  const std::uint8_t* ph = phaseVolume.as<std::uint8_t>();
  const int workers = workerCount();
  std::vector<Accumulator> acc;
  acc.reserve(std::size_t(workers));
  for (int w = 0; w < workers; ++w) acc.emplace_back(N);
  const auto& dirs = croftonDirections();

  volume::dispatch(image.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* img = image.as<T>();
    parallelFor(nz, 1, [&](std::int64_t z0, std::int64_t z1, int w) {
      Accumulator& a = acc[std::size_t(w)];
      for (std::int64_t z = z0; z < z1; ++z) {
        cancel.throwIfCancelled();
        for (std::int64_t y = 0; y < ny; ++y) {
          const std::int64_t rowStart = z * slice + y * nx;
          const std::uint32_t* row = L + rowStart;
          const bool shellRow = z == 0 || z == nz - 1 || y == 0 || y == ny - 1;
          for (std::int64_t x = 0; x < nx; ++x) {
            const std::uint32_t l = row[x];
            if (!l) continue;
            const std::int64_t i = rowStart + x;
            double* m = a.moments.data() + std::size_t(l) * kMoments;
            const double fx = double(x), fy = double(y), fz = double(z);
            m[0] += 1, m[1] += fx, m[2] += fy, m[3] += fz;
            m[4] += fx * fx, m[5] += fy * fy, m[6] += fz * fz, m[7] += fx * fy, m[8] += fx * fz, m[9] += fy * fz;
            const std::uint8_t p = ph[i];
            std::int64_t* c = a.counts.data() + std::size_t(l) * 3;
            const double g = double(img[i]);
            if (p & kPhaseCrack) ++c[0];
            else if (!(p & kPhaseSolid)) ++c[1];
            else ++c[2], a.grey[std::size_t(l) * 2] += g;
            a.grey[std::size_t(l) * 2 + 1] += g;
            std::int32_t* b = a.box.data() + std::size_t(l) * 6;
            const std::int32_t xyz[3] = {std::int32_t(x), std::int32_t(y), std::int32_t(z)};
            for (int k = 0; k < 3; ++k) b[k] = std::min(b[k], xyz[k]), b[3 + k] = std::max(b[3 + k], xyz[k]);
            // Feret candidates: run ends along x, y and z at once.
            const bool ex = x == 0 || x == nx - 1 || row[x - 1] != l || row[x + 1] != l;
            const bool ey = y == 0 || y == ny - 1 || row[x - nx] != l || row[x + nx] != l;
            const bool ez = z == 0 || z == nz - 1 || row[x - slice] != l || row[x + slice] != l;
            if (ex && ey && ez) a.candidates.push_back({std::int32_t(l), xyz[0], xyz[1], xyz[2]});
            // Transitions to outside the volume count as surface (a cut particle is closed).
            if (shellRow || x == 0 || x == nx - 1) {
              std::int64_t* t = a.transitions.data() + std::size_t(l) * 13;
              for (std::size_t d = 0; d < 13; ++d) {
                const std::int64_t px = x + dirs[d][0], py = y + dirs[d][1], pz = z + dirs[d][2];
                const std::int64_t qx = x - dirs[d][0], qy = y - dirs[d][1], qz = z - dirs[d][2];
                t[d] += (px < 0 || px >= nx || py < 0 || py >= ny || pz < 0 || pz >= nz);
                t[d] += (qx < 0 || qx >= nx || qy < 0 || qy >= ny || qz < 0 || qz >= nz);
              }
            }
          }
          // Transitions inside the volume along the 13 directions.
          for (std::size_t d = 0; d < 13; ++d) {
            const int dx = dirs[d][0], dy = dirs[d][1], dz = dirs[d][2];
            const std::int64_t yy = y + dy, zz = z + dz;
            if (yy < 0 || yy >= ny || zz >= nz) continue;
            const std::uint32_t* other = L + zz * slice + yy * nx;
            const std::int64_t x0 = std::max<std::int64_t>(0, -dx), x1 = std::min<std::int64_t>(nx, nx - dx);
            const bool face = (dx != 0) + (dy != 0) + (dz != 0) == 1;
            for (std::int64_t x = x0; x < x1; ++x) {
              const std::uint32_t p = row[x], q = other[x + dx];
              if (p == q) continue;
              if (p) ++a.transitions[std::size_t(p) * 13 + d];
              if (q) ++a.transitions[std::size_t(q) * 13 + d];
              if (face && p && q) a.touching.insert(p < q ? (std::uint64_t(p) << 32 | q) : (std::uint64_t(q) << 32 | p));
            }
          }
        }
      }
      progress.setProgress(0.6 * double(z1) / double(nz), "Measuring particles");
    });
  });

  // Reduce the workers' sums into the first.
  Accumulator& A = acc[0];
  for (std::size_t w = 1; w < acc.size(); ++w) {
    Accumulator& B = acc[w];
    for (std::size_t k = 0; k < A.moments.size(); ++k) A.moments[k] += B.moments[k];
    for (std::size_t k = 0; k < A.counts.size(); ++k) A.counts[k] += B.counts[k];
    for (std::size_t k = 0; k < A.grey.size(); ++k) A.grey[k] += B.grey[k];
    for (std::size_t l = 0; l < N; ++l)
      for (std::size_t k = 0; k < 3; ++k)
        A.box[l * 6 + k] = std::min(A.box[l * 6 + k], B.box[l * 6 + k]),
        A.box[l * 6 + 3 + k] = std::max(A.box[l * 6 + 3 + k], B.box[l * 6 + 3 + k]);
    for (std::size_t k = 0; k < A.transitions.size(); ++k) A.transitions[k] += B.transitions[k];
    A.touching.insert(B.touching.begin(), B.touching.end());
    A.candidates.insert(A.candidates.end(), B.candidates.begin(), B.candidates.end());
    B = Accumulator(0);
  }
  cancel.throwIfCancelled();
  return std::move(A);
}

/// Crack pieces per label: 26-connected crack voxels of one particle.
std::vector<std::int64_t> crackPieces(const volume::Volume& labelVolume, const volume::Volume& phaseVolume, std::size_t N,
                                      jobs::CancelToken& cancel) {
  const std::uint32_t* L = labelVolume.as<std::uint32_t>();
  const std::uint8_t* ph = phaseVolume.as<std::uint8_t>();
  const std::int64_t nvox = labelVolume.voxelCount();
  std::vector<std::int64_t> pieces(N, 0);
  std::vector<std::uint32_t> comp(static_cast<std::size_t>(nvox));
  const std::uint32_t count = labelComponents(
      labelVolume.size(), 26, [&](std::int64_t i) { return L[i] != 0 && (ph[i] & kPhaseCrack); },
      [&](std::int64_t i, std::int64_t j) { return L[i] == L[j]; }, comp.data(), cancel);
  std::vector<char> seen(std::size_t(count) + 1, 0);
  for (std::int64_t i = 0; i < nvox; ++i) {
    const std::uint32_t c = comp[std::size_t(i)];
    if (c && !seen[c]) seen[c] = 1, ++pieces[L[i]];
  }
  return pieces;
}

/// Feret diameters per label from the candidates (consumed), particle by particle in parallel.
std::vector<double> feretDiameters(std::vector<std::array<std::int32_t, 4>>& cand, std::size_t N, const volume::Vec3& s,
                                   jobs::CancelToken& cancel) {
  std::vector<double> feret(N, std::numeric_limits<double>::quiet_NaN());
  std::sort(cand.begin(), cand.end());
  std::vector<std::size_t> start(N + 1, 0);
  for (const auto& c : cand) ++start[std::size_t(c[0]) + 1];
  for (std::size_t l = 1; l <= N; ++l) start[l] += start[l - 1];
  parallelFor(std::int64_t(N), 8, [&](std::int64_t l0, std::int64_t l1, int) {
    std::vector<std::array<std::int32_t, 3>> pts;
    for (std::int64_t l = l0; l < l1; ++l) {
      cancel.throwIfCancelled();
      pts.clear();
      for (std::size_t k = start[std::size_t(l)]; k < start[std::size_t(l) + 1]; ++k)
        pts.push_back({cand[k][1], cand[k][2], cand[k][3]});
      if (!pts.empty()) feret[std::size_t(l)] = feretDiameter(pts, s);
    }
  });
  std::vector<std::array<std::int32_t, 4>>().swap(cand);
  return feret;
}

/// Packing density of each particle (row r: centre and equivalent diameter) from per-row prefix
/// counts of particle voxels.
std::vector<double> packingDensities(const volume::Volume& labelVolume, const std::vector<std::array<double, 3>>& centre,
                                     const std::vector<double>& eqDiameter, double radiusFactor,
                                     jobs::CancelToken& cancel) {
  const volume::Size3 size = labelVolume.size();
  const std::int64_t nx = size.x, ny = size.y, nz = size.z;
  const std::uint32_t* L = labelVolume.as<std::uint32_t>();
  std::vector<double> packing(centre.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::uint32_t> prefix(static_cast<std::size_t>((nx + 1) * ny * nz));
  parallelFor(ny * nz, 256, [&](std::int64_t r0, std::int64_t r1, int) {
    for (std::int64_t r = r0; r < r1; ++r) {
      std::uint32_t* p = prefix.data() + r * (nx + 1);
      const std::uint32_t* row = L + r * nx;
      p[0] = 0;
      for (std::int64_t x = 0; x < nx; ++x) p[x + 1] = p[x] + (row[x] != 0);
    }
  });
  cancel.throwIfCancelled();
  parallelFor(std::int64_t(centre.size()), 16, [&](std::int64_t r0, std::int64_t r1, int) {
    for (std::int64_t r = r0; r < r1; ++r) {
      const double c[3] = {centre[std::size_t(r)][0], centre[std::size_t(r)][1], centre[std::size_t(r)][2]};
      const auto [inside, occupied] =
          ballCount(prefix.data(), size, labelVolume.spacing(), c, radiusFactor * eqDiameter[std::size_t(r)]);
      if (inside > 0) packing[std::size_t(r)] = double(occupied) / double(inside);
    }
  });
  return packing;
}

/// What every row of the table needs besides the particle's own sums.
struct RowContext {
  const Accumulator& sums;
  volume::Vec3 s, origin;
  volume::Size3 size;
  double voxelVolume;
  std::array<double, 13> area;
  const StatisticsOptions& options;
  const std::vector<std::uint32_t>& ids;
  const std::vector<double>& eqDiameter;
  const std::vector<double>& feret;
  const std::vector<double>& packing;
  const std::vector<std::int64_t>& pieces;
  const std::vector<std::int64_t>& nnIndex;
  const std::vector<double>& nnDistance;
  const std::vector<std::int64_t>& touchingCount;
};

/// Row \p r of the table: label ids[r], in the column order of particleColumns().
void fillRow(Table& t, std::size_t r, const RowContext& x) {
  const StatisticsOptions& options = x.options;
  const volume::Vec3& s = x.s;
  const std::int64_t nx = x.size.x, ny = x.size.y, nz = x.size.z;
  const double axis[3] = {double(options.depthAxis == 0), double(options.depthAxis == 1), double(options.depthAxis == 2)};
  const double axisSpacing = options.depthAxis == 0 ? s.x : (options.depthAxis == 1 ? s.y : s.z);
  const bool slab = options.fullDepth > 0;
  const std::int64_t zOffset = slab ? options.zOffset : 0, fullDepth = slab ? options.fullDepth : nz;
  const double axisLength = double(options.depthAxis == 0 ? nx : (options.depthAxis == 1 ? ny : fullDepth));
  const bool lowZFace = zOffset == 0, highZFace = zOffset + nz == fullDepth;
  const std::uint32_t l = x.ids[r];
  const double* m = x.sums.moments.data() + std::size_t(l) * kMoments;
  const std::int64_t* c = x.sums.counts.data() + std::size_t(l) * 3;
  const std::int32_t* b = x.sums.box.data() + std::size_t(l) * 6;
  const double n = m[0], V = n * x.voxelVolume;
  const double mx = m[1] / n, my = m[2] / n, mz = m[3] / n;
  double cov[3][3];
  cov[0][0] = (m[4] / n - mx * mx + 1.0 / 12) * s.x * s.x;
  cov[1][1] = (m[5] / n - my * my + 1.0 / 12) * s.y * s.y;
  cov[2][2] = (m[6] / n - mz * mz + 1.0 / 12) * s.z * s.z;
  cov[0][1] = cov[1][0] = (m[7] / n - mx * my) * s.x * s.y;
  cov[0][2] = cov[2][0] = (m[8] / n - mx * mz) * s.x * s.z;
  cov[1][2] = cov[2][1] = (m[9] / n - my * mz) * s.y * s.z;
  double ev[3], evec[3][3];
  symmetricEigen(cov, ev, evec);
  double S = 0;
  for (std::size_t d = 0; d < 13; ++d) S += x.area[d] * double(x.sums.transitions[std::size_t(l) * 13 + d]);
  const double centreIndex = options.depthAxis == 0 ? mx : (options.depthAxis == 1 ? my : mz + double(zOffset));
  const double depth = options.depthSide == DepthSide::First ? (centreIndex + 0.5) * axisSpacing
                                                             : (axisLength - centreIndex - 0.5) * axisSpacing;
  const double cosMajor = std::fabs(evec[0][0] * axis[0] + evec[1][0] * axis[1] + evec[2][0] * axis[2]);
  const bool border = b[0] == 0 || b[1] == 0 || (lowZFace && b[2] == 0) || b[3] == nx - 1 || b[4] == ny - 1 ||
                      (highZFace && b[5] == nz - 1);
  const double solid = double(c[2]) * x.voxelVolume;
  const double grey = c[2] > 0 ? x.sums.grey[std::size_t(l) * 2] / double(c[2]) : x.sums.grey[std::size_t(l) * 2 + 1] / n;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  int k = 0;
  const auto row = std::int64_t(r);
  t.set(row, k++, l);
  t.set(row, k++, x.origin.x + mx * s.x);
  t.set(row, k++, x.origin.y + my * s.y);
  t.set(row, k++, x.origin.z + mz * s.z);
  t.set(row, k++, depth);
  t.set(row, k++, n);
  t.set(row, k++, V);
  t.set(row, k++, solid);
  t.set(row, k++, double(c[0]) * x.voxelVolume);
  t.set(row, k++, double(c[1]) * x.voxelVolume);
  t.set(row, k++, double(c[0]) / n);
  t.set(row, k++, (V - solid) / V);
  t.set(row, k++, double(x.pieces[l]));
  t.set(row, k++, x.eqDiameter[r]);
  t.set(row, k++, S);
  t.set(row, k++, S > 0 ? 36.0 * M_PI * V * V / (S * S * S) : nan);
  t.set(row, k++, ev[0] > 0 ? std::sqrt(std::max(0.0, ev[1]) / ev[0]) : 1.0);
  t.set(row, k++, ev[1] > 0 ? std::sqrt(std::max(0.0, ev[2]) / ev[1]) : 1.0);
  t.set(row, k++, std::acos(std::min(1.0, cosMajor)) * 180.0 / M_PI);
  t.set(row, k++, x.feret[l]);
  t.set(row, k++, grey);
  t.set(row, k++, x.packing[r]);
  t.set(row, k++, x.nnDistance[r]);
  t.set(row, k++, x.nnIndex[r] >= 0 ? double(x.ids[std::size_t(x.nnIndex[r])]) : nan);
  t.set(row, k++, double(x.touchingCount[l]));
  t.set(row, k++, border ? 1.0 : 0.0);
}

} // namespace

Table measureParticles(const volume::Volume& image, const volume::Volume& labelVolume, const volume::Volume& phaseVolume,
                       const StatisticsOptions& options, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  checkMeasureInputs(image, labelVolume, phaseVolume, options);
  const volume::Vec3 s = labelVolume.spacing();
  const std::uint32_t* L = labelVolume.as<std::uint32_t>();
  std::uint32_t maxLabel = 0;
  for (std::int64_t i = 0; i < labelVolume.voxelCount(); ++i) maxLabel = std::max(maxLabel, L[i]);
  const std::size_t N = std::size_t(maxLabel) + 1;
  progress.setProgress(0, "Measuring particles");
  Accumulator A = accumulate(image, labelVolume, phaseVolume, N, progress, cancel);
  const std::vector<std::int64_t> pieces = crackPieces(labelVolume, phaseVolume, N, cancel);
  progress.setProgress(0.7, "Measuring particles");
  const std::vector<double> feret = feretDiameters(A.candidates, N, s, cancel);
  progress.setProgress(0.8, "Measuring particles");

  // Which labels are present, their centroids (micrometres from voxel 0) and sizes.
  const double voxelVolume = s.x * s.y * s.z;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t l = 1; l < N; ++l)
    if (A.moments[std::size_t(l) * kMoments] > 0) ids.push_back(l);
  const std::size_t P = ids.size();
  std::vector<std::array<double, 3>> centre(P);
  std::vector<double> eqDiameter(P);
  for (std::size_t r = 0; r < P; ++r) {
    const double* m = A.moments.data() + std::size_t(ids[r]) * kMoments;
    centre[r] = {m[1] / m[0] * s.x, m[2] / m[0] * s.y, m[3] / m[0] * s.z};
    eqDiameter[r] = std::cbrt(6.0 * m[0] * voxelVolume / M_PI);
  }
  const std::vector<double> packing = packingDensities(labelVolume, centre, eqDiameter, options.packingRadiusFactor, cancel);
  progress.setProgress(0.9, "Measuring particles");

  std::vector<std::int64_t> nnIndex;
  std::vector<double> nnDistance;
  nearestNeighbours(centre, nnIndex, nnDistance);
  std::vector<std::int64_t> touchingCount(N, 0);
  for (const std::uint64_t key : A.touching) ++touchingCount[key >> 32], ++touchingCount[key & 0xFFFFFFFFu];

  const RowContext context{A, s, labelVolume.origin(), labelVolume.size(), voxelVolume, croftonAreaFactors(s), options,
                           ids, eqDiameter, feret, packing, pieces, nnIndex, nnDistance, touchingCount};
  Table t = particleColumns();
  t.resizeRows(std::int64_t(P));
  for (std::size_t r = 0; r < P; ++r) fillRow(t, r, context);
  progress.setProgress(1.0, "Measuring particles");
  return t;
}

} // namespace core::analysis
