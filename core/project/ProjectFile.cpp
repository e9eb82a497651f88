#include "core/project/ProjectFile.h"

#include "core/project/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace core::labels {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<LabelClassInfo> ProjectFile::defaultLabelClasses() {
  return {{0, "unlabelled", 0x00000000u}, {1, "not crack", 0x3080ff60u}, {2, "crack", 0xff2020c0u}};
}

std::string formatColor(std::uint32_t rgba) {
  char buf[10];
  std::snprintf(buf, sizeof buf, "#%08X", rgba);
  return buf;
}

std::uint32_t parseColor(const std::string& text) {
  const bool ok = (text.size() == 7 || text.size() == 9) && text[0] == '#' &&
                  text.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
  if (!ok) throw std::invalid_argument("'" + text + "' is not a colour (#RRGGBB or #RRGGBBAA)");
  std::uint32_t v = std::uint32_t(std::stoul(text.substr(1), nullptr, 16));
  if (text.size() == 7) v = (v << 8) | 0xffu;
  return v;
}

namespace {

std::string relativeTo(const std::string& path, const std::string& baseDir) {
  if (path.empty() || baseDir.empty()) return path;
  const fs::path p = fs::path(path).lexically_normal();
  const fs::path base = fs::path(baseDir).lexically_normal();
  if (!p.is_absolute() || !base.is_absolute()) return path;
  const fs::path rel = p.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return path; // outside the project folder: keep absolute
  return rel.generic_string();
}

std::string absoluteFrom(const std::string& path, const std::string& baseDir) {
  if (path.empty() || baseDir.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(baseDir) / path).lexically_normal().string();
}

std::string folderOf(const std::string& file) {
  fs::path p = fs::absolute(fs::path(file)).parent_path();
  return p.lexically_normal().string();
}

json rawToJson(const volume::RawParams& r) {
  return {{"size", {r.size.x, r.size.y, r.size.z}},
          {"type", volume::toString(r.type)},
          {"bigEndian", r.bigEndian},
          {"headerOffset", r.headerOffset},
          {"spacing", {r.spacing.x, r.spacing.y, r.spacing.z}}};
}

/// Sorted, merged [first, last] ranges of slice indices (compact for thousands of slices).
json slicesToJson(std::vector<std::int64_t> slices) {
  std::sort(slices.begin(), slices.end());
  json out = json::array();
  for (std::size_t i = 0; i < slices.size();) {
    std::size_t j = i;
    while (j + 1 < slices.size() && slices[j + 1] <= slices[j] + 1) ++j;
    out.push_back({slices[i], slices[j]});
    i = j + 1;
  }
  return out;
}

/// Reads the fields of a project's JSON with errors that name the file, the field and the value.
class Fields {
public:
  explicit Fields(std::string source) : m_source(std::move(source)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw std::runtime_error("project '" + m_source + "' has a wrong value in " + where + ": " + problem);
  }
  static std::string shown(const json& v) {
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 37) + "..." : s;
  }
  const json& member(const json& object, const char* key, const std::string& where) const {
    if (!object.is_object()) fail(where, shown(object) + " is not an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(where, "\"" + std::string(key) + "\" is missing");
    return *it;
  }
  /// A whole number in [lo, hi]: a JSON integer, or a float with no fraction.
  std::int64_t whole(const json& v, const std::string& where, std::int64_t lo, std::int64_t hi) const {
    const std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (v.is_number_unsigned()) {
      const std::uint64_t u = v.get<std::uint64_t>();
      if (u > std::uint64_t(hi) || (lo > 0 && u < std::uint64_t(lo))) fail(where, shown(v) + " is not " + range);
      return std::int64_t(v.get<std::uint64_t>());
    }
    if (v.is_number_integer()) {
      const std::int64_t i = v.get<std::int64_t>();
      if (i < lo || i > hi) fail(where, shown(v) + " is not " + range);
      return i;
    }
    if (v.is_number_float()) {
      const double d = v.get<double>();
      if (!(std::floor(d) == d && d >= double(lo) && d <= double(hi))) fail(where, shown(v) + " is not " + range);
      return std::int64_t(d);
    }
    fail(where, shown(v) + " is not " + range);
  }
  std::string text(const json& v, const std::string& where) const {
    if (!v.is_string()) fail(where, shown(v) + " is not a text");
    return v.get<std::string>();
  }
  bool flag(const json& v, const std::string& where) const {
    if (!v.is_boolean()) fail(where, shown(v) + " is not true or false");
    return v.get<bool>();
  }
  double positive(const json& v, const std::string& where) const {
    if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
      fail(where, shown(v) + " is not a positive number");
    return v.get<double>();
  }
  const json& array(const json& v, const std::string& where, std::size_t size = 0) const {
    if (!v.is_array() || (size && v.size() != size))
      fail(where, shown(v) + " is not " + (size ? "a list of " + std::to_string(size) + " numbers" : std::string("a list")));
    return v;
  }

private:
  std::string m_source;
};

