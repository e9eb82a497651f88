#include "core/cluster/VolumeMerge.h"

#include "core/cluster/SlabPlan.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace core::cluster {

using namespace core::volume;

void checkVolumePiece(const std::string& path, std::int64_t slices) {
  const VolumeInfo info = openVolume(path)->info();
  if (info.size.z != slices)
    throw std::runtime_error(path + ": the piece has " + std::to_string(info.size.z) + " slices, expected " +
                             std::to_string(slices));
  if (info.size.empty()) throw std::runtime_error(path + ": the piece is empty");
}

VolumeInfo mergeVolumePieces(const std::vector<VolumePiece>& piecesIn, std::int64_t begin, std::int64_t end,
                             const std::string& out, const WriteOptions& write, std::uint64_t maxReadBytes,
                             jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  std::vector<VolumePiece> pieces = piecesIn;
  std::stable_sort(pieces.begin(), pieces.end(), [](const VolumePiece& a, const VolumePiece& b) { return a.z0 < b.z0; });
  std::vector<SlabRange> slabs;
  for (const VolumePiece& p : pieces) slabs.push_back({p.z0, p.z1, p.z0, p.z1});
  const std::string tiling = checkTiling(slabs, begin, end);
  if (!tiling.empty())
    throw std::runtime_error("the pieces do not tile slices [" + std::to_string(begin) + ", " + std::to_string(end) +
                             "): " + tiling);

  // Open everything and check agreement before the first byte is written.
  std::vector<std::unique_ptr<VolumeReader>> readers;
  VolumeInfo first;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    readers.push_back(openVolume(pieces[i].path));
    const VolumeInfo info = readers.back()->info();
    if (info.size.z != pieces[i].z1 - pieces[i].z0)
      throw std::runtime_error(pieces[i].path + ": holds " + std::to_string(info.size.z) + " slices, but its task owns " +
                               std::to_string(pieces[i].z1 - pieces[i].z0) + " (slices " + std::to_string(pieces[i].z0) +
                               ":" + std::to_string(pieces[i].z1) + ")");
    if (i == 0) {
      first = info;
      continue;
    }
    if (info.size.x != first.size.x || info.size.y != first.size.y)
      throw std::runtime_error(pieces[i].path + ": slices of " + std::to_string(info.size.x) + " x " +
                               std::to_string(info.size.y) + " voxels, but " + pieces[0].path + " has " +
                               std::to_string(first.size.x) + " x " + std::to_string(first.size.y));
    if (info.type != first.type)
      throw std::runtime_error(pieces[i].path + ": voxel type " + toString(info.type) + ", but " + pieces[0].path +
                               " has " + toString(first.type));
    if (info.spacing != first.spacing)
      throw std::runtime_error(pieces[i].path + ": a different voxel spacing than " + pieces[0].path);
  }

  VolumeInfo outInfo = first;
  outInfo.size.z = end - begin;
  const std::uint64_t budget = maxReadBytes > 0 ? maxReadBytes : (std::uint64_t(256) << 20);
  const std::int64_t step = std::max<std::int64_t>(1, std::int64_t(budget / std::max<std::uint64_t>(1, first.sliceBytes())));

  std::unique_ptr<VolumeWriter> writer = createWriter(out, outInfo, write);
  std::int64_t written = 0;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::int64_t n = pieces[i].z1 - pieces[i].z0;
    for (std::int64_t z = 0; z < n; z += step) {
      cancel.throwIfCancelled();
      const std::int64_t z1 = std::min(n, z + step);
      Volume slab = readers[i]->readSlab(z, z1);
      writer->writeSlab(slab, written);
      written += z1 - z;
      progress.setProgress(std::min(0.999, double(written) / double(outInfo.size.z)),
                           "Joining piece " + std::to_string(i + 1) + " of " + std::to_string(pieces.size()));
    }
    readers[i].reset(); // close files as we go
  }
  writer->finish();
  progress.setProgress(1.0, "Joined");
  return outInfo;
}

} // namespace core::cluster
