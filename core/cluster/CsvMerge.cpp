#include "core/cluster/CsvMerge.h"

#include "core/cluster/WorkDir.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace core::cluster {

namespace {

struct Row {
  std::int64_t id = 0;
  std::size_t piece = 0;
  std::string text;            // the line as read
  std::size_t idBegin = 0, idEnd = 0; // where the id field sits in text
};

/// Start and end offsets of field \p column in \p line (double quotes respected).
bool fieldSpan(const std::string& line, std::size_t column, char delim, std::size_t& begin, std::size_t& end) {
  std::size_t col = 0, i = 0;
  begin = 0;
  bool quoted = false;
  for (; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : delim;
    if (c == '"') quoted = !quoted;
    if (c == delim && !quoted) {
      if (col == column) {
        end = i;
        return true;
      }
      ++col;
      begin = i + 1;
    }
  }
  return false;
}

std::vector<std::string> splitHeader(const std::string& line, char delim) {
  std::vector<std::string> out;
  std::size_t b = 0, e = 0;
  for (std::size_t c = 0; fieldSpan(line, c, delim, b, e); ++c) out.push_back(line.substr(b, e - b));
  return out;
}

std::string unquote(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

/// "# key: value" / "# key = value" -> "key"; "" when the comment has no key.
std::string commentKey(const std::string& line) {
  const std::size_t sep = line.find_first_of(":=");
  if (sep == std::string::npos) return {};
  std::string key = line.substr(0, sep);
  key.erase(0, key.find_first_not_of("# "));
  while (!key.empty() && key.back() == ' ') key.pop_back();
  if (key.empty() || key.size() > 40) return {};
  return key;
}

/// What the pieces hold: their comments (each key once), one header, every data row.
struct Pieces {
  std::vector<std::string> comments;
  std::set<std::string> seenComments, seenKeys;
  std::string header;
  std::size_t headerPiece = 0;
  std::size_t idCol = 0;
  std::vector<std::size_t> refCols; // columns named *_id other than the id column
  std::vector<Row> rows;
  bool rankRequested = false;
};

/// Keeps a comment line once (and a "key: value" comment only for its first key).
void addComment(Pieces& all, const std::string& line) {
  if (line == "# merge_ids: rank") {
    all.rankRequested = true;
    return;
  }
  if (all.seenComments.count(line)) return;
  const std::string key = commentKey(line);
  if (!key.empty() && !all.seenKeys.insert(key).second) return;
  all.seenComments.insert(line);
  all.comments.push_back(line);
}

/// The first header fixes the id column and the reference columns; later ones must equal it.
void takeHeader(Pieces& all, const std::string& line, std::size_t p, const std::vector<std::string>& pieces,
                const CsvMergeOptions& opts) {
  if (!all.header.empty()) {
    if (line != all.header)
      throw std::runtime_error(pieces[p] + ": its header differs from that of " + pieces[all.headerPiece] +
                               " (the pieces come from different commands or versions)");
    return;
  }
  all.header = line;
  all.headerPiece = p;
  const std::vector<std::string> names = splitHeader(line, opts.delimiter);
  bool found = opts.idColumn.empty();
  for (std::size_t c = 0; c < names.size() && !found; ++c) {
    const std::string n = unquote(names[c]);
    if (n == opts.idColumn || n.rfind(opts.idColumn + " (", 0) == 0 || n.rfind(opts.idColumn + " [", 0) == 0) {
      all.idCol = c;
      found = true;
    }
  }
  if (!found) throw std::runtime_error(pieces[p] + ": no column '" + opts.idColumn + "' in the header '" + line + "'");
  for (std::size_t c = 0; c < names.size(); ++c) {
    const std::string n = unquote(names[c]);
    if (c != all.idCol && n.size() > 3 && n.compare(n.size() - 3, 3, "_id") == 0) all.refCols.push_back(c);
  }
}

/// The integer in \p text (spaces and quotes removed); false when it is not one.
bool parseId(const std::string& text, std::int64_t& id) {
  std::size_t used = 0;
  try {
    id = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  return !text.empty() && used == text.size();
}

Row takeRow(std::string line, std::size_t p, std::size_t lineNo, const Pieces& all, const std::vector<std::string>& pieces,
            const CsvMergeOptions& opts) {
  Row r;
  r.piece = p;
  if (!fieldSpan(line, all.idCol, opts.delimiter, r.idBegin, r.idEnd))
    throw std::runtime_error(pieces[p] + ":" + std::to_string(lineNo) + ": the row has no column " +
                             std::to_string(all.idCol + 1));
  const std::string idText = unquote(line.substr(r.idBegin, r.idEnd - r.idBegin));
  if (!parseId(idText, r.id))
    throw std::runtime_error(pieces[p] + ":" + std::to_string(lineNo) + ": the id '" + idText + "' is not an integer");
  r.text = std::move(line);
  return r;
}

Pieces readPieces(const std::vector<std::string>& pieces, const CsvMergeOptions& opts) {
  Pieces all;
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    std::istringstream in(readFile(pieces[p]));
    std::string line;
    bool haveHeader = false;
    std::size_t lineNo = 0;
    while (std::getline(in, line)) {
      ++lineNo;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      if (line.front() == '#') {
        addComment(all, line);
      } else if (!haveHeader) {
        haveHeader = true;
        takeHeader(all, line, p, pieces, opts);
      } else {
        all.rows.push_back(takeRow(std::move(line), p, lineNo, all, pieces, opts));
      }
    }
    if (!haveHeader) throw std::runtime_error(pieces[p] + ": empty CSV piece (no header row)");
  }
  return all;
}

/// Ids become ranks 1..n in id order, and so do the references to them in the *_id columns.
void rankIds(Pieces& all, const std::vector<std::string>& pieces, const CsvMergeOptions& opts) {
  std::vector<Row>& rows = all.rows;
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
  std::map<std::int64_t, std::int64_t> rank;
  for (std::size_t i = 0; i < rows.size(); ++i) rank[rows[i].id] = std::int64_t(i) + 1;
  for (Row& r : rows) {
    std::vector<std::size_t> cols = all.refCols;
    cols.push_back(all.idCol);
    std::sort(cols.rbegin(), cols.rend()); // rightmost first: earlier spans stay valid
    for (std::size_t c : cols) {
      std::size_t b = 0, e = 0;
      if (!fieldSpan(r.text, c, opts.delimiter, b, e)) continue;
      const std::string v = unquote(r.text.substr(b, e - b));
      if (v.empty()) continue;
      std::int64_t x = 0;
      const bool isId = parseId(v, x);
      const auto it = rank.find(x);
      if (!isId || it == rank.end())
        throw std::runtime_error(pieces[r.piece] + ": the reference '" + v + "' in column " + std::to_string(c + 1) +
                                 " of the row with id " + std::to_string(r.id) + " is no row's id");
      r.text = r.text.substr(0, b) + std::to_string(it->second) + r.text.substr(e);
    }
  }
}

/// Ids become 1..n, piece by piece and in id order within a piece.
void renumberIds(std::vector<Row>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.piece != b.piece ? a.piece < b.piece : a.id < b.id; });
  std::int64_t next = 1;
  for (Row& r : rows) {
    r.text = r.text.substr(0, r.idBegin) + std::to_string(next) + r.text.substr(r.idEnd);
    r.id = next++;
  }
}

} // namespace

