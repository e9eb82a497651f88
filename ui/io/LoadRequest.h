#pragma once
/// \file LoadRequest.h
/// What to load, and the function that loads it on a worker thread into a ready-to-show Dataset
/// (image, empty labels, optional prediction, histogram, 3D preview). No widgets.

#include "core/jobs/Job.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/model/Session.h"

#include <QString>

namespace ui {

struct LoadRequest {
  enum class Kind { File, Demo };
  Kind kind = Kind::File;
  QString path;                         ///< File: the file or folder
  core::volume::OpenOptions open;       ///< File: format, raw parameters
  core::volume::ReadOptions read;       ///< File: crop and downsample
  core::phantom::PhantomOptions phantom; ///< Demo: the phantom; its cracks become the prediction
  int previewMaxDim = 256;              ///< the 3D view's data is downsampled to at most this

  /// "Demo phantom" or the path.
  QString displayName() const;
  static LoadRequest file(const QString& path);
  static LoadRequest demo(core::volume::Size3 size = {128, 128, 128});
};

/// Loads \p request. Any thread (called on the job runner's worker). Throws std::runtime_error
/// naming the file and the problem; core::jobs::Cancelled when cancelled.
Dataset loadDataset(const LoadRequest& request, core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel);

/// Completes a dataset whose image (and optionally labels, prediction) is set: allocates empty
/// labels, computes the histogram and the 3D preview. Any thread.
void prepareDataset(Dataset& dataset, int previewMaxDim, core::jobs::ProgressSink& progress = core::jobs::nullProgress(),
                    core::jobs::CancelToken& cancel = core::jobs::neverCancelled());

/// "512 x 512 x 400 uint16, 0.05 um" for a volume.
QString describeVolume(const core::volume::VolumeInfo& info);

} // namespace ui