volume::RawParams rawFromJson(const Fields& f, const json& j, const std::string& where) {
  volume::RawParams r;
  const json& s = f.array(f.member(j, "size", where), where + ".size", 3);
  const std::int64_t kMax = std::int64_t(1) << 40;
  r.size = {f.whole(s[0], where + ".size[0]", 1, kMax), f.whole(s[1], where + ".size[1]", 1, kMax),
            f.whole(s[2], where + ".size[2]", 1, kMax)};
  try {
    r.type = volume::parseVoxelType(f.text(f.member(j, "type", where), where + ".type"));
  } catch (const std::invalid_argument& e) {
    f.fail(where + ".type", e.what());
  }
  if (j.contains("bigEndian")) r.bigEndian = f.flag(j["bigEndian"], where + ".bigEndian");
  if (j.contains("headerOffset"))
    r.headerOffset = std::uint64_t(f.whole(j["headerOffset"], where + ".headerOffset", 0, std::numeric_limits<std::int64_t>::max()));
  if (j.contains("spacing")) {
    const json& sp = f.array(j["spacing"], where + ".spacing", 3);
    r.spacing = {f.positive(sp[0], where + ".spacing[0]"), f.positive(sp[1], where + ".spacing[1]"),
                 f.positive(sp[2], where + ".spacing[2]")};
  }
  return r;
}

/// Ranges [first, last] of slice indices, each 0 <= first <= last < 2^24 (no volume has more
/// slices), merged: the result is increasing without repeats.
std::vector<std::int64_t> slicesFromJson(const Fields& f, const json& j) {
  const std::int64_t kMaxSlice = (std::int64_t(1) << 24) - 1;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
  for (std::size_t i = 0; i < f.array(j, "annotatedSlices").size(); ++i) {
    const std::string where = "annotatedSlices[" + std::to_string(i) + "]";
    const json& range = j[i];
    if (!range.is_array() || range.size() != 2) f.fail(where, Fields::shown(range) + " is not a range [first, last]");
    const std::int64_t a = f.whole(range[0], where + "[0]", 0, kMaxSlice);
    const std::int64_t b = f.whole(range[1], where + "[1]", 0, kMaxSlice);
    if (b < a) f.fail(where, Fields::shown(range) + " ends before it starts");
    ranges.emplace_back(a, b);
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::int64_t> out;
  for (const auto& [a, b] : ranges)
    for (std::int64_t z = std::max(a, out.empty() ? a : out.back() + 1); z <= b; ++z) out.push_back(z);
  return out;
}

json trainingToJson(const ProjectTraining& t) {
  return {{"baseWidth", t.baseWidth}, {"epochs", t.epochs},       {"maxMinutes", t.maxMinutes},
          {"batch", t.batch},         {"crop", t.crop},           {"iterationsPerEpoch", t.iterationsPerEpoch},
          {"learningRate", t.learningRate}, {"valFraction", t.valFraction}, {"augment", t.augment},
          {"device", t.device}, {"contextSlices", t.contextSlices}, {"loss", t.loss},
          {"lrSchedule", t.lrSchedule}, {"precision", t.precision}};
}

/// A finite number in [lo, hi].
double numberIn(const Fields& f, const json& v, const std::string& where, double lo, double hi) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi) {
    std::ostringstream range;
    range << "a number from " << lo << " to " << hi;
    f.fail(where, Fields::shown(v) + " is not " + range.str());
  }
  return v.get<double>();
}

/// A text out of \p allowed.
std::string choice(const Fields& f, const json& v, const std::string& where, std::initializer_list<const char*> allowed) {
  const std::string t = f.text(v, where);
  std::string list;
  for (const char* a : allowed) {
    if (t == a) return t;
    list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
  }
  f.fail(where, "\"" + t + "\" is not one of " + list);
}

