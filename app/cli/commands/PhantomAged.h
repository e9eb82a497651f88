#pragma once
/// \file PhantomAged.h
/// `cdnet phantom --aged-from SEED --cycles N`: a phantom time series (issue 19). Writes scan A
/// (DIR/a) and the same electrode after N cycles, moved (DIR/b), each as image, cracks and
/// particles, and DIR/evolution_truth.csv (per particle of A: its ids in B, fractured, crack
/// voxels and fractions in A and B, growth, centroid in A and its true place in B) with the
/// motion in the comment lines.

#include "core/phantom/Phantom.h"
#include "core/phantom/PhantomAging.h"

#include <string>

namespace cli {

/// The options of scan A and of the ageing; options.size is the size of the scans.
void writeAgedPhantom(const core::phantom::PhantomOptions& options, core::phantom::AgingOptions aging,
                      const std::string& dir, const std::string& format);

} // namespace cli
