#include "core/cluster/TaskRunner.h"

#include "core/cluster/Process.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::cluster {

namespace {
std::string hostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::uint64_t sizeOnDisk(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  std::uint64_t total = 0; // a folder piece (TIFF slices)
  for (const auto& e : fs::recursive_directory_iterator(path, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}
} // namespace

MarkerInfo readMarker(const std::string& path) {
  MarkerInfo info;
  try {
    const nlohmann::json j = nlohmann::json::parse(readFile(path));
    info.host = j.value("host", "");
    info.finished = j.value("finished", "");
    info.seconds = j.value("seconds", 0.0);
    info.peakRssBytes = j.value("peakRssBytes", std::uint64_t{0});
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": damaged done marker (" + e.what() + ")");
  }
  return info;
}

TaskRunResult runTask(const WorkDir& work, int index, const TaskRunOptions& opts) {
  const Manifest& m = work.manifest();
  const std::string marker = work.markerPath(index); // validates the index
  const Task& task = m.tasks[std::size_t(index)];
  const std::string what = "task " + std::to_string(index) + " (slices " + std::to_string(task.slab.z0) + ":" +
                           std::to_string(task.slab.z1) + ")";
  TaskRunResult result;
  if (!opts.force && work.status(index) == TaskStatus::Done) return result;

  // Anything left by an earlier attempt is incomplete by definition: it has no valid marker.
  std::error_code ec;
  fs::remove(marker, ec);
  const std::vector<std::string> pieces = work.piecePaths(index);
  for (const std::string& p : pieces) {
    fs::remove_all(p, ec);
    fs::create_directories(fs::path(p).parent_path(), ec);
  }

  if (!m.workingDirectory.empty() && !fs::is_directory(m.workingDirectory))
    throw std::runtime_error(what + ": its working directory '" + m.workingDirectory + "' does not exist on " +
                             hostName() + " (the work must sit on a file system all nodes share)");
  const auto t0 = std::chrono::steady_clock::now();
  const ProcessResult r = runInherited(task.argv, m.workingDirectory);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.ran = true;
  result.peakRssKiB = r.peakRssKiB;
  if (!r.ok()) throw std::runtime_error(what + " failed: '" + task.argv.front() + "' " + r.describe());

  nlohmann::json pieceInfo = nlohmann::json::array();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (!fs::exists(pieces[i]))
      throw std::runtime_error(what + ": the command succeeded but did not write its piece '" + pieces[i] + "'");
    if (opts.validate) opts.validate(m.outputs[i], task, pieces[i]);
    pieceInfo.push_back({{"path", task.pieces[i]}, {"bytes", sizeOnDisk(pieces[i])}});
  }
  const nlohmann::json j = {{"task", index},       {"z0", task.slab.z0},      {"z1", task.slab.z1},
                            {"pieces", pieceInfo}, {"host", hostName()},      {"seconds", result.seconds},
                            {"peakRssBytes", std::uint64_t(result.peakRssKiB) * 1024}, {"finished", isoTimeNow()}};
  writeFileAtomically(marker, j.dump(2) + "\n");
  return result;
}

} // namespace core::cluster
