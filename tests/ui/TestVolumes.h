#pragma once
// Small in-memory datasets for the UI tests.
#include "core/labels/LabelConvention.h"
#include "core/volume/Volume.h"
#include "ui/model/Session.h"

#include <cstdint>

namespace testdata {

/// A 64^3 uint16 dataset of zeros with spacing (0.5, 0.5, 0.5) micrometres.
inline ui::Dataset blank(core::volume::Size3 size = {64, 64, 64}, core::volume::VoxelType type = core::volume::VoxelType::UInt16) {
  ui::Dataset d;
  d.image = core::volume::Volume(size, type, {0.5, 0.5, 0.5});
  d.labels = core::volume::Volume(size, core::volume::VoxelType::UInt8, {0.5, 0.5, 0.5});
  d.statistics = ui::ImageStatistics::compute(d.image);
  d.name = "test";
  return d;
}

} // namespace testdata
