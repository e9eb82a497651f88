#pragma once
/// \file BioimageioExport.h
/// A CDNet model as a bioimage.io model package (a zip with rdf.yaml in spec format 0.5,
/// TorchScript weights, a test input and output as .npy, a cover image and documentation), so
/// that ilastik, deepImageJ and the bioimage.io tools run it; and running such a package.

#include "core/ml/Model.h"

#include <string>

namespace cli {

/// Writes \p model (native) as the package \p zipPath (atomically). The test input is a synthetic
/// 256 x 256 slice of grains with a crack; the test output is this model's prediction of it.
void exportBioimageio(const core::ml::Model& model, const std::string& zipPath);

/// True when \p path is a zip file (by its first bytes).
bool isZipFile(const std::string& path);

/// Extracts the TorchScript weights of the bioimage.io package \p zipPath into \p outPath. Throws
/// std::runtime_error naming the package when it has no rdf.yaml, no TorchScript weights entry,
/// or is damaged.
void extractBioimageioTorchScript(const std::string& zipPath, const std::string& outPath);

/// Model::load, or for a bioimage.io package (a .zip, or any zip with an rdf.yaml) its TorchScript weights, loaded from a
/// temporary copy that is removed again. Errors name the package.
core::ml::Model loadModelOrPackage(const std::string& path, const core::ml::LoadOptions& opts);

} // namespace cli
