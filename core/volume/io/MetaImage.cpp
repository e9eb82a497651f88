// MetaImage (.mha, .mhd): our own header parser, which checks every field before anything else
// reads it. ITK's MetaIO parser spins forever on a negative NDims, on an array shorter than NDims
// says, on a value that is not a number (nan, 1e999) or on a line over 500 characters, and fills
// short data with zeros; here each of those is an error naming the file. Voxels in the file
// (LOCAL) or in one data file, raw or zlib/gzip-compressed, stream slab by slab through the raw
// reader, which refuses data shorter than the header says. Text voxels (BinaryData = False) and
// data in several files (LIST, numbered names) go through ITK after the same checks, and after
// checking that the data is all there.
#include "core/volume/Checked.h"
#include "core/volume/io/Readers.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <locale>
#include <map>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

constexpr std::size_t kMaxLine = 400;          // MetaIO reads a value into 500 characters
constexpr std::size_t kMaxHeader = 1u << 20;   // the header must end (ElementDataFile) within 1 MiB
constexpr int kMaxDims = 10;                   // MetaIO's own limit
constexpr std::size_t kMaxListedFiles = 1u << 20;

// How MetaIO parses each field it knows; a field it does not know is skipped by it, and by us.
enum class Kind { Text, Int, Number, Array, Matrix, Color };
const std::map<std::string, Kind>& knownFields() {
  static const std::map<std::string, Kind> fields = {
      {"Comment", Kind::Text}, {"AcquisitionDate", Kind::Text}, {"ObjectType", Kind::Text},
      {"ObjectSubType", Kind::Text}, {"FormTypeName", Kind::Text}, {"Name", Kind::Text}, {"NDims", Kind::Int},
      {"ID", Kind::Int}, {"ParentID", Kind::Int}, {"CompressedData", Kind::Text}, {"CompressedDataSize", Kind::Number},
      {"BinaryData", Kind::Text}, {"ElementByteOrderMSB", Kind::Text}, {"BinaryDataByteOrderMSB", Kind::Text},
      {"Color", Kind::Color}, {"Position", Kind::Array}, {"Origin", Kind::Array}, {"Offset", Kind::Array},
      {"TransformMatrix", Kind::Matrix}, {"Rotation", Kind::Matrix}, {"Orientation", Kind::Matrix},
      {"CenterOfRotation", Kind::Array}, {"DistanceUnits", Kind::Text}, {"AnatomicalOrientation", Kind::Text},
      {"ElementSpacing", Kind::Array}, {"DimSize", Kind::Array}, {"HeaderSize", Kind::Int}, {"Modality", Kind::Text},
      {"ImagePosition", Kind::Array}, {"SequenceID", Kind::Array}, {"ElementMin", Kind::Number},
      {"ElementMax", Kind::Number}, {"ElementNumberOfChannels", Kind::Int}, {"ElementSize", Kind::Array},
      {"ElementNBits", Kind::Int}, {"ElementToIntensityFunctionSlope", Kind::Number},
      {"ElementToIntensityFunctionOffset", Kind::Number}, {"ElementType", Kind::Text},
      {"ElementDataFile", Kind::Text}};
  return fields;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  const auto b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// Numbers exactly as MetaIO reads them (operator>> on double, which fails on nan, inf and values
// out of range, making MetaIO spin), and finite.
bool parseNumbers(const std::string& text, std::vector<double>& out) {
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  std::string token;
  out.clear();
  while (in >> token) {
    std::istringstream t(token);
    t.imbue(std::locale::classic());
    double v = 0;
    char rest = 0;
    if (!(t >> v) || (t >> rest) || !std::isfinite(v)) return false;
    out.push_back(v);
  }
  return true;
}

bool isTrue(const std::string& v) { return !v.empty() && (v[0] == 'T' || v[0] == 't' || v[0] == '1'); }

struct Header {
  std::string path;
  std::map<std::string, std::string> fields;
  std::map<std::string, std::vector<double>> numbers;
  std::uint64_t dataStart = 0;          ///< first byte after the ElementDataFile line
  std::vector<std::string> listed;      ///< file names after "ElementDataFile = LIST"
};

Header parseHeader(const std::string& path) {
  Header h;
  h.path = path;
  const std::uint64_t size = fileSize(path);
  std::string text(std::size_t(std::min<std::uint64_t>(size, kMaxHeader)), '\0');
  {
    std::ifstream in(path, std::ios::binary);
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
  }
  auto bad = [&](std::size_t lineNo, const std::string& why) {
    fail("MetaImage header " + inQuotes(path) + " line " + std::to_string(lineNo) + ": " + why);
  };
  int nDims = 0;
  bool ended = false;
  std::size_t pos = 0, lineNo = 0;
  while (pos < text.size() && !ended) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string::npos ? text.size() : eol + 1;
    if (eol == std::string::npos && size > text.size())
      fail("MetaImage header " + inQuotes(path) + " has no ElementDataFile line in its first 1 MiB");
    std::string line = text.substr(pos, next - pos);
    pos = next;
    ++lineNo;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (line.size() > kMaxLine)
      bad(lineNo, "is " + std::to_string(line.size()) + " characters long (at most " + std::to_string(kMaxLine) +
                      " in a header); this is not a MetaImage header");
    if (trim(line).empty()) continue;
    if (std::any_of(line.begin(), line.end(), [](char c) { return c == '\0' || (c > 0 && c < ' ' && c != '\t' && c != '\r'); }))
      bad(lineNo, "holds binary data; this is not a MetaImage header");
    const std::size_t sep = line.find_first_of("=:");
    if (sep == std::string::npos) bad(lineNo, "'" + trim(line) + "' is not of the form 'Key = Value'");
    const std::string key = trim(line.substr(0, sep)), value = trim(line.substr(sep + 1));
    const auto known = knownFields().find(key);
    if (known == knownFields().end()) continue; // MetaIO skips fields it does not know
    if (h.fields.count(key)) bad(lineNo, key + " is given twice");
    if (value.empty()) bad(lineNo, key + " has no value");
    h.fields[key] = value;
    const Kind kind = known->second;
    if (kind == Kind::Text) {
      if (key == "ElementDataFile") {
        ended = true;
        h.dataStart = pos;
      }
      continue;
    }
    std::vector<double> v;
    if (!parseNumbers(value, v) || v.empty())
      bad(lineNo, key + " = '" + value + "' is not " + (kind == Kind::Int || kind == Kind::Number ? "a number" : "a list of numbers"));
    std::size_t want = 1;
    if (kind == Kind::Array || kind == Kind::Matrix) {
      if (nDims == 0) bad(lineNo, key + " comes before NDims (whose value tells its length)");
      want = kind == Kind::Array ? std::size_t(nDims) : std::size_t(nDims) * std::size_t(nDims);
    } else if (kind == Kind::Color) {
      want = 4;
    }
    if (v.size() != want)
      bad(lineNo, key + " has " + std::to_string(v.size()) + " value" + (v.size() == 1 ? "" : "s") + ", not " +
                      std::to_string(want) + (kind == Kind::Array || kind == Kind::Matrix ? " (NDims = " + std::to_string(nDims) + ")" : ""));
    if (kind == Kind::Int)
      if (v[0] != std::floor(v[0]) || v[0] < double(INT_MIN) || v[0] > double(INT_MAX))
        bad(lineNo, key + " = '" + value + "' is not a whole number of 32 bits");
    if (key == "NDims") {
      if (v[0] < 1 || v[0] > kMaxDims)
        bad(lineNo, "NDims = " + value + "; a MetaImage has 1 to " + std::to_string(kMaxDims) + " dimensions");
      nDims = int(v[0]);
    }
    h.numbers[key] = v;
  }
  if (!ended) fail("MetaImage header " + inQuotes(path) + " has no ElementDataFile line (where the voxels are)");
  if (nDims == 0) fail("MetaImage header " + inQuotes(path) + " has no NDims");
  // File names follow "ElementDataFile = LIST", one a line, to the end of the header file.
  if (h.fields["ElementDataFile"].rfind("LIST", 0) == 0) {
    std::string rest;
    {
      std::ifstream in(path, std::ios::binary);
      in.seekg(std::streamoff(h.dataStart));
      std::string name;
      while (std::getline(in, name)) {
        name = trim(name);
        if (name.empty()) continue;
        if (name.size() > kMaxLine || h.listed.size() >= kMaxListedFiles)
          fail("MetaImage header " + inQuotes(path) + " lists data files that are not file names");
        h.listed.push_back(name);
      }
    }
  }
  return h;
}

