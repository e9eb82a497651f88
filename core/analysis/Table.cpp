#include "core/analysis/Table.h"

#include <limits>
#include <stdexcept>

namespace core::analysis {

std::string prettyUnit(const std::string& unit) {
  if (unit == "um3") return "\xC2\xB5m\xC2\xB3";
  if (unit == "um2") return "\xC2\xB5m\xC2\xB2";
  if (unit == "um") return "\xC2\xB5m";
  if (unit == "deg") return "\xC2\xB0";
  return unit;
}

int Table::addColumn(const std::string& name, const std::string& unit, ColumnKind kind, const std::string& description) {
  if (indexOf(name) >= 0) throw std::invalid_argument("duplicate column " + name);
  Column c;
  c.name = name;
  c.unit = unit;
  c.kind = kind;
  c.description = description;
  c.values.assign(std::size_t(m_rows), std::numeric_limits<double>::quiet_NaN());
  m_columns.push_back(std::move(c));
  return int(m_columns.size()) - 1;
}

void Table::resizeRows(std::int64_t rows) {
  m_rows = rows;
  for (auto& c : m_columns) c.values.resize(std::size_t(rows), std::numeric_limits<double>::quiet_NaN());
}

int Table::indexOf(const std::string& key) const {
  for (std::size_t i = 0; i < m_columns.size(); ++i)
    if (m_columns[i].name == key || m_columns[i].header() == key) return int(i);
  return -1;
}

const Column& Table::column(const std::string& key) const {
  const int i = indexOf(key);
  if (i < 0) throw std::out_of_range("no column '" + key + "' in the table");
  return m_columns[std::size_t(i)];
}

} // namespace core::analysis
