#include "core/files/AtomicFile.h"

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::files {

namespace {

// "dir/" -> "dir"
fs::path withoutTrailingSlash(const std::string& p) {
  fs::path path(p);
  while (!path.empty() && path.filename().empty() && path != path.root_path()) path = path.parent_path();
  return path;
}

// Whether process \p pid may still be writing: it exists and is not a zombie (killed, not yet
// reaped by its parent).
bool processRuns(long pid) {
  if (pid <= 0 || pid == long(::getpid())) return true;
  if (::kill(pid_t(pid), 0) != 0 && errno != EPERM) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || (line[close + 2] != 'Z' && line[close + 2] != 'X');
}

} // namespace

void throwSystemError(const std::string& what, const std::string& path, int err) {
  throw std::runtime_error("cannot " + what + " '" + path + "': " + std::strerror(err));
}

std::string temporarySibling(const std::string& target, const std::string& suffix) {
  static std::atomic<unsigned> counter{0};
  const fs::path p = withoutTrailingSlash(target);
  const std::string name = "." + p.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1)) + suffix;
  const fs::path dir = p.parent_path();
  return (dir.empty() ? fs::path(name) : dir / name).string();
}

bool isTemporaryOf(const std::string& name, const std::string& targetName, long* pid) {
  const std::string prefix = "." + targetName + ".tmp-";
  if (targetName.empty() || name.compare(0, prefix.size(), prefix) != 0) return false;
  std::size_t i = prefix.size();
  long value = 0;
  const std::size_t digits0 = i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9' && i - digits0 < 10) value = value * 10 + (name[i++] - '0');
  if (i == digits0 || i >= name.size() || name[i] != '-') return false;
  const std::size_t counter0 = ++i;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == counter0) return false;
  if (pid) *pid = value;
  return true;
}

namespace {
// Removes the entries of \p dir whose name is a temporary of \p targetName (any destination when
// empty) written by a process that no longer runs.
int removeStale(const fs::path& dir, const std::string& targetName) {
  int removed = 0;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    long pid = 0;
    const std::string entry = it->path().filename().string();
    std::string target = targetName;
    if (target.empty()) { // ".<target>.tmp-<pid>-<n>...": the last ".tmp-" that parses
      const std::size_t at = entry.rfind(".tmp-");
      if (entry.size() < 2 || entry[0] != '.' || at == std::string::npos || at < 2) continue;
      target = entry.substr(1, at - 1);
    }
    if (!isTemporaryOf(entry, target, &pid) || processRuns(pid)) continue;
    std::error_code rm;
    if (fs::remove_all(it->path(), rm) > 0 && !rm) ++removed;
  }
  return removed;
}
} // namespace

int removeStaleTemporaries(const std::string& target) {
  const fs::path p = withoutTrailingSlash(target);
  const std::string name = p.filename().string();
  if (name.empty()) return 0;
  return removeStale(p.parent_path().empty() ? fs::path(".") : p.parent_path(), name);
}

int removeStaleTemporariesIn(const std::string& dir) {
  return dir.empty() ? 0 : removeStale(fs::path(dir), std::string());
}

void writeFully(int fd, const void* data, std::size_t n, const std::string& path) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (n > 0) {
    const std::size_t chunk = std::min<std::size_t>(n, std::size_t(1) << 30);
    const ssize_t put = ::write(fd, p, chunk);
    if (put < 0) {
      if (errno == EINTR) continue;
      throwSystemError("write", path);
    }
    if (put == 0) throwSystemError("write", path, EIO);
    p += put;
    n -= std::size_t(put);
  }
}

void syncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwSystemError("open (to flush it to disk)", path);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) throwSystemError("flush to disk", path, err);
}

void renameInto(const std::string& from, const std::string& to) {
  const fs::path target = withoutTrailingSlash(to);
  if (::rename(from.c_str(), target.c_str()) != 0) {
    const int err = errno;
    throw std::runtime_error("cannot rename '" + from + "' to '" + target.string() + "': " + std::strerror(err));
  }
  const fs::path dir = target.parent_path();
  try {
    syncPath(dir.empty() ? "." : dir.string());
  } catch (const std::exception&) {
    // The rename happened; a folder that cannot be synced (some network file systems) is not an error.
  }
}

TemporaryPath::TemporaryPath(const std::string& target, const std::string& suffix)
    : m_target(withoutTrailingSlash(target).string()) {
  removeStaleTemporaries(m_target);
  m_path = temporarySibling(m_target, suffix);
}

TemporaryPath::~TemporaryPath() { discard(); }

void TemporaryPath::commit() {
  if (m_committed) return;
  renameInto(m_path, m_target);
  m_committed = true;
}

void TemporaryPath::discard() noexcept {
  if (m_committed || m_path.empty()) return;
  std::error_code ec;
  fs::remove_all(m_path, ec);
  m_path.clear();
}

AtomicFile::AtomicFile(const std::string& target, const std::string& suffix) : m_tmp(target, suffix) {
  m_fd = ::open(m_tmp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (m_fd < 0) throwSystemError("create a temporary file for", m_tmp.target());
}

AtomicFile::~AtomicFile() {
  if (m_fd >= 0) ::close(m_fd);
}

void AtomicFile::write(const void* data, std::size_t n) {
  if (m_fd < 0) throw std::runtime_error("writing '" + m_tmp.target() + "': the file is already closed");
  writeFully(m_fd, data, n, m_tmp.target());
  m_written += n;
}

void AtomicFile::commit() { commitExpecting(m_written); }

void AtomicFile::commitExpecting(std::uint64_t expectedSize) {
  const std::string& target = m_tmp.target();
  if (m_fd < 0) throw std::runtime_error("writing '" + target + "': the file is already closed");
  if (::fsync(m_fd) != 0 && errno != EINVAL) throwSystemError("flush to disk", target);
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) throwSystemError("check the size of", target);
  if (std::uint64_t(st.st_size) != expectedSize)
    throw std::runtime_error("cannot write '" + target + "': the file holds " + std::to_string(st.st_size) +
                             " bytes instead of " + std::to_string(expectedSize));
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) throwSystemError("close", target);
  m_tmp.commit();
}

void writeFileAtomically(const std::string& path, const void* data, std::size_t size) {
  AtomicFile file(path);
  file.write(data, size);
  file.commit();
}

} // namespace core::files