bool parseComponent(const std::string& t, Component& c) {
  static const std::map<std::string, Component> types = {
      {"MET_UCHAR", Component::U8},  {"MET_CHAR", Component::I8}, {"MET_USHORT", Component::U16},
      {"MET_SHORT", Component::I16}, {"MET_UINT", Component::U32}, {"MET_INT", Component::I32},
      {"MET_FLOAT", Component::F32}, {"MET_DOUBLE", Component::F64}};
  const auto it = types.find(t);
  if (it == types.end()) return false;
  c = it->second;
  return true;
}

// A printf pattern with exactly one %d (flags 0 and a width allowed): MetaIO passes it to a
// printf-like function, so anything else could read or write where it must not.
bool safePattern(const std::string& p) {
  const std::size_t at = p.find('%');
  if (at == std::string::npos || p.find('%', at + 1) != std::string::npos) return false;
  std::size_t i = at + 1;
  while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i])) && i - at <= 3) ++i;
  return i < p.size() && p[i] == 'd';
}

// The name of file \p i of a pattern that safePattern() accepted ("s%03d.raw", 7 -> "s007.raw").
std::string patternName(const std::string& p, std::int64_t i) {
  const std::size_t at = p.find('%'), d = p.find('d', at);
  const std::string flags = p.substr(at + 1, d - at - 1);
  std::string number = std::to_string(std::abs(i));
  const std::size_t width = flags.empty() ? 0 : std::size_t(std::stoi(flags));
  const char fill = !flags.empty() && flags[0] == '0' ? '0' : ' ';
  const std::size_t digits = number.size() + (i < 0 ? 1 : 0);
  if (digits < width) number.insert(0, width - digits, fill);
  if (i < 0) number.insert(fill == '0' ? 0 : number.find_first_not_of(' '), 1, '-');
  return p.substr(0, at) + number + p.substr(d + 1);
}

