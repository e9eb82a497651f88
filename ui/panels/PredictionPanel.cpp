#include "ui/panels/PredictionPanel.h"

#include "core/labels/LabelConvention.h"
#include "core/labels/LabelEdit.h"
#include "core/labels/LabelVolume.h"
#include "core/labels/PredictionTools.h"
#include "core/ml/Calibration.h"
#include "core/ml/Precision.h"
#include "core/ml/StarterModel.h"
#include "ui/controllers/PredictionController.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/panels/PanelWidgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

PredictionPanel::PredictionPanel(Session& session, CursorModel& cursor, PredictionController& prediction, QWidget* parent)
    : QWidget(parent), m_session(session), m_cursor(cursor), m_prediction(prediction) {
  auto* layout = new QVBoxLayout(this);

  auto* modelBox = new QGroupBox(tr("Model"));
  auto* modelGrid = new QGridLayout(modelBox);
  m_model = new QLabel;
  m_model->setWordWrap(true);
  m_model->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_load = new QPushButton(tr("Load checkpoint..."));
  m_save = new QPushButton(tr("Save a copy..."));
  m_export = new QPushButton(tr("Export TorchScript..."));
  m_import = new QPushButton(tr("Import TorchScript..."));
  modelGrid->addWidget(m_model, 0, 0, 1, 2);
  modelGrid->addWidget(m_load, 1, 0);
  modelGrid->addWidget(m_save, 1, 1);
  modelGrid->addWidget(m_export, 2, 0);
  modelGrid->addWidget(m_import, 2, 1);
  m_useStarter = new QPushButton(tr("Use the starter model"));
  m_useStarter->setObjectName(QStringLiteral("useStarterButton"));
  m_useStarter->setToolTip(tr("A small CDNet pretrained on phantoms that ships with CDNet Studio: a first prediction "
                              "before you label anything; fine-tune it on your labels for your data"));
  modelGrid->addWidget(m_useStarter, 3, 0, 1, 2);
  layout->addWidget(modelBox);

  auto* predictBox = new QGroupBox(tr("Prediction"));
  auto* grid = new QVBoxLayout(predictBox);
  m_predictSlice = new QPushButton(tr("Predict current slice"));
  m_predictNearby = new QPushButton(tr("Predict slices around it (\u00b1" "2)"));
  m_predictVolume = new QPushButton(tr("Predict whole volume"));
  m_cancel = new QPushButton(tr("Cancel"));
  m_accept = new QPushButton(tr("Accept predicted slices"));
  m_accept->setToolTip(tr("On predicted slices, writes crack where the prediction is at least 0.5 and not crack "
                          "elsewhere, on unlabelled voxels only (one undo step)"));
  m_suggest = new QPushButton(tr("Suggest next slice"));
  m_suggest->setToolTip(tr("Jumps to the slice where the model is least certain (mean binary entropy)"));
  m_tta = new QCheckBox(tr("Test-time augmentation (about 8x slower)"));
  m_tta->setToolTip(tr("Averages the predictions of the 8 flips and 90-degree rotations of every tile: smoother, "
                       "orientation-independent probabilities at about eight times the cost"));
  m_tta->setChecked(m_prediction.predictOptions().tta);
  m_triPlanar = new QCheckBox(tr("Tri-planar fusion (about 3x slower)"));
  m_triPlanar->setObjectName(QStringLiteral("triPlanarCheck"));
  m_triPlanar->setToolTip(tr("Predict whole volume only: also predicts every XZ and YZ plane and averages the three "
                             "probabilities, for cracks that agree from slice to slice, at about three times the cost. "
                             "Single slices and the slices around one are predicted in their XY plane."));
  m_triPlanar->setChecked(m_prediction.predictOptions().triPlanar);
  m_precision = new QComboBox;
  m_precision->setObjectName(QStringLiteral("precisionCombo"));
  m_precision->addItem(tr("Precision: auto"), int(core::ml::Precision::Auto));
  m_precision->addItem(tr("Precision: fp32"), int(core::ml::Precision::Fp32));
  m_precision->addItem(tr("Precision: bf16"), int(core::ml::Precision::Bf16));
  m_precision->setCurrentIndex(m_precision->findData(int(m_prediction.predictOptions().precision)));
  m_precision->setToolTip(
      tr("Arithmetic of the network. Auto: bf16 where the processor computes it natively (AVX512_BF16 or AMX; this "
         "one: %1), else fp32. bf16 is faster and moves probabilities by about 0.01; fp32 gives exactly the results "
         "of earlier versions; bf16 on a processor without it is refused.")
          .arg(QString::fromStdString(core::ml::cpuBf16Support().describe())));
  m_progress = new QProgressBar;
  m_progress->setRange(0, 1000);
  m_progress->setTextVisible(false);
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_ranking = new QLabel;
  m_ranking->setWordWrap(true);
  m_staleLine = new QLabel;
  m_staleLine->setWordWrap(true);
  m_staleLine->setStyleSheet(QStringLiteral("color: #e0a040;"));
  m_staleLine->hide();
  // The buttons wrap onto more rows in a narrow dock instead of widening it.
  auto* predictButtons = new FlowLayout;
  for (QPushButton* b : {m_predictSlice, m_predictNearby, m_predictVolume, m_cancel}) predictButtons->addWidget(b);
  auto* labelButtons = new FlowLayout;
  for (QPushButton* b : {m_accept, m_suggest}) labelButtons->addWidget(b);
  grid->addLayout(predictButtons);
  auto* options = new FlowLayout;
  options->addWidget(m_tta);
  options->addWidget(m_triPlanar);
  options->addWidget(m_precision);
  grid->addLayout(options);
  grid->addWidget(m_progress);
  grid->addWidget(m_status);
  grid->addLayout(labelButtons);
  grid->addWidget(m_ranking);
  grid->addWidget(m_staleLine);
  layout->addWidget(predictBox);
  layout->addStretch(1);

  connect(m_predictSlice, &QPushButton::clicked, this, [this] { m_prediction.predictSlice(m_cursor.position().z); });
  connect(m_predictNearby, &QPushButton::clicked, this, [this] {
    const std::int64_t z = m_cursor.position().z;
    m_prediction.predictSlices({z - 2, z - 1, z, z + 1, z + 2}, tr("Predict slices %1 to %2").arg(z - 2).arg(z + 2));
  });
  connect(m_predictVolume, &QPushButton::clicked, &m_prediction, &PredictionController::predictVolume);
  connect(m_cancel, &QPushButton::clicked, &m_prediction, &PredictionController::cancel);
  connect(m_tta, &QCheckBox::toggled, this, [this](bool on) {
    core::ml::PredictOptions o = m_prediction.predictOptions();
    o.tta = on;
    m_prediction.setPredictOptions(o); // a running prediction keeps the options it started with
  });
  connect(m_triPlanar, &QCheckBox::toggled, this, [this](bool on) {
    core::ml::PredictOptions o = m_prediction.predictOptions();
    o.triPlanar = on; // used by the whole-volume prediction only
    m_prediction.setPredictOptions(o);
    updateButtons();
  });
  connect(m_precision, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    core::ml::PredictOptions o = m_prediction.predictOptions();
    o.precision = core::ml::Precision(m_precision->currentData().toInt());
    m_prediction.setPredictOptions(o);
  });
  connect(m_accept, &QPushButton::clicked, this, &PredictionPanel::askAndAccept);
  connect(m_suggest, &QPushButton::clicked, &m_prediction, &PredictionController::suggestNextSlice);
  connect(m_load, &QPushButton::clicked, this,
          [this] { loadModel(tr("Load a CDNet checkpoint"), tr("Checkpoints (*.pt);;All files (*)")); });
  connect(m_import, &QPushButton::clicked, this,
          [this] { loadModel(tr("Import a TorchScript U-Net"), tr("TorchScript (*.pt *.pth *.ts);;All files (*)")); });
  connect(m_useStarter, &QPushButton::clicked, this, [this] {
    const std::string starter = core::ml::findStarterModel();
    if (!starter.empty()) m_prediction.loadModel(QString::fromStdString(starter));
  });
  connect(m_save, &QPushButton::clicked, this, &PredictionPanel::saveCopy);
  connect(m_export, &QPushButton::clicked, this, &PredictionPanel::exportTorchScript);

  connect(&m_prediction, &PredictionController::started, this, [this](const QString& title) {
    m_status->setStyleSheet(QString());
    m_status->setText(title);
    updateButtons();
  });
  connect(&m_prediction, &PredictionController::progressed, this, [this](double f, const QString& stage) {
    m_progress->setValue(int(std::lround(f * 1000)));
    m_status->setText(stage);
  });
  connect(&m_prediction, &PredictionController::finished, this, [this](bool cancelled) {
    m_progress->setValue(cancelled ? m_progress->value() : 1000);
    // Say what the model found: "done" over an empty overlay looks like nothing happened.
    const PredictionTally t = m_prediction.tally(0.5);
    if (cancelled)
      m_status->setText(tr("Prediction cancelled; finished slices are kept."));
    else if (t.above == 0)
      m_status->setText(tr("Prediction done: the model found no crack (no voxel above 0.5 on %n predicted slice(s)).",
                           nullptr, int(t.slices)));
    else
      m_status->setText(tr("Prediction done: %1 voxels (%2 %) above 0.5 on %n predicted slice(s).", nullptr, int(t.slices))
                            .arg(t.above)
                            .arg(100.0 * double(t.above) / double(std::max<std::int64_t>(1, t.voxels)), 0, 'g', 3));
    updateButtons();
    updateStaleLine();
  });
  connect(&m_prediction, &PredictionController::failed, this, &PredictionPanel::showError);
  connect(&m_prediction, &PredictionController::modelChanged, this, &PredictionPanel::updateModelLine);
  connect(&m_prediction, &PredictionController::suggestionReady, this,
          [this](const SliceRanking& ranking) {
            if (ranking.empty()) {
              m_ranking->setText(tr("Nothing to suggest: every predicted slice is labelled, suggested before or within "
                                    "%1 slices of one. Predict more slices, or label the suggested ones.")
                                     .arg(PredictionController::kSuggestionGap));
              return;
            }
            QStringList lines;
            for (const auto& r : ranking) lines << tr("slice %1: entropy %2").arg(r.first).arg(r.second, 0, 'f', 3);
            m_ranking->setText(tr("Most uncertain slices:\n%1").arg(lines.join(QLatin1Char('\n'))));
            m_cursor.setAlong(2, ranking.front().first);
          });
  connect(&m_session, &Session::datasetChanged, this, [this] {
    m_ranking->clear();
    updateButtons();
    updateStaleLine();
  });
  connect(&m_prediction, &PredictionController::modelChanged, this, &PredictionPanel::updateStaleLine);
  connect(&m_prediction, &PredictionController::sliceFinished, this, &PredictionPanel::updateStaleLine);
  connect(&m_session, &Session::predictionChanged, this, &PredictionPanel::updateButtons);
  updateModelLine();
}

