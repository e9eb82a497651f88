#include "core/project/RecoveryStore.h"

#include "core/project/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <signal.h>
#include <unistd.h>

namespace core::labels {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char kMagic[8] = {'C', 'D', 'N', 'E', 'T', 'R', 'E', 'C'};
constexpr std::uint32_t kRecoveryVersion = 1;
constexpr const char* kDataFile = "recovery.cdnetrec";
constexpr const char* kMarkerFile = "session.marker";

std::uint64_t fnv1a(const char* p, std::size_t n, std::uint64_t h = 1469598103934665603ull) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= std::uint8_t(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

template <class T> void put(std::string& out, T v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

template <class T> T get(const std::string& in, std::size_t& pos, const std::string& source) {
  if (pos + sizeof(T) > in.size()) throw std::runtime_error("recovery file '" + source + "' is truncated");
  T v;
  std::memcpy(&v, in.data() + pos, sizeof v);
  pos += sizeof v;
  return v;
}

/// Start time of process \p pid (clock ticks since boot), or 0 when it does not exist.
std::uint64_t processStartTime(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return 0;
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  for (int i = 0; i < 20 && fields >> f; ++i) {
    if (i == 19) return std::strtoull(f.c_str(), nullptr, 10); // field 22 of /proc/pid/stat
  }
  return 0;
}

/// Whether the marker in \p dir belongs to a process that is still running.
bool markerIsLive(const fs::path& dir, long* pidOut = nullptr) {
  std::ifstream in(dir / kMarkerFile);
  long pid = 0;
  std::uint64_t start = 0;
  if (!(in >> pid >> start) || pid <= 0) return false;
  if (pidOut) *pidOut = pid;
  if (::kill(pid_t(pid), 0) != 0 && errno != EPERM) return false;
  return processStartTime(pid) == start;
}

std::string hashKey(const std::string& key) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(key.data(), key.size())));
  return buf;
}

/// Reads magic, version and the meta JSON of a recovery file.
json readMeta(const std::string& bytes, std::size_t& pos, const std::string& source) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw std::runtime_error("'" + source + "' is not a CDNet Studio recovery file");
  pos = sizeof kMagic;
  const auto version = get<std::uint32_t>(bytes, pos, source);
  if (version > kRecoveryVersion)
    throw std::runtime_error("recovery file '" + source + "' was written by a newer CDNet Studio (version " +
                             std::to_string(version) + ")");
  const auto metaLen = get<std::uint64_t>(bytes, pos, source);
  if (pos + metaLen > bytes.size()) throw std::runtime_error("recovery file '" + source + "' is truncated");
  json meta = json::parse(bytes.begin() + std::ptrdiff_t(pos), bytes.begin() + std::ptrdiff_t(pos + metaLen), nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) throw std::runtime_error("recovery file '" + source + "' is damaged");
  pos += metaLen;
  return meta;
}

RecoveryInfo infoFrom(const json& meta, const fs::path& dir) {
  RecoveryInfo info;
  info.directory = dir.string();
  info.key = meta.value("key", std::string());
  info.projectPath = meta.value("projectPath", std::string());
  info.savedAtUnix = meta.value("savedAt", std::int64_t(0));
  if (meta.contains("project") && meta["project"].contains("image"))
    info.imagePath = meta["project"]["image"].value("path", std::string());
  if (meta.contains("size")) {
    const auto& s = meta["size"];
    info.size = {s.at(0).get<std::int64_t>(), s.at(1).get<std::int64_t>(), s.at(2).get<std::int64_t>()};
  }
  return info;
}

} // namespace

RecoveryStore::RecoveryStore(std::string key, std::string root) : m_key(std::move(key)) {
  m_dir = (fs::path(root) / hashKey(m_key)).string();
}

RecoveryStore::~RecoveryStore() = default;

