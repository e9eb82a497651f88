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
      : WriterBase(path, info), m_tmp(temporarySibling(path, ".nrrd")) {
    m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (m_fd < 0) fail("cannot create " + inQuotes(m_tmp) + ": " + std::strerror(errno));
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
    const std::string text = h.str();
    writeFully(m_fd, text.data(), text.size(), m_path);
    if (opts.compress) {
      const int copy = ::dup(m_fd);
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
    if (m_fd >= 0) ::close(m_fd);
    if (!m_finished) std::remove(m_tmp.c_str());
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t) override {
    const auto* p = static_cast<const std::uint8_t*>(slab.data());
    std::uint64_t n = slab.bytes();
    if (!m_gz) {
      writeFully(m_fd, p, std::size_t(n), m_path);
      return;
    }
    while (n > 0) {
      const unsigned chunk = unsigned(std::min<std::uint64_t>(n, 1u << 30));
      if (gzwrite(m_gz, p, chunk) != int(chunk)) fail("cannot write " + inQuotes(m_path) + " (disk full?)");
      p += chunk;
      n -= chunk;
    }
  }

  void complete() override {
    if (m_gz) {
      const int rc = gzclose(m_gz);
      m_gz = nullptr;
      if (rc != Z_OK) fail("cannot write " + inQuotes(m_path) + " (disk full?)");
    }
    if (::fsync(m_fd) != 0) fail("cannot write " + inQuotes(m_path) + ": " + std::strerror(errno));
    ::close(m_fd);
    m_fd = -1;
    renameInto(m_tmp, m_path);
  }

private:
  std::string m_tmp;
  int m_fd = -1;
  gzFile m_gz = nullptr;
};

} // namespace

std::unique_ptr<VolumeWriter> createNrrdWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts) {
  if (extensionOf(path) == ".nhdr") fail("NRRD output " + inQuotes(path) + ": write a .nrrd (detached headers are not written)");
  return std::make_unique<NrrdWriter>(path, info, opts);
}

} // namespace core::volume::io
