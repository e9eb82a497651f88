#include "core/files/FolderSwap.h"

#include "core/files/AtomicFile.h"

#include <filesystem>

namespace core::files {

void swapInFolder(const std::string& staged, const std::string& target) {
  std::error_code ec;
  if (!std::filesystem::exists(target, ec)) {
    renameInto(staged, target);
    return;
  }
  TemporaryPath old(target); // its destructor removes the previous folder
  renameInto(target, old.path());
  try {
    renameInto(staged, target);
  } catch (...) {
    renameInto(old.path(), target);
    throw;
  }
}

} // namespace core::files
