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
#include <memory>
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

/// A TIFF being written through our own file descriptor, so that every write libtiff makes is
/// checked and keeps the system's reason (a full disk says so), and the size of the file is
/// verified when it is closed. Destroying it without close() abandons the file (the caller's
/// temporary removes it). Messages name \p name (the destination), not the temporary \p path.
class TiffOutput {
public:
  /// Creates \p path (it must not exist) in \p mode ("w", "w8" for BigTIFF).
  TiffOutput(const std::string& path, const std::string& name, const char* mode);
  ~TiffOutput();
  TiffOutput(const TiffOutput&) = delete;
  TiffOutput& operator=(const TiffOutput&) = delete;

  TIFF* get() const { return m_tif; }
  const std::string& name() const { return m_name; }
  /// TIFFWriteDirectory, checked.
  void writeDirectory();
  /// Closes libtiff's handle (which writes what is left), fsyncs when \p sync, checks that every
  /// write succeeded and that the file has the size written, closes the descriptor. Throws.
  void close(bool sync);
  /// Throws "cannot write <name>: <reason>" with the system's or libtiff's reason.
  [[noreturn]] void failure() const;

  struct Sink; ///< the descriptor libtiff writes through (internal)

private:
  std::string m_name;
  std::unique_ptr<Sink> m_sink;
  TIFF* m_tif = nullptr;
};

/// Writes \p slice (width x height of \p type) as the current page of \p out, in strips of
/// about 256 KiB, deflate-compressed when \p compress, with the description and resolution tags
/// that TiffFile::geometry() reads back. Does not write the directory.
void writeTiffPage(TiffOutput& out, const std::uint8_t* slice, std::int64_t width, std::int64_t height, VoxelType type,
                   const std::string& description, const Vec3& spacing, bool compress);
/// "unit=micron\nspacing=<z>\ncdnet_origin=<x>,<y>,<z>\n" plus \p extra first (ImageJ keys).
std::string tiffDescription(const VolumeInfo& info, const std::string& extra);

} // namespace core::volume::io
