#pragma once
/// \file ProjectFile.h
/// The project file (.cdnet): a JSON document with a format version that remembers the image
/// (path, open and read options), the labels file, the prediction file, model checkpoints, the
/// fully annotated slices, the label classes (value, name, colour), the training settings, the
/// particle analysis (its files and parameters) and the view settings (a free JSON object the UI
/// owns). Keys added later ("training", "analysis") are optional: older projects load without them. Paths inside the project's folder are stored relative to it, so a
/// project folder can be moved or copied whole; in memory all paths are absolute.
/// Saving is atomic (temporary file, fsync, rename). Errors are std::runtime_error naming the file
/// and the problem. Thread affinity: none (a value type).

#include "core/volume/io/VolumeIO.h"

#include <cstdint>
#include <array>
#include <optional>
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

/// The training settings the studio's panel shows (plain values; the UI maps them to
/// core::ml::TrainOptions). Defaults are the panel's.
struct ProjectTraining {
  int baseWidth = 64;
  int epochs = 20;           ///< 0 = until the time budget
  double maxMinutes = 0;     ///< 0 = no budget
  int batch = 4;
  int crop = 256;
  int iterationsPerEpoch = 0; ///< 0 = automatic
  double learningRate = 1e-4;
  double valFraction = 0.25;  ///< 0..0.9
  bool augment = true;
  std::string device = "auto"; ///< "auto", "cpu" or "cuda"
  int contextSlices = 0;       ///< 2.5D: neighbour slices on each side (0 = 2D), 0..8
  std::string loss = "bce";    ///< "bce", "bce+dice" or "bce+cldice"
  std::string lrSchedule = "constant"; ///< "constant" or "cosine"
  std::string precision = "fp32";      ///< training steps on a CPU: "fp32", "auto" or "bf16"
  bool operator==(const ProjectTraining& o) const;
};

/// A particle analysis kept with the project: its files (particle ids uint32, phase flags uint8,
/// the particle table as CSV) and the parameters it ran with, as the Statistics panel shows them.
struct ProjectAnalysis {
  std::string particlesPath, phasesPath, tablePath;
  std::optional<double> solidThreshold; ///< unset: automatic
  std::int64_t minVolume = 1000;
  double splitHeight = 0.3;
  double contactRatio = 1.0;            ///< segmentation step 3b (SegmentationOptions), 0 = off
  int depthAxis = 2;                    ///< 0 x, 1 y, 2 z
  bool depthFromLast = false;
  double packingRadiusFactor = 1.0;
  double binWidthUm = 10;
  std::string crackSource = "prediction"; ///< "prediction", "labels" or "none"
  double usedSolidThreshold = 0;        ///< what the run used (automatic or not)
  std::string thresholdMethod;
  std::string provenanceSource, provenanceCracks; ///< for the CSV comments
  bool operator==(const ProjectAnalysis& o) const;
};

/// A second time point of the project (issue 19): scan B, its crack volume (empty: none), the
/// affine stage; the registration found (physical map A -> B: 9 matrix values row-major, then 3
/// offsets, micrometres) and its correlation; the evolution CSV written at save time. The studio
/// runs the comparison again from imageB on open.
struct ProjectEvolution {
  std::string imageBPath, cracksBPath, csvPath;
  bool affine = false;
  std::array<double, 12> transform{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  double correlation = 0;
  bool operator==(const ProjectEvolution& o) const;
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
  /// Model checkpoints; the first is the current model (the studio loads it on open).
  std::vector<std::string> modelPaths;
  std::optional<ProjectTraining> training; ///< absent: the panel's defaults
  std::optional<ProjectAnalysis> analysis; ///< absent: no analysis kept
  std::optional<ProjectEvolution> evolution; ///< absent: no second time point
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
