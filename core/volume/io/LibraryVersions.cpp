#include "core/volume/io/LibraryVersions.h"

#include <H5public.h>
#include <itkVersion.h>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <tiffio.h>
#include <zlib.h>

namespace core::volume {

namespace {
/// "LIBTIFF, Version 4.5.0\nCopyright ..." -> "4.5.0".
std::string tiffVersion() {
  std::string text = TIFFGetVersion();
  const std::string key = "Version ";
  const auto at = text.find(key);
  if (at == std::string::npos) return text.substr(0, text.find('\n'));
  const auto start = at + key.size();
  return text.substr(start, text.find_first_of("\n ", start) - start);
}

std::string hdf5Version() {
  unsigned major = 0, minor = 0, release = 0;
  if (H5get_libversion(&major, &minor, &release) < 0) return "unknown";
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}
} // namespace

std::vector<LibraryVersion> ioLibraryVersions() {
  return {
      {"ITK", itk::Version::GetITKVersion()},
      {"OpenCV", cv::getVersionString()},
      {"libtiff", tiffVersion()},
      {"HDF5", hdf5Version()},
      {"zlib", zlibVersion()},
      {"nlohmann-json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
  };
}

} // namespace core::volume
