#pragma once
/// \file CsvMerge.h
/// Joining the CSV pieces of a cluster job (one per slab range) into one table, generically:
/// nothing here knows what the columns mean. The analysis decides which rows a slab owns (a
/// particle belongs to the slab that holds its centroid, measured with a halo so it is whole) and
/// writes only those; this file only concatenates:
///
/// - comment lines (starting with '#') come first, each distinct line once, in the order first
///   seen; of comment lines of the form "# key: value" or "# key = value" only the first of each
///   key is kept (so "# date: ..." of later pieces does not repeat);
/// - one header row; every piece must have the same header (else an error naming the piece);
/// - the rows of all pieces, sorted by the id column (an integer), with ids made unique as
///   CsvMergeOptions::ids says. Rows are otherwise copied byte for byte (numbers are not reparsed,
///   so nothing is lost to formatting).
///
/// Summary tables that cannot be concatenated (a depth profile, histograms) must be recomputed
/// from the merged rows by their owner. Any thread.

#include <cstdint>
#include <string>
#include <vector>

namespace core::cluster {

struct CsvMergeOptions {
  /// The id column: matched against header names exactly or up to a unit suffix ("id" matches
  /// "id" and "id (1)"); empty = the first column.
  std::string idColumn = "id";
  enum class Ids {
    Auto,     ///< Keep when the ids of all pieces are unique, else Renumber
    Keep,     ///< ids are global already; a duplicate is an error naming both pieces
    Renumber, ///< rows ordered by (piece in z order, id in the piece), then numbered 1, 2, 3, ...
    /// ids are unique global sort keys (a duplicate is an error): rows sorted by id and numbered
    /// 1, 2, 3, ...; columns whose name ends in "_id" (references, e.g. nn_id) are mapped the
    /// same way (an integer there that is no row's id is an error). Auto picks Rank when a piece
    /// has the comment line "# merge_ids: rank" (that line is not copied).
    Rank
  } ids = Ids::Auto;
  char delimiter = ',';
};

struct CsvMergeResult {
  std::int64_t rows = 0;
  bool renumbered = false; ///< ids were renumbered (Renumber, or Auto with duplicates)
};

/// Merges \p pieces (in z order) into \p out, written atomically. Throws std::runtime_error naming
/// the piece and the line on a missing or empty piece, a different header, a missing id column, an
/// id that is not an integer, or (Keep) a duplicate id.
CsvMergeResult mergeCsvPieces(const std::vector<std::string>& pieces, const std::string& out,
                              const CsvMergeOptions& opts = {});

} // namespace core::cluster
