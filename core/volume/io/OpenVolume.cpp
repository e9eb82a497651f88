// openVolume(): format detection (content first, then extension) and the common VolumeReader calls.
#include "core/jobs/Warning.h"
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/OmeZarr.h"
#include "core/volume/io/Readers.h"
#include "core/volume/io/TiffFile.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace core::volume {

using namespace io;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// The format a file's first bytes show, or "" when they show none we know.
std::string formatFromContent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char h[352] = {};
  in.read(reinterpret_cast<char*>(h), sizeof h);
  const auto n = std::size_t(in.gcount());
  if (n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0) ||
                 (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43))))
    return "tiff";
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (n >= 8 && std::memcmp(h, png, 8) == 0) return "image";
  static const unsigned char hdf[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (n >= 8 && std::memcmp(h, hdf, 8) == 0) return "hdf5";
  if (n >= 4 && std::memcmp(h, "NRRD", 4) == 0) return "nrrd";
  if (n >= 348) {
    std::int32_t hdr = 0;
    std::memcpy(&hdr, h, 4);
    if ((hdr == 348 || __builtin_bswap32(std::uint32_t(hdr)) == 348u) &&
        (std::memcmp(h + 344, "n+1", 4) == 0 || std::memcmp(h + 344, "ni1", 4) == 0))
      return "nifti";
  }
  const std::string text(reinterpret_cast<const char*>(h), n);
  if (text.rfind("ObjectType", 0) == 0 || text.rfind("NDims", 0) == 0) return "mha";
  return {};
}

std::string formatFromExtension(const std::string& path) {
  const std::string ext = extensionOf(path);
  if (ext == ".tif" || ext == ".tiff") return "tiff";
  if (ext == ".png") return "image";
  if (ext == ".nrrd" || ext == ".nhdr") return "nrrd";
  if (ext == ".mha" || ext == ".mhd") return "mha";
  if (ext == ".nii" || ext == ".nii.gz") return "nifti";
  if (ext == ".vol") return "vol";
  if (ext == ".h5" || ext == ".hdf5" || ext == ".hdf" || ext == ".nxs" || ext == ".cxi" || ext == ".he5") return "hdf5";
  if (ext == ".raw" || ext == ".bin" || ext == ".dat") return "raw";
  return {};
}

std::unique_ptr<SliceReader> openAs(const std::string& path, const std::string& format, const OpenOptions& opts) {
  if (format == "tiff") return openTiffStack(path);
  if (format == "image") {
    if (hasTiffMagic(path)) return openTiffStack(path);
    return openSliceFiles(path, {path}, "image");
  }
  if (format == "nrrd") return openNrrd(path);
  if (format == "mha" || format == "nifti" || format == "itk") return openItk(path, format);
  if (format == "vol") return openEsrfVol(path, opts.raw);
  if (format == "hdf5") return openHdf5(path, opts.hdf5Dataset.empty() ? "/exchange/data" : opts.hdf5Dataset, opts.level);
  if (format == "raw") {
    if (!opts.raw) fail("raw file " + inQuotes(path) + " needs its size X,Y,Z and voxel type (raw parameters)");
    return openRaw(path, *opts.raw);
  }
  fail("unknown volume format '" + format +
       "' (known: auto, ome-zarr, tiff-folder, png-folder, tiff, image, nrrd, mha, nifti, vol, raw, hdf5, itk)");
}

std::unique_ptr<VolumeReader> openChecked(const std::string& path, const OpenOptions& opts);

} // namespace

std::unique_ptr<VolumeReader> openVolume(const std::string& path, const OpenOptions& opts) {
  try {
    return openChecked(path, opts);
  } catch (const std::overflow_error& e) {
    // Sizes or offsets of a header that do not fit (Checked.h, VolumeInfo::bytes).
    fail("file " + inQuotes(path) + " is damaged or not supported: " + e.what());
  } catch (const fs::filesystem_error& e) {
    // A name taken from a damaged header (too long, not a name at all).
    fail("file " + inQuotes(path) + " cannot be read: " + e.what());
  }
}

