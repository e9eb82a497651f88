#include "core/cluster/WorkDir.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::cluster {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

WorkDir WorkDir::create(const std::string& dir, Manifest manifest) {
  std::error_code ec;
  const std::string abs = fs::absolute(dir, ec).lexically_normal().string();
  if (ec) throw std::runtime_error("invalid work directory '" + dir + "': " + ec.message());
  std::string clean = abs;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  if (fs::exists(clean + "/manifest.json"))
    throw std::runtime_error("'" + clean + "' already holds a cluster job (manifest.json); use --resume " + dir +
                             " to continue it, or choose another --work-dir");
  for (const char* sub : {"", "/pieces", "/done", "/logs"}) {
    fs::create_directories(clean + sub, ec);
    if (ec) throw std::runtime_error("cannot create '" + clean + sub + "': " + ec.message());
  }
  WorkDir w(clean, std::move(manifest));
  w.save();
  return w;
}

WorkDir WorkDir::open(const std::string& dir) {
  std::error_code ec;
  std::string abs = fs::absolute(dir, ec).lexically_normal().string();
  while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
  const std::string path = abs + "/manifest.json";
  if (!fs::exists(path))
    throw std::runtime_error("'" + dir + "' is not a cluster work directory (no manifest.json in it)");
  Manifest m = manifestFromJson(readFile(path), path);
  for (const char* sub : {"/pieces", "/done", "/logs"}) fs::create_directories(abs + sub, ec);
  return WorkDir(abs, std::move(m));
}

std::string WorkDir::resolve(const std::string& relative) const {
  if (!relative.empty() && relative.front() == '/') return relative;
  return m_dir + "/" + relative;
}

void WorkDir::save() const { writeFileAtomically(manifestPath(), toJson(m_manifest)); }

const Task& WorkDir::task(int index) const {
  if (index < 0 || std::size_t(index) >= m_manifest.tasks.size())
    throw std::out_of_range("task " + std::to_string(index) + " does not exist (the job has " +
                            std::to_string(m_manifest.tasks.size()) + " tasks, 0 to " +
                            std::to_string(int(m_manifest.tasks.size()) - 1) + ")");
  return m_manifest.tasks[std::size_t(index)];
}

std::string WorkDir::markerPath(int index) const { return resolve(task(index).marker); }

std::vector<std::string> WorkDir::piecePaths(int index) const {
  std::vector<std::string> out;
  for (const std::string& p : task(index).pieces) out.push_back(resolve(p));
  return out;
}

TaskStatus WorkDir::status(int index) const {
  if (!fs::exists(markerPath(index))) return TaskStatus::Missing;
  for (const std::string& p : piecePaths(index))
    if (!fs::exists(p)) return TaskStatus::Missing;
  return TaskStatus::Done;
}

std::vector<int> WorkDir::missingTasks() const {
  std::vector<int> out;
  for (const Task& t : m_manifest.tasks)
    if (status(t.index) != TaskStatus::Done) out.push_back(t.index);
  return out;
}

std::string WorkDir::pieceName(int task, const std::string& stem, const std::string& ext) {
  char num[16];
  std::snprintf(num, sizeof num, "%04d", task);
  return "pieces/" + stem + "-" + num + ext;
}

std::string WorkDir::markerName(int task) {
  char num[16];
  std::snprintf(num, sizeof num, "%04d", task);
  return std::string("done/task-") + num + ".done";
}

} // namespace core::cluster
