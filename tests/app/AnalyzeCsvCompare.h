#pragma once
// Comparing two analysis CSV files row for row: the same header, the same number of rows and, in
// every field, the same text or numbers equal to 1e-9 relative (the shortest round-trip text of a
// double may differ in the last digit when a slab sums its moments from another origin).
#include <QString>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace analyzetest {

inline std::vector<std::vector<std::string>> csvRows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.push_back("");
    rows.push_back(fields);
  }
  return rows;
}

/// Empty when \p a and \p b hold the same rows; else the first difference. \p exactRows counts
/// rows equal byte for byte.
inline QString compareCsv(const std::string& a, const std::string& b, int* exactRows = nullptr) {
  const auto ra = csvRows(a), rb = csvRows(b);
  if (ra.empty()) return QString("%1 has no header").arg(a.c_str());
  if (ra.size() != rb.size()) return QString("%1 rows against %2").arg(ra.size()).arg(rb.size());
  if (ra[0] != rb[0]) return "headers differ";
  int exact = 0;
  for (std::size_t r = 1; r < ra.size(); ++r) {
    if (ra[r] == rb[r]) {
      ++exact;
      continue;
    }
    if (ra[r].size() != rb[r].size()) return QString("row %1 has a different field count").arg(r);
    for (std::size_t c = 0; c < ra[r].size(); ++c) {
      const std::string &x = ra[r][c], &y = rb[r][c];
      if (x == y) continue;
      const double fx = std::strtod(x.c_str(), nullptr), fy = std::strtod(y.c_str(), nullptr);
      if (x.empty() || y.empty() || std::fabs(fx - fy) > 1e-9 * std::max(1.0, std::fabs(fx)))
        return QString("row %1, column %2: '%3' against '%4'").arg(r).arg(ra[0][c].c_str()).arg(x.c_str()).arg(y.c_str());
    }
  }
  if (exactRows) *exactRows = exact;
  return {};
}

} // namespace analyzetest
