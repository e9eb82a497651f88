// Readers of TIFF stacks (one file, many pages) and of folders of 2D slices (TIFF or PNG).
#include "core/volume/io/Readers.h"

#include "core/volume/io/IoSupport.h"
#include "core/volume/io/TiffFile.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace fs = std::filesystem;

namespace core::volume::io {

namespace {

class TiffStackReader final : public SliceReader {
public:
  explicit TiffStackReader(const std::string& path) : SliceReader(path, "tiff"), m_file(path) {
    TiffPage first;
    std::size_t firstIndex = 0;
    for (std::size_t i = 0; i < m_file.pageCount(); ++i) {
      const TiffPage p = m_file.page(i);
      if (p.reduced && m_file.pageCount() > 1) continue;
      if (m_pages.empty()) {
        first = p;
        firstIndex = i;
      } else if (p.width != first.width || p.height != first.height || p.type != first.type) {
        fail("page " + std::to_string(i) + " of " + inQuotes(path) + " is " + describe({p.width, p.height, 1}, p.type) +
             " but page " + std::to_string(firstIndex) + " is " + describe({first.width, first.height, 1}, first.type) +
             "; all pages of a stack must have the same size and type");
      }
      m_pages.push_back(i);
    }
    if (m_pages.empty()) fail("file " + inQuotes(path) + " has no full-resolution image");
    const TiffGeometry g = m_file.geometry(firstIndex);
    m_info.size = {first.width, first.height, std::int64_t(m_pages.size())};
    m_info.type = first.type;
    m_info.spacing = g.spacing;
    m_info.origin = g.origin;
    m_rows = first.tiled ? first.tileHeight : first.rowsPerStrip;
  }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t stride) override {
    m_file.readRect(m_pages[std::size_t(z)], x0, y0, nx, ny, dst, stride);
  }
  std::int64_t preferredRows() const override { return m_rows; }

private:
  TiffFile m_file;
  std::vector<std::size_t> m_pages;
  std::int64_t m_rows = 64;
};

bool isPng(const std::string& path) { return extensionOf(path) == ".png"; }

// Width, height and voxel type from a PNG's IHDR chunk, without decoding.
TiffPage pngHeader(const std::string& path) {
  const std::uint64_t size = fileSize(path);
  if (size == 0) fail("file " + inQuotes(path) + " is empty");
  std::ifstream in(path, std::ios::binary);
  unsigned char h[26] = {};
  in.read(reinterpret_cast<char*>(h), sizeof h);
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (in.gcount() < 8 || std::memcmp(h, sig, 8) != 0) fail("file " + inQuotes(path) + " is not a PNG (bad magic bytes)");
  checkTruncated(path, 26, size);
  if (std::memcmp(h + 12, "IHDR", 4) != 0) fail("file " + inQuotes(path) + " is a damaged PNG (no IHDR chunk)");
  auto be32 = [](const unsigned char* p) { return (std::int64_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; };
  TiffPage p;
  p.width = be32(h + 16);
  p.height = be32(h + 20);
  p.type = h[24] == 16 ? VoxelType::UInt16 : VoxelType::UInt8;
  if (p.width <= 0 || p.height <= 0) fail("file " + inQuotes(path) + " has an empty image");
  return p;
}

class SliceFilesReader final : public SliceReader {
public:
  SliceFilesReader(const std::string& path, const std::vector<std::string>& files, const std::string& format)
      : SliceReader(path, format), m_files(files) {
    if (m_files.empty()) fail("no slice images in " + inQuotes(path));
    TiffPage first;
    for (std::size_t i = 0; i < m_files.size(); ++i) {
      TiffPage p;
      if (isPng(m_files[i])) {
        p = pngHeader(m_files[i]);
      } else {
        TiffFile f(m_files[i]);
        p = f.page(0);
        if (i == 0) {
          const TiffGeometry g = f.geometry(0);
          m_info.spacing = g.spacing;
          m_info.origin = g.origin;
          m_rows = p.tiled ? p.tileHeight : p.rowsPerStrip;
        }
      }
      if (i == 0) first = p;
      else if (p.width != first.width || p.height != first.height || p.type != first.type)
        fail("slice " + inQuotes(m_files[i]) + " is " + describe({p.width, p.height, 1}, p.type) + " but " +
             inQuotes(m_files[0]) + " is " + describe({first.width, first.height, 1}, first.type) +
             "; all slices must have the same size and type");
    }
    m_info.size = {first.width, first.height, std::int64_t(m_files.size())};
    m_info.type = first.type;
  }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t stride) override {
    const std::string& file = m_files[std::size_t(z)];
    const std::size_t vs = voxelSize(m_info.type);
    if (!isPng(file)) {
      if (!m_tiff || m_tiffIndex != z) {
        m_tiff.reset();
        m_tiff = std::make_unique<TiffFile>(file);
        m_tiffIndex = z;
      }
      m_tiff->readRect(0, x0, y0, nx, ny, dst, stride);
      return;
    }
    if (m_pngIndex != z) {
      m_png.release();
      m_pngIndex = -1;
      checkAllocation(m_info.sliceBytes(), "decoding " + inQuotes(file));
      m_png = cv::imread(file, cv::IMREAD_ANYDEPTH | cv::IMREAD_GRAYSCALE);
      if (m_png.empty()) fail("file " + inQuotes(file) + " cannot be decoded (damaged or truncated PNG)");
      const int want = m_info.type == VoxelType::UInt16 ? CV_16U : CV_8U;
      if (m_png.cols != m_info.size.x || m_png.rows != m_info.size.y || m_png.depth() != want)
        fail("file " + inQuotes(file) + " decodes to a different size or depth than its header says");
      m_pngIndex = z;
    }
    for (std::int64_t y = 0; y < ny; ++y)
      std::memcpy(dst + std::size_t(y) * stride, m_png.ptr(int(y0 + y)) + std::size_t(x0) * vs, std::size_t(nx) * vs);
  }
  std::int64_t preferredRows() const override { return m_rows; }

private:
  std::vector<std::string> m_files;
  std::unique_ptr<TiffFile> m_tiff;
  std::int64_t m_tiffIndex = -1;
  cv::Mat m_png;
  std::int64_t m_pngIndex = -1;
  std::int64_t m_rows = 64;
};

} // namespace

