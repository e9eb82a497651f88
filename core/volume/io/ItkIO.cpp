// MetaImage, NIfTI (and NRRD with encodings we do not parse) through ITK's ImageIOBase.
// Reading streams the requested slices where the ImageIO can (uncompressed MetaImage, NIfTI .nii);
// otherwise the whole image is read once into a cache (checked against memory first).
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/Readers.h"
#include "core/volume/io/Writers.h"

#include <itkImageIOBase.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>
#include <optional>
#include <vector>

namespace core::volume::io {

namespace {

itk::ImageIOBase::Pointer makeIo(const std::string& format) {
  if (format == "mha") return itk::MetaImageIO::New().GetPointer();
  if (format == "nifti") return itk::NiftiImageIO::New().GetPointer();
  if (format == "nrrd") return itk::NrrdImageIO::New().GetPointer();
  return nullptr;
}

bool componentOf(itk::IOComponentEnum c, Component& out) {
  using E = itk::IOComponentEnum;
  switch (c) {
  case E::UCHAR: out = Component::U8; return true;
  case E::CHAR: out = Component::I8; return true;
  case E::USHORT: out = Component::U16; return true;
  case E::SHORT: out = Component::I16; return true;
  case E::UINT: out = Component::U32; return true;
  case E::INT: out = Component::I32; return true;
  case E::FLOAT: out = Component::F32; return true;
  case E::DOUBLE: out = Component::F64; return true;
  default: return false;
  }
}

itk::IOComponentEnum itkComponent(VoxelType t) {
  switch (t) {
  case VoxelType::UInt8: return itk::IOComponentEnum::UCHAR;
  case VoxelType::UInt16: return itk::IOComponentEnum::USHORT;
  case VoxelType::UInt32: return itk::IOComponentEnum::UINT;
  case VoxelType::Float32: break;
  }
  return itk::IOComponentEnum::FLOAT;
}

class ItkReader final : public SliceReader {
public:
  ItkReader(const std::string& path, const std::string& format) : SliceReader(path, format) {
    const std::uint64_t bytes = fileSize(path);
    if (bytes == 0) fail("file " + inQuotes(path) + " is empty");
    if (format == "itk") {
      for (const char* f : {"mha", "nifti", "nrrd"}) {
        auto io = makeIo(f);
        if (io->CanReadFile(path.c_str())) {
          m_io = io;
          break;
        }
      }
      if (!m_io) fail("file " + inQuotes(path) + " is not in a format ITK reads here (MetaImage, NIfTI, NRRD)");
    } else {
      m_io = makeIo(format);
      if (!m_io || !m_io->CanReadFile(path.c_str()))
        fail("file " + inQuotes(path) + " is not a readable " + format + " file");
    }
    try {
      m_io->SetFileName(path);
      m_io->ReadImageInformation();
    } catch (const itk::ExceptionObject& e) {
      fail("file " + inQuotes(path) + " cannot be read: " + e.GetDescription());
    }
    if (m_io->GetNumberOfComponents() != 1)
      fail("file " + inQuotes(path) + " has " + std::to_string(m_io->GetNumberOfComponents()) +
           " components per voxel; only scalar images are supported");
    if (!componentOf(m_io->GetComponentType(), m_component))
      fail("file " + inQuotes(path) + " has voxels of type " +
           itk::ImageIOBase::GetComponentTypeAsString(m_io->GetComponentType()) + ", which is not supported");
    m_dims = m_io->GetNumberOfDimensions();
    for (unsigned i = 3; i < m_dims; ++i)
      if (m_io->GetDimensions(i) != 1) fail("file " + inQuotes(path) + " has more than 3 dimensions");
    std::int64_t s[3] = {1, 1, 1};
    double sp[3] = {1, 1, 1}, o[3] = {0, 0, 0};
    for (unsigned i = 0; i < std::min(m_dims, 3u); ++i) {
      s[i] = std::int64_t(m_io->GetDimensions(i));
      sp[i] = m_io->GetSpacing(i);
      o[i] = m_io->GetOrigin(i);
    }
    m_info.size = {s[0], s[1], s[2]};
    m_info.type = voxelTypeFor(m_component);
    m_info.spacing = {sp[0], sp[1], sp[2]};
    m_info.origin = {o[0], o[1], o[2]};
    (void)m_info.bytes();
    if (m_io->GetNameOfClass() == std::string("MetaImageIO")) m_stream = m_io->CanStreamRead();
  }
  bool isNifti() const { return m_io->GetNameOfClass() == std::string("NiftiImageIO"); }

protected:
  void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny, std::uint8_t* dst,
                std::size_t stride) override {
    const std::size_t cs = componentSize(m_component), vs = voxelSize(m_info.type);
    const bool direct = componentFor(m_info.type) == m_component;
    if (m_stream) {
      const std::size_t n = std::size_t(nx * ny);
      if (direct && stride == std::size_t(nx) * vs) {
        readRegion({{x0, y0, z}, {nx, ny, 1}}, dst);
        return;
      }
      m_scratch.resize(n * cs);
      readRegion({{x0, y0, z}, {nx, ny, 1}}, m_scratch.data());
      for (std::int64_t y = 0; y < ny; ++y)
        convertSamples(m_scratch.data() + std::size_t(y * nx) * cs, m_component, false, dst + std::size_t(y) * stride,
                       m_info.type, std::size_t(nx));
      return;
    }
    loadAll();
    for (std::int64_t y = 0; y < ny; ++y) {
      const std::size_t at = std::size_t((z * m_info.size.y + y0 + y) * m_info.size.x + x0) * cs;
      convertSamples(m_cache.data() + at, m_component, false, dst + std::size_t(y) * stride, m_info.type, std::size_t(nx));
    }
  }

