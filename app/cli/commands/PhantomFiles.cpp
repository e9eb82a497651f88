#include "app/cli/commands/PhantomFiles.h"

#include "app/cli/support/NumberChecks.h"
#include "app/cli/commands/PhantomPreview.h"

#include "core/files/AtomicFile.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cli {

namespace fs = std::filesystem;
using namespace core;

std::string phantomFileName(const std::string& stem, const std::string& format) {
  if (format == "nrrd") return stem + ".nrrd";
  if (format == "tiff") return stem + ".tif";
  if (format == "hdf5") return stem + ".h5";
  if (format == "tiff-folder") return stem;
  throw std::invalid_argument("unknown format '" + format + "' (expected nrrd, tiff, tiff-folder or hdf5)");
}

volume::Size3 parseSize(const std::string& text) {
  const auto bad = [&] {
    return std::invalid_argument("--size '" + text + "' must be N or X,Y,Z, whole numbers from 1 to " +
                                 std::to_string(kMaxEdge));
  };
  std::vector<std::int64_t> v;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    std::size_t used = 0;
    long long n = 0;
    try {
      n = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || n <= 0 || n > kMaxEdge) throw bad();
    v.push_back(n);
  }
  if (v.size() == 1) return {v[0], v[0], v[0]};
  if (v.size() == 3) return {v[0], v[1], v[2]};
  throw bad();
}

namespace {

void writeTruthCsv(const std::vector<phantom::ParticleTruth>& truth, const std::string& path) {
  std::string text = "id,centre_x,centre_y,centre_z,radius,filled_voxels,crack_voxels,crack_fraction\n";
  char line[256];
  for (const auto& t : truth) {
    std::snprintf(line, sizeof line, "%u,%.3f,%.3f,%.3f,%.3f,%lld,%lld,%.6f\n", t.id, t.centre.x, t.centre.y, t.centre.z,
                  t.radius, static_cast<long long>(t.filledVoxels), static_cast<long long>(t.crackVoxels),
                  t.crackFraction());
    text += line;
  }
  core::files::writeFileAtomically(path, text);
}

} // namespace

PhantomFiles writePhantomFiles(const phantom::PhantomOptions& options, const std::string& dir, const std::string& format,
                               const std::string& preview, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const auto start = std::chrono::steady_clock::now();
  phantom::validate(options);
  PhantomFiles files;
  const fs::path root(dir);
  files.image = (root / phantomFileName("image", format)).string();
  files.cracks = (root / phantomFileName("cracks", format)).string();
  files.particles = (root / phantomFileName("particles", format)).string();
  files.truth = (root / "truth.csv").string();
  files.preview = preview;
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_directory(root, ec))
    throw std::runtime_error("output '" + dir + "' exists and is not a folder");
  fs::create_directories(root, ec);
  if (ec) throw std::runtime_error("cannot create folder '" + dir + "': " + ec.message());

  volume::WriteOptions wo;
  wo.format = format;
  auto info = [&](volume::VoxelType type) {
    volume::VolumeInfo i;
    i.size = options.size;
    i.type = type;
    i.spacing = options.spacing;
    return i;
  };
  auto image = volume::createWriter(files.image, info(options.imageType), wo);
  auto cracks = volume::createWriter(files.cracks, info(volume::VoxelType::UInt8), wo);
  auto particles = volume::createWriter(files.particles, info(volume::VoxelType::UInt32), wo);

  // Slabs of at most about 512 MiB (image, cracks, particles).
  const double perSlice = double(options.size.x) * double(options.size.y) * double(volume::voxelSize(options.imageType) + 5);
  const auto depth = std::int64_t(std::max(1.0, std::floor(512.0 * 1024 * 1024 / perSlice)));
  const std::int64_t mid = options.size.z / 2;
  volume::Volume previewImage, previewCracks, previewIds;
  files.voxels = options.size.count();

  jobs::SubProgress generating(progress, 0.0, 0.97);
  const auto truth = phantom::generatePhantomSlabs(
      options, depth,
      [&](phantom::Phantom& slab, std::int64_t z0) {
        const std::int64_t n = slab.cracks.voxelCount();
        const auto* cr = slab.cracks.as<std::uint8_t>();
        const auto* ids = slab.particles.as<std::uint32_t>();
        for (std::int64_t i = 0; i < n; ++i) {
          files.crackVoxels += cr[i];
          files.solidVoxels += ids[i] != 0;
        }
        if (!preview.empty() && mid >= z0 && mid < z0 + slab.image.size().z) {
          const volume::Region r{{0, 0, mid - z0}, {options.size.x, options.size.y, 1}};
          previewImage = slab.image.crop(r);
          previewCracks = slab.cracks.crop(r);
          previewIds = slab.particles.crop(r);
        }
        image->writeSlab(slab.image, z0);
        cracks->writeSlab(slab.cracks, z0);
        particles->writeSlab(slab.particles, z0);
      },
      generating, cancel);
  cancel.throwIfCancelled();
  progress.setProgress(0.97, "Writing");
  image->finish();
  cracks->finish();
  particles->finish();
  writeTruthCsv(truth, files.truth);
  if (!preview.empty()) writePhantomPreview(previewImage, previewCracks, previewIds, 0, preview);

  files.particleCount = truth.size();
  double sum = 0;
  for (const auto& t : truth)
    if (t.cracked()) {
      ++files.crackedCount;
      sum += t.crackFraction();
    }
  files.meanCrackFraction = files.crackedCount ? sum / double(files.crackedCount) : 0.0;
  files.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.setProgress(1.0, "Done");
  return files;
}

void printPhantomSummary(std::FILE* out, const phantom::PhantomOptions& o, const PhantomFiles& f) {
  std::fprintf(out, "phantom (%s%s) %lld x %lld x %lld %s, seed %llu, %.3f um voxels: %zu particles (%zu cracked), solid %.1f %%, "
                    "crack voxels %.2f %% of the volume, mean crack fraction of a cracked particle %.1f %% (%.1f s)\n",
               phantom::presetName(o.preset), o.lowSignal ? ", low signal" : "", static_cast<long long>(o.size.x),
               static_cast<long long>(o.size.y), static_cast<long long>(o.size.z), volume::toString(o.imageType), static_cast<unsigned long long>(o.seed), o.spacing.x, f.particleCount,
               f.crackedCount, 100.0 * double(f.solidVoxels) / double(f.voxels), 100.0 * double(f.crackVoxels) / double(f.voxels),
               100.0 * f.meanCrackFraction, f.seconds);
  std::fprintf(out, "  image      %s\n  cracks     %s\n  particles  %s\n  truth      %s\n", f.image.c_str(), f.cracks.c_str(),
               f.particles.c_str(), f.truth.c_str());
  if (!f.preview.empty()) std::fprintf(out, "  preview    %s\n", f.preview.c_str());
}

} // namespace cli