std::string resolve(const Header& h, const std::string& name) {
  const fs::path p(name);
  return p.is_absolute() ? p.string() : (fs::path(h.path).parent_path() / p).string();
}

// Checks that each of \p files holds \p bytes of data from \p offset.
void checkDataFiles(const Header& h, const std::vector<std::string>& files, std::uint64_t offset, std::uint64_t bytes) {
  for (const auto& f : files) {
    if (!isFile(f)) fail("data file " + inQuotes(f) + " named by MetaImage header " + inQuotes(h.path) + " does not exist");
    const std::uint64_t size = fileSize(f);
    if (offset > size || size - offset < bytes)
      fail("data file " + inQuotes(f) + " of MetaImage header " + inQuotes(h.path) + " is too short: it should hold " +
           std::to_string(bytes) + " bytes of voxels from byte " + std::to_string(offset) + ", but has " +
           std::to_string(offset < size ? size - offset : 0) + " bytes there");
  }
}

// Text voxels: at least \p count numbers from byte \p offset of \p file.
void checkTextData(const Header& h, const std::string& file, std::uint64_t offset, std::uint64_t count) {
  std::ifstream in(file, std::ios::binary);
  in.seekg(std::streamoff(offset));
  std::uint64_t found = 0;
  std::string token;
  while (found < count && in >> token) ++found;
  if (found < count)
    fail("file " + inQuotes(file) + " is too short: MetaImage header " + inQuotes(h.path) + " says " +
         std::to_string(count) + " voxel values (as text), but it holds " + std::to_string(found));
}

