// HDF5 volumes: a dataset of rank 3 (z, y, x; the Data Exchange layout, default /exchange/data)
// or rank 2. Reading selects hyperslabs, so only the requested slices are read. Writing creates a
// chunked dataset (optionally deflated) and writes whole layers of chunks.
// Spacing and origin are the dataset attributes "spacing" and "origin": 3 doubles in z, y, x
// order (like the dimensions), micrometres. With WriteOptions::pyramidLevels > 1 (or kAutoLevels)
// the 2x block-mean levels k = 1, 2, ... follow as datasets "<dataset>_levels/<k>", each with
// spacing, origin and the OME-style "scale", "translation" (z, y, x) and "downsample_factor"
// (README, "Chunked multiscale files").
#include "core/volume/Checked.h"
#include "core/volume/io/ChunkedReader.h"
#include "core/volume/io/Hdf5Support.h"
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/Pyramid.h"
#include "core/volume/io/Readers.h"
#include "core/volume/io/Writers.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <hdf5.h>
#include <zlib.h>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>

namespace core::volume::io {

// Before the first HDF5 call of the process: errors are returned, not printed; and HDF5 does not
// close what is still open at exit. A file whose close failed (a full disk) stays registered in
// HDF5 1.10, and closing it again at exit crashes the process (measured with 1.10.8); our writers
// always close their files themselves, readers only read.
void silenceHdf5() {
  static const bool once = [] {
    H5dont_atexit();
    return true;
  }();
  (void)once;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

namespace {
herr_t collectError(unsigned, const H5E_error2_t* e, void* data) {
  if (e->desc) static_cast<std::vector<std::string>*>(data)->push_back(e->desc);
  return 0;
}
} // namespace

// The reason of the last failed HDF5 call on this thread: the system's message when a read or
// write of the file failed ("No space left on device"), else HDF5's innermost description.
std::string hdf5Reason() {
  std::vector<std::string> descs;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collectError, &descs);
  const std::string key = "error message = '";
  for (const auto& d : descs)
    if (const auto at = d.find(key); at != std::string::npos) {
      const auto end = d.find('\'', at + key.size());
      return d.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
    }
  return descs.empty() ? std::string("unknown HDF5 error") : "HDF5: " + descs.back();
}

namespace {

hid_t memoryType(VoxelType t) {
  switch (t) {
  case VoxelType::UInt8: return H5T_NATIVE_UINT8;
  case VoxelType::UInt16: return H5T_NATIVE_UINT16;
  case VoxelType::UInt32: return H5T_NATIVE_UINT32;
  case VoxelType::Float32: break;
  }
  return H5T_NATIVE_FLOAT;
}

herr_t collectName(hid_t, const char* name, const H5L_info_t* info, void* data) {
  if (info->type == H5L_TYPE_HARD) static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
  return 0;
}

} // namespace

// The datasets of a file (for the message when the wanted one is missing).
std::string listDatasets(hid_t file) {
  std::vector<std::string> links, sets;
  H5Lvisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, collectName, &links);
  for (const auto& l : links) {
    Hid d(H5Dopen2(file, l.c_str(), H5P_DEFAULT), H5Dclose);
    if (d.valid()) sets.push_back(l);
  }
  if (sets.empty()) return "it has no datasets";
  std::string s = "its datasets: ";
  for (std::size_t i = 0; i < sets.size() && i < 8; ++i) s += (i ? ", " : "") + sets[i];
  if (sets.size() > 8) s += ", ...";
  return s;
}

bool datasetExists(hid_t file, const std::string& path) {
  // H5Lexists fails on a missing intermediate group, so check each prefix.
  std::size_t pos = 0;
  while (true) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (!prefix.empty() && prefix != "/" && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (pos == std::string::npos) break;
  }
  Hid d(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose);
  return d.valid();
}

namespace {

std::atomic<std::uint64_t> g_planesFoundByTable{0};
std::atomic<bool> g_useTables{true};

class Hdf5Reader final : public SliceReader, public ChunkedReader {
public:
  Hdf5Reader(const std::string& path, const std::string& dataset) : SliceReader(path, "hdf5"), m_dataset(dataset) {
    const Hdf5Use use;
    try {
      openDataset(path, dataset);
    } catch (...) {
      closeHandles(); // inside the gate, not later when the members go
      throw;
    }
  }
  ~Hdf5Reader() override {
    const Hdf5Use use;
    closeHandles();
  }

  void closeHandles() {
    m_set.reset();
    m_file.reset();
    if (m_planeFd >= 0) ::close(m_planeFd);
    m_planeFd = -1;
  }

