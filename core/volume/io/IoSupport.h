#pragma once
/// \file IoSupport.h
/// Internal helpers of the volume readers and writers (not for use outside core/volume/io):
/// error messages, file sizes, full reads, component types of files and their conversion to the
/// voxel types of Volume. Any thread.

#include "core/files/AtomicFile.h"
#include "core/volume/Volume.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace core::volume::io {

/// Throws std::runtime_error(\p message).
[[noreturn]] void fail(const std::string& message);
/// "'path'" for messages.
std::string inQuotes(const std::string& path);
/// A folder output (TIFF slices, OME-Zarr) may only be new or empty: throws naming \p path when it
/// exists and is a file or a non-empty folder.
void checkNewFolder(const std::string& path);
/// Completes a folder written under the temporary name \p tmp: syncs its file system, then renames
/// it over \p path (an empty folder there is replaced; a non-empty one is an error).
void commitFolder(core::files::TemporaryPath& tmp, const std::string& path);
/// "512x512x100 uint16".
std::string describe(const Size3& size, VoxelType type);

/// True when \p path is a regular file; never throws (a name too long or unreadable is "no").
bool isFile(const std::string& path);
/// Size of a regular file in bytes; throws naming the file when it is missing or not a file.
std::uint64_t fileSize(const std::string& path);
/// Throws "file X is truncated: expected N bytes, found M" when \p found < \p expected.
void checkTruncated(const std::string& path, std::uint64_t expected, std::uint64_t found);

/// Reads exactly \p n bytes at \p offset of \p fd (loops over short reads and EINTR); throws
/// naming \p path on error or end of file.
void preadFully(int fd, void* dst, std::size_t n, std::uint64_t offset, const std::string& path);
/// Checked writes, temporaries and renames of atomic writes (core/files/AtomicFile.h).
using core::files::AtomicFile;
using core::files::renameInto;
using core::files::syncPath;
using core::files::TemporaryPath;
using core::files::writeFully;
/// Opens \p path read-only (O_CLOEXEC); throws naming it.
int openReadOnly(const std::string& path);

/// Sample types found in files. Those without a Volume voxel type are read as float32.
enum class Component : std::uint8_t { U8, I8, U16, I16, U32, I32, F32, F64 };
std::size_t componentSize(Component c);
const char* toString(Component c);
/// The voxel type a component is read as (U8/U16/U32/F32 as is, the others float32).
VoxelType voxelTypeFor(Component c);
Component componentFor(VoxelType t);
/// Converts \p n samples of component \p c (byte-swapped first when \p swap) at \p src to voxel
/// type \p t at \p dst. \p src and \p dst may be the same buffer when the sizes match.
void convertSamples(const void* src, Component c, bool swap, void* dst, VoxelType t, std::size_t n);
/// True on a big-endian host.
bool hostIsBigEndian();
/// Swaps the bytes of \p n samples of \p size bytes each, in place.
void swapBytes(void* data, std::size_t size, std::size_t n);

/// Lower-case extension with the dot (".tif"); ".nii.gz" style double extensions for .gz.
std::string extensionOf(const std::string& path);

} // namespace core::volume::io
