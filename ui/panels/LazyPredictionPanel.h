#pragma once
/// \file LazyPredictionPanel.h
/// The "Big volume" panel (issue 16): prediction of the volume opened lazily (File > Open OME-Zarr
/// lazily) with the current model: "Predict visible slices", "Predict whole volume" (into
/// LazyPredictionController::defaultTarget(), beside the image; an existing one is replaced only
/// after asking), Cancel, progress and where the output went. Enabled while a volume is open
/// lazily. GUI thread only.

#include "core/analysis/Analysis.h"

#include <QWidget>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ui {

class LazyAnalysisController;
class LazyBrowser;
class LazyPredictionController;
class PredictionController;

class LazyPredictionPanel : public QWidget {
  Q_OBJECT
public:
  LazyPredictionPanel(LazyBrowser& browser, LazyPredictionController& controller, PredictionController& prediction,
                      QWidget* parent = nullptr);

  LazyPredictionController& controller() const { return m_controller; }
  QPushButton* predictVisibleButton() const { return m_visible; }
  QPushButton* predictVolumeButton() const { return m_volume; }
  QPushButton* cancelButton() const { return m_cancel; }
  QPushButton* analyseButton() const { return m_analyse; }
  QLabel* statusLabel() const { return m_status; }
  /// "Analyse particles": \p analysis runs it with \p options() (the Statistics panel's) and
  /// crack where the prediction's byte >= \p threshold() (the display's).
  void setAnalysis(LazyAnalysisController* analysis, std::function<core::analysis::AnalysisOptions()> options,
                   std::function<int()> threshold);
  /// The whole-volume button's question before replacing an existing prediction: asked with a
  /// dialog (default), or answered by \p answer without one (tests).
  void setReplaceAnswer(int answer) { m_replaceAnswer = answer; }

Q_SIGNALS:
  void errorReported(const QString& title, const QString& message);

private:
  void predictWholeVolume();
  void analyse();
  /// Asks before replacing \p path (true: go ahead).
  bool mayReplace(const QString& path);
  void updateButtons();

  LazyBrowser& m_browser;
  LazyPredictionController& m_controller;
  PredictionController& m_prediction;
  QPushButton* m_visible;
  QPushButton* m_volume;
  QPushButton* m_cancel;
  QPushButton* m_analyse;
  LazyAnalysisController* m_analysis = nullptr;
  std::function<core::analysis::AnalysisOptions()> m_analysisOptions;
  std::function<int()> m_threshold;
  QProgressBar* m_progress;
  QLabel* m_status;
  int m_replaceAnswer = -1; ///< -1: ask; else a QMessageBox::StandardButton
};

} // namespace ui
