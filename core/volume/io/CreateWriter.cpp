// createWriter(), writeVolume() and the checks every writer shares.
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/OmeZarr.h"
#include "core/volume/io/Writers.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace core::volume {

using namespace io;

namespace io {

WriterBase::WriterBase(std::string path, const VolumeInfo& info) : m_path(std::move(path)), m_info(info) {
  if (info.size.empty()) fail("cannot write an empty volume (" + describe(info.size, info.type) + ") to " + inQuotes(m_path));
  (void)info.bytes();
  const fs::path parent = fs::path(m_path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec))
    fail("cannot write " + inQuotes(m_path) + ": folder " + inQuotes(parent.string()) + " does not exist");
}

void WriterBase::writeSlab(const Volume& slab, std::int64_t z0) {
  if (m_finished) fail("writing " + inQuotes(m_path) + ": already finished");
  if (slab.empty() || slab.size().z == 0) return;
  if (slab.size().x != m_info.size.x || slab.size().y != m_info.size.y || slab.type() != m_info.type)
    fail("writing " + inQuotes(m_path) + ": a slab of " + describe(slab.size(), slab.type()) +
         " does not match the volume being written (" + describe(m_info.size, m_info.type) + ")");
  if (z0 != m_next)
    fail("writing " + inQuotes(m_path) + ": slabs must come in order; expected slice " + std::to_string(m_next) +
         ", got " + std::to_string(z0));
  if (z0 + slab.size().z > m_info.size.z)
    fail("writing " + inQuotes(m_path) + ": slices beyond the " + std::to_string(m_info.size.z) + " of the volume");
  writeSlices(slab, z0);
  m_next += slab.size().z;
}

void WriterBase::finish() {
  if (m_finished) return;
  if (m_next != m_info.size.z)
    fail("writing " + inQuotes(m_path) + ": only " + std::to_string(m_next) + " of " + std::to_string(m_info.size.z) +
         " slices were written");
  complete();
  m_finished = true;
}

} // namespace io

std::string writeFormatFor(const std::string& path, const WriteOptions& opts) {
  std::string f = opts.format;
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (!f.empty() && f != "auto") {
    if (f == "tiff-folder" || f == "tiff" || f == "nrrd" || f == "hdf5" || f == "ome-zarr" || f == "mha" || f == "nifti")
      return f;
    fail("unknown output format '" + opts.format + "' (known: tiff-folder, tiff, nrrd, hdf5, ome-zarr, mha, nifti)");
  }
  if (path.empty()) fail("no output path given");
  std::error_code ec;
  const std::string ext = extensionOf(path);
  if (ext == ".zarr" || ext == ".ome.zarr") return "ome-zarr";
  if (path.back() == '/' || fs::is_directory(path, ec)) return "tiff-folder";
  if (ext.empty()) return "tiff-folder";
  if (ext == ".tif" || ext == ".tiff") return "tiff";
  if (ext == ".nrrd" || ext == ".nhdr") return "nrrd";
  if (ext == ".h5" || ext == ".hdf5") return "hdf5";
  if (ext == ".mha" || ext == ".mhd") return "mha";
  if (ext == ".nii" || ext == ".nii.gz") return "nifti";
  fail("cannot tell the output format of " + inQuotes(path) + " from its extension '" + ext +
       "' (use .tif, .nrrd, .h5, .zarr, .mha, .nii, a folder, or give the format)");
}

std::unique_ptr<VolumeWriter> createWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts) {
  const std::string format = writeFormatFor(path, opts);
  if (format == "tiff-folder") return createTiffFolderWriter(path, info, opts);
  if (format == "tiff") return createTiffStackWriter(path, info, opts);
  if (format == "nrrd") return createNrrdWriter(path, info, opts);
  if (format == "hdf5") return createHdf5Writer(path, info, opts);
  if (format == "ome-zarr") return createOmeZarrWriter(path, info, opts);
  return createItkWriter(path, info, opts, format);
}

void writeVolume(const Volume& volume, const std::string& path, const WriteOptions& opts, jobs::ProgressSink& progress) {
  if (volume.empty()) fail("cannot write an empty volume to " + inQuotes(path));
  auto writer = createWriter(path, volume.info(), opts);
  const std::uint64_t slice = volume.info().sliceBytes();
  const std::int64_t z = volume.size().z;
  // Slabs of about 64 MiB, so progress moves; written straight from the volume's memory.
  const std::int64_t step = std::max<std::int64_t>(1, std::int64_t((std::uint64_t(64) << 20) / std::max<std::uint64_t>(slice, 1)));
  if (step >= z) {
    writer->writeSlab(volume, 0);
  } else {
    for (std::int64_t z0 = 0; z0 < z; z0 += step) {
      const std::int64_t n = std::min(step, z - z0);
      writer->writeSlab(volume.crop({{0, 0, z0}, {volume.size().x, volume.size().y, n}}), z0);
      progress.setProgress(double(z0 + n) / double(z), "Writing");
    }
  }
  writer->finish();
  progress.setProgress(1.0, "Writing");
}

} // namespace core::volume
