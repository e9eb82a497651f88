#include "core/project/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace core::labels {

void writeFileAtomically(const std::string& path, const void* data, std::size_t size) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw std::runtime_error("cannot create folder '" + folder.string() + "': " + ec.message());
  }
  core::files::writeFileAtomically(path, data, size);
}

std::string readWholeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw std::runtime_error("file '" + path + "' does not exist");
  std::ifstream in(path, std::ios::binary);
  if (!in) core::files::throwSystemError("open", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) core::files::throwSystemError("read", path);
  return ss.str();
}

void copyFileAtomically(const std::string& from, const std::string& to) { writeFileAtomically(to, readWholeFile(from)); }

} // namespace core::labels
