#include "core/labels/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace core::labels {

namespace fs = std::filesystem;

namespace {

std::runtime_error sysError(const std::string& what, const std::string& path) {
  return std::runtime_error("cannot " + what + " '" + path + "': " + std::strerror(errno));
}

void fsyncFolder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return; // best effort: some file systems do not allow opening folders
  ::fsync(fd);
  ::close(fd);
}

} // namespace

void writeFileAtomically(const std::string& path, const void* data, std::size_t size) {
  const fs::path target(path);
  const fs::path folder = target.parent_path();
  if (!folder.empty()) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw std::runtime_error("cannot create folder '" + folder.string() + "': " + ec.message());
  }
  static std::atomic<unsigned> counter{0};
  // A hidden sibling in the same folder (rename only is atomic within one file system).
  const std::string tmp = (folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(counter++))).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw sysError("create", tmp);
  const auto fail = [&](const std::string& what) {
    const auto err = sysError(what, path);
    ::close(fd);
    ::unlink(tmp.c_str());
    return err;
  };
  const char* p = static_cast<const char*>(data);
  std::size_t left = size;
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw fail("write");
    }
    p += n;
    left -= std::size_t(n);
  }
  if (::fsync(fd) != 0) throw fail("flush to disk");
  if (::close(fd) != 0) {
    const auto err = sysError("close", path);
    ::unlink(tmp.c_str());
    throw err;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const auto err = sysError("replace", path);
    ::unlink(tmp.c_str());
    throw err;
  }
  fsyncFolder(folder);
}

std::string readWholeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error("file '" + path + "' does not exist");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sysError("open", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw sysError("read", path);
  return ss.str();
}

} // namespace core::labels
