// Matching the particles of two time points by overlap and measuring how their cracks grew.
#include "core/analysis/Evolution.h"

#include "core/analysis/EvolutionCut.h"
#include "core/analysis/ParticleSegmentation.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <locale>
#include <sstream>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace core::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

volume::Volume phasesOf(const volume::Volume& labels, const volume::Volume& cracks) {
  volume::Volume ph(labels.size(), volume::VoxelType::UInt8, labels.spacing(), labels.origin());
  const std::uint32_t* l = labels.as<std::uint32_t>();
  const std::uint8_t* c = cracks.as<std::uint8_t>();
  std::uint8_t* p = ph.as<std::uint8_t>();
  for (std::int64_t i = 0, n = labels.voxelCount(); i < n; ++i)
    p[i] = std::uint8_t((c[i] ? kPhaseCrack : (l[i] ? kPhaseSolid : 0)) | (l[i] ? kPhaseFilled : 0));
  return ph;
}

void check(const TimePoint& t, const volume::Size3& size, const char* which) {
  const std::string w = which;
  if (!t.image || !t.labels || !t.cracks || t.image->empty() || t.labels->empty() || t.cracks->empty())
    throw std::invalid_argument("evolution: time point " + w + " lacks its image, labels or cracks");
  if (t.labels->type() != volume::VoxelType::UInt32 || t.cracks->type() != volume::VoxelType::UInt8)
    throw std::invalid_argument("evolution: time point " + w + ": labels must be uint32 and cracks uint8");
  if (t.image->size() != size || t.labels->size() != size || t.cracks->size() != size)
    throw std::invalid_argument("evolution: time point " + w + " is not on A's grid (sizes differ)");
}

std::unordered_map<std::uint32_t, std::int64_t> rowsById(const Table& t) {
  std::unordered_map<std::uint32_t, std::int64_t> rows;
  const int id = t.indexOf("id");
  for (std::int64_t r = 0; r < t.rowCount(); ++r) rows[std::uint32_t(t.value(r, id))] = r;
  return rows;
}

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

struct Bounds {
  std::int64_t lo[3] = {INT64_MAX, INT64_MAX, INT64_MAX}, hi[3] = {-1, -1, -1};
};

std::unordered_map<std::uint32_t, Bounds> boundsOf(const volume::Volume& labels) {
  std::unordered_map<std::uint32_t, Bounds> out;
  const auto s = labels.size();
  const std::uint32_t* l = labels.as<std::uint32_t>();
  for (std::int64_t z = 0, i = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x, ++i) {
        if (!l[i]) continue;
        Bounds& b = out[l[i]];
        const std::int64_t c[3] = {x, y, z};
        for (int k = 0; k < 3; ++k) b.lo[k] = std::min(b.lo[k], c[k]), b.hi[k] = std::max(b.hi[k], c[k]);
      }
  return out;
}

/// The pieces that the cracks cut particle \p id of A into at one time point, labelled over its
/// box \p b: 6-connected components of the voxels of its footprint in A (\p footprint == id) that
/// hold material of that time point (\p labels != 0, not crack), eroded by \p erosion voxels
/// (every voxel that near holds the same particle of \p labels and is not crack, so a thin rim left
/// around a crack does not join the two sides and two fragments labelled apart stay apart).
/// Counting inside A's footprint keeps a neighbour that B's segmentation merged with the particle
/// out of it.
struct Pieces {
  std::vector<std::int32_t> label; ///< per voxel of the box (x fastest): piece 1..n, 0 = none
  std::vector<std::int64_t> size;  ///< voxels of piece k at [k - 1]
  std::int64_t total = 0;          ///< voxels of all pieces (the eroded material)
  /// Pieces holding at least \p minShare of the eroded material each. Measuring the share against
  /// the eroded material, not the filled volume, keeps the halves of a heavily cracked particle
  /// large enough to count.
  int large(double minShare) const {
    const double minVoxels = std::max(1.0, minShare * double(total));
    return int(std::count_if(size.begin(), size.end(), [&](std::int64_t n) { return double(n) >= minVoxels; }));
  }
};

