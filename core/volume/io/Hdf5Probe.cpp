// The HDF5 metadata probe (a forked child walks what a reader will walk) and the gate that keeps
// fork() away from threads inside libhdf5. Internal to the HDF5 reader (Hdf5Support.h).
#include "core/volume/io/Hdf5Support.h"
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/Readers.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <cstring>
#include <map>
#include <mutex>
#include <poll.h>
#include <set>
#include <string>
#include <shared_mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace core::volume::io {

// The probe below forks. A thread inside libhdf5 at that moment holds its global lock (Debian's
// libhdf5 is thread-safe), and the child, which has only the forking thread, would wait on it
// forever (seen as a 10 s stall, then a false "damaged" error). So every use of libhdf5 in this
// process holds the gate shared, and fork() holds it exclusively. Reentrant per thread.
namespace {
std::shared_mutex& hdf5Gate() {
  static std::shared_mutex gate;
  return gate;
}
thread_local int t_gateDepth = 0;
} // namespace

Hdf5Use::Hdf5Use() {
  if (t_gateDepth++ == 0) hdf5Gate().lock_shared();
}
Hdf5Use::~Hdf5Use() {
  if (--t_gateDepth == 0) hdf5Gate().unlock_shared();
}

namespace {

// libhdf5 1.10 trusts the addresses in a file's metadata: a damaged B-tree or heap address makes
// it read out of bounds and crash the whole process (found by the reader fuzzer: a 64-bit field
// set to -1 segfaulted in H5F__accum_read under H5Lexists). So the metadata a reader walks (the
// superblock, the groups down to the dataset, its dataspace, type, layout, attributes and chunk
// index) is walked first in a forked child: a crash or a hang there becomes an error naming the
// file, and only a file that survives it is opened here. The child runs no atexit handlers.
constexpr int kDamagedChunks = 3;
constexpr int kStallMs = 10000; // no progress for this long: libhdf5 loops on the metadata

// In the child: the write end of a pipe; a byte written there tells the parent it is not stuck.
int g_progressFd = -1;
// In the child: a memory file shared with the parent, where each listed chunk table goes
// (writeTable; the parent reads them after the child exited cleanly: readTables).
int g_tableFd = -1;
constexpr std::uint32_t kTableMagic = 0x43484b54;  // one table: magic, name, dims, chunk, entries
constexpr double kMaxTablePositions = 1 << 21;      // 32 MiB of table at most; larger grids use look-ups
void tick() {
  if (g_progressFd >= 0) (void)!::write(g_progressFd, "+", 1);
}

// Every stored chunk of a chunked dataset lies inside the file and, unfiltered, holds exactly one
// chunk of voxels: libhdf5 1.10 trusts the stored size and reads past its buffer otherwise (the
// fuzzer: a B-tree size field edited, H5Dread then copied from beyond a heap block). In libhdf5
// 1.10 each look-up of one chunk (by index or by coordinate) iterates over the index up to it, so
// a walk of look-ups grows with the square of the chunks (16,384 chunks: 1.6 s, 2e5: minutes);
// the stored chunks are listed in one pass over the index instead (H5Ddebug, 16,384: 10 ms).
enum class ChunkCheck { Fit, Damaged, Unchecked };

// One listed chunk: its grid position (z, y, x order, flattened), address and stored bytes.
struct ListedChunk {
  std::uint64_t position, address, bytes;
};

// In the child: appends the table of dataset \p name to the shared memory file.
void writeTable(const std::string& name, const hsize_t* dims, const hsize_t* chunk, const std::vector<ListedChunk>& chunks) {
  if (g_tableFd < 0) return;
  std::string out;
  auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
  const std::uint32_t head[2] = {kTableMagic, std::uint32_t(name.size())};
  put(head, sizeof head);
  put(name.data(), name.size());
  for (int i = 0; i < 3; ++i) put(&dims[i], sizeof(hsize_t));
  for (int i = 0; i < 3; ++i) put(&chunk[i], sizeof(hsize_t));
  const std::uint64_t n = chunks.size();
  put(&n, sizeof n);
  put(chunks.data(), chunks.size() * sizeof(ListedChunk));
  for (std::size_t at = 0; at < out.size();) {
    const ssize_t w = ::write(g_tableFd, out.data() + at, out.size() - at);
    if (w <= 0) return; // the parent then finds a torn table and drops it
    at += std::size_t(w);
  }
}

// Every stored chunk of \p set from one walk of its index: libhdf5 1.10 has no chunk iterator,
// but H5Ddebug prints each chunk's flags, bytes, address and offset on stdout, one line each. In
// the child, stdout is a memory stream for it. Unchecked when the listing is not as expected
// (another libhdf5, another count than H5Dget_num_chunks): the caller then looks each chunk up.
template <class Fits>
ChunkCheck chunksFitByListing(hid_t set, hid_t space, int rank, const hsize_t* dims, const hsize_t* chunk,
                              const std::string& name, const Fits& fits) {
  hsize_t stored = 0;
  if (H5Dget_num_chunks(set, space, &stored) < 0) return ChunkCheck::Unchecked;
  // A stream of its own (not fd 1 under the old stream: a thread of the parent may have held that
  // stream's lock at the fork, and it would never be released here).
  char* buffer = nullptr;
  std::size_t length = 0;
  FILE* listing = ::open_memstream(&buffer, &length);
  if (!listing) return ChunkCheck::Unchecked;
  FILE* const out = stdout;
  stdout = listing;
  tick();
  const herr_t dumped = H5Ddebug(set);
  stdout = out;
  tick();
  std::fclose(listing);
  const std::string text = dumped >= 0 && buffer ? std::string(buffer, length) : std::string();
  std::free(buffer);
  hsize_t seen = 0;
  // The chunk table for the readers (3D datasets on a grid of bounded size).
  double positions = 1;
  hsize_t grid[3] = {1, 1, 1};
  for (int i = 0; i < rank; ++i) positions *= double(grid[i] = (dims[i] + chunk[i] - 1) / chunk[i]);
  const bool table = rank == 3 && positions <= kMaxTablePositions;
  std::vector<ListedChunk> listed;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    unsigned mask = 0;
    unsigned long long size = 0, addr = 0;
    int used = 0;
    if (std::sscanf(line.c_str(), " 0x%x %llu %llu [%n", &mask, &size, &addr, &used) != 3 || used == 0) continue;
    // The chunk's offset: a chunk outside the dataset's extent is never read.
    bool inside = true, onGrid = true;
    std::uint64_t position = 0;
    const char* p = line.c_str() + used;
    for (int i = 0; i < rank && inside; ++i) {
      char* next = nullptr;
      const unsigned long long v = std::strtoull(p, &next, 10);
      if (next == p) return ChunkCheck::Unchecked;
      inside = v < dims[i];
      onGrid = onGrid && v % chunk[i] == 0;
      position = position * grid[i] + v / chunk[i];
      p = next + (*next == ',' ? 1 : 0);
    }
    ++seen;
    if (inside && !fits(haddr_t(addr), hsize_t(size))) return ChunkCheck::Damaged;
    if (inside && onGrid && table) listed.push_back({position, addr, size});
  }
  if (seen != stored) return ChunkCheck::Unchecked;
  if (table) writeTable(name, dims, chunk, listed);
  if (g_progressFd >= 0) (void)!::write(g_progressFd, "L", 1); // tells the parent how it was checked
  return ChunkCheck::Fit;
}

