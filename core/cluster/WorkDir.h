#pragma once
/// \file WorkDir.h
/// The work directory of a cluster job and the restart rule. Layout:
///
///   manifest.json   the Manifest (written atomically)
///   job.sbatch      the batch script of the latest submission
///   pieces/         the output pieces, one per task and output
///   done/           done markers, one per finished task (task-0003.done, JSON)
///   logs/           what each task printed (task-3-job123.out)
///
/// A task is done when its marker exists and all its pieces exist. The marker is written
/// atomically by runTask() only after the task's command succeeded and its pieces were checked, so
/// a task that died, was cancelled or timed out has no marker and is rerun; a task with a marker is
/// never recomputed. Thread affinity: one thread at a time per object; several processes may
/// share a work directory (each task writes only its own pieces and marker).

#include "core/cluster/Manifest.h"
#include "core/files/AtomicFile.h"

#include <string>
#include <vector>

namespace core::cluster {

/// Writes a file atomically (core/files/AtomicFile.h): a temporary file in the same folder, every
/// write checked, flushed to disk, then renamed over the path. Throws std::runtime_error naming the
/// path on failure (the old file, if any, is then untouched).
using core::files::writeFileAtomically;
/// The whole file; throws std::runtime_error naming it when it cannot be read.
std::string readFile(const std::string& path);

/// Whether a task may run, is done, or must run again.
enum class TaskStatus {
  Done,   ///< marker and all pieces exist
  Missing ///< no marker, or a marker whose pieces are gone: to be (re)run
};

class WorkDir {
public:
  /// Creates \p dir (and its sub-folders) and saves \p manifest into it. Refuses, with a message
  /// that points to --resume, a folder that already holds a manifest.
  static WorkDir create(const std::string& dir, Manifest manifest);
  /// Opens an existing work directory. Throws std::runtime_error naming the folder when it has no
  /// manifest or a damaged one.
  static WorkDir open(const std::string& dir);

  /// Absolute path of the folder.
  const std::string& dir() const { return m_dir; }
  std::string manifestPath() const { return m_dir + "/manifest.json"; }
  std::string scriptPath() const { return m_dir + "/job.sbatch"; }
  std::string logsDir() const { return m_dir + "/logs"; }
  /// \p relative resolved against the folder (absolute paths are returned as they are).
  std::string resolve(const std::string& relative) const;

  Manifest& manifest() { return m_manifest; }
  const Manifest& manifest() const { return m_manifest; }
  /// Writes the manifest atomically.
  void save() const;

  TaskStatus status(int task) const;
  /// Indices of the tasks that are not Done, increasing.
  std::vector<int> missingTasks() const;
  /// Marker and piece paths of task \p index (absolute).
  std::string markerPath(int task) const;
  std::vector<std::string> piecePaths(int task) const;

  /// Relative names the layout uses: "pieces/<stem>-0003<ext>", "done/task-0003.done".
  static std::string pieceName(int task, const std::string& stem, const std::string& ext);
  static std::string markerName(int task);

private:
  WorkDir(std::string dir, Manifest manifest) : m_dir(std::move(dir)), m_manifest(std::move(manifest)) {}
  const Task& task(int index) const;
  std::string m_dir;
  Manifest m_manifest;
};

} // namespace core::cluster