std::string RecoveryStore::defaultRoot() {
  if (const char* d = std::getenv("CDNET_RECOVERY_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return (fs::path(x) / "cdnet" / "recovery").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : "/tmp") / ".local" / "state" / "cdnet" / "recovery").string();
}

bool RecoveryStore::beginSession() {
  long other = 0;
  if (markerIsLive(m_dir, &other) && other != long(::getpid())) return false;
  const long pid = long(::getpid());
  writeFileAtomically((fs::path(m_dir) / kMarkerFile).string(),
                      std::to_string(pid) + " " + std::to_string(processStartTime(pid)) + "\n");
  m_ownsMarker = true;
  return true;
}

void RecoveryStore::endSession() {
  std::error_code ec;
  fs::remove(fs::path(m_dir) / kDataFile, ec);
  fs::remove(fs::path(m_dir) / kMarkerFile, ec);
  fs::remove(fs::path(m_dir), ec); // only when empty
  m_ownsMarker = false;
  m_saved = false;
}

std::string RecoveryStore::encodeLabels(const volume::Volume& labels) {
  if (labels.type() != volume::VoxelType::UInt8) throw std::invalid_argument("recovery labels must be uint8");
  std::string out;
  const auto& s = labels.size();
  put(out, s.x);
  put(out, s.y);
  put(out, s.z);
  for (double v : {labels.spacing().x, labels.spacing().y, labels.spacing().z, labels.origin().x, labels.origin().y,
                   labels.origin().z})
    put(out, v);
  const std::uint8_t* p = labels.as<std::uint8_t>();
  const std::uint64_t n = std::uint64_t(labels.voxelCount());
  std::uint64_t i = 0;
  while (i < n) {
    const std::uint8_t v = p[i];
    std::uint64_t j = i + 1;
    // Compare eight voxels at a time inside long runs.
    const std::uint64_t pattern = 0x0101010101010101ull * v;
    while (j + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + j, 8);
      if (w != pattern) break;
      j += 8;
    }
    while (j < n && p[j] == v) ++j;
    std::uint64_t len = j - i;
    while (len >= 0x80) {
      out.push_back(char(std::uint8_t(len | 0x80)));
      len >>= 7;
    }
    out.push_back(char(std::uint8_t(len)));
    out.push_back(char(v));
    i = j;
  }
  return out;
}

volume::Volume RecoveryStore::decodeLabels(const std::string& bytes, const std::string& source) {
  std::size_t pos = 0;
  volume::Size3 s;
  s.x = get<std::int64_t>(bytes, pos, source);
  s.y = get<std::int64_t>(bytes, pos, source);
  s.z = get<std::int64_t>(bytes, pos, source);
  double g[6];
  for (double& v : g) v = get<double>(bytes, pos, source);
  if (s.x <= 0 || s.y <= 0 || s.z <= 0 || s.x > (1 << 20) || s.y > (1 << 20) || s.z > (1 << 20))
    throw std::runtime_error("recovery file '" + source + "' has an invalid label volume size");
  volume::Volume v(s, volume::VoxelType::UInt8, {g[0], g[1], g[2]}, {g[3], g[4], g[5]});
  std::uint8_t* p = v.as<std::uint8_t>();
  const std::uint64_t n = std::uint64_t(v.voxelCount());
  std::uint64_t i = 0;
  while (pos < bytes.size()) {
    std::uint64_t len = 0;
    int shift = 0;
    while (true) {
      if (pos >= bytes.size() || shift > 63) throw std::runtime_error("recovery file '" + source + "' is damaged");
      const std::uint8_t b = std::uint8_t(bytes[pos++]);
      len |= std::uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    if (pos >= bytes.size() || len > n - i) throw std::runtime_error("recovery file '" + source + "' is damaged");
    std::memset(p + i, std::uint8_t(bytes[pos++]), std::size_t(len));
    i += len;
  }
  if (i != n) throw std::runtime_error("recovery file '" + source + "' is damaged (labels incomplete)");
  return v;
}

RecoverySnapshot RecoveryStore::capture(const LabelVolume& labels, const ProjectFile& project, const std::string& key,
                                        const std::string& projectPath) {
  RecoverySnapshot snap;
  snap.key = key;
  snap.projectPath = projectPath;
  snap.revision = labels.revision();
  snap.savedAtUnix = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  ProjectFile state = project;
  state.annotatedSlices = labels.annotatedSlices();
  const auto& s = labels.size();
  json meta = {{"key", key},
               {"projectPath", projectPath},
               {"savedAt", snap.savedAtUnix},
               {"revision", snap.revision},
               {"size", {s.x, s.y, s.z}},
               {"project", json::parse(state.toJson())}};
  const std::string metaText = meta.dump();
  const std::string voxels = encodeLabels(labels.volume());
  std::string& out = snap.bytes;
  out.reserve(64 + metaText.size() + voxels.size());
  out.append(kMagic, sizeof kMagic);
  put(out, kRecoveryVersion);
  put(out, std::uint64_t(metaText.size()));
  out += metaText;
  put(out, std::uint64_t(voxels.size()));
  out += voxels;
  put(out, fnv1a(out.data(), out.size()));
  return snap;
}

void RecoveryStore::write(const RecoverySnapshot& snapshot) const {
  writeFileAtomically((fs::path(m_dir) / kDataFile).string(), snapshot.bytes);
}

void RecoveryStore::autosave(const LabelVolume& labels, const ProjectFile& project, const std::string& projectPath) {
  const RecoverySnapshot snap = capture(labels, project, m_key, projectPath);
  write(snap);
  m_savedRevision = snap.revision;
  m_saved = true;
}

bool RecoveryStore::needsAutosave(const LabelVolume& labels) const {
  return m_saved ? labels.revision() != m_savedRevision : labels.isModified();
}

std::vector<RecoveryInfo> RecoveryStore::findRecoverable(const std::string& root) {
  std::vector<RecoveryInfo> out;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const fs::path dir = entry.path();
    const fs::path data = dir / kDataFile;
    if (!fs::is_regular_file(data, ec) || markerIsLive(dir)) continue;
    try {
      std::ifstream in(data, std::ios::binary);
      std::string head(20, '\0');
      in.read(head.data(), 20);
      std::size_t pos = 12;
      const auto metaLen = get<std::uint64_t>(head, pos, data.string());
      if (metaLen > (64u << 20)) continue;
      head.resize(20 + metaLen);
      in.read(head.data() + 20, std::streamsize(metaLen));
      pos = 0;
      out.push_back(infoFrom(readMeta(head, pos, data.string()), dir));
    } catch (const std::exception&) {
      // A damaged file is still offered: restore() will say what is wrong with it.
      RecoveryInfo info;
      info.directory = dir.string();
      out.push_back(info);
    }
  }
  std::sort(out.begin(), out.end(), [](const RecoveryInfo& a, const RecoveryInfo& b) { return a.savedAtUnix > b.savedAtUnix; });
  return out;
}

RecoveredWork RecoveryStore::restore(const RecoveryInfo& info) {
  const std::string path = (fs::path(info.directory) / kDataFile).string();
  const std::string bytes = readWholeFile(path);
  if (bytes.size() < sizeof kMagic + 8) throw std::runtime_error("recovery file '" + path + "' is truncated");
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  if (fnv1a(bytes.data(), bytes.size() - 8) != stored)
    throw std::runtime_error("recovery file '" + path + "' is damaged (checksum mismatch)");
  std::size_t pos = 0;
  const json meta = readMeta(bytes, pos, path);
  const auto voxelsLen = get<std::uint64_t>(bytes, pos, path);
  if (pos + voxelsLen + 8 != bytes.size()) throw std::runtime_error("recovery file '" + path + "' is damaged");
  RecoveredWork work;
  try {
    work.info = infoFrom(meta, fs::path(info.directory));
    work.project = ProjectFile::fromJson(meta.at("project").dump(), {}, path);
  } catch (const json::exception& e) {
    throw std::runtime_error("recovery file '" + path + "' is damaged: " + e.what());
  }
  work.labels = decodeLabels(bytes.substr(pos, std::size_t(voxelsLen)), path);
  return work;
}

void RecoveryStore::discard(const RecoveryInfo& info) {
  std::error_code ec;
  fs::remove_all(info.directory, ec);
  if (ec) throw std::runtime_error("cannot delete recovery folder '" + info.directory + "': " + ec.message());
}

} // namespace core::labels