Pieces solidPieces(const volume::Volume& footprint, const volume::Volume& labels, const volume::Volume& cracks, std::uint32_t id,
                   const Bounds& b, int erosion) {
  const auto s = labels.size();
  const std::uint32_t* f = footprint.as<std::uint32_t>();
  const std::uint32_t* l = labels.as<std::uint32_t>();
  const std::uint8_t* c = cracks.as<std::uint8_t>();
  const std::int64_t bx = b.hi[0] - b.lo[0] + 1, by = b.hi[1] - b.lo[1] + 1, bz = b.hi[2] - b.lo[2] + 1;
  auto solid = [&](std::int64_t x, std::int64_t y, std::int64_t z, std::uint32_t want) { // global indices
    if (x < 0 || y < 0 || z < 0 || x >= s.x || y >= s.y || z >= s.z) return false;
    const std::int64_t g = x + s.x * (y + s.y * z);
    return f[g] == id && l[g] != 0 && !c[g] && (want == 0 || l[g] == want);
  };
  std::vector<std::array<std::int64_t, 3>> ball; // offsets within city-block distance `erosion`
  for (int dz = -erosion; dz <= erosion; ++dz)
    for (int dy = -erosion; dy <= erosion; ++dy)
      for (int dx = -erosion; dx <= erosion; ++dx)
        if ((dx || dy || dz) && std::abs(dx) + std::abs(dy) + std::abs(dz) <= erosion) ball.push_back({dx, dy, dz});
  auto core = [&](std::int64_t x, std::int64_t y, std::int64_t z) { // box indices
    if (x < 0 || y < 0 || z < 0 || x >= bx || y >= by || z >= bz) return false;
    const std::int64_t gx = x + b.lo[0], gy = y + b.lo[1], gz = z + b.lo[2];
    if (!solid(gx, gy, gz, 0)) return false;
    const std::uint32_t w = l[gx + s.x * (gy + s.y * gz)];
    for (const auto& o : ball)
      if (!solid(gx + o[0], gy + o[1], gz + o[2], w)) return false;
    return true;
  };
  Pieces out;
  out.label.assign(std::size_t(bx * by * bz), 0);
  std::vector<std::int64_t> stack;
  for (std::int64_t z = 0; z < bz; ++z)
    for (std::int64_t y = 0; y < by; ++y)
      for (std::int64_t x = 0; x < bx; ++x) {
        const std::int64_t k = x + bx * (y + by * z);
        if (out.label[std::size_t(k)] || !core(x, y, z)) continue;
        const std::uint32_t w = l[(x + b.lo[0]) + s.x * ((y + b.lo[1]) + s.y * (z + b.lo[2]))];
        const std::int32_t piece = std::int32_t(out.size.size() + 1);
        std::int64_t size = 0;
        out.label[std::size_t(k)] = piece;
        stack.assign(1, k);
        while (!stack.empty()) {
          const std::int64_t q = stack.back();
          stack.pop_back();
          ++size;
          const std::int64_t qx = q % bx, qy = (q / bx) % by, qz = q / (bx * by);
          const std::int64_t nb[6][3] = {{qx - 1, qy, qz}, {qx + 1, qy, qz}, {qx, qy - 1, qz},
                                         {qx, qy + 1, qz}, {qx, qy, qz - 1}, {qx, qy, qz + 1}};
          for (const auto& n : nb) {
            if (!core(n[0], n[1], n[2])) continue;
            const std::int64_t nk = n[0] + bx * (n[1] + by * n[2]);
            if (out.label[std::size_t(nk)] || l[(n[0] + b.lo[0]) + s.x * ((n[1] + b.lo[1]) + s.y * (n[2] + b.lo[2]))] != w) continue;
            out.label[std::size_t(nk)] = piece;
            stack.push_back(nk);
          }
        }
        out.size.push_back(size);
        out.total += size;
      }
  return out;
}