/// Every key is optional (the panel's default when absent); present ones are checked.
ProjectTraining trainingFromJson(const Fields& f, const json& j) {
  if (!j.is_object()) f.fail("training", Fields::shown(j) + " is not an object");
  ProjectTraining t;
  auto whole = [&](const char* key, int& out, std::int64_t lo, std::int64_t hi) {
    if (j.contains(key)) out = int(f.whole(j[key], std::string("training.") + key, lo, hi));
  };
  auto number = [&](const char* key, double& out, double lo, double hi) {
    if (j.contains(key)) out = numberIn(f, j[key], std::string("training.") + key, lo, hi);
  };
  whole("baseWidth", t.baseWidth, 1, 1024);
  whole("epochs", t.epochs, 0, 100000000);
  number("maxMinutes", t.maxMinutes, 0, 1e7);
  whole("batch", t.batch, 1, 65536);
  whole("crop", t.crop, 32, 65536);
  whole("iterationsPerEpoch", t.iterationsPerEpoch, 0, 100000000);
  number("learningRate", t.learningRate, 1e-12, 10);
  number("valFraction", t.valFraction, 0, 0.9);
  if (j.contains("augment")) t.augment = f.flag(j["augment"], "training.augment");
  if (j.contains("device")) t.device = choice(f, j["device"], "training.device", {"auto", "cpu", "cuda"});
  whole("contextSlices", t.contextSlices, 0, 8);
  if (j.contains("loss")) t.loss = choice(f, j["loss"], "training.loss", {"bce", "bce+dice", "bce+cldice"});
  if (j.contains("lrSchedule")) t.lrSchedule = choice(f, j["lrSchedule"], "training.lrSchedule", {"constant", "cosine"});
  if (j.contains("precision")) t.precision = choice(f, j["precision"], "training.precision", {"fp32", "auto", "bf16"});
  return t;
}

json analysisToJson(const ProjectAnalysis& a, const std::string& baseDir) {
  json params = {{"minVolume", a.minVolume},
                 {"splitHeight", a.splitHeight},
                 {"contactRatio", a.contactRatio},
                 {"depthAxis", a.depthAxis},
                 {"depthSide", a.depthFromLast ? "last" : "first"},
                 {"packingRadiusFactor", a.packingRadiusFactor},
                 {"binWidthUm", a.binWidthUm},
                 {"crackSource", a.crackSource}};
  params["solidThreshold"] = a.solidThreshold ? json(*a.solidThreshold) : json(nullptr);
  return {{"particles", relativeTo(a.particlesPath, baseDir)},
          {"phases", relativeTo(a.phasesPath, baseDir)},
          {"table", relativeTo(a.tablePath, baseDir)},
          {"parameters", params},
          {"result", {{"solidThreshold", a.usedSolidThreshold}, {"thresholdMethod", a.thresholdMethod}}},
          {"provenance", {{"source", a.provenanceSource}, {"cracks", a.provenanceCracks}}}};
}

