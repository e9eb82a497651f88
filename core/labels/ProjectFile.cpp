#include "core/labels/ProjectFile.h"

#include "core/labels/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
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

volume::RawParams rawFromJson(const json& j) {
  volume::RawParams r;
  const auto& s = j.at("size");
  r.size = {s.at(0).get<std::int64_t>(), s.at(1).get<std::int64_t>(), s.at(2).get<std::int64_t>()};
  r.type = volume::parseVoxelType(j.at("type").get<std::string>());
  r.bigEndian = j.value("bigEndian", false);
  r.headerOffset = j.value("headerOffset", std::uint64_t(0));
  if (j.contains("spacing")) {
    const auto& sp = j.at("spacing");
    r.spacing = {sp.at(0).get<double>(), sp.at(1).get<double>(), sp.at(2).get<double>()};
  }
  return r;
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

std::vector<std::int64_t> slicesFromJson(const json& j) {
  std::vector<std::int64_t> out;
  for (const auto& range : j) {
    const std::int64_t a = range.at(0).get<std::int64_t>(), b = range.at(1).get<std::int64_t>();
    if (a < 0 || b < a || b - a > (std::int64_t(1) << 24)) throw std::invalid_argument("bad annotated slice range");
    for (std::int64_t z = a; z <= b; ++z)
      if (out.empty() || out.back() < z) out.push_back(z);
  }
  return out;
}

} // namespace

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
  return j.dump(2) + "\n";
}

ProjectFile ProjectFile::fromJson(const std::string& text, const std::string& baseDir, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error("project '" + source + "' is not valid JSON (damaged or not a project file): " + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != "cdnet-project")
    throw std::runtime_error("'" + source + "' is not a CDNet Studio project (no \"format\": \"cdnet-project\")");
  if (!j.contains("formatVersion") || !j["formatVersion"].is_number_integer())
    throw std::runtime_error("project '" + source + "' has no format version");
  const int version = j["formatVersion"].get<int>();
  if (version > kFormatVersion)
    throw std::runtime_error("project '" + source + "' was written by a newer CDNet Studio (project format version " +
                             std::to_string(version) + "; this version reads up to " + std::to_string(kFormatVersion) +
                             "): update CDNet Studio to open it");
  if (version < 1) throw std::runtime_error("project '" + source + "' has an invalid format version " + std::to_string(version));
  ProjectFile p;
  try {
    const json& image = j.at("image");
    p.imagePath = absoluteFrom(image.at("path").get<std::string>(), baseDir);
    if (image.contains("open")) {
      const json& o = image["open"];
      p.imageOpen.format = o.value("format", std::string("auto"));
      p.imageOpen.hdf5Dataset = o.value("hdf5Dataset", p.imageOpen.hdf5Dataset);
      if (o.contains("raw")) p.imageOpen.raw = rawFromJson(o["raw"]);
    }
    if (image.contains("read")) {
      const json& r = image["read"];
      p.imageRead.downsample = r.value("downsample", 1);
      if (p.imageRead.downsample < 1) throw std::invalid_argument("downsample must be >= 1");
      p.imageRead.mode = r.value("mode", std::string("mean")) == "nearest" ? volume::DownsampleMode::Nearest
                                                                         : volume::DownsampleMode::Mean;
      if (r.contains("crop")) {
        const auto& c = r["crop"];
        p.imageRead.crop = volume::Region{{c.at(0).get<std::int64_t>(), c.at(1).get<std::int64_t>(), c.at(2).get<std::int64_t>()},
                                          {c.at(3).get<std::int64_t>(), c.at(4).get<std::int64_t>(), c.at(5).get<std::int64_t>()}};
      }
    }
    if (j.contains("labels")) p.labelsPath = absoluteFrom(j["labels"].value("path", std::string()), baseDir);
    if (j.contains("prediction")) p.predictionPath = absoluteFrom(j["prediction"].value("path", std::string()), baseDir);
    if (j.contains("models"))
      for (const auto& m : j["models"]) p.modelPaths.push_back(absoluteFrom(m.get<std::string>(), baseDir));
    if (j.contains("annotatedSlices")) p.annotatedSlices = slicesFromJson(j["annotatedSlices"]);
    if (j.contains("labelClasses")) {
      p.labelClasses.clear();
      for (const auto& c : j["labelClasses"]) {
        const int value = c.at("value").get<int>();
        if (value < 0 || value > 255) throw std::invalid_argument("label class value " + std::to_string(value) + " is not 0..255");
        p.labelClasses.push_back({std::uint8_t(value), c.value("name", std::string()), parseColor(c.at("color").get<std::string>())});
      }
    }
    if (j.contains("view")) {
      if (!j["view"].is_object()) throw std::invalid_argument("\"view\" is not an object");
      p.viewSettingsJson = j["view"].dump();
    }
  } catch (const json::exception& e) {
    throw std::runtime_error("project '" + source + "' has a missing or wrong field: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error("project '" + source + "' has a wrong value: " + e.what());
  }
  return p;
}

void ProjectFile::save(const std::string& path) const { writeFileAtomically(path, toJson(folderOf(path))); }

ProjectFile ProjectFile::load(const std::string& path) {
  return fromJson(readWholeFile(path), folderOf(path), path);
}

} // namespace core::labels