  void readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress,
                 jobs::CancelToken& cancel) override {
    if (!m_stream || componentFor(m_info.type) != m_component) {
      SliceReader::readBlock(region, dst, progress, cancel);
      return;
    }
    // Pieces of about 64 MiB, each read straight into the output.
    const std::uint64_t slice = std::uint64_t(region.size.x * region.size.y) * voxelSize(m_info.type);
    const std::int64_t step = std::max<std::int64_t>(1, std::int64_t((std::uint64_t(64) << 20) / slice));
    for (std::int64_t z = 0; z < region.size.z; z += step) {
      cancel.throwIfCancelled();
      const std::int64_t n = std::min(step, region.size.z - z);
      readRegion({{region.start.x, region.start.y, region.start.z + z}, {region.size.x, region.size.y, n}},
                 dst + std::uint64_t(z) * slice);
      progress.setProgress(double(z + n) / double(region.size.z), "Reading");
    }
  }

private:
  void readRegion(const Region& r, void* buffer) {
    itk::ImageIORegion io(m_dims);
    const std::int64_t start[3] = {r.start.x, r.start.y, r.start.z}, size[3] = {r.size.x, r.size.y, r.size.z};
    for (unsigned i = 0; i < m_dims; ++i) {
      io.SetIndex(i, i < 3 ? start[i] : 0);
      io.SetSize(i, i < 3 ? std::size_t(size[i]) : 1);
    }
    try {
      m_io->SetIORegion(io);
      m_io->Read(buffer);
    } catch (const itk::ExceptionObject& e) {
      fail("file " + inQuotes(path()) + " cannot be read (damaged or truncated?): " + e.GetDescription());
    }
  }
  void loadAll() {
    if (!m_cache.empty()) return;
    const std::uint64_t bytes = std::uint64_t(m_info.size.count()) * componentSize(m_component);
    checkAllocation(bytes, "reading the whole of " + inQuotes(path()) + " (this format cannot be read in parts)");
    m_cache.resize(std::size_t(bytes));
    readRegion(Region::whole(m_info.size), m_cache.data());
  }

  itk::ImageIOBase::Pointer m_io;
  Component m_component = Component::U8;
  unsigned m_dims = 3;
  bool m_stream = false;
  std::vector<std::uint8_t> m_cache, m_scratch;
};

