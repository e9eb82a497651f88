#pragma once
/// \file Summaries.h
/// Summaries of the particle table for plots and the depth-profile CSV: damage against depth,
/// size or packing density in bins, and histograms of every column. Any thread.

#include "core/analysis/Table.h"

#include <string>
#include <vector>

namespace core::analysis {

/// Damage per bin of a particle-table column \p xColumn (name or header), bins
/// [start + k * width, start + (k + 1) * width) from start up to the largest value. Columns:
/// <x>_start, <x>_end (unit of x), particles, cracked_particles (crack_fraction > 0),
/// filled_volume_um3, crack_volume_um3 (sums), crack_fraction_weighted (sum crack / sum filled),
/// crack_fraction_mean, crack_fraction_median. Particles with the border flag are left out when
/// \p excludeBorder. Throws std::invalid_argument on width <= 0 or an unknown column.
Table damageSummary(const Table& particles, const std::string& xColumn, double width, double start = 0,
                    bool excludeBorder = false);

/// The depth profile: damageSummary over "depth" from 0 in bins of \p binWidthUm micrometres.
Table depthProfile(const Table& particles, double binWidthUm = 10, bool excludeBorder = false);

/// A depth bin width for a volume \p extentUm micrometres deep: about a twentieth of it, rounded
/// to 1, 2 or 5 times a power of ten (2.4 um -> 0.1 um, 500 um -> 20 um). 10 when the extent is
/// not positive.
double defaultDepthBinUm(double extentUm);

/// Counts of one column's finite values in \p bins equal bins between its min and max.
struct Histogram {
  std::string column; ///< header of the column
  std::vector<double> edges;        ///< bins + 1 edges
  std::vector<std::int64_t> counts; ///< bins counts
};
Histogram histogram(const Table& table, int column, int bins = 20);

/// Histograms of every column in one long table: column (index), bin_start, bin_end, count; the
/// column names are in the returned header list \p names (index -> header).
Table histogramTable(const Table& table, int bins, std::vector<std::string>& names);

} // namespace core::analysis
