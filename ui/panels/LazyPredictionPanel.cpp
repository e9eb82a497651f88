#include "ui/panels/LazyPredictionPanel.h"

#include "ui/controllers/LazyAnalysisController.h"
#include "ui/controllers/LazyPredictionController.h"
#include "ui/controllers/PredictionController.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/LazyParticleOverlay.h"

#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

LazyPredictionPanel::LazyPredictionPanel(LazyBrowser& browser, LazyPredictionController& controller,
                                         PredictionController& prediction, QWidget* parent)
    : QWidget(parent), m_browser(browser), m_controller(controller), m_prediction(prediction) {
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Prediction of the volume opened lazily (File > Open OME-Zarr lazily), with the model of "
                              "the Training panel. The whole volume is predicted slab by slab in bounded memory and "
                              "written beside the image as an OME-Zarr of probabilities (255 = 1)."));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  m_visible = new QPushButton(tr("Predict &visible slices"));
  m_visible->setToolTip(tr("Predicts the three slices the views show, at full resolution"));
  m_volume = new QPushButton(tr("Predict &whole volume\u2026"));
  m_analyse = new QPushButton(tr("&Analyse particles slab by slab"));
  m_analyse->setToolTip(tr("Particle analysis of the image with the whole-volume prediction as cracks, slab by slab in "
                           "bounded memory; the table goes to the Statistics panel and beside the image as a CSV"));
  m_cancel = new QPushButton(tr("Cancel"));
  m_progress = new QProgressBar;
  m_progress->setRange(0, 1000);
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  for (QWidget* w : {static_cast<QWidget*>(m_visible), static_cast<QWidget*>(m_volume), static_cast<QWidget*>(m_analyse),
                     static_cast<QWidget*>(m_cancel),
                     static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_status)})
    layout->addWidget(w);
  layout->addStretch(1);

  connect(m_visible, &QPushButton::clicked, this, [this] { m_controller.predictVisibleSlices(); });
  connect(m_volume, &QPushButton::clicked, this, &LazyPredictionPanel::predictWholeVolume);
  connect(m_analyse, &QPushButton::clicked, this, &LazyPredictionPanel::analyse);
  connect(m_cancel, &QPushButton::clicked, this, [this] {
    m_controller.cancel();
    if (m_analysis) m_analysis->cancel();
  });
  connect(&m_controller, &LazyPredictionController::started, this, [this](const QString& title) {
    m_status->setText(title);
    m_progress->setValue(0);
    updateButtons();
  });
  connect(&m_controller, &LazyPredictionController::progressed, this, [this](double f, const QString& stage) {
    m_progress->setValue(int(std::lround(f * 1000)));
    m_status->setText(stage);
  });
  connect(&m_controller, &LazyPredictionController::finished, this, [this](bool cancelled) {
    m_progress->setValue(cancelled ? 0 : 1000);
    const QString kept = m_controller.defaultTarget();
    if (cancelled && !kept.isEmpty() && QFileInfo::exists(kept))
      m_status->setText(tr("Cancelled; the previous prediction %1 is kept.").arg(kept));
    else if (cancelled) m_status->setText(tr("Cancelled; no prediction was left behind."));
    else m_status->setText(tr("Done."));
    updateButtons();
  });
  connect(&m_controller, &LazyPredictionController::written, this,
          [this](const QString& path) { m_status->setText(tr("Wrote %1").arg(path)); });
  connect(&m_controller, &LazyPredictionController::failed, this, [this](const QString& message) {
    m_status->setText(message);
    updateButtons();
    Q_EMIT errorReported(tr("Prediction"), message);
  });
  connect(&m_browser, &LazyBrowser::openChanged, this, &LazyPredictionPanel::updateButtons);
  connect(&m_prediction, &PredictionController::modelChanged, this, &LazyPredictionPanel::updateButtons);
  updateButtons();
}

bool LazyPredictionPanel::mayReplace(const QString& path) {
  if (!QFileInfo::exists(path)) return true;
  const int answer = m_replaceAnswer >= 0
                         ? m_replaceAnswer
                         : QMessageBox::question(this, tr("Replace?"), tr("%1 exists already. Replace it?").arg(path),
                                                 QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
  return answer == QMessageBox::Yes;
}

void LazyPredictionPanel::predictWholeVolume() {
  const QString target = m_controller.defaultTarget();
  if (target.isEmpty() || !mayReplace(target)) return;
  m_controller.predictWholeVolume(target, QFileInfo::exists(target));
}

void LazyPredictionPanel::setAnalysis(LazyAnalysisController* analysis, std::function<core::analysis::AnalysisOptions()> options,
                                      std::function<int()> threshold) {
  m_analysis = analysis;
  m_analysisOptions = std::move(options);
  m_threshold = std::move(threshold);
  if (!m_analysis) return;
  connect(m_analysis, &LazyAnalysisController::started, this, [this](const QString& title) {
    m_status->setText(title);
    m_progress->setValue(0);
    updateButtons();
  });
  connect(m_analysis, &LazyAnalysisController::completed, this, [this](int particles, const QString& csv) {
    m_progress->setValue(1000);
    QString text = tr("%n particle(s) in %1 slab(s); the table is in the Statistics panel and in %2", "", particles)
                       .arg(m_analysis->slabs())
                       .arg(csv);
    if (m_analysis->labelsOverlay() && m_analysis->labelsOverlay()->volume())
      text += QLatin1Char('\n') + tr("The particle labels, %1, are shown in the slice views.")
                                      .arg(QString::fromStdString(m_analysis->labelsOverlay()->volume()->path()));
    m_status->setText(text);
    updateButtons();
  });
  connect(m_analysis, &LazyAnalysisController::cancelled, this, [this] {
    m_progress->setValue(0);
    m_status->setText(tr("Analysis cancelled."));
    updateButtons();
  });
  connect(m_analysis, &LazyAnalysisController::failed, this, [this](const QString& message) {
    m_status->setText(message);
    updateButtons();
    Q_EMIT errorReported(tr("Particle analysis"), message);
  });
  updateButtons();
}

void LazyPredictionPanel::analyse() {
  if (!m_analysis || !m_browser.isOpen()) return;
  const QString prediction = m_controller.defaultTarget();
  if (!QFileInfo::exists(prediction)) {
    Q_EMIT errorReported(tr("Particle analysis"), tr("Predict the whole volume first: the analysis reads %1.").arg(prediction));
    return;
  }
  const QString image = QString::fromStdString(m_browser.volume()->path());
  const QString csv = LazyAnalysisController::defaultCsv(image);
  if (!mayReplace(csv)) return;
  m_analysis->run(image, prediction, double(std::max(1, m_threshold())), m_analysisOptions(), csv);
}

void LazyPredictionPanel::updateButtons() {
  const bool running = m_controller.isRunning();
  const bool ready = m_browser.isOpen() && !m_prediction.model().empty() && !running;
  m_visible->setEnabled(ready);
  m_volume->setEnabled(ready);
  const bool analysing = m_analysis && m_analysis->isRunning();
  m_analyse->setEnabled(m_analysis && m_browser.isOpen() && !running && !analysing);
  m_cancel->setEnabled(running || analysing);
  if (!m_browser.isOpen()) m_volume->setToolTip(tr("Open a volume lazily first (File > Open OME-Zarr lazily)"));
  else m_volume->setToolTip(tr("Writes %1; the views show it as it is written").arg(m_controller.defaultTarget()));
}

} // namespace ui
