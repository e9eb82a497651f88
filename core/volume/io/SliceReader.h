#pragma once
/// \file SliceReader.h
/// Internal base of every reader: a format only has to deliver a rectangle of one slice
/// (readRect); SliceReader does cropping and Mean/Nearest downsampling while reading, into an
/// output buffer allocated once. Scratch memory is one band of rows of the region (a strip's
/// height, rounded up to the downsampling factor) and one output slice of doubles.
/// A reader object is used from one thread at a time.

#include "core/volume/io/VolumeIO.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace core::volume::io {

/// Size, spacing and origin of reading \p region of a volume \p file with factor \p d.
VolumeInfo downsampledInfo(const VolumeInfo& file, const Region& region, int d);

class SliceReader : public VolumeReader {
public:
  SliceReader(std::string path, std::string format) : m_path(std::move(path)), m_format(std::move(format)) {}
  VolumeInfo info() const override { return m_info; }
  std::string formatName() const override { return m_format; }
  const std::string& path() const override { return m_path; }
  using VolumeReader::read;
  Volume read(const Region& region, int downsample, DownsampleMode mode, jobs::ProgressSink& progress,
              jobs::CancelToken& cancel) override;
  /// Replaces the spacing the file gave (OpenOptions::spacing).
  void overrideSpacing(const Vec3& spacing) { m_info.spacing = spacing; }

protected:
  /// Reads columns [x0, x0 + nx) of rows [y0, y0 + ny) of slice z as m_info.type into \p dst,
  /// whose rows are \p dstStride bytes apart. The rectangle lies inside the volume.
  virtual void readRect(std::int64_t z, std::int64_t x0, std::int64_t y0, std::int64_t nx, std::int64_t ny,
                        std::uint8_t* dst, std::size_t dstStride) = 0;
  /// Reads \p region without downsampling into \p dst (x fastest, contiguous). The default calls
  /// readRect once per slice; formats that can do better (one big read) override it.
  virtual void readBlock(const Region& region, std::uint8_t* dst, jobs::ProgressSink& progress,
                         jobs::CancelToken& cancel);
  /// Rows a format delivers cheaply at once (a strip's height); downsampling reads bands of this.
  virtual std::int64_t preferredRows() const { return 64; }

  VolumeInfo m_info;

private:
  void readMean(const Region& region, int d, Volume& out, jobs::ProgressSink& progress, jobs::CancelToken& cancel);
  void readNearest(const Region& region, int d, Volume& out, jobs::ProgressSink& progress,
                   jobs::CancelToken& cancel);
  std::string m_path, m_format;
};

} // namespace core::volume::io
