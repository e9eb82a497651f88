// NRRD writer: our own header followed by the raw (or gzip) voxels, so it streams slab by slab.
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/Writers.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>
#include <zlib.h>

namespace core::volume::io {

namespace {

const char* nrrdType(VoxelType t) {
  switch (t) {
  case VoxelType::UInt8: return "uint8";
  case VoxelType::UInt16: return "uint16";
  case VoxelType::UInt32: return "uint32";
  case VoxelType::Float32: break;
  }
  return "float";
}

class NrrdWriter final : public WriterBase {
public:
  NrrdWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(path, info), m_file(path, ".nrrd") {
    std::ostringstream h;
    h.precision(17);
    h << "NRRD0004\n# CDNet Studio; spacing and origin in micrometres\n"
      << "type: " << nrrdType(info.type) << "\ndimension: 3\nspace dimension: 3\n"
      << "sizes: " << info.size.x << " " << info.size.y << " " << info.size.z << "\n"
      << "space directions: (" << info.spacing.x << ",0,0) (0," << info.spacing.y << ",0) (0,0," << info.spacing.z
      << ")\n"
      << "space origin: (" << info.origin.x << "," << info.origin.y << "," << info.origin.z << ")\n"
      << "space units: \"microns\" \"microns\" \"microns\"\n"
      << "kinds: domain domain domain\n"
      << "endian: " << (hostIsBigEndian() ? "big" : "little") << "\n"
      << "encoding: " << (opts.compress ? "gzip" : "raw") << "\n\n";
    m_file.write(h.str());
    if (opts.compress) {
      // zlib writes through its own copy of the descriptor, after the header.
      const int copy = ::dup(m_file.fd());
      m_gz = copy >= 0 ? gzdopen(copy, "wb6") : nullptr;
      if (!m_gz) {
        if (copy >= 0) ::close(copy);
        fail("cannot start gzip compression of " + inQuotes(m_path));
      }
      gzbuffer(m_gz, 1 << 20);
    }
  }
  ~NrrdWriter() override {
    if (m_gz) gzclose(m_gz);
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t) override {
    const auto* p = static_cast<const std::uint8_t*>(slab.data());
    std::uint64_t n = slab.bytes();
    if (!m_gz) {
      m_file.write(p, std::size_t(n));
      return;
    }
    while (n > 0) {
      const unsigned chunk = unsigned(std::min<std::uint64_t>(n, 1u << 30));
      errno = 0;
      if (gzwrite(m_gz, p, chunk) != int(chunk)) gzFailure();
      p += chunk;
      n -= chunk;
    }
  }

  void complete() override {
    if (m_gz) {
      errno = 0;
      const int rc = gzclose(m_gz);
      m_gz = nullptr;
      if (rc != Z_OK) gzFailure();
      // The compressed size is what the descriptor's position reached.
      const off_t end = ::lseek(m_file.fd(), 0, SEEK_END);
      if (end < 0) core::files::throwSystemError("check the size of", m_path);
      m_file.commitExpecting(std::uint64_t(end));
      return;
    }
    m_file.commit();
  }

private:
  [[noreturn]] void gzFailure() {
    int zerr = Z_OK;
    const int err = errno;
    const char* what = m_gz ? gzerror(m_gz, &zerr) : nullptr;
    if (err != 0 && (zerr == Z_ERRNO || !m_gz)) core::files::throwSystemError("write", m_path, err);
    fail("cannot write " + inQuotes(m_path) + " (zlib: " + (what && *what ? what : "write failed") + ")");
  }

  AtomicFile m_file;
  gzFile m_gz = nullptr;
};

} // namespace

std::unique_ptr<VolumeWriter> createNrrdWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts) {
  if (extensionOf(path) == ".nhdr") fail("NRRD output " + inQuotes(path) + ": write a .nrrd (detached headers are not written)");
  return std::make_unique<NrrdWriter>(path, info, opts);
}

} // namespace core::volume::io
