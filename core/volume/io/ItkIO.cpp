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

#include <cstring>
#include <fstream>
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

class ItkWriter final : public WriterBase {
public:
  ItkWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts, const std::string& format)
      : WriterBase(path, info), m_format(format), m_compress(opts.compress), m_volume(info) {}

protected:
  void writeSlices(const Volume& slab, std::int64_t z0) override { m_volume.paste(slab, {0, 0, z0}); }
  void complete() override {
    const std::string ext = extensionOf(m_path);
    const std::string tmp = temporarySibling(m_path, ext);
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
    io->SetFileName(tmp);
    io->SetIORegion(region);
    try {
      io->WriteImageInformation();
      io->Write(m_volume.data());
    } catch (const itk::ExceptionObject& e) {
      std::remove(tmp.c_str());
      fail("cannot write " + inQuotes(m_path) + ": " + e.GetDescription());
    }
    syncPath(tmp);
    renameInto(tmp, m_path);
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