QString PredictionPanel::thresholdLine(const core::ml::ThresholdCalibration& c) {
  // Shown for information: masks use the display threshold (0.5 by default; README, decision threshold).
  if (!c.calibrated()) return {};
  const QString t = QString::number(c.threshold, 'f', 2);
  if (c.source == "validation")
    return tr("\nCalibrated threshold %1 on held-out labels (not used by default: the overlay follows the slider)").arg(t);
  return tr("\nCalibrated threshold %1 on its training labels (not used by default: the overlay follows the slider)").arg(t);
}

void PredictionPanel::updateModelLine() {
  const auto& model = m_prediction.model();
  if (model.empty()) {
    m_model->setText(core::ml::findStarterModel().empty()
                         ? tr("No model yet: train one above, or load a checkpoint.")
                         : tr("No model yet: train one above, load a checkpoint, or use the starter model."));
  } else {
    const QString kind = model.kind() == core::ml::ModelKind::TorchScript ? tr("TorchScript") : tr("CDNet checkpoint");
    QString width = model.options().baseWidth > 0 ? tr(", base width %1").arg(model.options().baseWidth) : QString();
    if (model.options().contextSlices > 0) width += tr(", 2.5D (%1 neighbour slices each side)").arg(model.options().contextSlices);
    m_model->setText(tr("%1%2, %3 parameters, on %4\n%5")
                         .arg(kind, width)
                         .arg(model.parameterCount())
                         .arg(QString::fromStdString(model.device().describe()),
                              QString::fromStdString(model.source())) +
                     thresholdLine(core::ml::calibrationOf(model)));
  }
  updateButtons();
}