Table growthProfile(const Table& p, double width) {
  Table t;
  t.addColumn("depth_start", "um", ColumnKind::Real, "Start of the depth bin");
  t.addColumn("depth_end", "um", ColumnKind::Real, "End of the depth bin");
  t.addColumn("particles", "", ColumnKind::Integer, "Matched particles of A in the bin (not cut by a face)");
  t.addColumn("fractured", "", ColumnKind::Integer, "Of those, fractured ones");
  t.addColumn("crack_fraction_a_mean", "", ColumnKind::Real, "Mean crack fraction in A");
  t.addColumn("crack_fraction_b_mean", "", ColumnKind::Real, "Mean crack fraction in B");
  t.addColumn("growth_mean", "", ColumnKind::Real, "Mean crack-fraction growth (B - A)");
  t.addColumn("growth_median", "", ColumnKind::Real, "Median crack-fraction growth (B - A)");
  t.addColumn("crack_volume_growth", "um3", ColumnKind::Real, "Summed crack volume growth");
  const int depth = p.indexOf("depth"), matched = p.indexOf("matched"), border = p.indexOf("border"),
            frac = p.indexOf("fractured"), ca = p.indexOf("crack_fraction_a"), cb = p.indexOf("crack_fraction_b"),
            g = p.indexOf("crack_fraction_growth"), gv = p.indexOf("crack_volume_growth");
  double maxDepth = 0;
  for (std::int64_t r = 0; r < p.rowCount(); ++r)
    if (std::isfinite(p.value(r, depth))) maxDepth = std::max(maxDepth, p.value(r, depth));
  const std::int64_t bins = std::int64_t(std::floor(maxDepth / width)) + 1;
  t.resizeRows(bins);
  for (std::int64_t k = 0; k < bins; ++k) {
    std::vector<double> growth;
    double n = 0, nf = 0, sa = 0, sb = 0, sv = 0;
    for (std::int64_t r = 0; r < p.rowCount(); ++r) {
      const double d = p.value(r, depth);
      if (!(d >= double(k) * width && d < double(k + 1) * width) || p.value(r, matched) != 1 || p.value(r, border) == 1) continue;
      ++n;
      nf += p.value(r, frac);
      sa += p.value(r, ca), sb += p.value(r, cb), sv += p.value(r, gv);
      growth.push_back(p.value(r, g));
    }
    const double vals[] = {double(k) * width, double(k + 1) * width, n, nf, n ? sa / n : kNaN, n ? sb / n : kNaN,
                           n ? (sb - sa) / n : kNaN, median(growth), sv};
    for (int c = 0; c < 9; ++c) t.set(k, c, vals[c]);
  }
  return t;
}

} // namespace

Table evolutionDepthProfile(const Table& particles, double binWidthUm) { return growthProfile(particles, binWidthUm); }