CsvMergeResult mergeCsvPieces(const std::vector<std::string>& pieces, const std::string& out,
                              const CsvMergeOptions& opts) {
  if (pieces.empty()) throw std::runtime_error("no CSV pieces to merge into '" + out + "'");
  Pieces all = readPieces(pieces, opts);
  const CsvMergeOptions::Ids mode =
      opts.ids == CsvMergeOptions::Ids::Auto && all.rankRequested ? CsvMergeOptions::Ids::Rank : opts.ids;
  // Are the ids unique across pieces?
  std::map<std::int64_t, std::size_t> owner;
  bool duplicates = false;
  for (const Row& r : all.rows) {
    auto it = owner.emplace(r.id, r.piece);
    if (!it.second) {
      duplicates = true;
      if (mode == CsvMergeOptions::Ids::Keep || mode == CsvMergeOptions::Ids::Rank)
        throw std::runtime_error("id " + std::to_string(r.id) + " appears in " + pieces[it.first->second] +
                                 (it.first->second == r.piece ? " twice" : " and in " + pieces[r.piece]));
    }
  }
  CsvMergeResult result;
  result.rows = std::int64_t(all.rows.size());
  result.renumbered = mode == CsvMergeOptions::Ids::Renumber || mode == CsvMergeOptions::Ids::Rank ||
                      (mode == CsvMergeOptions::Ids::Auto && duplicates);
  if (mode == CsvMergeOptions::Ids::Rank)
    rankIds(all, pieces, opts);
  else if (result.renumbered)
    renumberIds(all.rows);
  else
    std::stable_sort(all.rows.begin(), all.rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });

  std::string text;
  for (const std::string& c : all.comments) text += c + "\n";
  text += all.header + "\n";
  for (const Row& r : all.rows) text += r.text + "\n";
  writeFileAtomically(out, text);
  return result;
}

} // namespace core::cluster
