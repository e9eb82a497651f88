#pragma once
/// \file RleDelta.h
/// The difference between two states of a box of a uint8 label volume, run-length encoded
/// (ITK-SNAP's UndoDelta). The box is walked in x-fastest order; the stream is a sequence of
/// segments "unchanged for n voxels" or "n voxels changed from value a to value b". A segment
/// header is a LEB128 varint (n << 1 | changed), a changed segment adds the two bytes a and b.
/// Untouched voxels cost one run; whole copies never happen. Applying writes whole segments with
/// memset, so undoing a change of 10^8 voxels costs about one memset of 10^8 bytes.
/// Thread affinity: none (a value type); apply() writes the volume it is given.

#include "core/volume/Volume.h"

#include <cstdint>
#include <vector>

namespace core::labels {

/// A writable view of a box of uint8 voxels: \p data holds the box \p box of the volume, with
/// x-stride 1, y-stride \p strideY, z-stride \p strideZ (in voxels).
struct LabelView {
  std::uint8_t* data = nullptr;
  volume::Region box;
  std::int64_t strideY = 0, strideZ = 0;
  /// The whole of \p v (must be uint8).
  static LabelView of(volume::Volume& v);
  /// Pointer to voxel (x, y, z) given in volume coordinates (must be inside box).
  std::uint8_t* at(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return data + (x - box.start.x) + strideY * (y - box.start.y) + strideZ * (z - box.start.z);
  }
};

/// One run-length encoded delta over a box of a label volume.
class RleDelta {
public:
  RleDelta() = default;
  /// The box the stream covers, in volume voxels.
  const volume::Region& region() const { return m_region; }
  /// Bounding box of the voxels that actually changed (empty when nothing changed).
  const volume::Region& changedRegion() const { return m_changed; }
  /// Number of changed voxels.
  std::int64_t changedVoxels() const { return m_changedVoxels; }
  /// Number of segments (runs) in the stream.
  std::int64_t segmentCount() const { return m_segments; }
  bool empty() const { return m_changedVoxels == 0; }
  /// Heap bytes held (the stream) plus the object itself.
  std::size_t byteSize() const { return m_bytes.capacity() + sizeof(*this); }

  /// Writes the "before" values of changed voxels into \p target (which must contain region()).
  void applyBefore(const LabelView& target) const { apply(target, false); }
  /// Writes the "after" values of changed voxels into \p target.
  void applyAfter(const LabelView& target) const { apply(target, true); }

  /// Builds a delta row by row, in x-fastest order over a region (defined below).
  class Encoder;

private:
  void apply(const LabelView& target, bool after) const;
  volume::Region m_region;
  volume::Region m_changed;
  std::int64_t m_changedVoxels = 0;
  std::int64_t m_segments = 0;
  std::vector<std::uint8_t> m_bytes;
};

/// Builds a delta row by row, in x-fastest order over a region.
class RleDelta::Encoder {
public:
  explicit Encoder(const volume::Region& region);
  /// Appends the next row (region.size.x voxels at row (y, z)): its values before and after.
  void addRow(std::int64_t y, std::int64_t z, const std::uint8_t* before, const std::uint8_t* after);
  /// Ends the stream (all rows must have been added).
  RleDelta finish();

private:
  void flush();
  void push(std::uint64_t n, bool changed, std::uint8_t a, std::uint8_t b);
  RleDelta m_delta;
  std::uint64_t m_pendingLength = 0;
  bool m_pendingChanged = false;
  std::uint8_t m_pendingBefore = 0, m_pendingAfter = 0;
  std::int64_t m_rows = 0;
  std::int64_t m_minX, m_minY, m_minZ, m_maxX, m_maxY, m_maxZ;
};

} // namespace core::labels
