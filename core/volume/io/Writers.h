#pragma once
/// \file Writers.h
/// Internal: the common checks of every writer (slab order, size, type, completeness) and the
/// writer of each format, created by createWriter() once the format is known.

#include "core/volume/io/VolumeIO.h"

#include <memory>
#include <string>

namespace core::volume::io {

class WriterBase : public VolumeWriter {
public:
  WriterBase(std::string path, const VolumeInfo& info);
  void writeSlab(const Volume& slab, std::int64_t z0) final;
  void finish() final;

protected:
  /// Writes slices [z0, z0 + slab.size().z) of m_info, already checked.
  virtual void writeSlices(const Volume& slab, std::int64_t z0) = 0;
  /// Flushes, syncs and renames into place.
  virtual void complete() = 0;

  std::string m_path;
  VolumeInfo m_info;
  std::int64_t m_next = 0;
  bool m_finished = false;
};

std::unique_ptr<VolumeWriter> createTiffFolderWriter(const std::string& path, const VolumeInfo& info,
                                                     const WriteOptions& opts);
std::unique_ptr<VolumeWriter> createTiffStackWriter(const std::string& path, const VolumeInfo& info,
                                                    const WriteOptions& opts);
std::unique_ptr<VolumeWriter> createNrrdWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts);
std::unique_ptr<VolumeWriter> createHdf5Writer(const std::string& path, const VolumeInfo& info, const WriteOptions& opts);
/// MetaImage (.mha) or NIfTI through ITK; \p format "mha" or "nifti". Holds the volume until finish().
std::unique_ptr<VolumeWriter> createItkWriter(const std::string& path, const VolumeInfo& info, const WriteOptions& opts,
                                              const std::string& format);

} // namespace core::volume::io