Table evolutionColumns() {
  Table t;
  auto add = [&](const char* name, const char* unit, ColumnKind kind, const char* what) { t.addColumn(name, unit, kind, what); };
  add("id_a", "", ColumnKind::Integer, "Particle id in A");
  add("id_b", "", ColumnKind::Integer, "Its largest particle in B (empty when lost)");
  add("fragment_id_b", "", ColumnKind::Integer, "Its second particle in B when fractured");
  add("fragments", "", ColumnKind::Integer, "Particles of B it became (each holding at least the fragment share of it)");
  add("matched", "", ColumnKind::Flag, "1 when at least one particle of B belongs to it");
  add("fractured", "", ColumnKind::Flag, "1 when it became two or more particles in B");
  add("overlap", "", ColumnKind::Real, "Share of its voxels covered by its particles in B");
  add("inside_b", "", ColumnKind::Real, "Share of its voxels inside the field of view of B");
  add("border", "", ColumnKind::Flag, "1 when it touches a face of A or leaves B's field (partial values)");
  add("depth", "um", ColumnKind::Real, "Centroid distance from the chosen electrode face, in A");
  add("eq_diameter", "um", ColumnKind::Real, "Equivalent sphere diameter in A");
  add("packing_density", "", ColumnKind::Real, "Packing density around it in A");
  add("filled_volume_a", "um3", ColumnKind::Real, "Filled volume in A");
  add("filled_volume_b", "um3", ColumnKind::Real, "Filled volume of its particles in B");
  add("crack_volume_a", "um3", ColumnKind::Real, "Crack volume in A");
  add("crack_volume_b", "um3", ColumnKind::Real, "Crack volume of its particles in B");
  add("crack_volume_growth", "um3", ColumnKind::Real, "crack_volume_b - crack_volume_a");
  add("crack_fraction_a", "", ColumnKind::Real, "Crack fraction in A");
  add("crack_fraction_b", "", ColumnKind::Real, "Crack fraction of its particles in B (all fragments)");
  add("crack_fraction_growth", "", ColumnKind::Real, "crack_fraction_b - crack_fraction_a");
  add("crack_pieces_a", "", ColumnKind::Integer, "Crack pieces in A");
  add("crack_pieces_b", "", ColumnKind::Integer, "Crack pieces of its particles in B");
  add("new_crack_pieces", "", ColumnKind::Integer, "max(0, crack_pieces_b - crack_pieces_a)");
  add("solid_pieces_a", "", ColumnKind::Integer, "Large pieces (each at least the piece share of its eroded material) its cracks cut it into in A (eroded 1 or 2 voxels, the more)");
  add("solid_pieces_b", "", ColumnKind::Integer, "The same for its material in B inside its footprint in A (eroded 1 voxel)");
  add("cut_coverage", "", ColumnKind::Real, "Share of its material in B on the plane fitted to its new cracks that is crack (a new cut across it: near 1)");
  add("new_crack_on_cut", "", ColumnKind::Real, "New crack voxels near that plane per voxel on it (cracks of B beyond the growth of A's cracks)");
  add("cut_planarity", "", ColumnKind::Real, "Share of its new crack voxels near that plane");
  return t;
}