/// The three files are required; parameters, result and provenance are optional.
ProjectAnalysis analysisFromJson(const Fields& f, const json& j, const std::string& baseDir) {
  ProjectAnalysis a;
  a.particlesPath = absoluteFrom(f.text(f.member(j, "particles", "analysis"), "analysis.particles"), baseDir);
  a.phasesPath = absoluteFrom(f.text(f.member(j, "phases", "analysis"), "analysis.phases"), baseDir);
  a.tablePath = absoluteFrom(f.text(f.member(j, "table", "analysis"), "analysis.table"), baseDir);
  if (j.contains("parameters")) {
    const json& p = j["parameters"];
    if (!p.is_object()) f.fail("analysis.parameters", Fields::shown(p) + " is not an object");
    const std::string w = "analysis.parameters.";
    if (p.contains("solidThreshold") && !p["solidThreshold"].is_null())
      a.solidThreshold = numberIn(f, p["solidThreshold"], w + "solidThreshold", -1e300, 1e300);
    if (p.contains("minVolume")) a.minVolume = f.whole(p["minVolume"], w + "minVolume", 0, std::int64_t(1) << 40);
    if (p.contains("splitHeight")) a.splitHeight = numberIn(f, p["splitHeight"], w + "splitHeight", 0, 1);
    if (p.contains("contactRatio")) a.contactRatio = numberIn(f, p["contactRatio"], w + "contactRatio", 0, 100);
    if (p.contains("depthAxis")) a.depthAxis = int(f.whole(p["depthAxis"], w + "depthAxis", 0, 2));
    if (p.contains("depthSide")) a.depthFromLast = choice(f, p["depthSide"], w + "depthSide", {"first", "last"}) == "last";
    if (p.contains("packingRadiusFactor"))
      a.packingRadiusFactor = numberIn(f, p["packingRadiusFactor"], w + "packingRadiusFactor", 1e-6, 1e6);
    if (p.contains("binWidthUm")) a.binWidthUm = numberIn(f, p["binWidthUm"], w + "binWidthUm", 1e-9, 1e12);
    if (p.contains("crackSource"))
      a.crackSource = choice(f, p["crackSource"], w + "crackSource", {"prediction", "labels", "none"});
  }
  if (j.contains("result")) {
    const json& r = j["result"];
    if (r.contains("solidThreshold"))
      a.usedSolidThreshold = numberIn(f, r["solidThreshold"], "analysis.result.solidThreshold", -1e300, 1e300);
    if (r.contains("thresholdMethod")) a.thresholdMethod = f.text(r["thresholdMethod"], "analysis.result.thresholdMethod");
  }
  if (j.contains("provenance")) {
    const json& p = j["provenance"];
    if (p.contains("source")) a.provenanceSource = f.text(p["source"], "analysis.provenance.source");
    if (p.contains("cracks")) a.provenanceCracks = f.text(p["cracks"], "analysis.provenance.cracks");
  }
  return a;
}

json evolutionToJson(const ProjectEvolution& e, const std::string& baseDir) {
  return {{"imageB", relativeTo(e.imageBPath, baseDir)},
          {"cracksB", relativeTo(e.cracksBPath, baseDir)},
          {"csv", relativeTo(e.csvPath, baseDir)},
          {"affine", e.affine},
          {"transform", e.transform},
          {"correlation", e.correlation}};
}

/// imageB is required; the rest is optional.
ProjectEvolution evolutionFromJson(const Fields& f, const json& j, const std::string& baseDir) {
  ProjectEvolution e;
  e.imageBPath = absoluteFrom(f.text(f.member(j, "imageB", "evolution"), "evolution.imageB"), baseDir);
  if (e.imageBPath.empty()) f.fail("evolution.imageB", "is empty");
  if (j.contains("cracksB")) e.cracksBPath = absoluteFrom(f.text(j["cracksB"], "evolution.cracksB"), baseDir);
  if (j.contains("csv")) e.csvPath = absoluteFrom(f.text(j["csv"], "evolution.csv"), baseDir);
  if (j.contains("affine")) e.affine = f.flag(j["affine"], "evolution.affine");
  if (j.contains("transform")) {
    const json& t = f.array(j["transform"], "evolution.transform", 12);
    for (std::size_t i = 0; i < 12; ++i)
      e.transform[i] = numberIn(f, t[i], "evolution.transform[" + std::to_string(i) + "]", -1e12, 1e12);
  }
  if (j.contains("correlation")) e.correlation = numberIn(f, j["correlation"], "evolution.correlation", -1, 1);
  return e;
}

} // namespace

bool ProjectEvolution::operator==(const ProjectEvolution& o) const {
  return imageBPath == o.imageBPath && cracksBPath == o.cracksBPath && csvPath == o.csvPath && affine == o.affine &&
         transform == o.transform && correlation == o.correlation;
}

bool ProjectTraining::operator==(const ProjectTraining& o) const {
  return baseWidth == o.baseWidth && epochs == o.epochs && maxMinutes == o.maxMinutes && batch == o.batch &&
         crop == o.crop && iterationsPerEpoch == o.iterationsPerEpoch && learningRate == o.learningRate &&
         valFraction == o.valFraction && augment == o.augment && device == o.device &&
         contextSlices == o.contextSlices && loss == o.loss && lrSchedule == o.lrSchedule &&
         precision == o.precision;
}

