#pragma once
/// \file LibraryVersions.h
/// The versions of the libraries the volume I/O runs on, for Help > About and bug reports.

#include <string>
#include <vector>

namespace core::volume {

/// One library: its name as users know it ("ITK") and its version ("5.2.1").
struct LibraryVersion {
  std::string name;
  std::string version;
};

/// ITK, OpenCV, libtiff, HDF5, zlib and nlohmann-json, as linked into this program (run-time
/// versions where the library reports one, else the version of the headers built against).
/// Any thread.
std::vector<LibraryVersion> ioLibraryVersions();

} // namespace core::volume
