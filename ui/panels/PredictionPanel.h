#pragma once
/// \file PredictionPanel.h
/// The Training dock's lower half: the current model (load, save a copy, export TorchScript,
/// import a TorchScript U-Net), prediction of the current slice, the slices around it or the
/// whole volume (optionally with test-time augmentation) with progress and Cancel, Accept prediction (one undo step), and Suggest next
/// slice with the uncertainty ranking. GUI thread only.

#include <QWidget>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;

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
  QCheckBox* ttaCheck() const { return m_tta; }

  /// Accepts the prediction into the labels as one undo step ("Accept prediction"): crack where
  /// p >= 0.5 on unlabelled voxels. Returns false when there is nothing to accept.
  bool acceptPrediction();

private:
  void updateModelLine();
  void updateButtons();
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
  QProgressBar* m_progress;
  QLabel* m_status;
  QLabel* m_ranking;
};

} // namespace ui
