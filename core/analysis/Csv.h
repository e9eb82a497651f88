#pragma once
/// \file Csv.h
/// CSV of a Table: comment lines "# key: value" first, one header row with units in the column
/// names, one row per table row. Numbers are written by shortestNumberText ('.' as decimal
/// separator whatever the locale); integers and flags as integers; NaN as an empty field. Any thread.

#include "core/analysis/Table.h"

#include <string>
#include <utility>
#include <vector>

namespace core::analysis {

using CsvComments = std::vector<std::pair<std::string, std::string>>;

/// The shortest text of \p v: std::to_chars' shortest round-trip form, or its 15 significant
/// digits when those read back within 4 machine epsilons (relative) of \p v: floating-point noise
/// such as 3.3991250000000006 is written 3.399125, 0.1 + 0.2 as 0.3, while 1/3 keeps its 16 digits.
std::string shortestNumberText(double v);

/// The CSV text of \p table.
std::string formatCsv(const Table& table, const CsvComments& comments = {});

/// Writes the CSV to \p path atomically (a temporary file renamed over the target), so a failure
/// never leaves a half-written file in place of a good one. Throws std::runtime_error naming the
/// file on failure.
void writeCsv(const Table& table, const std::string& path, const CsvComments& comments = {});

/// A CSV read back: comments, header names, numeric rows (empty field -> NaN).
struct CsvData {
  CsvComments comments;
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  /// Index of a header name, or -1.
  int indexOf(const std::string& name) const;
};

/// Parses CSV text written by formatCsv (numbers with std::from_chars, locale-independent).
/// Throws std::runtime_error naming \p what and the line on a malformed row.
CsvData parseCsv(const std::string& text, const std::string& what = "CSV");
/// Reads and parses a file.
CsvData readCsv(const std::string& path);

/// Fills the (empty) columns of \p columns from \p csv by header, one row per CSV row: reads back
/// what formatCsv wrote (the studio keeps a project's particle table so). Throws
/// std::runtime_error naming \p what when a column is missing.
Table tableFromCsv(const CsvData& csv, Table columns, const std::string& what = "CSV");

} // namespace core::analysis
