#pragma once
/// \file AtomicFile.h
/// Writing small and medium files atomically (core/files/AtomicFile.h: temporary sibling, every
/// write checked, fsync, rename, stale temporaries removed) and reading them back whole.
/// Errors are std::runtime_error naming the file and the system's reason. Any thread.

#include "core/files/AtomicFile.h"

#include <string>

namespace core::labels {

/// Replaces \p path with \p size bytes atomically (core::files::writeFileAtomically); creates
/// missing parent folders first.
void writeFileAtomically(const std::string& path, const void* data, std::size_t size);
inline void writeFileAtomically(const std::string& path, const std::string& bytes) {
  writeFileAtomically(path, bytes.data(), bytes.size());
}

/// Copies \p from to \p to atomically (read whole, then writeFileAtomically): \p to is either the
/// old file or a complete copy, never half of one.
void copyFileAtomically(const std::string& from, const std::string& to);

/// Reads a whole file. Throws std::runtime_error naming the file when it is missing or unreadable.
std::string readWholeFile(const std::string& path);

} // namespace core::labels