ChunkCheck chunksFitTheFile(hid_t set, hid_t space, hid_t type, hid_t dcpl, std::uint64_t fileBytes,
                            const std::string& name) {
  const int rank = H5Sget_simple_extent_ndims(space);
  hsize_t dims[3] = {0, 0, 0}, chunk[3] = {0, 0, 0};
  if (rank < 1 || rank > 3 || H5Sget_simple_extent_dims(space, dims, nullptr) != rank ||
      H5Pget_chunk(dcpl, rank, chunk) != rank)
    return ChunkCheck::Unchecked; // the reader reports what is wrong with these
  std::uint64_t chunkBytes = H5Tget_size(type);
  for (int i = 0; i < rank; ++i) {
    if (chunk[i] == 0) return ChunkCheck::Damaged;
    if (dims[i] == 0) return ChunkCheck::Unchecked; // no voxels, no chunks (the reader calls it empty; a walk would not end)
    chunkBytes *= chunk[i];
  }
  const bool filtered = H5Pget_nfilters(dcpl) > 0;
  auto fits = [&](haddr_t addr, hsize_t size) {
    return addr == HADDR_UNDEF || (addr <= fileBytes && size <= fileBytes - addr && (filtered || size == chunkBytes));
  };
  // First every stored chunk in one pass over the index; the look-ups below are the fallback.
  const ChunkCheck listed = chunksFitByListing(set, space, rank, dims, chunk, name, fits);
  if (listed != ChunkCheck::Unchecked) return listed;
  // Chunk positions of the grid; a damaged size can make them astronomically many.
  double positions = 1;
  for (int i = 0; i < rank; ++i) positions *= std::ceil(double(dims[i]) / double(chunk[i]));
  if (positions > 4e6) { // then by index over the stored chunks (each look-up walks the index)
    hsize_t stored = 0;
    if (H5Dget_num_chunks(set, space, &stored) < 0 || stored > 4096) return ChunkCheck::Unchecked; // too many to check cheaply
    for (hsize_t i = 0; i < stored; ++i) {
      tick();
      hsize_t offset[3] = {0, 0, 0}, size = 0;
      unsigned mask = 0;
      haddr_t addr = HADDR_UNDEF;
      if (H5Dget_chunk_info(set, space, i, offset, &mask, &addr, &size) >= 0 && !fits(addr, size)) return ChunkCheck::Damaged;
    }
    return ChunkCheck::Fit;
  }
  hsize_t at[3] = {0, 0, 0};
  while (true) {
    unsigned mask = 0;
    haddr_t addr = HADDR_UNDEF;
    hsize_t size = 0;
    if ((at[rank - 1] / chunk[rank - 1]) % 256 == 0) tick();
    if (H5Dget_chunk_info_by_coord(set, at, &mask, &addr, &size) >= 0 && !fits(addr, size)) return ChunkCheck::Damaged;
    int d = rank - 1; // the next chunk position, last dimension fastest
    while (d >= 0 && (at[d] += chunk[d]) >= dims[d]) at[d--] = 0;
    if (d < 0) return ChunkCheck::Fit;
  }
}

