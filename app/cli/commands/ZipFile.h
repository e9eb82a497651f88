#pragma once
/// \file ZipFile.h
/// Minimal zip files: writing stored (uncompressed) entries and reading stored or deflated ones
/// (what bioimage.io packages need). No zip64: entries and archives below 4 GiB.

#include <string>
#include <vector>

namespace cli {

struct ZipEntry {
  std::string name;
  std::string data;
};

/// Writes \p entries to \p path atomically (temporary file + rename). Throws naming the path.
void writeZip(const std::string& path, const std::vector<ZipEntry>& entries);

/// The names of the entries of \p path. Throws std::runtime_error naming the file when it is not a
/// readable zip.
std::vector<std::string> zipEntryNames(const std::string& path);

/// The content of entry \p name of \p path (CRC checked). Throws naming the file and the entry.
std::string readZipEntry(const std::string& path, const std::string& name);

} // namespace cli
