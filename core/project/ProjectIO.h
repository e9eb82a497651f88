#pragma once
/// \file ProjectIO.h
/// Save, Save As and Open of a project with its labels. Labels are written as NRRD (.nrrd), a
/// multi-page TIFF (.tif/.tiff) or a TIFF slice folder through core::volume::writeVolume, which
/// writes to a temporary name and renames, so a crash or a full disk never destroys the previous
/// file; the project JSON is then written atomically too (labels first, so a project never names
/// a labels file that is not complete). Errors are std::runtime_error naming the file and the
/// problem. Thread affinity: GUI thread (reads the LabelVolume).

#include "core/labels/LabelVolume.h"
#include "core/project/ProjectFile.h"

#include <memory>
#include <string>

namespace core::labels {

/// "<folder>/<name>.labels.nrrd" for project "<folder>/<name>.cdnet".
std::string defaultLabelsPath(const std::string& projectPath);

/// Reads a label file for an image of geometry \p image: the sizes must match (else a clear error
/// naming both sizes); integer or float files whose values are whole numbers in 0..255 are
/// converted to uint8; spacing and origin are taken from the image.
volume::Volume readLabelsFile(const std::string& path, const volume::VolumeInfo& image);

/// Writes the labels atomically (format by extension, see core::volume::WriteOptions).
void writeLabelsFile(const LabelVolume& labels, const std::string& path, const volume::WriteOptions& options = {});

/// Save: writes the labels to project.labelsPath (defaultLabelsPath() when empty) when they are
/// modified or the file is missing, updates project.annotatedSlices, writes the project file
/// atomically, and marks the labels saved.
void saveProject(ProjectFile& project, const std::string& projectPath, LabelVolume& labels);

/// Save As: the labels go next to the new project (defaultLabelsPath(projectPath)), always written.
void saveProjectAs(ProjectFile& project, const std::string& projectPath, LabelVolume& labels);

/// Open, second half: after the UI has read the image (geometry \p image), the project's labels
/// (empty ones when the project has no labels file yet) with its annotated slices, marked saved.
/// Throws std::runtime_error when an annotated slice lies outside the image or the labels file
/// does not fit (readLabelsFile).
std::unique_ptr<LabelVolume> loadProjectLabels(const ProjectFile& project, const volume::VolumeInfo& image);

/// Reads a project's prediction for an image of geometry \p image as the studio's prediction layer
/// (uint8, 255 = probability 1): uint8 files as they are (the studio's own), float files as
/// probabilities 0..1 (what `cdnet predict` writes by default), other integer files as 0..255
/// (a uint8 prediction converted, or a 0/255 mask). Throws std::runtime_error naming the file on
/// another size, NaN or a value outside those ranges.
volume::Volume readPredictionFile(const std::string& path, const volume::VolumeInfo& image);

} // namespace core::labels
