#pragma once
/// \file TaskRunner.h
/// Runs one task of a cluster job on a compute node (`cdnet task-run MANIFEST INDEX`, called by
/// the batch script with SLURM_ARRAY_TASK_ID) and writes its done marker.

#include "core/cluster/WorkDir.h"

#include <cstdint>
#include <functional>
#include <string>

namespace core::cluster {

/// Checks one piece after the task's command succeeded; throws std::runtime_error naming the
/// piece and the problem when it is not complete (for example a volume with the wrong number of
/// slices). \p output is the spec of the piece, \p path its absolute path.
using PieceValidator = std::function<void(const OutputSpec& output, const Task& task, const std::string& path)>;

struct TaskRunOptions {
  bool force = false;       ///< run even when the task is already done
  PieceValidator validate;  ///< optional; always checked: each piece exists
};

struct TaskRunResult {
  bool ran = false;     ///< false: it was already done and was skipped
  double seconds = 0;   ///< wall time of the command
  long peakRssKiB = 0;  ///< peak resident memory of the command, KiB
};

/// What a done marker says about its task's run.
struct MarkerInfo {
  std::string host, finished;
  double seconds = 0;
  std::uint64_t peakRssBytes = 0;
};
/// Reads a done marker; throws std::runtime_error naming it when it cannot be read or parsed.
MarkerInfo readMarker(const std::string& path);

/// Runs task \p index of \p work: removes its stale marker and pieces, runs its command with this
/// process's stdout and stderr, checks the pieces, then writes the marker atomically (JSON with the
/// slab, the pieces and their sizes, the host, the time taken, the peak memory). A task that is already done is
/// skipped unless \p opts.force. Throws std::runtime_error (no marker written) when the command
/// fails or a piece is missing or invalid.
TaskRunResult runTask(const WorkDir& work, int index, const TaskRunOptions& opts = {});

} // namespace core::cluster
