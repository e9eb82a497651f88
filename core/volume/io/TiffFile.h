#pragma once
/// \file TiffFile.h
/// Internal: one TIFF or BigTIFF file opened with libtiff (no memory mapping, so reading does not
/// grow the resident set by the file size). The chain of image directories (pages) is walked once
/// on open, with every offset checked against the file size, so a page is reached by one seek.
/// Rectangles are decoded strip by strip or tile by tile, keeping the last strip or tile row.
/// libtiff's messages are captured and appended to our errors instead of printed.
/// One thread at a time per object.

#include "core/volume/Volume.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

typedef struct tiff TIFF;

namespace core::volume::io {

/// What a page holds.
struct TiffPage {
  std::int64_t width = 0, height = 0;
  VoxelType type = VoxelType::UInt8;
  bool tiled = false;
  bool reduced = false; ///< a thumbnail or pyramid level (NewSubfileType bit 0), not a slice
  std::uint32_t rowsPerStrip = 0, tileWidth = 0, tileHeight = 0;
};

/// Spacing (micrometres) and origin found in a TIFF's tags and ImageJ-style description.
struct TiffGeometry {
  Vec3 spacing{1, 1, 1};
  Vec3 origin{0, 0, 0};
};

class TiffFile {
public:
  /// Opens \p path and walks its pages. Throws naming the file when it is not a TIFF, is
  /// truncated ("file X is truncated: expected N bytes, found M") or damaged.
  explicit TiffFile(const std::string& path);
  ~TiffFile();
  TiffFile(const TiffFile&) = delete;
  TiffFile& operator=(const TiffFile&) = delete;

  std::size_t pageCount() const { return m_offsets.size(); }
  const std::string& path() const { return m_path; }
  /// Reads the tags of \p page, checks that it is a supported grayscale image whose strips or
  /// tiles lie inside the file. Throws naming the file and page otherwise.
  TiffPage page(std::size_t page);
  /// Spacing/origin from the tags of \p page (XResolution/YResolution with their unit, ImageJ
  /// "unit=" and "spacing=", our "cdnet_origin=").
  TiffGeometry geometry(std::size_t page);
  /// Decodes columns [x0, x0+nx) of rows [y0, y0+ny) of \p page into \p dst (rows \p stride bytes
  /// apart). page() must have been called for this page before.
  void readRect(std::size_t page, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny,
                std::uint8_t* dst, std::size_t stride);
  std::uint64_t size() const { return m_fileSize; }

private:
  void walkDirectories();
  void checkTagData(int fd, std::uint64_t at, std::size_t count, bool big, bool bigTiff);
  void select(std::size_t page);
  [[noreturn]] void libtiffFailure(const std::string& what);
  /// Throws naming the file, page and strip/tile \p i when libtiff decoded fewer than \p expected bytes.
  void checkDecoded(std::int64_t got, std::int64_t expected, std::size_t page, const char* what, std::int64_t i);

  std::string m_path;
  TIFF* m_tif = nullptr;
  std::uint64_t m_fileSize = 0;
  std::vector<std::uint64_t> m_offsets;
  std::size_t m_current = 0;
  TiffPage m_info;             ///< of m_current once page() was called
  std::size_t m_infoPage = ~std::size_t(0);
  std::vector<std::uint8_t> m_cache; ///< one decoded strip, or one row of tiles
  std::size_t m_cachePage = ~std::size_t(0);
  std::int64_t m_cacheIndex = -1; ///< strip index or tile row
  std::vector<bool> m_tileLoaded;
};

/// True when the first bytes of \p path are a TIFF or BigTIFF header.
bool hasTiffMagic(const std::string& path);

/// Writes \p slice (width x height of \p type) as the current page of \p tif, in strips of
/// about 256 KiB, deflate-compressed when \p compress, with the description and resolution tags
/// that TiffFile::geometry() reads back. Does not call TIFFWriteDirectory.
void writeTiffPage(TIFF* tif, const std::string& path, const std::uint8_t* slice, std::int64_t width,
                   std::int64_t height, VoxelType type, const std::string& description, const Vec3& spacing,
                   bool compress);
/// "unit=micron\nspacing=<z>\ncdnet_origin=<x>,<y>,<z>\n" plus \p extra first (ImageJ keys).
std::string tiffDescription(const VolumeInfo& info, const std::string& extra);
/// Opens \p path with libtiff in \p mode ("w", "w8"); throws with libtiff's message.
TIFF* openTiffForWriting(const std::string& path, const char* mode);
/// Closes \p tif; throws naming \p path when libtiff reported a write error.
void closeTiff(TIFF* tif, const std::string& path);

} // namespace core::volume::io
