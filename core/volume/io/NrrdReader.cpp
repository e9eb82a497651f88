// NRRD: our own header parser for raw and gzip encodings, so slabs stream; anything else
// (ascii, hex, bzip2, LIST data files) goes through ITK, which reads the whole file.
#include "core/volume/io/Readers.h"

#include "core/volume/Checked.h"
#include "core/volume/io/IoSupport.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  const auto b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool parseType(std::string t, Component& c) {
  std::replace(t.begin(), t.end(), '_', ' ');
  static const std::map<std::string, Component> types = {
      {"uchar", Component::U8},         {"unsigned char", Component::U8},   {"uint8", Component::U8},
      {"uint8 t", Component::U8},       {"signed char", Component::I8},     {"int8", Component::I8},
      {"int8 t", Component::I8},        {"short", Component::I16},          {"short int", Component::I16},
      {"signed short", Component::I16}, {"signed short int", Component::I16}, {"int16", Component::I16},
      {"int16 t", Component::I16},      {"ushort", Component::U16},         {"unsigned short", Component::U16},
      {"unsigned short int", Component::U16}, {"uint16", Component::U16},   {"uint16 t", Component::U16},
      {"int", Component::I32},          {"signed int", Component::I32},     {"int32", Component::I32},
      {"int32 t", Component::I32},      {"uint", Component::U32},           {"unsigned int", Component::U32},
      {"uint32", Component::U32},       {"uint32 t", Component::U32},       {"float", Component::F32},
      {"double", Component::F64}};
  auto it = types.find(t);
  if (it == types.end()) return false;
  c = it->second;
  return true;
}

// "(1,0,0) (0,2,0) none" -> vectors; "none" gives an empty one.
std::vector<std::vector<double>> parseVectors(const std::string& text) {
  std::vector<std::vector<double>> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '(') {
      const auto close = text.find(')', i);
      if (close == std::string::npos) break;
      std::vector<double> v;
      std::stringstream s(text.substr(i + 1, close - i - 1));
      std::string part;
      while (std::getline(s, part, ',')) v.push_back(std::atof(part.c_str()));
      out.push_back(v);
      i = close + 1;
    } else if (text.compare(i, 4, "none") == 0) {
      out.emplace_back();
      i += 4;
    } else {
      ++i;
    }
  }
  return out;
}

/// The header's "key: value" fields, and where the data starts (after the blank line).
struct NrrdHeader {
  std::map<std::string, std::string> fields;
  bool ended = false;          ///< a blank line ended the header (data follows in this file)
  std::uint64_t headerEnd = 0; ///< byte offset just after the header
  std::string field(const char* key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  }
};

NrrdHeader readNrrdHeader(const std::string& path) {
  const std::uint64_t size = fileSize(path);
  if (size == 0) fail("file " + inQuotes(path) + " is empty");
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  if (line.compare(0, 4, "NRRD") != 0) fail("file " + inQuotes(path) + " is not a NRRD (no NRRD magic line)");
  NrrdHeader h;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      h.ended = true;
      break;
    }
    if (line[0] == '#') continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos || line.find(":=") != std::string::npos) continue; // key/value pairs
    h.fields[trim(line.substr(0, colon))] = trim(line.substr(colon + 2));
    if (in.tellg() > std::streamoff(1 << 20)) fail("file " + inQuotes(path) + " has a NRRD header over 1 MiB");
  }
  h.headerEnd = h.ended ? std::uint64_t(in.tellg()) : size;
  return h;
}

/// Size (2D is one slice; a leading or trailing axis of size 1 is dropped), voxel type, spacing
/// ("space directions" lengths or "spacings") and origin.
VolumeInfo nrrdGeometry(const std::string& path, const NrrdHeader& h, Component comp) {
  const int dim = std::atoi(h.field("dimension").c_str());
  std::vector<std::int64_t> sizes;
  {
    std::stringstream s(h.field("sizes"));
    std::int64_t v;
    while (s >> v) sizes.push_back(v);
  }
  if (dim < 1 || dim > 4 || int(sizes.size()) != dim)
    fail("NRRD " + inQuotes(path) + " has dimension '" + h.field("dimension") + "' and sizes '" + h.field("sizes") + "'");
  // A leading or trailing axis of size 1 (a channel or time axis) is allowed; 2D is one slice.
  if (dim == 4 && sizes[0] == 1) sizes.erase(sizes.begin());
  else if (dim == 4 && sizes[3] == 1) sizes.pop_back();
  if (sizes.size() > 3) fail("NRRD " + inQuotes(path) + " has 4 non-trivial axes; only 2D and 3D images are supported");
  while (sizes.size() < 3) sizes.push_back(1);

  for (const std::int64_t n : sizes)
    if (n <= 0) fail("NRRD " + inQuotes(path) + " has sizes '" + h.field("sizes") + "'; every size must be positive");
  VolumeInfo info;
  info.size = {sizes[0], sizes[1], sizes[2]};
  info.type = voxelTypeFor(comp);
  (void)info.bytes(); // within kMaxVolumeBytes before any other size arithmetic
  const auto dirs = parseVectors(h.field("space directions"));
  std::vector<double> sp;
  for (const auto& v : dirs) {
    if (v.empty()) continue;
    double n = 0;
    for (double c : v) n += c * c;
    sp.push_back(std::sqrt(n));
  }
  if (sp.empty()) {
    std::stringstream s(h.field("spacings"));
    std::string t;
    while (s >> t) {
      const double v = std::atof(t.c_str());
      if (t != "nan" && t != "NaN" && v > 0) sp.push_back(v);
    }
  }
  if (sp.size() >= 1) info.spacing.x = sp[0];
  if (sp.size() >= 2) info.spacing.y = sp[1];
  if (sp.size() >= 3) info.spacing.z = sp[2];
  const auto origin = parseVectors(h.field("space origin"));
  if (!origin.empty() && origin[0].size() >= 2) {
    info.origin.x = origin[0][0];
    info.origin.y = origin[0][1];
    if (origin[0].size() >= 3) info.origin.z = origin[0][2];
  }
  return info;
}

