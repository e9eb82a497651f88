#pragma once
/// \file AtomicFile.h
/// Writing small and medium files so that a crash, a kill or a full disk never leaves a broken
/// file in place of a good one: the bytes go to a temporary file in the same folder, are flushed
/// to disk (fsync), and the temporary file is renamed over the target (rename is atomic on POSIX
/// file systems); the folder is flushed too so the rename survives a power cut.
/// Errors are std::runtime_error naming the file and the system's reason. Any thread.

#include <cstddef>
#include <string>

namespace core::labels {

/// Replaces \p path with \p size bytes at \p data atomically. Creates missing parent folders.
void writeFileAtomically(const std::string& path, const void* data, std::size_t size);
inline void writeFileAtomically(const std::string& path, const std::string& bytes) {
  writeFileAtomically(path, bytes.data(), bytes.size());
}

/// Reads a whole file. Throws std::runtime_error naming the file when it is missing or unreadable.
std::string readWholeFile(const std::string& path);

} // namespace core::labels
