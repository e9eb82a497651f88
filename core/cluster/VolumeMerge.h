#pragma once
/// \file VolumeMerge.h
/// Joining the volume pieces of a cluster job (one per slab range, each holding exactly the
/// slices its task owns) into one volume, slab by slab: peak memory is one bounded read, never
/// the whole volume. Any thread (one call per writer).

#include "core/jobs/Job.h"
#include "core/volume/io/VolumeIO.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::cluster {

/// One piece: its file and the slices [z0, z1) of the whole volume it holds.
struct VolumePiece {
  std::string path;
  std::int64_t z0 = 0, z1 = 0;
};

/// Opens \p path and checks that it holds \p slices slices; throws std::runtime_error naming the
/// file otherwise (or when it cannot be read). For TaskRunner's PieceValidator.
void checkVolumePiece(const std::string& path, std::int64_t slices);

/// Writes the pieces, in z order, into one volume at \p out (atomically, through createWriter).
/// Checks first, before writing anything, that the pieces tile [begin, end) exactly and agree in
/// width, height, voxel type and spacing; errors name the offending piece. Reads at most
/// \p maxReadBytes at a time (0: 256 MiB). Returns the written volume's description (size
/// x, y, end - begin; spacing and origin of the first piece).
volume::VolumeInfo mergeVolumePieces(const std::vector<VolumePiece>& pieces, std::int64_t begin, std::int64_t end,
                                     const std::string& out, const volume::WriteOptions& write = {},
                                     std::uint64_t maxReadBytes = 0,
                                     jobs::ProgressSink& progress = jobs::nullProgress(),
                                     jobs::CancelToken& cancel = jobs::neverCancelled());

} // namespace core::cluster