EvolutionResult compareTimePoints(const TimePoint& a, const TimePoint& b, const volume::Volume* insideB,
                                  const EvolutionOptions& options) {
  if (!a.labels) throw std::invalid_argument("evolution: time point A lacks its labels");
  const volume::Size3 size = a.labels->size();
  check(a, size, "A");
  check(b, size, "B");
  if (insideB && (insideB->size() != size || insideB->type() != volume::VoxelType::UInt8))
    throw std::invalid_argument("evolution: the field mask of B is not a uint8 volume on A's grid");

  const volume::Volume phA = phasesOf(*a.labels, *a.cracks), phB = phasesOf(*b.labels, *b.cracks);
  const Table tA = measureParticles(*a.image, *a.labels, phA, options.statistics);
  const Table tB = measureParticles(*b.image, *b.labels, phB, options.statistics);
  const auto rowA = rowsById(tA), rowB = rowsById(tB);
  const auto boundsA = boundsOf(*a.labels);

  // Overlaps: voxels of each (A id, B id) pair, sizes and the share of each A particle inside B.
  const std::uint32_t* la = a.labels->as<std::uint32_t>();
  const std::uint32_t* lb = b.labels->as<std::uint32_t>();
  const std::uint8_t* in = insideB ? insideB->as<std::uint8_t>() : nullptr;
  std::unordered_map<std::uint64_t, std::int64_t> pairs;
  std::unordered_map<std::uint32_t, std::int64_t> sizeA, sizeB, insideA;
  for (std::int64_t i = 0, n = a.labels->voxelCount(); i < n; ++i) {
    const std::uint32_t ia = la[i], ib = lb[i];
    if (ia) {
      ++sizeA[ia];
      if (!in || in[i]) ++insideA[ia];
    }
    if (ib) ++sizeB[ib];
    if (ia && ib) ++pairs[(std::uint64_t(ia) << 32) | ib];
  }
  // The parent of each B particle: the A particle holding most of it.
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> parent;
  for (const auto& [key, count] : pairs) {
    const std::uint32_t ia = std::uint32_t(key >> 32), ib = std::uint32_t(key & 0xffffffffu);
    auto& p = parent[ib];
    if (count > p.second || (count == p.second && ia < p.first)) p = {ia, count};
  }
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::int64_t, std::uint32_t>>> children;
  // The B particle covering most of each A particle: where B's segmentation merged the particle
  // with a neighbour (the merged particle's parent is the neighbour), it is still its match.
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> cover;
  for (const auto& [key, count] : pairs) {
    const std::uint32_t ia = std::uint32_t(key >> 32), ib = std::uint32_t(key & 0xffffffffu);
    auto& c = cover[ia];
    if (count > c.second || (count == c.second && ib < c.first)) c = {ib, count};
  }
  EvolutionResult out;
  for (const auto& [ib, p] : parent) {
    if (double(p.second) >= options.minMatchShare * double(sizeB[ib])) children[p.first].push_back({p.second, ib});
    else ++out.unmatchedB, out.unmatchedIdsB.push_back(ib);
  }
  for (const auto& [ib, n] : sizeB)
    if (!parent.count(ib)) ++out.unmatchedB, out.unmatchedIdsB.push_back(ib);

  out.particles = evolutionColumns();
  Table& t = out.particles;
  t.resizeRows(tA.rowCount());
  const int aId = tA.indexOf("id"), aDepth = tA.indexOf("depth"), aDiam = tA.indexOf("eq_diameter"),
            aPack = tA.indexOf("packing_density"), aFilled = tA.indexOf("filled_volume"), aCrack = tA.indexOf("crack_volume"),
            aPieces = tA.indexOf("crack_pieces"), aBorder = tA.indexOf("border");
  for (std::int64_t r = 0; r < tA.rowCount(); ++r) {
    const std::uint32_t id = std::uint32_t(tA.value(r, aId));
    auto kids = children.count(id) ? children[id] : std::vector<std::pair<std::int64_t, std::uint32_t>>{};
    if (kids.empty() && cover.count(id) && double(cover[id].second) >= options.minMatchShare * double(sizeA[id]))
      kids.push_back({cover[id].second, cover[id].first});
    std::sort(kids.begin(), kids.end(), [](const auto& x, const auto& y) { return x.first > y.first || (x.first == y.first && x.second < y.second); });
    const double na = double(sizeA[id]);
    int fragments = 0, piecesB = 0;
    double covered = 0, fb = 0, cb = 0, pb = 0;
    const Bounds& box = boundsA.at(id);
    // A also eroded one voxel more: a particle that A's cracks nearly cut through already counts
    // as cut in A, so resampling B cannot turn its thin bridge into a "fracture".
    const Pieces a1 = solidPieces(*a.labels, *a.labels, *a.cracks, id, box, 1);
    const Pieces a2 = solidPieces(*a.labels, *a.labels, *a.cracks, id, box, 2);
    const Pieces b1 = solidPieces(*a.labels, *b.labels, *b.cracks, id, box, 1);
    const int piecesA = std::max(a1.large(options.minPieceShare), a2.large(options.minPieceShare));
    piecesB = kids.empty() ? 0 : b1.large(options.minPieceShare);
    for (const auto& [count, ib] : kids) {
      if (double(count) >= options.minFragmentShare * na) ++fragments;
      covered += double(count);
      const std::int64_t rb = rowB.at(ib);
      fb += tB.value(rb, tB.indexOf("filled_volume"));
      cb += tB.value(rb, tB.indexOf("crack_volume"));
      pb += tB.value(rb, tB.indexOf("crack_pieces"));
    }
    const bool matched = !kids.empty();
    // Fractured: two or more particles in B, or cut by new cracks into more large pieces than in A.
    // Or a piece of A (eroded by two voxels, so a thin bridge left by A's cracks already parts it)
    // holding two large pieces of B: new cracks cut what was whole, even where A's own cracks had
    // already cut the particle into as many large pieces as B has.
    // Fractured: two or more particles in B, or a new crack cutting across the whole particle (a
    // grown old crack, however far it cut, is not a new cut; a particle that old cracks had
    // already cut in two and a new one cuts again is).
    const NewCut cut = matched ? newCut(*a.labels, *b.labels, *a.cracks, *b.cracks, id, box.lo, box.hi, options) : NewCut{};
    const bool fractured = fragments >= 2 || (matched && cut.fractured);
    const double insideShare = na > 0 ? double(insideA[id]) / na : 0.0;
    const double fa = tA.value(r, aFilled), ca = tA.value(r, aCrack);
    const double cfa = fa > 0 ? ca / fa : kNaN, cfb = matched && fb > 0 ? cb / fb : kNaN;
    const double border = (tA.value(r, aBorder) == 1 || insideShare < 0.999) ? 1 : 0;
    const double vals[] = {double(id),
                           matched ? double(kids[0].second) : kNaN,
                           fragments >= 2 ? double(kids[1].second) : kNaN,
                           double(fragments),
                           matched ? 1.0 : 0.0,
                           fractured ? 1.0 : 0.0,
                           na > 0 ? covered / na : 0.0,
                           insideShare,
                           border,
                           tA.value(r, aDepth),
                           tA.value(r, aDiam),
                           tA.value(r, aPack),
                           fa,
                           matched ? fb : kNaN,
                           ca,
                           matched ? cb : kNaN,
                           matched ? cb - ca : kNaN,
                           cfa,
                           cfb,
                           cfb - cfa,
                           tA.value(r, aPieces),
                           matched ? pb : kNaN,
                           matched ? std::max(0.0, pb - tA.value(r, aPieces)) : kNaN,
                           double(piecesA),
                           matched ? double(piecesB) : kNaN,
                           matched ? cut.coverage : kNaN,
                           matched ? cut.newShare : kNaN,
                           matched ? cut.planarity : kNaN};
    for (int c = 0; c < t.columnCount(); ++c) t.set(r, c, vals[c]);
    if (insideShare < 0.5) ++out.outside;
    else if (!matched) ++out.lost;
    else ++out.matched;
    if (fractured) ++out.fractured;
  }
  out.depthProfile = growthProfile(t, options.binWidthUm > 0 ? options.binWidthUm : 10);
  return out;
}

