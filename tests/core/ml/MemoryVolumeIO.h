#pragma once
// An in-memory VolumeReader and VolumeWriter for the core/ml tests of slab-wise prediction: the
// reader counts its reads and the largest slab; the writer checks that slabs arrive in order.
#include "core/volume/Volume.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>
#include <algorithm>
#include <string>
#include <utility>

namespace mltest {

class MemoryReader final : public core::volume::VolumeReader {
public:
  explicit MemoryReader(const core::volume::Volume& v, std::string path = "memory") : m_v(v), m_path(std::move(path)) {}
  core::volume::VolumeInfo info() const override { return m_v.info(); }
  std::string formatName() const override { return "memory"; }
  const std::string& path() const override { return m_path; }
  core::volume::Volume read(const core::volume::Region& r, int, core::volume::DownsampleMode, core::jobs::ProgressSink&,
              core::jobs::CancelToken&) override {
    ++reads;
    maxSlab = std::max(maxSlab, r.size.z);
    return m_v.crop(r);
  }
  int reads = 0;
  std::int64_t maxSlab = 0;

private:
  const core::volume::Volume& m_v;
  std::string m_path;
};

class MemoryWriter final : public core::volume::VolumeWriter {
public:
  explicit MemoryWriter(const core::volume::VolumeInfo& info) : volume(info) {}
  void writeSlab(const core::volume::Volume& slab, std::int64_t z0) override {
    QCOMPARE(z0, next);
    next += slab.size().z;
    volume.paste(slab, {0, 0, z0});
  }
  void finish() override {}
  core::volume::Volume volume;
  std::int64_t next = 0;
};

} // namespace mltest