/// Size, voxel type, spacing and origin from the header; \p comp gets the component type.
VolumeInfo metaGeometry(const std::string& path, Header& h, Component& comp) {
  auto bad = [&](const std::string& why) { fail("MetaImage header " + inQuotes(path) + ": " + why); };
  const auto& num = h.numbers;
  const int nDims = int(num.at("NDims")[0]);
  // Sizes: whole numbers, positive, MetaIO's int; axes beyond the third must be 1.
  Size3 size{1, 1, 1};
  for (int i = 0; i < nDims; ++i) {
    const double d = num.at("DimSize")[std::size_t(i)];
    if (d != std::floor(d) || d < 1 || d > double(INT_MAX))
      bad("DimSize " + std::to_string(i + 1) + " is " + std::to_string(d) + "; sizes are whole numbers from 1 to " +
          std::to_string(INT_MAX));
    if (i < 3) (i == 0 ? size.x : i == 1 ? size.y : size.z) = std::int64_t(d);
    else if (d != 1) bad("it has " + std::to_string(nDims) + " non-trivial dimensions; only 2D and 3D images are supported");
  }
  if (!parseComponent(h.fields["ElementType"], comp))
    bad("ElementType '" + h.fields["ElementType"] +
        "' is not supported (MET_UCHAR, MET_CHAR, MET_USHORT, MET_SHORT, MET_UINT, MET_INT, MET_FLOAT, MET_DOUBLE)");
  if (num.count("ElementNumberOfChannels") && num.at("ElementNumberOfChannels")[0] != 1)
    bad("ElementNumberOfChannels is " + h.fields["ElementNumberOfChannels"] + "; only scalar images are supported");

  VolumeInfo info;
  info.size = size;
  info.type = voxelTypeFor(comp);
  (void)info.bytes(); // within kMaxVolumeBytes before any other size arithmetic
  const char* spacingKey = num.count("ElementSpacing") ? "ElementSpacing" : num.count("ElementSize") ? "ElementSize" : nullptr;
  if (spacingKey) {
    const auto& s = num.at(spacingKey);
    for (int i = 0; i < nDims; ++i)
      if (!(s[std::size_t(i)] > 0)) bad(std::string(spacingKey) + " '" + h.fields[spacingKey] + "' is not positive");
    info.spacing = {s[0], nDims > 1 ? s[1] : 1.0, nDims > 2 ? s[2] : 1.0};
  }
  for (const char* key : {"Offset", "Origin", "Position"})
    if (num.count(key)) {
      const auto& o = num.at(key);
      info.origin = {o[0], nDims > 1 ? o[1] : 0.0, nDims > 2 ? o[2] : 0.0};
      break;
    }

  return info;
}

/// The data files of a header that names one file per slice (the last axis): a LIST or a
/// numbered pattern "name%0Nd.raw [first [last [step]]]".
std::vector<std::string> metaSliceFiles(const std::string& path, Header& h, const std::string& dataFile, bool list,
                                        std::int64_t count) {
  auto bad = [&](const std::string& why) { fail("MetaImage header " + inQuotes(path) + ": " + why); };
  const int nDims = int(h.numbers.at("NDims")[0]);
  std::vector<std::string> files;
  if (list) {
    std::istringstream words(dataFile);
    std::string word, dim;
    words >> word >> dim;
    if (!dim.empty() && dim != std::to_string(nDims - 1) + "D" && dim != std::to_string(nDims - 1))
      bad("'ElementDataFile = " + dataFile + "': only one file per slice is supported");
    if (std::int64_t(h.listed.size()) < count)
      bad("it lists " + std::to_string(h.listed.size()) + " data files for " + std::to_string(count) + " slices");
    for (std::int64_t i = 0; i < count; ++i) files.push_back(resolve(h, h.listed[std::size_t(i)]));
  } else {
    std::istringstream words(dataFile);
    std::string name, numbers;
    words >> name;
    std::getline(words, numbers);
    std::vector<double> n;
    if (!safePattern(name) || !parseNumbers(numbers, n) || n.size() > 3 ||
        std::any_of(n.begin(), n.end(), [](double v) { return v != std::floor(v) || std::abs(v) > 1e9; }))
      bad("'ElementDataFile = " + dataFile + "' is not 'name%0Nd.raw [first [last [step]]]'");
    const std::int64_t first = n.size() > 0 ? std::int64_t(n[0]) : 1;
    const std::int64_t step = n.size() > 2 ? std::int64_t(n[2]) : 1;
    if (step < 1) bad("'ElementDataFile = " + dataFile + "' has a step below 1");

    for (std::int64_t i = 0; i < count; ++i) files.push_back(resolve(h, patternName(name, first + i * step)));
  }
  return files;
}

} // namespace

