// cdnet phantom --aged-from: scan A, the aged and moved scan B, and the truth of the correspondence.
#include "app/cli/commands/PhantomAged.h"
#include "app/cli/commands/PhantomFiles.h"

#include "core/analysis/Csv.h"
#include "core/volume/io/VolumeIO.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

namespace cli {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Centroids (indices) of every particle of \p labels, by id.
std::vector<core::volume::Vec3> centroidsOf(const core::volume::Volume& labels) {
  std::vector<double> sx, sy, sz, n;
  const auto s = labels.size();
  const std::uint32_t* v = labels.as<std::uint32_t>();
  for (std::int64_t z = 0, i = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x, ++i) {
        const std::uint32_t id = v[i];
        if (id >= n.size()) sx.resize(id + 1), sy.resize(id + 1), sz.resize(id + 1), n.resize(id + 1);
        sx[id] += double(x), sy[id] += double(y), sz[id] += double(z), n[id] += 1;
      }
  std::vector<core::volume::Vec3> c(n.size(), {kNaN, kNaN, kNaN});
  for (std::size_t id = 1; id < n.size(); ++id)
    if (n[id] > 0) c[id] = {sx[id] / n[id], sy[id] / n[id], sz[id] / n[id]};
  return c;
}
} // namespace

void writeAgedPhantom(const core::phantom::PhantomOptions& options, core::phantom::AgingOptions aging, const std::string& dir,
                      const std::string& format) {
  using namespace core;
  phantom::PhantomOptions big = options;
  aging.margin = phantom::agingMargin(options.size, aging);
  big.size = {options.size.x + 2 * aging.margin, options.size.y + 2 * aging.margin, options.size.z + 2 * aging.margin};
  const phantom::AgedPhantom pair = phantom::agePhantom(phantom::generatePhantom(big), aging);
  for (const char* sub : {"a", "b"}) {
    const std::string d = dir + "/" + sub;
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    if (ec) throw std::runtime_error("cannot create folder '" + d + "': " + ec.message());
    const phantom::Phantom& p = sub[0] == 'a' ? pair.first : pair.scan;
    volume::writeVolume(p.image, d + "/" + phantomFileName("image", format));
    volume::writeVolume(p.cracks, d + "/" + phantomFileName("cracks", format));
    volume::writeVolume(p.particles, d + "/" + phantomFileName("particles", format));
  }
  analysis::Table t;
  using analysis::ColumnKind;
  t.addColumn("id_a", "", ColumnKind::Integer, "Particle id in scan A");
  t.addColumn("id_b", "", ColumnKind::Integer, "Its (largest) particle in scan B; empty when it left B");
  t.addColumn("fragment_id_b", "", ColumnKind::Integer, "Its second particle in B when fractured");
  t.addColumn("fractured", "", ColumnKind::Flag, "1 when it fractured into two particles");
  t.addColumn("filled_voxels_a", "", ColumnKind::Integer, "Voxels of the whole particle in A");
  t.addColumn("crack_voxels_a", "", ColumnKind::Integer, "Crack voxels in A");
  t.addColumn("filled_voxels_b", "", ColumnKind::Integer, "Voxels after ageing (all fragments, A's frame)");
  t.addColumn("crack_voxels_b", "", ColumnKind::Integer, "Crack voxels after ageing");
  t.addColumn("crack_fraction_a", "", ColumnKind::Real, "crack_voxels_a / filled_voxels_a");
  t.addColumn("crack_fraction_b", "", ColumnKind::Real, "crack_voxels_b / filled_voxels_b");
  t.addColumn("crack_fraction_growth", "", ColumnKind::Real, "crack_fraction_b - crack_fraction_a");
  for (const char* k : {"centroid_a_x", "centroid_a_y", "centroid_a_z", "centroid_b_x", "centroid_b_y", "centroid_b_z"})
    t.addColumn(k, "voxels", ColumnKind::Real, "Centroid in A (index) and its true place in B");
  t.resizeRows(std::int64_t(pair.particles.size()));
  const auto centres = centroidsOf(pair.first.particles);
  for (std::size_t r = 0; r < pair.particles.size(); ++r) {
    const auto& p = pair.particles[r];
    const auto ca = p.idA < centres.size() ? centres[p.idA] : core::volume::Vec3{kNaN, kNaN, kNaN};
    const auto cb = pair.mapAToB(ca);
    const double v[] = {double(p.idA), p.idsB.empty() ? kNaN : double(p.idsB[0]), p.idsB.size() > 1 ? double(p.idsB[1]) : kNaN,
                        p.fractured ? 1.0 : 0.0, double(p.filledA), double(p.crackA), double(p.filledB), double(p.crackB),
                        p.crackFractionA(), p.crackFractionB(), p.crackFractionB() - p.crackFractionA(),
                        ca.x, ca.y, ca.z, cb.x, cb.y, cb.z};
    for (int c = 0; c < t.columnCount(); ++c) t.set(std::int64_t(r), c, v[c]);
  }
  std::ostringstream m;
  m.imbue(std::locale::classic());
  m.precision(9);
  for (int i = 0; i < 9; ++i) m << (i ? " " : "") << pair.aToB.m[std::size_t(i)];
  std::ostringstream tr;
  tr.imbue(std::locale::classic());
  tr.precision(9);
  tr << pair.aToB.t[0] << " " << pair.aToB.t[1] << " " << pair.aToB.t[2];
  const analysis::CsvComments comments{{"product", std::string("CDNet Studio ") + CDNET_VERSION},
                                       {"source", "phantom seed " + std::to_string(options.seed) + ", " +
                                                      phantom::presetName(options.preset) + " preset, aged " +
                                                      std::to_string(aging.cycles) + " cycles (ageing seed " +
                                                      std::to_string(aging.seed) + ")"},
                                       {"a_to_b_matrix", m.str()},
                                       {"a_to_b_translation_voxels", tr.str()},
                                       {"warp_voxels", std::to_string(aging.warp)},
                                       {"counts", "whole particles, in A's frame (before the motion)"}};
  analysis::writeCsv(t, dir + "/evolution_truth.csv", comments);
  std::int64_t fractured = 0;
  for (const auto& p : pair.particles) fractured += p.fractured ? 1 : 0;
  std::printf("wrote %s/a and %s/b (%lld particles in A, %lld fractured after %d cycles) and %s/evolution_truth.csv\n",
              dir.c_str(), dir.c_str(), (long long)pair.particles.size(), (long long)fractured, aging.cycles, dir.c_str());
}

} // namespace cli
