#include "core/analysis/Csv.h"

#include "core/files/AtomicFile.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace core::analysis {
namespace {

void appendNumber(std::string& out, double v, ColumnKind kind) {
  if (std::isnan(v)) return;
  char buf[64];
  std::to_chars_result r;
  if (kind != ColumnKind::Real && std::isfinite(v) && std::fabs(v) < 9.0e18) {
    r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(std::llround(v)));
    out.append(buf, r.ptr);
    return;
  }
  out += shortestNumberText(v);
}

/// Quotes a comment value's line breaks away.
std::string oneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

} // namespace

std::string shortestNumberText(double v) {
  char buf[64];
  const auto exact = std::to_chars(buf, buf + sizeof buf, v); // shortest text that reads back as v
  std::string text(buf, exact.ptr);
  if (!std::isfinite(v)) return text;
  // 16 or 17 significant digits are the arithmetic's rounding noise (3.3991250000000006 for
  // 3.399125): 15 digits (DBL_DIG, so the text survives any number of read-write rounds) when
  // they read back within a few units in the last place, which no measurement resolves.
  const auto r15 = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
  const std::string text15(buf, r15.ptr);
  if (text15.size() >= text.size()) return text;
  double back = 0;
  const auto parsed = std::from_chars(text15.data(), text15.data() + text15.size(), back);
  if (parsed.ec != std::errc() || !std::isfinite(back)) return text;
  return std::fabs(back - v) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(v) ? text15 : text;
}

std::string formatCsv(const Table& table, const CsvComments& comments) {
  std::string out;
  for (const auto& [key, value] : comments) out += "# " + oneLine(key) + ": " + oneLine(value) + "\n";
  for (int c = 0; c < table.columnCount(); ++c) {
    if (c) out += ',';
    out += table.column(c).header();
  }
  out += '\n';
  out.reserve(out.size() + std::size_t(table.rowCount()) * std::size_t(table.columnCount()) * 10);
  for (std::int64_t r = 0; r < table.rowCount(); ++r) {
    for (int c = 0; c < table.columnCount(); ++c) {
      if (c) out += ',';
      appendNumber(out, table.value(r, c), table.column(c).kind);
    }
    out += '\n';
  }
  return out;
}

void writeCsv(const Table& table, const std::string& path, const CsvComments& comments) {
  const std::string text = formatCsv(table, comments);
  core::files::writeFileAtomically(path, text);
}

int CsvData::indexOf(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return int(i);
  return -1;
}

CsvData parseCsv(const std::string& text, const std::string& what) {
  CsvData d;
  std::istringstream in(text);
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '#') {
      const std::size_t colon = line.find(':');
      const std::size_t b = line.find_first_not_of(" #");
      if (colon == std::string::npos || b == std::string::npos || b > colon) {
        d.comments.push_back({line.substr(1), ""});
      } else {
        std::string value = line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        d.comments.push_back({line.substr(b, colon - b), value});
      }
      continue;
    }
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (d.header.empty()) {
      d.header = fields;
      continue;
    }
    if (fields.size() != d.header.size())
      throw std::runtime_error(what + ", line " + std::to_string(lineNo) + ": " + std::to_string(fields.size()) +
                               " fields, the header has " + std::to_string(d.header.size()));
    std::vector<double> row(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string& f = fields[i];
      if (f.empty()) {
        row[i] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      const auto r = std::from_chars(f.data(), f.data() + f.size(), row[i]);
      if (r.ec != std::errc() || r.ptr != f.data() + f.size())
        throw std::runtime_error(what + ", line " + std::to_string(lineNo) + ": '" + f + "' is not a number");
    }
    d.rows.push_back(std::move(row));
  }
  if (d.header.empty()) throw std::runtime_error(what + ": no header row");
  return d;
}

CsvData readCsv(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream ss;
  ss << f.rdbuf();
  return parseCsv(ss.str(), "'" + path + "'");
}

Table tableFromCsv(const CsvData& csv, Table columns, const std::string& what) {
  columns.resizeRows(std::int64_t(csv.rows.size()));
  for (int c = 0; c < columns.columnCount(); ++c) {
    const int from = csv.indexOf(columns.column(c).header());
    if (from < 0) throw std::runtime_error(what + " has no column \"" + columns.column(c).header() + "\"");
    for (std::size_t r = 0; r < csv.rows.size(); ++r)
      columns.set(std::int64_t(r), c, std::size_t(from) < csv.rows[r].size() ? csv.rows[r][std::size_t(from)] : std::nan(""));
  }
  return columns;
}

} // namespace core::analysis
