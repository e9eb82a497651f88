// Writers of TIFF: a folder of 2D slices and one multi-page file (BigTIFF over 4 GiB).
// Spacing goes into XResolution/YResolution and an ImageJ-style description (unit=micron,
// spacing=<z>), the origin into a "cdnet_origin=" line of the description.
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/TiffFile.h"
#include "core/volume/io/Writers.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

std::string stripSlash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

class TiffFolderWriter final : public WriterBase {
public:
  TiffFolderWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(stripSlash(path), info), m_compress(opts.compress), m_tmp(m_path) {
    checkNewFolder(m_path);
    if (::mkdir(m_tmp.path().c_str(), 0777) != 0) core::files::throwSystemError("create a temporary folder for", m_path);
    int digits = 1;
    for (std::int64_t n = std::max<std::int64_t>(info.size.z - 1, 1); n >= 10; n /= 10) ++digits;
    m_digits = std::max(digits, 4);
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override {
    const std::string desc = tiffDescription(m_info, "");
    for (std::int64_t k = 0; k < slab.size().z; ++k) {
      char name[64];
      std::snprintf(name, sizeof name, "slice_%0*lld.tif", m_digits, static_cast<long long>(z0 + k));
      TiffOutput out((fs::path(m_tmp.path()) / name).string(), (fs::path(m_path) / name).string(), "w");
      writeTiffPage(out, slab.slicePtr(k), m_info.size.x, m_info.size.y, m_info.type, desc, m_info.spacing, m_compress);
      out.writeDirectory();
      out.close(false); // one sync of the whole file system at the end instead of one per slice
    }
  }

  void complete() override { commitFolder(m_tmp, m_path); }

private:
  bool m_compress;
  TemporaryPath m_tmp; // the folder of slices until complete; removed with its slices on failure
  int m_digits = 4;
};

class TiffStackWriter final : public WriterBase {
public:
  TiffStackWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(path, info), m_compress(opts.compress), m_tmp(path, ".tif") {
    // Classic TIFF offsets are 32-bit: leave room for the directories.
    const std::uint64_t limit = (std::uint64_t(1) << 32) - (std::uint64_t(64) << 20);
    const bool big = opts.bigTiff.value_or(info.bytes() + std::uint64_t(info.size.z) * 4096 > limit);
    m_out = std::make_unique<TiffOutput>(m_tmp.path(), m_path, big ? "w8" : "w");
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override {
    TIFF* tif = m_out->get();
    for (std::int64_t k = 0; k < slab.size().z; ++k) {
      const std::int64_t z = z0 + k;
      const std::string desc =
          z == 0 ? tiffDescription(m_info, "ImageJ=1.53t\nimages=" + std::to_string(m_info.size.z) +
                                               "\nslices=" + std::to_string(m_info.size.z) + "\nloop=false\n")
                 : std::string();
      if (m_info.size.z > 1) {
        TIFFSetField(tif, TIFFTAG_SUBFILETYPE, std::uint32_t(FILETYPE_PAGE));
        TIFFSetField(tif, TIFFTAG_PAGENUMBER, std::uint16_t(std::min<std::int64_t>(z, 65535)),
                     std::uint16_t(std::min<std::int64_t>(m_info.size.z, 65535)));
      }
      writeTiffPage(*m_out, slab.slicePtr(k), m_info.size.x, m_info.size.y, m_info.type, desc, m_info.spacing,
                    m_compress);
      m_out->writeDirectory();
    }
  }

  void complete() override {
    m_out->close(true);
    m_tmp.commit();
  }

private:
  bool m_compress;
  TemporaryPath m_tmp; // declared before m_out: the file is closed before it is removed
  std::unique_ptr<TiffOutput> m_out;
};

} // namespace

std::unique_ptr<VolumeWriter> createTiffFolderWriter(const std::string& path, const VolumeInfo& info,
                                                     const WriteOptions& opts) {
  return std::make_unique<TiffFolderWriter>(path, info, opts);
}

std::unique_ptr<VolumeWriter> createTiffStackWriter(const std::string& path, const VolumeInfo& info,
                                                    const WriteOptions& opts) {
  return std::make_unique<TiffStackWriter>(path, info, opts);
}

} // namespace core::volume::io