namespace {

std::unique_ptr<VolumeReader> openChecked(const std::string& path, const OpenOptions& opts) {
  if (path.empty()) fail("no input path given");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) fail("path " + inQuotes(path) + " does not exist");
  std::string format = lower(opts.format.empty() ? std::string("auto") : opts.format);
  std::unique_ptr<SliceReader> reader;
  if (fs::is_directory(st) && (format == "ome-zarr" || (format == "auto" && isOmeZarr(path)))) {
    reader = openOmeZarr(path, opts.level);
  } else if (fs::is_directory(st)) {
    if (format == "auto" || format == "tiff" || format == "image") format.clear();
    else if (format != "tiff-folder" && format != "png-folder")
      fail(inQuotes(path) + " is a folder; format '" + format + "' needs a file");
    if (opts.level != 0) fail(inQuotes(path) + " has one resolution level; level " + std::to_string(opts.level) + " does not exist");
    const auto files = listSliceFiles(path, format);
    reader = openSliceFiles(path, files, format);
  } else {
    if (format == "tiff-folder" || format == "png-folder" || format == "ome-zarr")
      fail(inQuotes(path) + " is a file, not a folder" + (format == "ome-zarr" ? " (an OME-Zarr image is a folder)" : " of slices"));
    if (fileSize(path) == 0) fail("file " + inQuotes(path) + " is empty");
    if (format == "auto") {
      format = formatFromContent(path);
      if (format.empty()) format = formatFromExtension(path);
      // A file whose extension promises a format with magic bytes that it lacks is not that format.
      if (format == "tiff" || format == "image" || format == "hdf5")
        if (formatFromContent(path).empty())
          fail("file " + inQuotes(path) + " is not a valid " + format + " file (its first bytes are not a " + format +
               " signature)");
      if (format.empty() && opts.raw) format = "raw";
      if (format.empty())
        fail("cannot tell the format of " + inQuotes(path) + " from its content or extension; give the format"
             " (and the size and type for raw data)");
    }
    if (opts.level != 0 && format != "hdf5")
      fail(inQuotes(path) + " has one resolution level; level " + std::to_string(opts.level) + " does not exist");
    reader = openAs(path, format, opts);
  }
  if (opts.spacing) {
    const Vec3& s = *opts.spacing;
    if (!(s.x > 0 && s.y > 0 && s.z > 0 && std::isfinite(s.x) && std::isfinite(s.y) && std::isfinite(s.z)))
      fail("spacing must be positive");
    reader->overrideSpacing(s);
  } else {
    Vec3 s = reader->info().spacing;
    std::string bad;
    for (auto [axis, v] : {std::pair<const char*, double*>{"x", &s.x}, {"y", &s.y}, {"z", &s.z}})
      if (!(*v > 0 && std::isfinite(*v))) {
        std::ostringstream one;
        one << (bad.empty() ? "" : ", ") << axis << " = " << *v;
        bad += one.str();
        *v = 1.0;
      }
    if (!bad.empty()) {
      reader->overrideSpacing(s);
      jobs::warn("the voxel spacing in " + inQuotes(path) + " is not a positive number (" + bad +
                 "): 1 is used there instead; give the real spacing with --spacing (micrometres)");
    }
  }
  (void)reader->info().bytes(); // every reader's sizes within kMaxVolumeBytes (std::overflow_error)
  return reader;
}

} // namespace

std::vector<VolumeInfo> resolutionLevels(const std::string& path, const OpenOptions& opts) {
  std::error_code ec;
  const std::string f = lower(opts.format);
  if (fs::is_directory(path, ec) && (f == "ome-zarr" || ((f.empty() || f == "auto") && isOmeZarr(path))))
    return omeZarrLevels(path);
  if (!fs::is_directory(path, ec) && (f == "hdf5" || ((f.empty() || f == "auto") && formatFromContent(path) == "hdf5")))
    return hdf5Levels(path, opts.hdf5Dataset.empty() ? "/exchange/data" : opts.hdf5Dataset);
  OpenOptions one = opts;
  one.level = 0;
  return {openVolume(path, one)->info()};
}

Volume readVolume(const std::string& path, const OpenOptions& open, const ReadOptions& read,
                  jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  return openVolume(path, open)->read(read, progress, cancel);
}