std::unique_ptr<SliceReader> openMetaImage(const std::string& path, const std::string& format) {
  Header h = parseHeader(path);
  auto bad = [&](const std::string& why) { fail("MetaImage header " + inQuotes(path) + ": " + why); };
  const auto& num = h.numbers;
  const int nDims = int(num.at("NDims")[0]);
  if (h.fields.count("ObjectType") && h.fields["ObjectType"] != "Image")
    bad("ObjectType is '" + h.fields["ObjectType"] + "', not 'Image'");
  if (!num.count("DimSize")) bad("it has no DimSize");
  if (!h.fields.count("ElementType")) bad("it has no ElementType");

  Component comp{};
  const VolumeInfo info = metaGeometry(path, h, comp);
  const Size3 size = info.size;
  const std::uint64_t bytes =
      checkedMul<std::uint64_t>(std::uint64_t(size.count()), componentSize(comp), "the voxel data size");
  const bool binary = !h.fields.count("BinaryData") || isTrue(h.fields["BinaryData"]);
  bool compressed = h.fields.count("CompressedData") && isTrue(h.fields["CompressedData"]);
  const bool msb = isTrue(h.fields.count("BinaryDataByteOrderMSB") ? h.fields["BinaryDataByteOrderMSB"]
                                                                   : h.fields["ElementByteOrderMSB"]);
  const std::int64_t headerSize = num.count("HeaderSize") ? std::int64_t(num.at("HeaderSize")[0]) : 0;
  if (headerSize < -1) bad("HeaderSize is " + std::to_string(headerSize) + " (-1, 0 or a byte count)");
  if (compressed && !binary) bad("it says CompressedData = True but BinaryData = False");
  if (compressed && headerSize == -1) bad("HeaderSize = -1 (data at the end) cannot be used with compressed data");
  std::uint64_t compressedSize = 0;
  if (num.count("CompressedDataSize")) {
    const double c = num.at("CompressedDataSize")[0];
    if (c != std::floor(c) || c < 0 || c > 9e18) bad("CompressedDataSize is " + h.fields["CompressedDataSize"]);
    compressedSize = std::uint64_t(c);
  }

  const std::string dataFile = h.fields["ElementDataFile"];
  const bool local = dataFile == "LOCAL" || dataFile == "Local" || dataFile == "local";
  const bool list = dataFile.rfind("LIST", 0) == 0, pattern = !local && !list && dataFile.find('%') != std::string::npos;

  if (list || pattern) {
    // One file per slice (the last axis), read through ITK once every file is checked.
    if (compressed) bad("compressed data in several files (LIST or numbered names) is not supported");
    const std::int64_t count = nDims == 1 ? size.x : nDims == 2 ? size.y : size.z;
    const std::vector<std::string> files = metaSliceFiles(path, h, dataFile, list, count);
    const std::uint64_t perFile = bytes / std::uint64_t(count);
    if (binary) checkDataFiles(h, files, headerSize > 0 ? std::uint64_t(headerSize) : 0, perFile);
    else
      for (const auto& f : files) checkTextData(h, f, 0, perFile / componentSize(comp));
    return openItkImage(path, format);
  }

  std::string dataPath = local ? path : resolve(h, dataFile);
  if (!local && !isFile(dataPath) && isFile(dataPath + ".gz")) {
    dataPath += ".gz"; // as MetaIO: a missing data file may be there gzip-compressed
    compressed = true;
  }
  if (!isFile(dataPath))
    fail("data file " + inQuotes(dataPath) + " named by MetaImage header " + inQuotes(path) + " does not exist");
  const std::uint64_t fileBytes = fileSize(dataPath);
  std::uint64_t offset = local ? h.dataStart : 0;
  if (headerSize > 0) {
    if (local && std::uint64_t(headerSize) < h.dataStart)
      bad("HeaderSize " + std::to_string(headerSize) + " lies inside the header, which ends at byte " +
          std::to_string(h.dataStart));
    offset = std::uint64_t(headerSize);
  } else if (headerSize == -1) {
    if (fileBytes < bytes)
      fail("file " + inQuotes(dataPath) + " is too short: MetaImage header " + inQuotes(path) + " describes " +
           std::to_string(size.x) + "x" + std::to_string(size.y) + "x" + std::to_string(size.z) + " " + toString(comp) +
           " voxels (" + std::to_string(bytes) + " bytes) at its end, but it has " + std::to_string(fileBytes) + " bytes");
    offset = fileBytes - bytes;
  }
  if (!binary) {
    checkTextData(h, dataPath, offset, bytes / componentSize(comp));
    return openItkImage(path, format);
  }
  if (compressed && compressedSize > 0 && (offset > fileBytes || fileBytes - offset < compressedSize))
    fail("file " + inQuotes(dataPath) + " is truncated: MetaImage header " + inQuotes(path) + " says " +
         std::to_string(compressedSize) + " bytes of compressed data from byte " + std::to_string(offset) +
         ", but the file has " + std::to_string(offset < fileBytes ? fileBytes - offset : 0) + " bytes there");
  return openRawLayout(path, dataPath, format, info, comp, msb, offset, compressed);
}

} // namespace core::volume::io