  void openDataset(const std::string& path, const std::string& dataset) {
    silenceHdf5();
    const std::uint64_t bytes = fileSize(path);
    if (bytes == 0) fail("file " + inQuotes(path) + " is empty");
    if (H5Fis_hdf5(path.c_str()) <= 0) fail("file " + inQuotes(path) + " is not an HDF5 file (or is damaged)");
    m_file = Hid(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!m_file.valid()) fail("file " + inQuotes(path) + " cannot be opened as HDF5 (damaged or truncated)");
    if (dataset.empty() || dataset[0] != '/') m_dataset = "/" + dataset;
    if (!datasetExists(m_file.get(), m_dataset))
      fail("file " + inQuotes(path) + " has no dataset " + inQuotes(m_dataset) + "; " + listDatasets(m_file.get()));
    m_set = Hid(H5Dopen2(m_file.get(), m_dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Hid space(H5Dget_space(m_set.get()), H5Sclose);
    m_rank = H5Sget_simple_extent_ndims(space.get());
    if (m_rank != 2 && m_rank != 3)
      fail("dataset " + inQuotes(m_dataset) + " of " + inQuotes(path) + " has " + std::to_string(m_rank) +
           " dimensions; a volume needs 3 (z, y, x) or 2 (y, x)");
    hsize_t dims[3] = {1, 1, 1};
    H5Sget_simple_extent_dims(space.get(), m_rank == 3 ? dims : dims + 1, nullptr);
    m_info.size = {std::int64_t(dims[2]), std::int64_t(dims[1]), std::int64_t(dims[0])};
    if (m_info.size.empty()) fail("dataset " + inQuotes(m_dataset) + " of " + inQuotes(path) + " is empty");

    Hid type(H5Dget_type(m_set.get()), H5Tclose);
    const H5T_class_t cls = H5Tget_class(type.get());
    const std::size_t size = H5Tget_size(type.get());
    Component c{};
    if (cls == H5T_INTEGER && size <= 4) {
      const bool sign = H5Tget_sign(type.get()) == H5T_SGN_2;
      c = size == 1 ? (sign ? Component::I8 : Component::U8)
          : size == 2 ? (sign ? Component::I16 : Component::U16)
                      : (sign ? Component::I32 : Component::U32);
    } else if (cls == H5T_FLOAT && (size == 4 || size == 8)) {
      c = size == 4 ? Component::F32 : Component::F64;
    } else {
      fail("dataset " + inQuotes(m_dataset) + " of " + inQuotes(path) + " has an unsupported voxel type (" +
           std::to_string(size * 8) + "-bit " + (cls == H5T_INTEGER ? "integer" : cls == H5T_FLOAT ? "float" : "other") + ")");
    }
    m_info.type = voxelTypeFor(c);
    (void)m_info.bytes();
    readVectorAttribute("spacing", m_info.spacing);
    readVectorAttribute("origin", m_info.origin);

    Hid dcpl(H5Dget_create_plist(m_set.get()), H5Pclose);
    const H5D_layout_t layout = H5Pget_layout(dcpl.get());
    if (layout == H5D_CONTIGUOUS) {
      // libhdf5 1.10 copies past its buffer when the stored size is below what the dataspace needs
      // (the fuzzer: a segfault in H5D__contig_read).
      const std::uint64_t needed = std::uint64_t(m_info.size.count()) * componentSize(c);
      if (H5Dget_storage_size(m_set.get()) < needed)
        fail("HDF5 file " + inQuotes(path) + " is damaged: dataset " + inQuotes(m_dataset) + " stores " +
             std::to_string(H5Dget_storage_size(m_set.get())) + " bytes of the " + std::to_string(needed) + " it needs");
      const haddr_t offset = H5Dget_offset(m_set.get());
      if (offset != HADDR_UNDEF)
        checkTruncated(path, saturatingAdd<std::uint64_t>(offset, std::uint64_t(m_info.size.count()) * componentSize(c)),
                       bytes);
    } else if (layout == H5D_CHUNKED) {
      hsize_t chunk[3] = {1, 1, 1};
      if (H5Pget_chunk(dcpl.get(), m_rank, m_rank == 3 ? chunk : chunk + 1) != m_rank)
        fail("dataset " + inQuotes(m_dataset) + " of " + inQuotes(path) + " has a damaged chunk layout");
      for (int i = 0; i < 3; ++i)
        if (chunk[i] < 1 || chunk[i] > dims[i])
          chunk[i] = std::max<hsize_t>(1, std::min<hsize_t>(chunk[i], dims[i])); // only for the cache size
      m_chunkDepth = std::int64_t(chunk[0]);
      m_chunkRows = std::int64_t(chunk[1]);
      rememberDeflatedChunks(dcpl.get(), dims, componentSize(c));
      // Reading slice by slice revisits every chunk of a layer chunk-depth times: cache one layer
      // of the chunks (bounded), reopened with that cache. Chunks lie within the (checked) sizes,
      // so nothing below overflows.
      const std::uint64_t layer = std::uint64_t((dims[1] + chunk[1] - 1) / chunk[1]) *
                                  std::uint64_t((dims[2] + chunk[2] - 1) / chunk[2]) * chunk[0] * chunk[1] * chunk[2] *
                                  componentSize(c);
      m_chunkShape = {std::int64_t(chunk[2]), std::int64_t(chunk[1]), std::int64_t(chunk[0])};
      m_filtered = H5Pget_nfilters(dcpl.get()) != 0;
      // Planes of plain chunks stored in the memory's byte order are read straight from the file
      // (readPlane): libhdf5 1.10 reads the whole chunk for a one-plane hyperslab (measured).
      Hid fileType(H5Dget_type(m_set.get()), H5Tclose);
      hsize_t stored[3] = {0, 0, 0}; // the chunk as stored (chunk[] above may be clipped)
      const bool whole = m_rank == 3 && H5Pget_chunk(dcpl.get(), 3, stored) == 3 &&
                         stored[0] == chunk[0] && stored[1] == chunk[1] && stored[2] == chunk[2];
      if (!m_filtered && whole && H5Tequal(fileType.get(), memoryType(m_info.type)) > 0) {
        m_planeFd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        m_fileBytes = bytes;
        // Where each chunk lies, from the probe's listing: a plane is then one pread at a known
        // offset (libhdf5 1.10's look-up by coordinate walks the chunk index). Only a table of
        // this very dataset shape; else the look-up.
        auto table = g_useTables.load() ? hdf5ChunkTable(path, m_dataset) : nullptr;
        if (table && std::equal(stored, stored + 3, table->chunk) && std::equal(dims, dims + 3, table->dims))
          m_table = std::move(table);
      }
      setChunkCacheBytes(std::min<std::uint64_t>(layer, std::uint64_t(256) << 20));
    }
  }

  /// The dataset's chunk (x, y, z); empty for a contiguous dataset (read in any blocks alike).
  Size3 chunkShape() const override { return m_chunkShape; }
  /// Unfiltered chunks: libhdf5 reads a hyperslab of a chunk straight from the file (the chunk
  /// cache is 0 under LazyVolume), so one plane costs one plane.
  bool readsPlanesCheaply() const override { return m_planeFd >= 0; }
  /// From the probe's chunk table, when there is one.
  std::function<std::uint64_t(const Index3&)> chunkFileOffsets() const override {
    if (!m_table) return {};
    return [t = m_table](const Index3& at) {
      auto cell = [&](std::int64_t v, int axis) {
        return std::min<hsize_t>(hsize_t(std::max<std::int64_t>(v, 0)) / t->chunk[axis], t->grid[axis] - 1);
      };
      return std::uint64_t(t->at(cell(at.z, 0), cell(at.y, 1), cell(at.x, 2)).address);
    };
  }
  /// Reopens the dataset with HDF5's chunk cache of \p bytes (0: chunks go straight to the caller).
  void setChunkCacheBytes(std::uint64_t bytes) override {
    if (m_chunkShape.empty()) return;
    const Hdf5Use use;
    Hid dapl(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose);
    H5Pset_chunk_cache(dapl.get(), 100003, std::size_t(bytes), 1.0);
    Hid set(H5Dopen2(m_file.get(), m_dataset.c_str(), dapl.get()), H5Dclose);
    if (!set.valid()) fail("cannot open dataset " + inQuotes(m_dataset) + " of " + inQuotes(path()) + " again");
    m_set = std::move(set);
  }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t stride) override {
    const Hdf5Use use;
    const std::size_t vs = voxelSize(m_info.type);
    const hsize_t memDims[2] = {hsize_t(ny), hsize_t(stride / vs)};
    const hsize_t memStart[2] = {0, 0}, memCount[2] = {hsize_t(ny), hsize_t(nx)};
    Hid mem(H5Screate_simple(2, memDims, nullptr), H5Sclose);
    H5Sselect_hyperslab(mem.get(), H5S_SELECT_SET, memStart, nullptr, memCount, nullptr);
    read({{x0, y0, z}, {nx, ny, 1}}, mem.get(), dst);
  }

  void readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress,
                 jobs::CancelToken& cancel) override {
    const Hdf5Use use;
    if (region.size.z == 1 && m_planeFd >= 0 && readPlane(region, dst)) return;
    const std::uint64_t slice = std::uint64_t(region.size.x * region.size.y) * voxelSize(m_info.type);
    std::int64_t step = std::max<std::int64_t>(1, std::int64_t((std::uint64_t(64) << 20) / slice));
    step = std::max<std::int64_t>(m_chunkDepth, (step / m_chunkDepth) * m_chunkDepth);
    for (std::int64_t z = region.start.z; z < region.end().z;) {
      cancel.throwIfCancelled();
      // Pieces end on chunk boundaries so that each chunk is read once.
      const std::int64_t end = std::min(region.end().z, ((z + step) / m_chunkDepth) * m_chunkDepth);
      const hsize_t memDims[3] = {hsize_t(end - z), hsize_t(region.size.y), hsize_t(region.size.x)};
      Hid mem(H5Screate_simple(3, memDims, nullptr), H5Sclose);
      read({{region.start.x, region.start.y, z}, {region.size.x, region.size.y, end - z}}, mem.get(),
           dst + std::uint64_t(z - region.start.z) * slice);
      z = end;
      progress.setProgress(double(z - region.start.z) / double(region.size.z), "Reading");
    }
  }