// Datasets that passed the probe, with their file's identity and time of change: a lazily read
// file is opened once per level and reader thread, and the probe walks every chunk of a level.
// A file changed since (size, time or inode) is probed again. "<dataset>|*" stands for a dataset
// and every level of its pyramid, probed together in one child.
std::string probeKey(const std::string& path, const std::string& dataset) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" + path + "|" + dataset;
}
std::mutex g_probedMutex;
std::set<std::string> g_probed;
// The chunk tables the probes listed, by path and dataset, with the file's identity (probeKey of
// no dataset) at the time. Guarded by g_probedMutex.
struct StoredTable {
  std::string identity;
  std::shared_ptr<const Hdf5ChunkTable> table;
};
std::map<std::string, StoredTable> g_tables;

// In the parent, after a clean exit of the child: the tables it wrote to \p fd. A table that does
// not parse whole (or names a position outside its grid) is dropped; the readers then look up.
void readTables(int fd, const std::string& path, const std::string& identity) {
  struct stat st {};
  if (identity.empty() || ::fstat(fd, &st) != 0 || st.st_size <= 0) return;
  std::string data(std::size_t(st.st_size), '\0');
  if (::pread(fd, data.data(), data.size(), 0) != ssize_t(data.size())) return;
  std::size_t at = 0;
  auto get = [&](void* out, std::size_t n) {
    if (data.size() - at < n) return false;
    std::memcpy(out, data.data() + at, n);
    at += n;
    return true;
  };
  while (at < data.size()) {
    std::uint32_t head[2] = {0, 0};
    if (!get(head, sizeof head) || head[0] != kTableMagic || data.size() - at < head[1]) return;
    const std::string name = data.substr(at, head[1]);
    at += head[1];
    auto table = std::make_shared<Hdf5ChunkTable>();
    std::uint64_t n = 0;
    if (!get(table->dims, sizeof table->dims) || !get(table->chunk, sizeof table->chunk) || !get(&n, sizeof n)) return;
    double positions = 1;
    for (int i = 0; i < 3; ++i) {
      if (table->chunk[i] == 0) return;
      positions *= double(table->grid[i] = (table->dims[i] + table->chunk[i] - 1) / table->chunk[i]);
    }
    if (positions > kMaxTablePositions || n > (data.size() - at) / sizeof(ListedChunk)) return;
    table->entries.resize(std::size_t(positions));
    for (std::uint64_t i = 0; i < n; ++i) {
      ListedChunk c{};
      (void)get(&c, sizeof c);
      if (c.position >= table->entries.size()) return;
      table->entries[std::size_t(c.position)] = {c.address, c.bytes};
    }
    std::lock_guard<std::mutex> lock(g_probedMutex);
    g_tables[path + "|" + name] = {identity, std::move(table)};
  }
}

