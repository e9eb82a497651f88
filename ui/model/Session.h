#pragma once
/// \file Session.h
/// The open dataset: the image, its label volume, the prediction layer, and what was computed
/// once about them (histogram, 3D preview). Views and panels observe its signals; they never own
/// voxel data. GUI thread only (a Dataset is prepared on a worker, then moved in here).

#include "core/labels/LabelVolume.h"
#include "core/volume/Volume.h"
#include "ui/model/ImageStatistics.h"
#include "ui/model/MetaTypes.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ui {

/// Everything a loaded dataset brings. Built on a worker thread (LoadController), then moved into
/// the Session without copying a voxel.
struct Dataset {
  core::volume::Volume image;      ///< uint8, uint16, uint32 or float32
  core::volume::Volume labels;     ///< uint8, same size, core/labels/LabelConvention.h (0, 1, 2);
                                   ///< empty: all unlabelled
  core::volume::Volume prediction; ///< uint8 crack probability x 255, same size; empty when none
  core::volume::Volume preview;    ///< image downsampled for the 3D view; empty: the image is small
  int previewFactor = 1;           ///< downsampling factor of preview (1 when preview is empty)
  ImageStatistics statistics;      ///< histogram of the image
  QString name;                    ///< path of the file, or "Demo phantom"
  QString description;             ///< format, size and voxel type, for the title and status bar
};

class Session : public QObject {
  Q_OBJECT
public:
  explicit Session(QObject* parent = nullptr);
  ~Session() override;

  bool hasImage() const { return !m_data.image.empty(); }
  const core::volume::Volume& image() const { return m_data.image; }
  /// The label voxels (uint8, the image's size; empty without an image).
  const core::volume::Volume& labels() const;
  /// The label volume with its edits, undo history and annotated slices; nullptr without an
  /// image. Every label change goes through its edits; the session relays its notifications as
  /// labelsChanged(), annotatedSlicesChanged() and undoStateChanged().
  core::labels::LabelVolume* labelVolume() { return m_labels.get(); }
  const core::labels::LabelVolume* labelVolume() const { return m_labels.get(); }
  /// The prediction layer, or nullptr when there is none.
  const core::volume::Volume* prediction() const { return m_data.prediction.empty() ? nullptr : &m_data.prediction; }
  /// What the 3D view renders: the downsampled preview, or the image itself when it is small.
  const core::volume::Volume& preview3D() const { return m_data.preview.empty() ? m_data.image : m_data.preview; }
  int previewFactor() const { return m_data.preview.empty() ? 1 : m_data.previewFactor; }
  const ImageStatistics& statistics() const { return m_data.statistics; }
  const QString& name() const { return m_data.name; }
  const QString& description() const { return m_data.description; }
  /// Bytes held by the image, labels and prediction (what the memory target is measured against).
  std::uint64_t dataBytes() const;

  /// Replaces the whole dataset. Emits datasetChanged().
  void setDataset(Dataset&& dataset);
  /// Drops the dataset. Emits datasetChanged().
  void close();

  /// Replaces the prediction layer (uint8, same size as the image). Emits predictionChanged(whole).
  void setPrediction(core::volume::Volume&& prediction);
  void clearPrediction();
  /// The prediction for writing slab by slab (nullptr when none); then notifyPredictionChanged().
  core::volume::Volume* predictionForWriting() { return m_data.prediction.empty() ? nullptr : &m_data.prediction; }
  void notifyPredictionChanged(const core::volume::Region& region);

Q_SIGNALS:
  /// The dataset is about to be replaced or closed: workers that read its voxels stop now.
  void datasetAboutToChange();
  /// A new dataset (or none): everything that shows voxels starts over.
  void datasetChanged();
  /// Labels changed inside \p region (voxels): an edit, an undo, a redo. Views redraw only when
  /// it crosses them.
  void labelsChanged(const core::volume::Region& region);
  /// Slices were marked or unmarked fully annotated.
  void annotatedSlicesChanged();
  /// Undo/redo availability or step names changed.
  void undoStateChanged();
  /// The prediction changed inside \p region (voxels), or appeared or disappeared (whole volume).
  void predictionChanged(const core::volume::Region& region);

private:
  class LabelRelay;
  Dataset m_data; ///< m_data.labels is always empty: the voxels live in m_labels
  std::unique_ptr<core::labels::LabelVolume> m_labels;
  std::unique_ptr<LabelRelay> m_relay;
};

} // namespace ui
