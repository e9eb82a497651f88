#pragma once
// Helpers of the fault-injection tests: folder snapshots (to prove that a failed write changed
// nothing and left no temporary behind), random volumes, and running the `cdnet` binary.
#include "core/volume/Volume.h"
#include "support/RunCdnet.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

namespace faulttest {

namespace fs = std::filesystem;
using core::volume::Size3;
using core::volume::Volume;
using core::volume::VoxelType;

/// Every file under \p dir (recursively, hidden ones included) with its bytes; folders as "name/".
inline std::map<std::string, std::string> snapshot(const fs::path& dir, const std::string& skip = {}) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), dir).string();
    if (!skip.empty() && rel == skip) continue;
    if (it->is_directory()) {
      out[rel + "/"] = {};
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    out[rel] = s.str();
  }
  return out;
}

/// Names of the entries of \p dir that are temporaries of writes (".NAME.tmp-PID-N...").
inline QStringList temporaries(const fs::path& dir) {
  QStringList out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.find(".tmp-") != std::string::npos) out << QString::fromStdString(n);
  }
  return out;
}

/// Incompressible voxels (compressed formats are as large as raw ones).
inline Volume randomVolume(Size3 size, VoxelType type, std::uint64_t seed) {
  Volume v(size, type, {0.5, 0.5, 0.75}, {1, 2, 3});
  std::mt19937_64 rng(seed);
  auto* p = static_cast<std::uint8_t*>(v.data());
  for (std::uint64_t i = 0; i < v.bytes(); ++i) p[i] = std::uint8_t(rng() >> 56);
  if (type == VoxelType::Float32) // finite values only, so that they compare bitwise after reading
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) v.as<float>()[i] = float(rng() % 100000) / 7.0f;
  return v;
}

using Run = testsupport::CdnetResult;

/// Runs the built `cdnet` with \p args and waits (at most \p timeoutMs).
inline Run cdnet(const QStringList& args, int timeoutMs = 120000) { return testsupport::runCdnet(args, {}, timeoutMs); }

} // namespace faulttest
