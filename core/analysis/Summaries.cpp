#include "core/analysis/Summaries.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace core::analysis {

Table damageSummary(const Table& particles, const std::string& xColumn, double width, double start, bool excludeBorder) {
  if (!(width > 0) || !std::isfinite(width)) throw std::invalid_argument("bin width must be positive");
  const Column& x = particles.column(xColumn);
  const Column& filled = particles.column("filled_volume");
  const Column& crack = particles.column("crack_volume");
  const Column& fraction = particles.column("crack_fraction");
  const int borderIndex = particles.indexOf("border");
  double hi = -std::numeric_limits<double>::infinity();
  for (const double v : x.values)
    if (std::isfinite(v)) hi = std::max(hi, v);
  // Counted in double first: a tiny width would overflow an integer.
  const double binCount = std::isfinite(hi) && hi >= start ? std::floor((hi - start) / width) + 1 : 0;
  if (!(binCount <= 1e6)) {
    std::ostringstream os;
    os << "bin width " << width << " is too small for " << xColumn << " values up to " << hi
       << ": more than a million bins";
    throw std::invalid_argument(os.str());
  }
  const auto bins = std::int64_t(binCount);
  struct Bin {
    std::int64_t n = 0, cracked = 0;
    double filled = 0, crack = 0, sumFraction = 0;
    std::vector<double> fractions;
  };
  std::vector<Bin> b(static_cast<std::size_t>(bins));
  for (std::int64_t r = 0; r < particles.rowCount(); ++r) {
    const double v = x.values[std::size_t(r)];
    if (!std::isfinite(v) || v < start) continue;
    if (excludeBorder && borderIndex >= 0 && particles.value(r, borderIndex) != 0) continue;
    Bin& bin = b[std::size_t(std::min<std::int64_t>(bins - 1, std::int64_t(std::floor((v - start) / width))))];
    const double f = fraction.values[std::size_t(r)];
    ++bin.n;
    bin.cracked += f > 0;
    bin.filled += filled.values[std::size_t(r)];
    bin.crack += crack.values[std::size_t(r)];
    bin.sumFraction += f;
    bin.fractions.push_back(f);
  }
  Table t;
  t.addColumn(x.name + "_start", x.unit, ColumnKind::Real, "Lower edge of the bin");
  t.addColumn(x.name + "_end", x.unit, ColumnKind::Real, "Upper edge of the bin");
  t.addColumn("particles", "", ColumnKind::Integer, "Particles whose value falls in the bin");
  t.addColumn("cracked_particles", "", ColumnKind::Integer, "Of those, particles with crack_fraction > 0");
  t.addColumn("filled_volume", "um3", ColumnKind::Real, "Sum of the particles' filled volumes");
  t.addColumn("crack_volume", "um3", ColumnKind::Real, "Sum of the particles' crack volumes");
  t.addColumn("crack_fraction_weighted", "", ColumnKind::Real, "Sum of crack volume / sum of filled volume");
  t.addColumn("crack_fraction_mean", "", ColumnKind::Real, "Mean of the particles' crack fractions");
  t.addColumn("crack_fraction_median", "", ColumnKind::Real, "Median of the particles' crack fractions");
  t.resizeRows(bins);
  for (std::int64_t k = 0; k < bins; ++k) {
    Bin& bin = b[std::size_t(k)];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    double median = nan;
    if (!bin.fractions.empty()) {
      auto& f = bin.fractions;
      std::sort(f.begin(), f.end());
      const std::size_t m = f.size() / 2;
      median = f.size() % 2 ? f[m] : 0.5 * (f[m - 1] + f[m]);
    }
    const double row[] = {start + double(k) * width, start + double(k + 1) * width, double(bin.n), double(bin.cracked),
                          bin.filled, bin.crack, bin.filled > 0 ? bin.crack / bin.filled : nan,
                          bin.n ? bin.sumFraction / double(bin.n) : nan, median};
    for (int c = 0; c < 9; ++c) t.set(k, c, row[c]);
  }
  return t;
}

double defaultDepthBinUm(double extentUm) {
  if (!(extentUm > 0) || !std::isfinite(extentUm)) return 10;
  const double raw = extentUm / 20;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

Table depthProfile(const Table& particles, double binWidthUm, bool excludeBorder) {
  return damageSummary(particles, "depth", binWidthUm, 0, excludeBorder);
}

Histogram histogram(const Table& table, int column, int bins) {
  if (bins < 1) throw std::invalid_argument("a histogram needs at least one bin");
  const Column& c = table.column(column);
  Histogram h;
  h.column = c.header();
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const double v : c.values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  h.counts.assign(std::size_t(bins), 0);
  if (!std::isfinite(lo)) {
    h.edges.assign(std::size_t(bins) + 1, 0.0);
    return h;
  }
  if (hi == lo) hi = lo + 1;
  const double w = (hi - lo) / bins;
  for (int k = 0; k <= bins; ++k) h.edges.push_back(lo + w * k);
  for (const double v : c.values)
    if (std::isfinite(v)) ++h.counts[std::size_t(std::clamp(int((v - lo) / w), 0, bins - 1))];
  return h;
}

Table histogramTable(const Table& table, int bins, std::vector<std::string>& names) {
  Table t;
  t.addColumn("column", "", ColumnKind::Integer, "Index of the particle-table column");
  t.addColumn("bin_start", "", ColumnKind::Real, "Lower edge (unit of the column)");
  t.addColumn("bin_end", "", ColumnKind::Real, "Upper edge");
  t.addColumn("count", "", ColumnKind::Integer, "Particles in the bin");
  names.clear();
  t.resizeRows(std::int64_t(table.columnCount()) * bins);
  std::int64_t r = 0;
  for (int c = 0; c < table.columnCount(); ++c) {
    const Histogram h = histogram(table, c, bins);
    names.push_back(h.column);
    for (int k = 0; k < bins; ++k, ++r) {
      t.set(r, 0, c);
      t.set(r, 1, h.edges[std::size_t(k)]);
      t.set(r, 2, h.edges[std::size_t(k) + 1]);
      t.set(r, 3, double(h.counts[std::size_t(k)]));
    }
  }
  return t;
}

} // namespace core::analysis
