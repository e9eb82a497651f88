#pragma once
/// \file ProjectFile.h
/// The project file (.cdnet): a JSON document with a format version that remembers the image
/// (path, open and read options), the labels file, the prediction file, model checkpoints, the
/// fully annotated slices, the label classes (value, name, colour) and the view settings (a free
/// JSON object the UI owns). Paths inside the project's folder are stored relative to it, so a
/// project folder can be moved or copied whole; in memory all paths are absolute.
/// Saving is atomic (temporary file, fsync, rename). Errors are std::runtime_error naming the file
/// and the problem. Thread affinity: none (a value type).

#include "core/volume/io/VolumeIO.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::labels {

/// One label class as the views show it.
struct LabelClassInfo {
  std::uint8_t value = 0;
  std::string name;
  std::uint32_t rgba = 0; ///< 0xRRGGBBAA
  bool operator==(const LabelClassInfo& o) const { return value == o.value && name == o.name && rgba == o.rgba; }
};

struct ProjectFile {
  /// Version written by this build; files with a higher version are refused.
  static constexpr int kFormatVersion = 1;
  /// File name extension of projects.
  static constexpr const char* kExtension = ".cdnet";
  /// Larger files are refused unread: a project is a few kilobytes of JSON.
  static constexpr std::uintmax_t kMaxBytes = 64u << 20;

  std::string imagePath;
  volume::OpenOptions imageOpen;
  volume::ReadOptions imageRead;
  std::string labelsPath;       ///< empty until the labels are first saved
  std::string predictionPath;   ///< empty when there is none
  std::vector<std::string> modelPaths;
  std::vector<std::int64_t> annotatedSlices; ///< fully annotated slices along z, increasing
  std::vector<LabelClassInfo> labelClasses = defaultLabelClasses();
  /// A JSON object, owned by the UI (window layout, slice positions, contrast...). Must parse as
  /// a JSON object; "{}" when empty.
  std::string viewSettingsJson = "{}";

  /// 0 unlabelled (transparent), 1 not crack (blue, translucent), 2 crack (red).
  static std::vector<LabelClassInfo> defaultLabelClasses();

  /// The JSON text. Paths under \p baseDir are written relative to it (none when empty).
  std::string toJson(const std::string& baseDir = {}) const;
  /// Parses JSON text; relative paths are taken relative to \p baseDir. \p source names the file in
  /// error messages. Throws std::runtime_error naming the file on empty text, invalid JSON, a
  /// format version that is not a whole number from 1 to kFormatVersion, and any missing or wrong
  /// field, naming the field and its value ("labelClasses[1].value: 300 is not a whole number from
  /// 0 to 255"): numbers must be whole where they count something, slice ranges [first, last]
  /// increasing, class values unique, colours "#RRGGBB[AA]", the read mode mean or nearest.
  static ProjectFile fromJson(const std::string& text, const std::string& baseDir, const std::string& source);

  /// Writes the project to \p path atomically (paths relative to its folder).
  void save(const std::string& path) const;
  /// Reads a project file (refused unread when it is a folder or larger than kMaxBytes).
  static ProjectFile load(const std::string& path);
};

/// "#RRGGBBAA" for 0xRRGGBBAA.
std::string formatColor(std::uint32_t rgba);
/// Parses "#RRGGBB" or "#RRGGBBAA"; throws std::invalid_argument otherwise.
std::uint32_t parseColor(const std::string& text);

} // namespace core::labels