  std::int64_t preferredRows() const override { return std::max<std::int64_t>(m_chunkRows, 64); }

private:
  // One z plane of \p region from the chunks' bytes in the file (plain chunks, the memory's byte
  // order; each chunk's place checked against the file's size as the probe did). False: read it
  // through libhdf5 instead.
  bool readPlane(const Region& region, std::uint8_t* dst) {
    const std::size_t vs = voxelSize(m_info.type);
    const Size3 c = m_chunkShape;
    const std::uint64_t chunkBytes = std::uint64_t(c.count()) * vs, planeBytes = std::uint64_t(c.x * c.y) * vs;
    const std::int64_t z = region.start.z, zIn = z % c.z;
    std::vector<std::uint8_t> plane(static_cast<std::size_t>(planeBytes));
    const Index3 e = region.end();
    for (std::int64_t cy = region.start.y / c.y; cy * c.y < e.y; ++cy)
      for (std::int64_t cx = region.start.x / c.x; cx * c.x < e.x; ++cx) {
        const hsize_t at[3] = {hsize_t(z - zIn), hsize_t(cy * c.y), hsize_t(cx * c.x)};
        unsigned mask = 0;
        haddr_t addr = HADDR_UNDEF;
        hsize_t size = 0;
        if (m_table) {
          const Hdf5ChunkTable::Entry& entry = m_table->at(hsize_t(z / c.z), hsize_t(cy), hsize_t(cx));
          addr = entry.address;
          size = entry.bytes;
          g_planesFoundByTable.fetch_add(1, std::memory_order_relaxed);
        } else if (H5Dget_chunk_info_by_coord(m_set.get(), at, &mask, &addr, &size) < 0) {
          return false;
        }
        if (addr == HADDR_UNDEF) {
          std::fill(plane.begin(), plane.end(), std::uint8_t(0)); // not stored: the fill value
        } else {
          if (size != chunkBytes || addr > m_fileBytes || chunkBytes > m_fileBytes - addr) return false;
          const off_t offset = off_t(addr + std::uint64_t(zIn) * planeBytes);
          if (::pread(m_planeFd, plane.data(), plane.size(), offset) != ssize_t(plane.size())) return false;
        }
        // The part of this chunk's plane inside the region, row by row.
        const std::int64_t x0 = std::max(region.start.x, cx * c.x), x1 = std::min(e.x, (cx + 1) * c.x);
        const std::int64_t y0 = std::max(region.start.y, cy * c.y), y1 = std::min(e.y, (cy + 1) * c.y);
        for (std::int64_t y = y0; y < y1; ++y)
          std::memcpy(dst + (std::size_t(y - region.start.y) * std::size_t(region.size.x) + std::size_t(x0 - region.start.x)) * vs,
                      plane.data() + (std::size_t(y - cy * c.y) * std::size_t(c.x) + std::size_t(x0 - cx * c.x)) * vs,
                      std::size_t(x1 - x0) * vs);
      }
    return true;
  }