namespace {
std::string numberText(double v) {
  std::ostringstream s;
  s.imbue(std::locale::classic());
  s << v;
  return s.str();
}
} // namespace

CsvComments evolutionComments(const EvolutionProvenance& p, const volume::Volume& imageA, const volume::Volume& imageB,
                              const EvolutionRun& run) {
  return evolutionComments(p, imageA.info(), imageB.info(), run);
}

CsvComments evolutionComments(const EvolutionProvenance& p, const volume::VolumeInfo& imageA, const volume::VolumeInfo& imageB,
                              const EvolutionRun& run) {
  char date[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const auto sp = [](const volume::VolumeInfo& v) {
    return numberText(v.spacing.x) + " x " + numberText(v.spacing.y) + " x " + numberText(v.spacing.z);
  };
  const auto& r = run.result;
  return {{"product", std::string("CDNet Studio ") + CDNET_VERSION},
          {"date", date},
          {"source_a", p.sourceA},
          {"source_b", p.sourceB},
          {"cracks_a", p.cracksA},
          {"cracks_b", p.cracksB},
          {"labels_a", p.labelsA},
          {"labels_b", p.labelsB},
          {"size_voxels", std::to_string(imageA.size.x) + " x " + std::to_string(imageA.size.y) + " x " +
                              std::to_string(imageA.size.z)},
          {"spacing_um", sp(imageA)},
          {"spacing_b_um", sp(imageB) + (run.registration.spacingDiffers ? " (resampled onto A's grid)" : "")},
          {"registration", run.registration.describe()},
          {"result", std::to_string(r.matched) + " particles of A matched, " + std::to_string(r.fractured) + " fractured, " +
                         std::to_string(r.lost) + " lost, " + std::to_string(r.outside) + " outside B; " +
                         std::to_string(r.unmatchedB) + " particles of B without a particle of A"},
          {"values", "B's values on A's grid after registration; depth, size and packing from A"}};
}

} // namespace core::analysis
