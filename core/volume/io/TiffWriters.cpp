// Writers of TIFF: a folder of 2D slices and one multi-page file (BigTIFF over 4 GiB).
// Spacing goes into XResolution/YResolution and an ImageJ-style description (unit=micron,
// spacing=<z>), the origin into a "cdnet_origin=" line of the description.
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/TiffFile.h"
#include "core/volume/io/Writers.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
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
      : WriterBase(stripSlash(path), info), m_compress(opts.compress) {
    std::error_code ec;
    if (fs::exists(m_path, ec)) {
      if (!fs::is_directory(m_path, ec)) fail(inQuotes(m_path) + " exists and is not a folder");
      if (!fs::is_empty(m_path, ec))
        fail("folder " + inQuotes(m_path) + " exists and is not empty; choose a new output folder");
    }
    m_tmp = temporarySibling(m_path);
    if (!fs::create_directory(m_tmp, ec)) fail("cannot create folder " + inQuotes(m_tmp) + ": " + ec.message());
    int digits = 1;
    for (std::int64_t n = std::max<std::int64_t>(info.size.z - 1, 1); n >= 10; n /= 10) ++digits;
    m_digits = std::max(digits, 4);
  }
  ~TiffFolderWriter() override {
    if (!m_finished) {
      std::error_code ec;
      fs::remove_all(m_tmp, ec);
    }
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override {
    const std::string desc = tiffDescription(m_info, "");
    for (std::int64_t k = 0; k < slab.size().z; ++k) {
      char name[64];
      std::snprintf(name, sizeof name, "slice_%0*lld.tif", m_digits, static_cast<long long>(z0 + k));
      const std::string file = (fs::path(m_tmp) / name).string();
      TIFF* tif = openTiffForWriting(file, "w");
      try {
        writeTiffPage(tif, file, slab.slicePtr(k), m_info.size.x, m_info.size.y, m_info.type, desc, m_info.spacing,
                      m_compress);
        if (!TIFFWriteDirectory(tif)) fail("cannot write " + inQuotes(file) + " (disk full?)");
      } catch (...) {
        TIFFClose(tif);
        throw;
      }
      closeTiff(tif, file);
    }
  }

  void complete() override {
    // One sync of the file system holding the slices, instead of one fsync per file.
    const int fd = ::open(m_tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::syncfs(fd);
      ::close(fd);
    }
    std::error_code ec;
    if (fs::exists(m_path, ec)) {
      if (!fs::is_empty(m_path, ec)) fail("folder " + inQuotes(m_path) + " appeared and is not empty; slices left in " + inQuotes(m_tmp));
      fs::remove(m_path, ec);
    }
    renameInto(m_tmp, m_path);
  }

private:
  bool m_compress;
  std::string m_tmp;
  int m_digits = 4;
};

class TiffStackWriter final : public WriterBase {
public:
  TiffStackWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts)
      : WriterBase(path, info), m_compress(opts.compress), m_tmp(temporarySibling(path, ".tif")) {
    // Classic TIFF offsets are 32-bit: leave room for the directories.
    const std::uint64_t limit = (std::uint64_t(1) << 32) - (std::uint64_t(64) << 20);
    const bool big = opts.bigTiff.value_or(info.bytes() + std::uint64_t(info.size.z) * 4096 > limit);
    m_tif = openTiffForWriting(m_tmp, big ? "w8" : "w");
  }
  ~TiffStackWriter() override {
    if (m_tif) TIFFClose(m_tif);
    if (!m_finished) std::remove(m_tmp.c_str());
  }

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override {
    for (std::int64_t k = 0; k < slab.size().z; ++k) {
      const std::int64_t z = z0 + k;
      const std::string desc =
          z == 0 ? tiffDescription(m_info, "ImageJ=1.53t\nimages=" + std::to_string(m_info.size.z) +
                                               "\nslices=" + std::to_string(m_info.size.z) + "\nloop=false\n")
                 : std::string();
      if (m_info.size.z > 1) {
        TIFFSetField(m_tif, TIFFTAG_SUBFILETYPE, std::uint32_t(FILETYPE_PAGE));
        TIFFSetField(m_tif, TIFFTAG_PAGENUMBER, std::uint16_t(std::min<std::int64_t>(z, 65535)),
                     std::uint16_t(std::min<std::int64_t>(m_info.size.z, 65535)));
      }
      writeTiffPage(m_tif, m_path, slab.slicePtr(k), m_info.size.x, m_info.size.y, m_info.type, desc, m_info.spacing,
                    m_compress);
      if (!TIFFWriteDirectory(m_tif)) fail("cannot write " + inQuotes(m_path) + " (disk full?)");
    }
  }

  void complete() override {
    TIFF* tif = m_tif;
    m_tif = nullptr;
    closeTiff(tif, m_path);
    syncPath(m_tmp);
    renameInto(m_tmp, m_path);
  }

private:
  bool m_compress;
  std::string m_tmp;
  TIFF* m_tif = nullptr;
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