/// The file holding the voxels and where they start in it: after the header or in a detached
/// "data file", moved on by "line skip" and "byte skip" (-1: the data ends the file).
std::pair<std::string, std::uint64_t> nrrdDataStart(const std::string& path, const NrrdHeader& h, bool gzip,
                                                    std::uint64_t dataBytes) {
  const std::string dataFile = h.field("data file").empty() ? h.field("datafile") : h.field("data file");
  std::string dataPath = path;
  std::uint64_t offset = h.headerEnd;
  if (!dataFile.empty()) {
    fs::path p(dataFile);
    dataPath = p.is_absolute() ? p.string() : (fs::path(path).parent_path() / p).string();
    offset = 0;
    if (!isFile(dataPath))
      fail("data file " + inQuotes(dataPath) + " named by NRRD " + inQuotes(path) + " does not exist");
  } else if (!h.ended) {
    fail("NRRD " + inQuotes(path) + " has no data after its header (no blank line)");
  }
  const long long lineSkip = std::atoll(h.field("line skip").c_str());
  if (lineSkip > 0) {
    std::ifstream d(dataPath, std::ios::binary);
    d.seekg(std::streamoff(offset));
    std::string line;
    long long skipped = 0;
    for (; skipped < lineSkip && std::getline(d, line); ++skipped) {}
    const std::streamoff at = d.tellg();
    if (skipped < lineSkip || at < 0)
      fail("NRRD " + inQuotes(path) + " skips " + std::to_string(lineSkip) + " lines of " + inQuotes(dataPath) +
           ", but the file ends after " + std::to_string(skipped));
    offset = std::uint64_t(at);
  }
  const long long byteSkip = std::atoll(h.field("byte skip").c_str());
  if (byteSkip == -1 && !gzip) {
    const std::uint64_t total = fileSize(dataPath);
    checkTruncated(dataPath, dataBytes, total);
    offset = total - dataBytes;
  } else if (byteSkip > 0) {
    if (gzip) fail("NRRD " + inQuotes(path) + ": byte skip with gzip encoding is not supported");
    offset = checkedAdd<std::uint64_t>(offset, std::uint64_t(byteSkip), "the data offset (byte skip)");
  } else if (byteSkip < -1) {
    fail("NRRD " + inQuotes(path) + " has a byte skip of " + std::to_string(byteSkip) + " (only -1 or more)");
  }
  return {dataPath, offset};
}

} // namespace

std::unique_ptr<SliceReader> openNrrd(const std::string& path) {
  const NrrdHeader h = readNrrdHeader(path);
  const std::string encoding = h.field("encoding");
  const std::string dataFile = h.field("data file").empty() ? h.field("datafile") : h.field("data file");
  const bool gzip = encoding == "gzip" || encoding == "gz";
  if ((encoding != "raw" && !gzip) || dataFile.rfind("LIST", 0) == 0 || dataFile.find('%') != std::string::npos)
    return openItk(path, "nrrd");

  Component comp{};
  if (!parseType(h.field("type"), comp))
    fail("NRRD " + inQuotes(path) + " has an unsupported type '" + h.field("type") + "'");
  const VolumeInfo info = nrrdGeometry(path, h, comp);
  const bool big = h.field("endian") == "big";
  const std::uint64_t dataBytes =
      checkedMul<std::uint64_t>(std::uint64_t(info.size.count()), componentSize(comp), "the voxel data size");
  const auto [dataPath, offset] = nrrdDataStart(path, h, gzip, dataBytes);
  return openRawLayout(path, dataPath, "nrrd", info, comp, big, offset, gzip);
}

} // namespace core::volume::io
