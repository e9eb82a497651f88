#pragma once
/// \file PredictionPanel.h
/// The Training dock's lower half: the current model (load, save a copy, export TorchScript,
/// import a TorchScript U-Net), prediction of the current slice, the slices around it or the
/// whole volume (optionally with test-time augmentation, and tri-planar fusion for the whole volume) with progress and Cancel, Accept prediction (one undo step), and Suggest next
/// slice with the uncertainty ranking. GUI thread only.

#include <QWidget>

#include <cstdint>
#include <utility>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace core::ml {
struct ThresholdCalibration;
}

namespace ui {

class CursorModel;
class PredictionController;
class Session;

class PredictionPanel : public QWidget {
  Q_OBJECT
public:
  PredictionPanel(Session& session, CursorModel& cursor, PredictionController& prediction, QWidget* parent = nullptr);

  PredictionController& controller() const { return m_prediction; }
  QPushButton* predictSliceButton() const { return m_predictSlice; }
  QPushButton* predictNearbyButton() const { return m_predictNearby; }
  QPushButton* predictVolumeButton() const { return m_predictVolume; }
  QPushButton* cancelButton() const { return m_cancel; }
  QPushButton* acceptButton() const { return m_accept; }
  QPushButton* suggestButton() const { return m_suggest; }
  QPushButton* useStarterButton() const { return m_useStarter; }
  QLabel* rankingLabel() const { return m_ranking; }
  QLabel* statusLabel() const { return m_status; }
  /// Says when the prediction is not from the current model (empty and hidden otherwise).
  QLabel* staleLabel() const { return m_staleLine; }
  QCheckBox* ttaCheck() const { return m_tta; }
  /// Tri-planar fusion of the whole-volume prediction (XY, XZ and YZ averaged).
  QCheckBox* triPlanarCheck() const { return m_triPlanar; }
  QComboBox* precisionCombo() const { return m_precision; }

  /// Accepts the prediction into the labels as one undo step ("Accept prediction"): crack where
  /// p >= 0.5 on unlabelled voxels. Returns false when there is nothing to accept.
  bool acceptPrediction();
  /// What "Accept predicted slices" would write: unlabelled voxels on the predicted slices, and
  /// how many of them become crack.
  std::pair<std::int64_t, std::int64_t> acceptChanges() const;

private:
  /// "\nCalibrated threshold 0.43 ..." for the model line ("" for a model without one).
  static QString thresholdLine(const core::ml::ThresholdCalibration& c);
  void updateModelLine();
  void updateButtons();
  void updateStaleLine();
  /// The Accept button: over more than one slice, asks first and says how many voxels change.
  void askAndAccept();
  void showError(const QString& message);
  void loadModel(const QString& caption, const QString& filter);
  void saveCopy();
  void exportTorchScript();

  Session& m_session;
  CursorModel& m_cursor;
  PredictionController& m_prediction;
  QLabel* m_model;
  QPushButton* m_predictSlice;
  QPushButton* m_predictNearby;
  QPushButton* m_predictVolume;
  QPushButton* m_cancel;
  QPushButton* m_accept;
  QPushButton* m_suggest;
  QPushButton* m_load;
  QPushButton* m_save;
  QPushButton* m_export;
  QPushButton* m_import;
  QPushButton* m_useStarter;
  QCheckBox* m_tta;
  QCheckBox* m_triPlanar;
  QComboBox* m_precision;
  QProgressBar* m_progress;
  QLabel* m_status;
  QLabel* m_ranking;
  QLabel* m_staleLine;
};

} // namespace ui