bool ProjectAnalysis::operator==(const ProjectAnalysis& o) const {
  return particlesPath == o.particlesPath && phasesPath == o.phasesPath && tablePath == o.tablePath &&
         solidThreshold == o.solidThreshold && minVolume == o.minVolume && splitHeight == o.splitHeight &&
         contactRatio == o.contactRatio &&
         depthAxis == o.depthAxis && depthFromLast == o.depthFromLast && packingRadiusFactor == o.packingRadiusFactor &&
         binWidthUm == o.binWidthUm && crackSource == o.crackSource && usedSolidThreshold == o.usedSolidThreshold &&
         thresholdMethod == o.thresholdMethod && provenanceSource == o.provenanceSource &&
         provenanceCracks == o.provenanceCracks;
}

std::string ProjectFile::toJson(const std::string& baseDir) const {
  json view = json::parse(viewSettingsJson.empty() ? std::string("{}") : viewSettingsJson, nullptr, false);
  if (view.is_discarded() || !view.is_object()) throw std::invalid_argument("view settings are not a JSON object");
  json open = {{"format", imageOpen.format}, {"hdf5Dataset", imageOpen.hdf5Dataset}};
  if (imageOpen.raw) open["raw"] = rawToJson(*imageOpen.raw);
  json read = {{"downsample", imageRead.downsample},
               {"mode", imageRead.mode == volume::DownsampleMode::Mean ? "mean" : "nearest"}};
  if (imageRead.crop) {
    const auto& c = *imageRead.crop;
    read["crop"] = {c.start.x, c.start.y, c.start.z, c.size.x, c.size.y, c.size.z};
  }
  json classes = json::array();
  for (const auto& c : labelClasses) classes.push_back({{"value", c.value}, {"name", c.name}, {"color", formatColor(c.rgba)}});
  json models = json::array();
  for (const auto& m : modelPaths) models.push_back(relativeTo(m, baseDir));
  json j = {{"format", "cdnet-project"},
            {"formatVersion", kFormatVersion},
            {"image", {{"path", relativeTo(imagePath, baseDir)}, {"open", open}, {"read", read}}},
            {"labels", {{"path", relativeTo(labelsPath, baseDir)}}},
            {"prediction", {{"path", relativeTo(predictionPath, baseDir)}}},
            {"models", models},
            {"annotatedSlices", slicesToJson(annotatedSlices)},
            {"labelClasses", classes},
            {"view", view}};
  if (training) j["training"] = trainingToJson(*training);
  if (analysis) j["analysis"] = analysisToJson(*analysis, baseDir);
  if (evolution) j["evolution"] = evolutionToJson(*evolution, baseDir);
  return j.dump(2) + "\n";
}