  void read(const Region& r, hid_t mem, void* dst) {
    const Hdf5Use use;
    verifyDeflatedChunks(r);
    Hid file(H5Dget_space(m_set.get()), H5Sclose);
    const hsize_t start3[3] = {hsize_t(r.start.z), hsize_t(r.start.y), hsize_t(r.start.x)};
    const hsize_t count3[3] = {hsize_t(r.size.z), hsize_t(r.size.y), hsize_t(r.size.x)};
    H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, m_rank == 3 ? start3 : start3 + 1, nullptr,
                        m_rank == 3 ? count3 : count3 + 1, nullptr);
    if (H5Dread(m_set.get(), memoryType(m_info.type), mem, file.get(), H5P_DEFAULT, dst) < 0)
      fail("cannot read dataset " + inQuotes(m_dataset) + " of " + inQuotes(path()) + " (damaged or truncated file)");
  }
  void readVectorAttribute(const char* name, Vec3& out) {
    if (H5Aexists(m_set.get(), name) <= 0) return;
    Hid a(H5Aopen(m_set.get(), name, H5P_DEFAULT), H5Aclose);
    Hid s(H5Aget_space(a.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(s.get()) != 3) return;
    double v[3];
    if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, v) < 0) return;
    out = {v[2], v[1], v[0]};
  }

  // libhdf5 1.10 does not check that a deflated chunk inflates to a whole chunk, and copies past
  // its buffer when it does not (found by the fuzzer: a segfault in H5Dread). So each such chunk
  // is inflated once here first (zlib, into a scratch buffer) before libhdf5 reads it; datasets
  // with other filters (szip, plugins) are read as they are.
  void rememberDeflatedChunks(hid_t dcpl, const hsize_t* dims, std::size_t voxelBytes) {
    const int n = H5Pget_nfilters(dcpl);
    bool deflate = false;
    for (int i = 0; i < n; ++i) {
      unsigned flags = 0;
      std::size_t nValues = 0;
      const H5Z_filter_t f = H5Pget_filter2(dcpl, unsigned(i), &flags, &nValues, nullptr, 0, nullptr, nullptr);
      if (f == H5Z_FILTER_DEFLATE) deflate = true;
      else if (f != H5Z_FILTER_SHUFFLE) return;
    }
    if (!deflate) return;
    hsize_t chunk[3] = {1, 1, 1};
    Hid plist(H5Dget_create_plist(m_set.get()), H5Pclose);
    if (H5Pget_chunk(plist.get(), m_rank, m_rank == 3 ? chunk : chunk + 1) != m_rank) return;
    m_chunkBytes = voxelBytes;
    for (int i = 0; i < 3; ++i) {
      m_chunk[i] = std::max<hsize_t>(1, chunk[i]);
      m_grid[i] = (dims[i] + m_chunk[i] - 1) / m_chunk[i];
      m_chunkBytes *= m_chunk[i];
    }
    m_deflated = true;
  }
  void verifyDeflatedChunks(const Region& r) {
    if (!m_deflated) return;
    const hsize_t lo[3] = {hsize_t(r.start.z), hsize_t(r.start.y), hsize_t(r.start.x)};
    const hsize_t hi[3] = {hsize_t(r.end().z - 1), hsize_t(r.end().y - 1), hsize_t(r.end().x - 1)};
    for (hsize_t cz = lo[0] / m_chunk[0]; cz <= hi[0] / m_chunk[0]; ++cz)
      for (hsize_t cy = lo[1] / m_chunk[1]; cy <= hi[1] / m_chunk[1]; ++cy)
        for (hsize_t cx = lo[2] / m_chunk[2]; cx <= hi[2] / m_chunk[2]; ++cx) {
          const std::uint64_t index = (cz * m_grid[1] + cy) * m_grid[2] + cx; // < voxels: no overflow
          if (m_verified.count(index)) continue;
          const hsize_t at3[3] = {cz * m_chunk[0], cy * m_chunk[1], cx * m_chunk[2]};
          if (!chunkInflatesWhole(m_rank == 3 ? at3 : at3 + 1))
            fail("HDF5 file " + inQuotes(path()) + " is damaged: the deflated chunk at (" + std::to_string(at3[2]) +
                 ", " + std::to_string(at3[1]) + ", " + std::to_string(at3[0]) + ") of dataset " +
                 inQuotes(m_dataset) + " does not inflate to a whole chunk");
          m_verified.insert(index);
        }
  }
  bool chunkInflatesWhole(const hsize_t* offset) {
    hsize_t stored = 0;
    if (H5Dget_chunk_storage_size(m_set.get(), offset, &stored) < 0 || stored == 0) return true; // not stored: fill value
    if (stored > (std::uint64_t(1) << 34)) return false;
    m_raw.resize(std::size_t(stored));
    std::uint32_t skipped = 0;
    if (H5Dread_chunk(m_set.get(), H5P_DEFAULT, offset, &skipped, m_raw.data()) < 0) return false;
    if (skipped != 0) return stored == m_chunkBytes; // stored without its filters
    m_inflated.resize(std::size_t(m_chunkBytes) + 1);
    uLongf got = uLongf(m_inflated.size());
    const int rc = uncompress(m_inflated.data(), &got, m_raw.data(), uLong(stored));
    return rc == Z_OK && got == m_chunkBytes;
  }

  std::string m_dataset;
  Hid m_file, m_set;
  int m_rank = 3;
  std::int64_t m_chunkDepth = 1, m_chunkRows = 64;
  Size3 m_chunkShape{};
  hsize_t m_chunk[3] = {1, 1, 1}, m_grid[3] = {1, 1, 1};
  std::uint64_t m_chunkBytes = 0;
  bool m_deflated = false, m_filtered = false;
  int m_planeFd = -1;           ///< our own descriptor of the file, for readPlane
  std::shared_ptr<const Hdf5ChunkTable> m_table; ///< where each chunk lies (the probe's listing), for readPlane
  std::uint64_t m_fileBytes = 0;
  // Chunks of a deflated dataset inflated whole once, by index. Sparse: the grid of a (damaged or
  // mostly unallocated) dataset may be far larger than memory.
  std::unordered_set<std::uint64_t> m_verified;
  std::vector<std::uint8_t> m_raw, m_inflated;
};

