#pragma once
/// \file ProjectName.h
/// The project file offered for a volume: "image.nrrd" -> "image.cdnet", "scan.nii.gz" ->
/// "scan.cdnet", a folder of slices "slices" -> "slices.cdnet", "x.cdnet" stays. A value function.

#include <QString>

namespace ui {

/// \p imagePath with its volume extension (.nrrd, .nhdr, .mha, .mhd, .nii, .nii.gz, .tif, .tiff,
/// .vol, .raw, .bin, .h5, .hdf5, .png, any letter case) or .cdnet replaced by ".cdnet".
QString defaultProjectPath(const QString& imagePath);

} // namespace ui
