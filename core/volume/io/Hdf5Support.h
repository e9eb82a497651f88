#pragma once
/// \file Hdf5Support.h
/// INTERNAL to readers of HDF5 files (core/volume/io, the Keras import): an owning HDF5 handle,
/// silenced error printing and the reason of the last failed call.

#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace core::volume::io {

/// Held (on the stack) around every use of libhdf5 in this process: the metadata probe forks
/// only while no thread holds one (Hdf5IO.cpp). Reentrant on one thread.
struct Hdf5Use {
  Hdf5Use();
  ~Hdf5Use();
  Hdf5Use(const Hdf5Use&) = delete;
  Hdf5Use& operator=(const Hdf5Use&) = delete;
};

/// Owns an HDF5 identifier.
class Hid {
public:
  Hid() = default;
  Hid(hid_t id, herr_t (*close)(hid_t)) : m_id(id), m_close(close) {}
  Hid(Hid&& o) noexcept : m_id(o.m_id), m_close(o.m_close) { o.m_id = -1; }
  Hid& operator=(Hid&& o) noexcept {
    reset();
    m_id = o.m_id;
    m_close = o.m_close;
    o.m_id = -1;
    return *this;
  }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  ~Hid() { reset(); }
  void reset() { (void)close(); }
  /// Closes now; the status of the close (HDF5 may report deferred write errors only here).
  herr_t close() {
    herr_t rc = 0;
    if (m_id >= 0 && m_close) rc = m_close(m_id);
    m_id = -1;
    return rc;
  }
  hid_t get() const { return m_id; }
  bool valid() const { return m_id >= 0; }

private:
  hid_t m_id = -1;
  herr_t (*m_close)(hid_t) = nullptr;
};

/// Before the first HDF5 call of the process: errors are returned, not printed; HDF5 does not
/// close what is still open at exit (see Hdf5IO.cpp).
void silenceHdf5();
/// The reason of the last failed HDF5 call on this thread.
std::string hdf5Reason();
/// The datasets of a file (for the message when the wanted one is missing).
std::string listDatasets(hid_t file);
/// True when \p file has dataset \p path (also when an intermediate group is missing: false).
bool datasetExists(hid_t file, const std::string& path);

/// Walks the metadata of \p dataset (with \p pyramid: and of every level of its pyramid) of
/// \p path in a forked child first (Hdf5Probe.cpp), once per unchanged file; throws
/// std::runtime_error naming the file when the child crashes, stalls or finds a chunk outside
/// the file. Call it holding no Hdf5Use.
void probeHdf5InChild(const std::string& path, const std::string& dataset, bool pyramid = false);
/// True when \p base and its pyramid were probed together (the file unchanged since).
bool probedWithPyramid(const std::string& path, const std::string& base);
/// How many datasets the probe children of this process checked in one pass over their chunk
/// index (H5Ddebug's listing), not by the look-ups whose cost grows with the square of the
/// chunks (the fallback). Tests use it.
std::uint64_t hdf5DatasetsCheckedByListing();

/// Where every chunk of a 3D chunked dataset lies in its file, as the probe's listing found it
/// (one pass over the chunk index), so that a reader finds a chunk without libhdf5's look-up by
/// coordinate (which walks the index in 1.10). Sizes and chunk positions in z, y, x order.
struct Hdf5ChunkTable {
  struct Entry {
    std::uint64_t address = HADDR_UNDEF; ///< HADDR_UNDEF: not stored (the fill value)
    std::uint64_t bytes = 0;             ///< stored bytes
  };
  hsize_t dims[3] = {0, 0, 0}, chunk[3] = {1, 1, 1}, grid[3] = {0, 0, 0};
  std::vector<Entry> entries; ///< by chunk position (cz * grid[1] + cy) * grid[2] + cx
  /// The chunk at position (cz, cy, cx) of the grid (each inside it).
  const Entry& at(hsize_t cz, hsize_t cy, hsize_t cx) const { return entries[std::size_t((cz * grid[1] + cy) * grid[2] + cx)]; }
};
/// The chunk table the probe listed for \p dataset of \p path; null when there is none (the
/// listing failed, a 2D or huge grid) or the file changed since (size, time or inode).
std::shared_ptr<const Hdf5ChunkTable> hdf5ChunkTable(const std::string& path, const std::string& dataset);
/// How many chunk planes the HDF5 readers of this process found through a chunk table, not by
/// libhdf5's look-up. Tests use it.
std::uint64_t hdf5PlanesFoundByTable();
/// Off: readers opened from now on ignore the chunk tables and look each chunk up in libhdf5 (the
/// fallback). Tests use it to compare the two.
void useHdf5ChunkTables(bool on);

} // namespace core::volume::io
