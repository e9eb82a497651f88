#pragma once
/// \file AtomicFile.h
/// Writing files so that a crash, a kill -9 or a full disk never leaves a broken file in place of
/// a good one, and never leaves temporary files behind. Every writer of the project (volumes,
/// labels, projects, checkpoints, CSV, autosave, cluster manifests) goes through these:
/// - the bytes go to a hidden temporary sibling ".<name>.tmp-<pid>-<n><suffix>" in the same
///   folder (rename is atomic only within one file system);
/// - every write, the fsync and the close are checked; any failure throws std::runtime_error
///   naming the destination and the system's reason ("No space left on device"), and the
///   temporary is removed (RAII: also when an exception passes through);
/// - only after all of that is the temporary renamed over the destination, and the folder synced;
/// - temporaries left by processes that no longer run (kill -9, power cut) are removed the next
///   time the same destination is written (their name carries the process id). Processes on other
///   machines sharing the folder (NFS) are not visible here: two hosts writing the same
///   destination at the same moment is unsupported anyway.
/// Any thread (one object per thread).

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

namespace core::files {

/// Throws std::runtime_error("cannot <what> '<path>': <strerror(err)>").
[[noreturn]] void throwSystemError(const std::string& what, const std::string& path, int err = errno);

/// A fresh temporary name next to \p target, in the same folder: "<dir>/.<name>.tmp-<pid>-<n><suffix>".
/// A trailing '/' of \p target is ignored (folders).
std::string temporarySibling(const std::string& target, const std::string& suffix = {});

/// True when \p name (a file name, no folder) is a temporary of destination \p targetName written
/// by process \p pid (set when true).
bool isTemporaryOf(const std::string& name, const std::string& targetName, long* pid = nullptr);

/// Removes the temporaries of \p target (files or folders) left by processes that no longer run.
/// Best effort: never throws. Returns how many were removed.
int removeStaleTemporaries(const std::string& target);

/// Removes every temporary in folder \p dir (of any destination) left by processes that no longer
/// run: for writers whose destinations change from run to run (periodic checkpoints). Best effort:
/// never throws. Returns how many were removed.
int removeStaleTemporariesIn(const std::string& dir);

/// Writes exactly \p n bytes to \p fd (loops over short writes and EINTR); throws naming \p path.
void writeFully(int fd, const void* data, std::size_t n, const std::string& path);

/// fsyncs the file or folder at \p path, checked (EINVAL, a file system that cannot sync, is not an
/// error). Throws naming it.
void syncPath(const std::string& path);

/// Renames \p from over \p to (a trailing '/' of \p to is ignored) and syncs the folder. Throws
/// naming both.
void renameInto(const std::string& from, const std::string& to);

/// The temporary of one atomic write of \p target (a file or a folder, which the caller creates at
/// path()). Constructing it removes stale temporaries of \p target; destroying it without commit()
/// removes the temporary (file or whole folder), so no failure path leaves one behind.
class TemporaryPath {
public:
  explicit TemporaryPath(const std::string& target, const std::string& suffix = {});
  ~TemporaryPath();
  TemporaryPath(const TemporaryPath&) = delete;
  TemporaryPath& operator=(const TemporaryPath&) = delete;

  const std::string& path() const { return m_path; }
  const std::string& target() const { return m_target; }
  bool committed() const { return m_committed; }
  /// Renames the temporary over the target and syncs the folder. The caller synced the data first.
  void commit();
  /// Removes the temporary now (no-op after commit()). Never throws.
  void discard() noexcept;

private:
  std::string m_target, m_path;
  bool m_committed = false;
};

/// One file written atomically through a file descriptor: write() checks every write; commit()
/// fsyncs, checks that the file holds every byte written, closes (checked) and renames into
/// place. Destroying it without commit() closes and removes the temporary; the target is untouched.
class AtomicFile {
public:
  /// Creates the temporary (exclusive, mode 0644 less the umask). Throws naming \p target.
  explicit AtomicFile(const std::string& target, const std::string& suffix = {});
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t n);
  void write(const std::string& bytes) { write(bytes.data(), bytes.size()); }
  /// The descriptor, for writers that write through it themselves (zlib): the caller checks those
  /// writes; commit() then checks the size against \p expectedSize when given instead of the
  /// bytes counted by write().
  int fd() const { return m_fd; }
  const std::string& temporaryPath() const { return m_tmp.path(); }
  std::uint64_t bytesWritten() const { return m_written; }
  void commit();
  void commitExpecting(std::uint64_t expectedSize);

private:
  TemporaryPath m_tmp;
  int m_fd = -1;
  std::uint64_t m_written = 0;
};

/// Replaces \p path with \p size bytes at \p data atomically. The folder must exist.
void writeFileAtomically(const std::string& path, const void* data, std::size_t size);
inline void writeFileAtomically(const std::string& path, const std::string& bytes) {
  writeFileAtomically(path, bytes.data(), bytes.size());
}

} // namespace core::files