void PredictionPanel::updateButtons() {
  const bool model = !m_prediction.model().empty();
  const bool image = m_session.hasImage();
  const bool running = m_prediction.isRunning();
  const bool native = model && m_prediction.model().kind() == core::ml::ModelKind::Native;
  for (auto* b : {m_predictSlice, m_predictNearby, m_predictVolume, m_suggest}) b->setEnabled(model && image && !running);
  // Tri-planar fusion does not apply to single slices: say so where it is not used.
  const QString xyOnly = m_triPlanar->isChecked()
                             ? tr("Tri-planar fusion applies to Predict whole volume only: this predicts in the XY plane")
                             : QString();
  m_predictSlice->setToolTip(xyOnly);
  m_predictNearby->setToolTip(xyOnly);
  m_triPlanar->setEnabled(!running);
  m_cancel->setEnabled(running);
  m_accept->setEnabled(image && m_session.prediction() != nullptr && !running);
  m_useStarter->setVisible(!model && !core::ml::findStarterModel().empty());
  m_useStarter->setEnabled(!running);
  m_save->setEnabled(native);
  m_export->setEnabled(native);
}

void PredictionPanel::showError(const QString& message) {
  m_status->setStyleSheet(QStringLiteral("color: #ff7070;"));
  m_status->setText(message);
  updateButtons();
}