Region VolumeReader::resolveCrop(const ReadOptions& opts) const {
  const VolumeInfo i = info();
  if (!opts.crop) return Region::whole(i.size);
  Region r = *opts.crop;
  auto bad = [&] {
    fail("crop at (" + std::to_string(r.start.x) + "," + std::to_string(r.start.y) + "," + std::to_string(r.start.z) +
         ") of size " + std::to_string(r.size.x) + "x" + std::to_string(r.size.y) + "x" + std::to_string(r.size.z) +
         " is not inside " + inQuotes(path()) + " (" + describe(i.size, i.type) + ")");
  };
  // The corner first, so that "to the end" (size - start) cannot overflow.
  if (r.start.x < 0 || r.start.y < 0 || r.start.z < 0 || r.start.x >= i.size.x || r.start.y >= i.size.y ||
      r.start.z >= i.size.z)
    bad();
  if (r.size.x <= 0) r.size.x = i.size.x - r.start.x;
  if (r.size.y <= 0) r.size.y = i.size.y - r.start.y;
  if (r.size.z <= 0) r.size.z = i.size.z - r.start.z;
  if (r.empty() || !r.inside(i.size)) bad();
  return r;
}

namespace {
// A factor below 1 is meaningless; one above the longest side of the region averages everything
// into one voxel (and would size scratch buffers by the factor, not by the data).
void checkDownsample(const VolumeReader& reader, const Region& r, int d) {
  const std::int64_t longest = std::max({r.size.x, r.size.y, r.size.z});
  if (d < 1 || d > std::max<std::int64_t>(1, std::min<std::int64_t>(longest, kMaxDownsample)))
    fail("downsampling factor " + std::to_string(d) + " does not fit " + inQuotes(reader.path()) +
         ": it must be a whole number from 1 to " + std::to_string(std::min<std::int64_t>(longest, kMaxDownsample)) +
         " (the longest side read, " + std::to_string(longest) + " voxels)");
}
} // namespace

VolumeInfo VolumeReader::outputInfo(const ReadOptions& opts) const {
  const Region r = resolveCrop(opts);
  checkDownsample(*this, r, opts.downsample);
  return downsampledInfo(info(), r, opts.downsample);
}

Volume VolumeReader::read(const ReadOptions& opts, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const Region r = resolveCrop(opts);
  checkDownsample(*this, r, opts.downsample);
  return read(r, opts.downsample, opts.mode, progress, cancel);
}

Volume VolumeReader::readSlab(std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const VolumeInfo i = info();
  if (z0 < 0 || z1 > i.size.z || z0 >= z1)
    fail("slices [" + std::to_string(z0) + ", " + std::to_string(z1) + ") are not inside " + inQuotes(path()) + " (" +
         std::to_string(i.size.z) + " slices)");
  return read(Region::slab(i.size, z0, z1), 1, DownsampleMode::Mean, progress, cancel);
}

} // namespace core::volume

namespace core::volume {

void forEachSlab(VolumeReader& reader, const ReadOptions& opts, std::uint64_t maxSlabBytes,
                 const std::function<void(Volume& slab, std::int64_t z0)>& fn, jobs::ProgressSink& progress,
                 jobs::CancelToken& cancel, std::int64_t align) {
  const Region crop = reader.resolveCrop(opts);
  const VolumeInfo out = reader.outputInfo(opts);
  const int d = opts.downsample;
  std::int64_t per = std::max<std::int64_t>(1, std::int64_t(maxSlabBytes / std::max<std::uint64_t>(out.sliceBytes(), 1)));
  if (align > 1 && per >= align) per = (per / align) * align;
  for (std::int64_t z0 = 0; z0 < out.size.z; z0 += per) {
    cancel.throwIfCancelled();
    const std::int64_t n = std::min(per, out.size.z - z0);
    const std::int64_t fz0 = crop.start.z + z0 * d, fz1 = std::min(crop.start.z + (z0 + n) * d, crop.end().z);
    jobs::SubProgress sub(progress, double(z0) / double(out.size.z), double(z0 + n) / double(out.size.z));
    Volume slab = reader.read(Region{{crop.start.x, crop.start.y, fz0}, {crop.size.x, crop.size.y, fz1 - fz0}}, d,
                              opts.mode, sub, cancel);
    fn(slab, z0);
  }
  progress.setProgress(1.0, "Reading");
}

} // namespace core::volume
