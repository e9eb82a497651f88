#include "core/ml/StarterModel.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace core::ml {

namespace {
namespace fs = std::filesystem;

std::string besideExecutable() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return (exe.parent_path().parent_path() / "share" / "cdnet" / "models" / kStarterModelFile).lexically_normal().string();
}
} // namespace

std::string findStarterModel() {
  if (const char* env = std::getenv("CDNET_STARTER_MODEL")) {
    std::error_code ec;
    return *env && fs::is_regular_file(env, ec) ? std::string(env) : std::string();
  }
  const std::string path = besideExecutable();
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec) ? path : std::string();
}

std::string starterModelSearchPath() {
  if (const char* env = std::getenv("CDNET_STARTER_MODEL")) return std::string("$CDNET_STARTER_MODEL = '") + env + "'";
  return "'" + besideExecutable() + "'";
}

} // namespace core::ml