ProjectFile ProjectFile::fromJson(const std::string& text, const std::string& baseDir, const std::string& source) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw std::runtime_error("project '" + source + "' is empty (" + std::to_string(text.size()) +
                             " bytes): it is damaged or not a project file");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // The position, not the parser's text: that quotes the bytes read, which may be binary.
    throw std::runtime_error("project '" + source + "' is not valid JSON (damaged, cut short or not a project file): " +
                             (e.byte >= text.size() ? std::string("it ends too early, at byte ") + std::to_string(text.size())
                                                    : "it goes wrong at byte " + std::to_string(e.byte)) +
                             " of " + std::to_string(text.size()));
  }
  if (!j.is_object() || !j.contains("format") || j["format"] != "cdnet-project")
    throw std::runtime_error("'" + source + "' is not a CDNet Studio project (no \"format\": \"cdnet-project\")");
  if (!j.contains("formatVersion"))
    throw std::runtime_error("project '" + source + "' has no format version (\"formatVersion\")");
  const json& v = j["formatVersion"];
  const bool whole = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  if (!whole || v.get<double>() < 1)
    throw std::runtime_error("project '" + source + "' has an invalid format version " + v.dump() +
                             " (a whole number from 1; this CDNet Studio writes " + std::to_string(kFormatVersion) + ")");
  if (v.get<double>() > kFormatVersion)
    throw std::runtime_error("project '" + source + "' was written by a newer CDNet Studio (project format version " +
                             v.dump() + "; this version reads up to " + std::to_string(kFormatVersion) +
                             "): update CDNet Studio to open it");
  const Fields f(source);
  ProjectFile p;
  const json& image = f.member(j, "image", "the project");
  p.imagePath = absoluteFrom(f.text(f.member(image, "path", "image"), "image.path"), baseDir);
  if (image.contains("open")) {
    const json& o = image["open"];
    if (!o.is_object()) f.fail("image.open", Fields::shown(o) + " is not an object");
    if (o.contains("format")) p.imageOpen.format = f.text(o["format"], "image.open.format");
    if (o.contains("hdf5Dataset")) p.imageOpen.hdf5Dataset = f.text(o["hdf5Dataset"], "image.open.hdf5Dataset");
    if (o.contains("raw")) p.imageOpen.raw = rawFromJson(f, o["raw"], "image.open.raw");
  }
  if (image.contains("read")) {
    const json& r = image["read"];
    if (!r.is_object()) f.fail("image.read", Fields::shown(r) + " is not an object");
    if (r.contains("downsample"))
      p.imageRead.downsample = int(f.whole(r["downsample"], "image.read.downsample", 1, volume::kMaxDownsample));
    if (r.contains("mode")) {
      const std::string mode = f.text(r["mode"], "image.read.mode");
      if (mode != "mean" && mode != "nearest") f.fail("image.read.mode", "\"" + mode + "\" is neither \"mean\" nor \"nearest\"");
      p.imageRead.mode = mode == "nearest" ? volume::DownsampleMode::Nearest : volume::DownsampleMode::Mean;
    }
    if (r.contains("crop")) {
      const json& c = f.array(r["crop"], "image.read.crop", 6);
      std::int64_t v6[6];
      for (int i = 0; i < 6; ++i)
        v6[i] = f.whole(c[std::size_t(i)], "image.read.crop[" + std::to_string(i) + "]", 0, std::int64_t(1) << 40);
      p.imageRead.crop = volume::Region{{v6[0], v6[1], v6[2]}, {v6[3], v6[4], v6[5]}};
    }
  }
  if (j.contains("labels")) p.labelsPath = absoluteFrom(f.text(f.member(j["labels"], "path", "labels"), "labels.path"), baseDir);
  if (j.contains("prediction"))
    p.predictionPath = absoluteFrom(f.text(f.member(j["prediction"], "path", "prediction"), "prediction.path"), baseDir);
  if (j.contains("models"))
    for (std::size_t i = 0; i < f.array(j["models"], "models").size(); ++i)
      p.modelPaths.push_back(absoluteFrom(f.text(j["models"][i], "models[" + std::to_string(i) + "]"), baseDir));
  if (j.contains("annotatedSlices")) p.annotatedSlices = slicesFromJson(f, j["annotatedSlices"]);
  if (j.contains("labelClasses")) {
    p.labelClasses.clear();
    const json& classes = f.array(j["labelClasses"], "labelClasses");
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const std::string where = "labelClasses[" + std::to_string(i) + "]";
      const json& c = classes[i];
      const auto value = std::uint8_t(f.whole(f.member(c, "value", where), where + ".value", 0, 255));
      for (const LabelClassInfo& other : p.labelClasses)
        if (other.value == value) f.fail(where + ".value", "the class value " + std::to_string(value) + " appears twice");
      const std::string name = c.contains("name") ? f.text(c["name"], where + ".name") : std::string();
      std::uint32_t rgba = 0;
      try {
        rgba = parseColor(f.text(f.member(c, "color", where), where + ".color"));
      } catch (const std::invalid_argument& e) {
        f.fail(where + ".color", e.what());
      }
      p.labelClasses.push_back({value, name, rgba});
    }
  }
  if (j.contains("training")) p.training = trainingFromJson(f, j["training"]);
  if (j.contains("analysis")) p.analysis = analysisFromJson(f, j["analysis"], baseDir);
  if (j.contains("evolution")) p.evolution = evolutionFromJson(f, j["evolution"], baseDir);
  if (j.contains("view")) {
    if (!j["view"].is_object()) f.fail("view", Fields::shown(j["view"]) + " is not an object");
    p.viewSettingsJson = j["view"].dump();
  }
  return p;
}

void ProjectFile::save(const std::string& path) const { writeFileAtomically(path, toJson(folderOf(path))); }

ProjectFile ProjectFile::load(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw std::runtime_error("project '" + path + "' is a folder, not a project file");
  const auto bytes = fs::file_size(path, ec);
  if (!ec && bytes > kMaxBytes)
    throw std::runtime_error("project '" + path + "' is " + std::to_string(bytes >> 20) +
                             " MiB: far too large for a project file (it is damaged or not a project file)");
  return fromJson(readWholeFile(path), folderOf(path), path);
}

} // namespace core::labels