bool PredictionPanel::acceptPrediction() {
  auto* labels = m_session.labelVolume();
  const auto* prediction = m_session.prediction();
  if (!labels || !prediction || labels->hasOpenEdit()) return false;
  try {
    // Only slices that hold a prediction: elsewhere the layer's zeros mean "not predicted".
    const auto& predicted = m_prediction.predictedSlices();
    const auto summary = labels->edit(core::labels::stepname::kAcceptPrediction, [&](core::labels::LabelEdit& e) {
      for (std::size_t z = 0; z < predicted.size(); ++z)
        if (predicted[z])
          core::labels::acceptPredictionSlice(e, *prediction, core::volume::Orientation::XY, std::int64_t(z), {});
    });
    m_status->setStyleSheet(QString());
    m_status->setText(summary.committed
                          ? tr("Prediction accepted: %1 voxels labelled (Undo reverts it).").arg(summary.changedVoxels)
                          : tr("The prediction changed no label."));
    return summary.committed;
  } catch (const std::exception& e) {
    showError(tr("Cannot accept the prediction: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
}

std::pair<std::int64_t, std::int64_t> PredictionPanel::acceptChanges() const {
  const auto* labels = m_session.labelVolume();
  const core::volume::Volume* p = m_session.prediction();
  if (!labels || !p) return {0, 0};
  const core::volume::Volume& lv = labels->volume();
  const auto size = lv.size();
  const auto& predicted = m_prediction.predictedSlices();
  const bool bytes = p->type() == core::volume::VoxelType::UInt8;
  std::int64_t changes = 0, crack = 0;
  for (std::int64_t z = 0; z < std::int64_t(predicted.size()) && z < size.z; ++z) {
    if (!predicted[std::size_t(z)]) continue;
    const std::uint8_t* l = lv.slicePtr(z);
    const std::uint8_t* q = bytes ? p->slicePtr(z) : nullptr;
    for (std::int64_t y = 0, i = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x, ++i) {
        if (l[i] != core::labels::kUnlabelled) continue;
        ++changes;
        crack += bytes ? q[i] >= 128 : p->valueAt(x, y, z) >= 0.5; // p >= 0.5, as acceptPredictionSlice
      }
  }
  return {changes, crack};
}

void PredictionPanel::askAndAccept() {
  const auto& predicted = m_prediction.predictedSlices();
  const auto slices = std::count(predicted.begin(), predicted.end(), true);
  if (slices > 1) {
    const auto [changes, crack] = acceptChanges();
    const QString text = tr("Accept the prediction on %n slice(s)?", nullptr, int(slices)) + QLatin1Char('\n') +
                         tr("This labels %1 unlabelled voxels: %2 as crack, the others as not crack. Undo reverts it.")
                             .arg(changes)
                             .arg(crack);
    if (QMessageBox::question(this, tr("Accept predicted slices"), text) != QMessageBox::Yes) return;
  }
  acceptPrediction();
}

void PredictionPanel::updateStaleLine() {
  const std::int64_t stale = m_session.prediction() ? m_prediction.staleSlices() : 0;
  m_staleLine->setText(stale ? tr("The prediction on %n slice(s) is not from the current model: predict again to update "
                                  "it.", nullptr, int(stale))
                             : QString());
  m_staleLine->setVisible(stale > 0);
}

void PredictionPanel::loadModel(const QString& caption, const QString& filter) {
  const QString path = QFileDialog::getOpenFileName(this, caption, QString(), filter);
  if (!path.isEmpty()) m_prediction.loadModel(path);
}

void PredictionPanel::saveCopy() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save the model as a checkpoint"), QString(),
                                                    tr("Checkpoints (*.pt)"));
  if (path.isEmpty()) return;
  try {
    m_prediction.model().saveCheckpoint(path.toStdString());
    m_status->setText(tr("Saved %1").arg(path));
  } catch (const std::exception& e) {
    showError(tr("Cannot save %1: %2").arg(path, QString::fromStdString(e.what())));
  }
}

void PredictionPanel::exportTorchScript() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the model as TorchScript"), QString(),
                                                    tr("TorchScript (*.pt)"));
  if (path.isEmpty()) return;
  try {
    m_prediction.model().exportTorchScript(path.toStdString());
    m_status->setText(tr("Exported %1 (torch.jit.load in Python runs it)").arg(path));
  } catch (const std::exception& e) {
    showError(tr("Cannot export %1: %2").arg(path, QString::fromStdString(e.what())));
  }
}

} // namespace ui