// ITK's MetaImage and NIfTI writers do not check their writes: on a full disk they leave a short
// file and report nothing. So the file written is checked against what it must hold, and when it
// is short the reason is found by writing the missing bytes ourselves (the same failure then
// happens again, with the system's message).
[[noreturn]] void shortOutput(const std::string& file, const std::string& name, std::uint64_t missing,
                              const std::string& what) {
  std::string reason = "a write was lost";
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd >= 0) {
    const std::vector<char> zeros(std::size_t(std::clamp<std::uint64_t>(missing, 1, 1u << 20)));
    const ssize_t put = ::write(fd, zeros.data(), zeros.size());
    const int err = errno;
    if (put < 0 || (::fsync(fd) != 0 && errno != EINVAL)) reason = std::strerror(put < 0 ? err : errno);
    ::close(fd);
  }
  fail("cannot write " + inQuotes(name) + ": " + reason + " (" + what + ")");
}

// Decompressed bytes of a zlib stream of \p n bytes at \p offset, or -1 when it is damaged or cut.
std::int64_t inflatedSize(const std::string& file, std::uint64_t offset, std::uint64_t n) {
  const int fd = openReadOnly(file);
  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    ::close(fd);
    return -1;
  }
  std::vector<unsigned char> in(1 << 20), out(1 << 20);
  std::uint64_t total = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END && n > 0) {
    const std::size_t take = std::size_t(std::min<std::uint64_t>(n, in.size()));
    const ssize_t got = ::pread(fd, in.data(), take, off_t(offset));
    if (got <= 0) break;
    offset += std::uint64_t(got);
    n -= std::uint64_t(got);
    z.next_in = in.data();
    z.avail_in = unsigned(got);
    do {
      z.next_out = out.data();
      z.avail_out = unsigned(out.size());
      rc = inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) break;
      total += out.size() - z.avail_out;
    } while (z.avail_in > 0 && rc != Z_STREAM_END);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
  }
  inflateEnd(&z);
  ::close(fd);
  return rc == Z_STREAM_END ? std::int64_t(total) : -1;
}

// MetaImage: the header lines up to "ElementDataFile = LOCAL", then the data (raw or zlib).
void checkMetaImage(const std::string& file, const std::string& name, std::uint64_t dataBytes) {
  const std::uint64_t size = fileSize(file);
  std::ifstream in(file, std::ios::binary);
  std::string line;
  std::uint64_t headerEnd = 0, compressedSize = 0;
  bool compressed = false, local = false;
  while (!local && headerEnd < (1u << 20) && std::getline(in, line)) {
    headerEnd += line.size() + 1;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    if (key == "CompressedData") compressed = value == "True";
    if (key == "CompressedDataSize") compressedSize = std::strtoull(value.c_str(), nullptr, 10);
    if (key == "ElementDataFile") local = value == "LOCAL";
  }
  if (!local) shortOutput(file, name, dataBytes, "the header is incomplete");
  const std::uint64_t expected = headerEnd + (compressed ? compressedSize : dataBytes);
  if (size < expected)
    shortOutput(file, name, expected - size, "the file holds " + std::to_string(size) + " of " + std::to_string(expected) +
                                                 " bytes");
  if (size != expected || (compressed && inflatedSize(file, headerEnd, compressedSize) != std::int64_t(dataBytes)))
    fail("cannot write " + inQuotes(name) + ": the file written does not hold the image (" + std::to_string(size) +
         " bytes)");
}

// NIfTI-1 in one file: the header, then the voxels at vox_offset; .nii.gz as one gzip stream.
void checkNifti(const std::string& file, const std::string& name, std::uint64_t dataBytes) {
  // The reader's own header check; a header cut short or data too short throws there.
  std::optional<NiftiLayout> layout;
  try {
    layout = checkNiftiHeader(file);
  } catch (const std::exception&) {
  }
  if (!layout) shortOutput(file, name, dataBytes, "the file written is incomplete");
  const std::uint64_t expected = layout->voxOffset + dataBytes;
  if (!layout->gzip) {
    const std::uint64_t size = fileSize(file);
    if (size < expected)
      shortOutput(file, name, expected - size,
                  "the file holds " + std::to_string(size) + " of " + std::to_string(expected) + " bytes");
    if (size != expected) fail("cannot write " + inQuotes(name) + ": the file written has the wrong size");
    return;
  }
  gzFile gz = gzopen(file.c_str(), "rb");
  if (!gz) shortOutput(file, name, dataBytes, "the file does not open");
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  int got = 0;
  while ((got = gzread(gz, buf.data(), unsigned(buf.size()))) > 0) total += std::uint64_t(got);
  int zerr = Z_OK;
  gzerror(gz, &zerr);
  gzclose(gz);
  if (got < 0 || zerr != Z_OK || total != expected)
    shortOutput(file, name, expected > total ? expected - total : 1,
                "the compressed stream is cut or damaged after " + std::to_string(total) + " of " +
                    std::to_string(expected) + " bytes");
}

