#pragma once
// The fuzzer's targets: one per reader path (TIFF, BigTIFF, deflated TIFF, TIFF folder, PNG, NRRD
// attached/gzip/detached, MetaImage LOCAL/compressed/.mhd, NIfTI .nii/.nii.gz, HDF5 plain and
// deflated, raw, ESRF .vol). Each has a seed case: small valid files written by the project's own
// writers (text headers of detached data by hand, as other software writes them).

#include "Mutator.h"

#include "core/volume/Volume.h"
#include "core/volume/io/VolumeIO.h"

#include <map>
#include <string>
#include <vector>

namespace fuzz {

/// The files of one input, by path relative to its folder ("v.mha", "slices/slice_1.tif").
using Case = std::map<std::string, Bytes>;

struct Target {
  std::string name;
  std::string main;                     ///< what is opened, relative to the case folder
  std::vector<std::string> mutable_;    ///< the files a mutation may change
  core::volume::OpenOptions open;
  bool text = false;                    ///< the mutated file starts with a text header
  bool gzip = false;                    ///< the mutated file is gzip: mutate inside it too
  bool png = false;                     ///< recompute chunk CRCs after most mutations (else libpng stops at the CRC)
  std::size_t headerBytes = 512;        ///< binary field edits aim below this more often
  /// A file cut by more than this many bytes (and otherwise intact) must not read: the end holds
  /// voxels (0) or at most a trailer or padding.
  std::size_t tailSlack = 8;
  std::vector<std::string> dictionary;  ///< keywords and lines of the format
  Case seed;
  core::volume::Volume expected;        ///< what the seed holds
};

/// The targets, with their seeds loaded from below \p scratch. With \p write the seeds are
/// written there first with the project's writers and each is checked to read back as written
/// (std::runtime_error naming the target otherwise). The fuzzer writes them in a child process,
/// so that the parent never starts ITK, HDF5 or OpenCV (whose state a fork would copy).
std::vector<Target> makeTargets(const std::string& scratch, bool write);

/// Writes \p c into \p dir (emptied first).
void writeCase(const Case& c, const std::string& dir);
/// Loads every file below \p dir.
Case readCase(const std::string& dir);

/// gzip (de)compression for mutating inside .nii.gz; gunzip returns false on damaged data.
Bytes gzipBytes(const Bytes& data);
bool gunzipBytes(const Bytes& data, Bytes& out);
/// Recomputes the CRC of every PNG chunk whose length field lies inside the file.
void fixPngCrcs(Bytes& png);

} // namespace fuzz
