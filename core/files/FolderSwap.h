#pragma once
/// \file FolderSwap.h
/// Replacing a folder (an OME-Zarr written in full elsewhere) without ever leaving none: the new
/// folder is written completely as a temporary of the target first (TemporaryPath), then swapped
/// in. Used where a result replaces an earlier one that must survive a Cancel or a failure (the
/// studio's whole-volume prediction, the particle labels of a slab analysis). Any thread.

#include <string>

namespace core::files {

/// Puts the complete folder \p staged (on the same file system) in place of \p target: an existing
/// \p target is renamed aside into a temporary of it, \p staged renamed into place, then the old
/// one removed. If the second rename fails the old one is renamed back and the error (naming both
/// paths) is thrown; \p target is never missing after a return or a throw, except for the moment
/// between the two renames.
void swapInFolder(const std::string& staged, const std::string& target);

} // namespace core::files