std::string withSlash(const std::string& dataset) {
  return dataset.empty() || dataset[0] != '/' ? "/" + dataset : dataset;
}

// In the child: walks the metadata of dataset \p name of \p file; false when a chunk of it does
// not fit the file.
bool probeDataset(hid_t file, const std::string& name, std::uint64_t fileBytes) {
  Hid set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
  Hid space(H5Dget_space(set.get()), H5Sclose), type(H5Dget_type(set.get()), H5Tclose);
  Hid dcpl(H5Dget_create_plist(set.get()), H5Pclose);
  for (const char* attr : {"spacing", "origin"})
    if (H5Aexists(set.get(), attr) > 0) {
      Hid a(H5Aopen(set.get(), attr, H5P_DEFAULT), H5Aclose);
      Hid as(H5Aget_space(a.get()), H5Sclose);
      double v[3] = {0, 0, 0};
      if (H5Sget_simple_extent_npoints(as.get()) == 3) (void)H5Aread(a.get(), H5T_NATIVE_DOUBLE, v);
    }
  ChunkCheck chunks = ChunkCheck::Unchecked;
  if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
    chunks = chunksFitTheFile(set.get(), space.get(), type.get(), dcpl.get(), fileBytes, name);
    if (chunks == ChunkCheck::Damaged) return false;
  }
  // A chunked dataset whose every chunk was checked above, stored plain or deflated (which the
  // reader inflates once itself before libhdf5 reads a chunk), needs nothing more.
  int filters = H5Pget_nfilters(dcpl.get());
  for (int i = 0; i < filters && chunks == ChunkCheck::Fit; ++i) {
    unsigned flags = 0;
    std::size_t nValues = 0;
    const H5Z_filter_t f = H5Pget_filter2(dcpl.get(), unsigned(i), &flags, &nValues, nullptr, 0, nullptr, nullptr);
    if (f != H5Z_FILTER_DEFLATE && f != H5Z_FILTER_SHUFFLE) chunks = ChunkCheck::Unchecked;
  }
  if (chunks == ChunkCheck::Fit) return true;
  // libhdf5 also copies past its buffers on damaged data layouts it accepted (a contiguous layout
  // smaller than its dataspace; the fuzzer): a volume of up to 64 MiB is read here once, so a
  // crash on it is an error, not the caller's crash.
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  Hid native(H5Tget_native_type(type.get(), H5T_DIR_ASCEND), H5Tclose);
  const std::size_t element = native.valid() ? H5Tget_size(native.get()) : 0;
  if (points > 0 && element > 0 && element <= 8 && std::uint64_t(points) * element <= (std::uint64_t(64) << 20)) {
    tick();
    std::vector<std::uint8_t> all(std::size_t(points) * element);
    (void)H5Dread(set.get(), native.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data());
  }
  return true;
}

std::atomic<std::uint64_t> g_listedDatasets{0};

void probeHdf5InChildOnce(const std::string& path, const std::string& dataset, bool pyramid);

} // namespace

void probeHdf5InChild(const std::string& path, const std::string& dataset, bool pyramid) {
  const std::string key = probeKey(path, withSlash(dataset) + (pyramid ? "|*" : ""));
  {
    std::lock_guard<std::mutex> lock(g_probedMutex);
    if (!key.empty() && g_probed.count(key)) return;
  }
  probeHdf5InChildOnce(path, dataset, pyramid);
  std::lock_guard<std::mutex> lock(g_probedMutex);
  if (!key.empty()) g_probed.insert(key);
}

std::shared_ptr<const Hdf5ChunkTable> hdf5ChunkTable(const std::string& path, const std::string& dataset) {
  const std::string identity = probeKey(path, "");
  std::lock_guard<std::mutex> lock(g_probedMutex);
  const auto it = g_tables.find(path + "|" + withSlash(dataset));
  return it != g_tables.end() && !identity.empty() && it->second.identity == identity ? it->second.table : nullptr;
}

