#pragma once
/// \file BigVolumeBenchmark.h
/// `cdnet-studio --bench-bigvolume` (issue 16, Targets): a volume larger than the cache budget,
/// stored as chunked HDF5 (with its "_levels" pyramid) and as OME-Zarr, opened lazily in the real
/// window: time from open to the first full picture, full-resolution slice changes with a cold and a
/// warm page cache (p95), and the resident memory while scrolling through every slice and panning
/// across whole slices, against the budget. Names the OpenGL renderer and the CPU. The data is
/// generated once into a folder (a realistic phantom block tiled with mirroring) and reused.
/// GUI thread; needs a display (Xvfb is fine).

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QTextStream>

#include <cstdint>
#include <optional>

namespace ui {

struct BigVolumeSettings {
  std::int64_t x = 2048, y = 2048, z = 1024; ///< uint16 voxels
  std::uint64_t budgetMiB = 1024;            ///< the chunk cache's budget
  QString dir;                               ///< where the data lives (empty: the temporary folder)
  bool keep = true;                          ///< keep the generated data for the next run
};

/// The benchmark's command-line options (hidden from --help), added to \p parser.
struct BigVolumeOptions {
  QCommandLineOption run{"bench-bigvolume", "Time a lazily read volume larger than the cache, then exit."};
  QCommandLineOption size{"bench-size", "Volume size for --bench-bigvolume (default 2048x2048x1024).", "XxYxZ"};
  QCommandLineOption dir{"bench-dir", "Folder of --bench-bigvolume's data, generated once and reused.", "DIR"};
  QCommandLineOption budget{"bench-budget-mib", "Cache budget for --bench-bigvolume in MiB (default 1024).", "MIB"};
  QCommandLineOption cleanup{"bench-cleanup", "With --bench-bigvolume: delete the generated data at the end."};
  explicit BigVolumeOptions(QCommandLineParser& parser);
  /// The settings of the parsed command line; nullopt after printing why to stderr.
  std::optional<BigVolumeSettings> settings(const QCommandLineParser& parser) const;
};

/// Runs the benchmark, prints a report ending with a `result:` line to \p out (and its keys to
/// \p jsonPath when set). Returns 0, or 1 when the data cannot be written or read.
int runBigVolumeBenchmark(QTextStream& out, const BigVolumeSettings& settings, const QString& jsonPath = {});

} // namespace ui
