#pragma once
/// \file PhantomPreview.h
/// A PNG of one XY slice of a phantom: the grey image, its crack mask and the particle map in
/// colour, side by side. For the README screenshot, `cdnet phantom --preview` and `cdnet demo`.

#include "core/volume/Volume.h"

#include <cstdint>
#include <string>

namespace cli {

/// Writes slice \p z of \p image, \p cracks (uint8 0/1) and \p particles (uint32 ids) as one PNG
/// with the three panels side by side. The grey panel is windowed to the 0.5-99.5 % percentiles
/// of the slice; slices under 256 pixels wide are enlarged (nearest neighbour). Throws std::runtime_error naming the file when it cannot be written.
void writePhantomPreview(const core::volume::Volume& image, const core::volume::Volume& cracks,
                         const core::volume::Volume& particles, std::int64_t z, const std::string& path);

} // namespace cli