bool probedWithPyramid(const std::string& path, const std::string& base) {
  const std::string key = probeKey(path, withSlash(base) + "|*");
  std::lock_guard<std::mutex> lock(g_probedMutex);
  return !key.empty() && g_probed.count(key) != 0;
}

namespace {

void probeHdf5InChildOnce(const std::string& path, const std::string& dataset, bool pyramid) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return; // no pipe to spare: read directly, as before
  // The chunk tables come back in a memory file (none: the readers look chunks up one by one).
  const int tableFd = ::memfd_create("cdnet-hdf5-chunks", MFD_CLOEXEC);
  const std::string identity = probeKey(path, "");
  pid_t child = -1;
  {
    // No thread may be inside libhdf5 while forking (see hdf5Gate); a thread already holding the
    // gate cannot wait for itself (it is between HDF5 calls, so it forks as it is).
    std::unique_lock<std::shared_mutex> exclusive(hdf5Gate(), std::defer_lock);
    if (t_gateDepth == 0) exclusive.lock();
    child = ::fork();
  }
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    if (tableFd >= 0) ::close(tableFd);
    return;
  }
  if (child == 0) {
    ::close(fds[0]);
    g_progressFd = fds[1];
    g_tableFd = tableFd;
    silenceHdf5();
    if (H5Fis_hdf5(path.c_str()) > 0) {
      tick();
      Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
      tick();
      const std::string name = withSlash(dataset);
      const bool found = file.valid() && datasetExists(file.get(), name);
      if (file.valid() && !found) (void)listDatasets(file.get());
      const std::uint64_t bytes = fileSize(path);
      if (found && !probeDataset(file.get(), name, bytes)) ::_exit(kDamagedChunks);
      for (int level = 1; found && pyramid && level < 64; ++level) { // coarser levels: the exit code names it
        const std::string levelName = hdf5LevelDataset(name, level);
        if (!datasetExists(file.get(), levelName)) break;
        if (!probeDataset(file.get(), levelName, bytes)) ::_exit(kDamagedChunks + level);
      }
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  int status = 0;
  using Clock = std::chrono::steady_clock;
  auto lastTick = Clock::now();
  while (true) {
    const pid_t r = ::waitpid(child, &status, WNOHANG);
    if (r == child || (r < 0 && errno != EINTR)) break;
    pollfd pfd{fds[0], POLLIN, 0};
    char buf[256];
    if (::poll(&pfd, 1, 20) > 0) {
      const ssize_t got = ::read(fds[0], buf, sizeof buf);
      if (got > 0) lastTick = Clock::now();
      for (ssize_t i = 0; i < got; ++i) g_listedDatasets += buf[i] == 'L' ? 1 : 0;
      if (got == 0) { // the child closed its end: it is exiting (it may not be a zombie yet)
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        break;
      }
    }
    if (Clock::now() - lastTick >= std::chrono::milliseconds(kStallMs)) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      ::close(fds[0]);
      if (tableFd >= 0) ::close(tableFd);
      fail("HDF5 file " + inQuotes(path) + " is damaged: libhdf5 does not finish reading its metadata");
    }
  }
  for (char buf[256];;) { // what the child wrote before it exited and was not read yet
    const ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got <= 0) break;
    for (ssize_t i = 0; i < got; ++i) g_listedDatasets += buf[i] == 'L' ? 1 : 0;
  }
  ::close(fds[0]);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  if (tableFd >= 0) {
    if (WIFEXITED(status) && code == 0 && probeKey(path, "") == identity) readTables(tableFd, path, identity);
    ::close(tableFd);
  }
  if (code >= kDamagedChunks && code < kDamagedChunks + 64) {
    const std::string name = hdf5LevelDataset(withSlash(dataset), code - kDamagedChunks);
    fail("HDF5 file " + inQuotes(path) + " is damaged: a chunk of dataset " + inQuotes(code == kDamagedChunks ? dataset : name) +
         " lies beyond the end of the file or is stored with the wrong size");
  }
  if (WIFSIGNALED(status))
    fail("HDF5 file " + inQuotes(path) + " is damaged: libhdf5 crashed reading it (signal " +
         std::to_string(WTERMSIG(status)) + ")");
}

} // namespace

std::uint64_t hdf5DatasetsCheckedByListing() { return g_listedDatasets.load(); }

} // namespace core::volume::io