class ItkWriter final : public WriterBase {
public:
  ItkWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts, const std::string& format)
      : WriterBase(path, info), m_format(format), m_compress(opts.compress), m_volume(info) {}

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override { m_volume.paste(slab, {0, 0, z0}); }
  void complete() override {
    TemporaryPath tmp(m_path, extensionOf(m_path));
    auto io = makeIo(m_format);
    io->SetNumberOfDimensions(3);
    const std::int64_t size[3] = {m_info.size.x, m_info.size.y, m_info.size.z};
    const double sp[3] = {m_info.spacing.x, m_info.spacing.y, m_info.spacing.z};
    const double o[3] = {m_info.origin.x, m_info.origin.y, m_info.origin.z};
    itk::ImageIORegion region(3);
    for (unsigned i = 0; i < 3; ++i) {
      io->SetDimensions(i, itk::SizeValueType(size[i]));
      io->SetSpacing(i, sp[i]);
      io->SetOrigin(i, o[i]);
      std::vector<double> dir(3, 0.0);
      dir[i] = 1.0;
      io->SetDirection(i, dir);
      region.SetIndex(i, 0);
      region.SetSize(i, itk::SizeValueType(size[i]));
    }
    io->SetPixelType(itk::IOPixelEnum::SCALAR);
    io->SetNumberOfComponents(1);
    io->SetComponentType(itkComponent(m_info.type));
    io->SetUseCompression(m_compress);
    io->SetFileName(tmp.path());
    io->SetIORegion(region);
    try {
      io->WriteImageInformation();
      io->Write(m_volume.data());
    } catch (const itk::ExceptionObject& e) {
      fail("cannot write " + inQuotes(m_path) + ": " + e.GetDescription());
    }
    io = nullptr; // closes what ITK left open
    if (m_format == "mha") checkMetaImage(tmp.path(), m_path, m_volume.bytes());
    else checkNifti(tmp.path(), m_path, m_volume.bytes());
    syncPath(tmp.path());
    tmp.commit();
  }

private:
  std::string m_format;
  bool m_compress;
  Volume m_volume;
};

} // namespace

std::unique_ptr<SliceReader> openItk(const std::string& path, const std::string& format) {
  const std::string ext = extensionOf(path);
  if (format == "mha" || (format == "itk" && (ext == ".mha" || ext == ".mhd"))) return openMetaImage(path, format);
  return openItkImage(path, format);
}

std::unique_ptr<SliceReader> openItkImage(const std::string& path, const std::string& format) {
  // NIfTI headers are checked before niftilib reads them.
  std::optional<NiftiLayout> layout;
  if (format == "nifti" || (format == "itk" && isNiftiName(path))) layout = checkNiftiHeader(path);
  auto reader = std::make_unique<ItkReader>(path, format);
  // NIfTI-1 voxels without scaling are read by our raw reader: it streams slabs (.nii and
  // .nii.gz) and keeps NaN and Inf, which niftilib replaces by 0. ITK still gives the geometry.
  if (reader->isNifti())
    if (const auto& l = layout) {
      VolumeInfo info = reader->info();
      return openRawLayout(path, path, format == "itk" ? "itk" : "nifti", info, l->component, l->bigEndian,
                           l->gzip ? 0 : l->voxOffset, l->gzip, l->gzip ? l->voxOffset : 0);
    }
  return reader;
}

std::unique_ptr<VolumeWriter> createItkWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts,
                                              const std::string& format) {
  const std::string ext = extensionOf(path);
  if (format == "mha" && ext != ".mha")
    fail("MetaImage output " + inQuotes(path) + " must end in .mha (one file, header and data)");
  if (format == "nifti" && ext != ".nii" && ext != ".nii.gz")
    fail("NIfTI output " + inQuotes(path) + " must end in .nii or .nii.gz");
  return std::make_unique<ItkWriter>(path, info, opts, format);
}

} // namespace core::volume::io