class Hdf5Writer final : public WriterBase {
public:
  Hdf5Writer(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(path, info), m_tmp(path, ".h5") {
    const Hdf5Use use;
    try {
      createFile(info, opts);
    } catch (...) {
      m_sets.clear();
      m_file.reset();
      throw;
    }
  }

  void createFile(const VolumeInfo& info, const WriteOptions& opts) {
    silenceHdf5();
    m_dataset = opts.hdf5Dataset.empty() ? "/exchange/data" : opts.hdf5Dataset;
    if (m_dataset[0] != '/') m_dataset = "/" + m_dataset;
    m_file = Hid(H5Fcreate(m_tmp.path().c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!m_file.valid()) failure("cannot create");
    // Our own copy of HDF5's descriptor: see ~Hdf5Writer.
    void* handle = nullptr;
    if (H5Fget_vfd_handle(m_file.get(), H5P_DEFAULT, &handle) >= 0 && handle) m_fd.fd = ::dup(*static_cast<int*>(handle));
    // Chunks clipped to the volume; the depth shrinks until a layer of chunks fits in 512 MiB.
    const std::uint64_t slice = info.sliceBytes();
    m_depth = std::clamp<std::int64_t>(opts.hdf5Chunk.z, 1, info.size.z);
    while (m_depth > 1 && std::uint64_t(m_depth) * slice > (std::uint64_t(512) << 20)) m_depth /= 2;
    const int levels = opts.pyramidLevels == 0 ? 1 : pyramidLevelCount(info.size, opts.pyramidLevels);
    if (levels > 1) m_depth = pyramidChunkDepth(m_depth, info.size.z);
    const std::vector<VolumeInfo> infos = pyramidLevelInfos(info, levels);
    for (int k = 0; k < levels; ++k) {
      const VolumeInfo& li = infos[std::size_t(k)];
      const hsize_t dims[3] = {hsize_t(li.size.z), hsize_t(li.size.y), hsize_t(li.size.x)};
      Hid space(H5Screate_simple(3, dims, nullptr), H5Sclose);
      const hsize_t chunk[3] = {hsize_t(std::min(m_depth, li.size.z)),
                                hsize_t(std::clamp<std::int64_t>(opts.hdf5Chunk.y, 1, li.size.y)),
                                hsize_t(std::clamp<std::int64_t>(opts.hdf5Chunk.x, 1, li.size.x))};
      Hid dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
      H5Pset_chunk(dcpl.get(), 3, chunk);
      if (opts.compress) {
        H5Pset_shuffle(dcpl.get());
        H5Pset_deflate(dcpl.get(), 4);
      }
      Hid lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
      H5Pset_create_intermediate_group(lcpl.get(), 1);
      const std::string name = hdf5LevelDataset(m_dataset, k);
      Hid set(H5Dcreate2(m_file.get(), name.c_str(), memoryType(info.type), space.get(), lcpl.get(), dcpl.get(),
                         H5P_DEFAULT),
              H5Dclose);
      if (!set.valid()) failure("cannot create dataset " + inQuotes(name) + " in");
      writeVectorAttribute(set.get(), "spacing", li.spacing);
      writeVectorAttribute(set.get(), "origin", li.origin);
      if (levels > 1) {
        writeVectorAttribute(set.get(), "scale", li.spacing);
        writeVectorAttribute(set.get(), "translation", li.origin);
        const hsize_t one = 1;
        Hid as(H5Screate_simple(1, &one, nullptr), H5Sclose);
        Hid a(H5Acreate2(set.get(), "downsample_factor", H5T_NATIVE_INT, as.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
        const int factor = 1 << k;
        if (!a.valid() || H5Awrite(a.get(), H5T_NATIVE_INT, &factor) < 0 || a.close() < 0)
          failure("cannot write attribute 'downsample_factor' of");
      }
      m_sets.push_back(std::move(set));
      m_sizes.push_back(li.size);
    }
    if (levels > 1)
      m_pyramid = std::make_unique<PyramidBuilder>(infos, m_depth, [this](int k, const Volume& layer, std::int64_t z0) {
        write(std::size_t(k), z0, layer.size().z, layer.data());
      });
  }
  ~Hdf5Writer() override {
    const Hdf5Use use;
    // Unfinished: close without looking (the temporary is removed by m_tmp, declared first).
    m_sets.clear();
    m_file.reset();
    // A file whose close failed stays open inside HDF5 until the process ends, holding the disk
    // space of its data although its name is removed: give that space back now.
    if (m_fd.fd >= 0 && !m_finished) (void)::ftruncate(m_fd.fd, 0);
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override {
    const Hdf5Use use;
    if (m_pyramid) return m_pyramid->add(slab);
    const std::uint64_t slice = m_info.sliceBytes();
    const auto* src = static_cast<const std::uint8_t*>(slab.data());
    std::int64_t done = 0, n = slab.size().z;
    while (done < n) {
      const std::int64_t z = z0 + done;
      if (m_buffered == 0 && z % m_depth == 0 && n - done >= m_depth) {
        const std::int64_t whole = ((n - done) / m_depth) * m_depth;
        write(0, z, whole, src + std::uint64_t(done) * slice);
        done += whole;
        continue;
      }
      if (m_buffer.empty()) {
        checkAllocation(std::uint64_t(m_depth) * slice, "the HDF5 chunk buffer for " + inQuotes(m_path));
        m_buffer.resize(std::size_t(std::uint64_t(m_depth) * slice));
      }
      if (m_buffered == 0) m_bufferZ = z;
      const std::int64_t take = std::min(m_depth - m_buffered, n - done);
      std::memcpy(m_buffer.data() + std::uint64_t(m_buffered) * slice, src + std::uint64_t(done) * slice,
                  std::size_t(std::uint64_t(take) * slice));
      m_buffered += take;
      done += take;
      if (m_buffered == m_depth || m_bufferZ + m_buffered == m_info.size.z) {
        write(0, m_bufferZ, m_buffered, m_buffer.data());
        m_buffered = 0;
      }
    }
  }

  void complete() override {
    const Hdf5Use use;
    if (m_buffered > 0) write(0, m_bufferZ, m_buffered, m_buffer.data());
    m_buffered = 0;
    // HDF5 caches chunks and metadata: the writes to the file happen at flush and close, and a
    // full disk is reported there, so every status counts.
    for (Hid& set : m_sets) {
      if (H5Dflush(set.get()) < 0) failure("cannot write");
      if (set.close() < 0) failure("cannot write");
    }
    if (H5Fflush(m_file.get(), H5F_SCOPE_GLOBAL) < 0) failure("cannot write");
    if (m_file.close() < 0) failure("cannot write");
    m_fd.close(); // HDF5 closed the file; our copy would keep HDF5's lock on it
    verify();
    syncPath(m_tmp.path());
    m_tmp.commit();
  }

private:
  [[noreturn]] void failure(const std::string& what, const std::string& detail = {}) {
    fail(what + " " + inQuotes(m_path) + ": " + (detail.empty() ? hdf5Reason() : detail + " (" + hdf5Reason() + ")"));
  }

  // Opens the closed file again: its datasets (every level) must be there with the sizes written.
  void verify() {
    Hid file(H5Fopen(m_tmp.path().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) failure("cannot write", "the file written does not open");
    for (std::size_t k = 0; k < m_sizes.size(); ++k) {
      Hid set(H5Dopen2(file.get(), hdf5LevelDataset(m_dataset, int(k)).c_str(), H5P_DEFAULT), H5Dclose);
      if (!set.valid()) failure("cannot write", "the dataset written is missing");
      Hid space(H5Dget_space(set.get()), H5Sclose);
      hsize_t dims[3] = {0, 0, 0};
      const Size3& s = m_sizes[k];
      if (H5Sget_simple_extent_ndims(space.get()) != 3 || H5Sget_simple_extent_dims(space.get(), dims, nullptr) != 3 ||
          dims[0] != hsize_t(s.z) || dims[1] != hsize_t(s.y) || dims[2] != hsize_t(s.x))
        fail("cannot write " + inQuotes(m_path) + ": the dataset written has the wrong size");
    }
  }
  /// Slices [z, z + n) of level \p level.
  void write(std::size_t level, std::int64_t z, std::int64_t n, const void* data) {
    const hsize_t start[3] = {hsize_t(z), 0, 0};
    const hsize_t count[3] = {hsize_t(n), hsize_t(m_sizes[level].y), hsize_t(m_sizes[level].x)};
    const hid_t set = m_sets[level].get();
    Hid file(H5Dget_space(set), H5Sclose);
    H5Sselect_hyperslab(file.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    Hid mem(H5Screate_simple(3, count, nullptr), H5Sclose);
    if (H5Dwrite(set, memoryType(m_info.type), mem.get(), file.get(), H5P_DEFAULT, data) < 0) failure("cannot write");
  }
  void writeVectorAttribute(hid_t set, const char* name, const Vec3& v) {
    const hsize_t n = 3;
    Hid space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Hid a(H5Acreate2(set, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    const double zyx[3] = {v.z, v.y, v.x};
    if (!a.valid() || H5Awrite(a.get(), H5T_NATIVE_DOUBLE, zyx) < 0 || a.close() < 0)
      failure(std::string("cannot write attribute '") + name + "' of");
  }

  TemporaryPath m_tmp; // first member: removed after the HDF5 handles are closed
  struct Descriptor {
    int fd = -1;
    void close() {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
    ~Descriptor() { close(); }
  } m_fd;
  std::string m_dataset;
  Hid m_file;
  std::vector<Hid> m_sets;   ///< one dataset per level (0 = full resolution)
  std::vector<Size3> m_sizes; ///< and its size
  std::unique_ptr<PyramidBuilder> m_pyramid; ///< with levels: buffers one chunk layer per level
  std::int64_t m_depth = 1, m_buffered = 0, m_bufferZ = 0;
  std::vector<std::uint8_t> m_buffer;
};

} // namespace

std::uint64_t hdf5PlanesFoundByTable() { return g_planesFoundByTable.load(); }
void useHdf5ChunkTables(bool on) { g_useTables.store(on); }

std::string hdf5LevelDataset(const std::string& dataset, int level) {
  const std::string d = dataset.empty() || dataset[0] != '/' ? "/" + dataset : dataset;
  return level == 0 ? d : d + "_levels/" + std::to_string(level);
}

namespace {
// The number of levels of \p dataset (1 without a pyramid); the metadata of the dataset and of
// every level is walked in one child first, as every dataset opened here.
int hdf5LevelCount(const std::string& path, const std::string& dataset) {
  probeHdf5InChild(path, dataset, true);
  const Hdf5Use use;
  silenceHdf5();
  Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) fail("file " + inQuotes(path) + " cannot be opened as HDF5 (damaged or truncated)");
  int n = 1;
  while (n < 64) {
    if (!datasetExists(file.get(), hdf5LevelDataset(dataset, n))) break;
    ++n;
  }
  return n;
}
} // namespace

std::unique_ptr<SliceReader> openHdf5(const std::string& path, const std::string& dataset, int level) {
  if (level != 0) {
    const int n = level > 0 ? int(hdf5Levels(path, dataset).size()) : 1;
    if (level < 0 || level >= n)
      fail(inQuotes(path) + " has " + std::to_string(n) + " resolution level" + (n == 1 ? "" : "s") + " of " +
           inQuotes(hdf5LevelDataset(dataset, 0)) + "; level " + std::to_string(level) + " does not exist");
  }
  const std::string name = hdf5LevelDataset(dataset, level);
  if (!probedWithPyramid(path, dataset)) probeHdf5InChild(path, name);
  return std::make_unique<Hdf5Reader>(path, name);
}

std::vector<VolumeInfo> hdf5Levels(const std::string& path, const std::string& dataset) {
  const int n = hdf5LevelCount(path, dataset);
  std::vector<VolumeInfo> out;
  for (int k = 0; k < n; ++k) {
    const std::string name = hdf5LevelDataset(dataset, k);
    out.push_back(Hdf5Reader(path, name).info());
    if (k == 0) continue;
    const Size3 a = out[std::size_t(k) - 1].size, want{(a.x + 1) / 2, (a.y + 1) / 2, (a.z + 1) / 2}, got = out.back().size;
    if (!(got == want) || out.back().type != out.front().type)
      fail("HDF5 file " + inQuotes(path) + " is damaged: pyramid level " + std::to_string(k) + " (" + inQuotes(name) +
           ") is " + describe(got, out.back().type) + ", expected " + describe(want, out.front().type) +
           " (half of level " + std::to_string(k - 1) + ")");
  }
  return out;
}

std::unique_ptr<VolumeWriter> createHdf5Writer(const std::string& path, const VolumeInfo& info, const WriteOptions& opts) {
  return std::make_unique<Hdf5Writer>(path, info, opts);
}

} // namespace core::volume::io
