#pragma once
/// \file Table.h
/// A table of numbers with named columns and units: what the analysis returns, what the CSV
/// writer writes and what a Qt table model can show (column(i).header(), prettyUnit(), value()).
/// A value; thread affinity: none (copy it to hand it to another thread).

#include <cstdint>
#include <string>
#include <vector>

namespace core::analysis {

/// How a column's numbers are meant (formatting and sorting).
enum class ColumnKind { Integer, Real, Flag };

struct Column {
  std::string name;        ///< snake_case key without unit, e.g. "filled_volume"
  std::string unit;        ///< ASCII unit, e.g. "um3", "um2", "um", "deg"; empty when dimensionless
  ColumnKind kind = ColumnKind::Real;
  std::string description; ///< one sentence for tooltips and the README
  std::vector<double> values; ///< one per row; NaN = not defined (written as an empty CSV field)
  /// The CSV header: name + "_" + unit ("filled_volume_um3"), or name alone.
  std::string header() const { return unit.empty() ? name : name + "_" + unit; }
};

/// "um3" -> "µm³", "um2" -> "µm²", "um" -> "µm", "deg" -> "°", others unchanged (UTF-8).
std::string prettyUnit(const std::string& unit);

class Table {
public:
  /// Adds a column (filled with NaN for the existing rows); returns its index.
  int addColumn(const std::string& name, const std::string& unit, ColumnKind kind, const std::string& description);
  int columnCount() const { return int(m_columns.size()); }
  std::int64_t rowCount() const { return m_rows; }
  /// Sets the number of rows; new cells are NaN.
  void resizeRows(std::int64_t rows);
  const Column& column(int index) const { return m_columns.at(std::size_t(index)); }
  Column& column(int index) { return m_columns.at(std::size_t(index)); }
  /// Index of the column whose name or header is \p key, or -1.
  int indexOf(const std::string& key) const;
  /// The column called \p key (name or header); throws std::out_of_range naming it when absent.
  const Column& column(const std::string& key) const;
  double value(std::int64_t row, int col) const { return m_columns[std::size_t(col)].values[std::size_t(row)]; }
  void set(std::int64_t row, int col, double v) { m_columns[std::size_t(col)].values[std::size_t(row)] = v; }

private:
  std::vector<Column> m_columns;
  std::int64_t m_rows = 0;
};

} // namespace core::analysis