std::unique_ptr<SliceReader> openTiffStack(const std::string& path) { return std::make_unique<TiffStackReader>(path); }

std::unique_ptr<SliceReader> openSliceFiles(const std::string& path, const std::vector<std::string>& files,
                                            const std::string& format) {
  return std::make_unique<SliceFilesReader>(path, files, format);
}

std::vector<std::string> listSliceFiles(const std::string& folder, std::string& format) {
  std::vector<std::string> tiffs, pngs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code fec;
    if (!entry.is_regular_file(fec)) continue;
    const std::string ext = extensionOf(name);
    if (ext == ".tif" || ext == ".tiff") tiffs.push_back(name);
    else if (ext == ".png") pngs.push_back(name);
  }
  if (ec) fail("cannot list folder " + inQuotes(folder) + ": " + ec.message());
  std::vector<std::string>* chosen = nullptr;
  std::string kind;
  if (format == "tiff-folder") {
    chosen = &tiffs;
    kind = "TIFF";
  } else if (format == "png-folder") {
    chosen = &pngs;
    kind = "PNG";
  } else {
    chosen = tiffs.size() >= pngs.size() ? &tiffs : &pngs;
    format = chosen == &tiffs ? "tiff-folder" : "png-folder";
    kind = "TIFF or PNG";
  }
  if (chosen->empty()) fail("folder " + inQuotes(folder) + " contains no " + kind + " images");
  naturalSort(*chosen);
  std::vector<std::string> out;
  out.reserve(chosen->size());
  for (const auto& n : *chosen) out.push_back((fs::path(folder) / n).string());
  return out;
}

} // namespace core::volume::io
