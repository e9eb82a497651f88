#include "ui/panels/TrainingPanel.h"

#include "core/ml/StarterModel.h"
#include "ui/controllers/PredictionController.h"
#include "ui/model/Session.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/TrainingCharts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {
QString formatSeconds(double s) {
  if (s < 0 || !std::isfinite(s)) return QCoreApplication::translate("ui::TrainingPanel", "unknown");
  const qint64 t = qint64(std::llround(s));
  return t >= 3600 ? QStringLiteral("%1:%2:%3").arg(t / 3600).arg((t / 60) % 60, 2, 10, QChar('0')).arg(t % 60, 2, 10, QChar('0'))
                   : QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QChar('0'));
}
} // namespace

TrainingPanel::TrainingPanel(Session& session, TrainingController& training, PredictionController& prediction,
                             QWidget* parent)
    : QWidget(parent), m_session(session), m_training(training), m_prediction(prediction) {
  auto* layout = new QVBoxLayout(this);
  m_slices = new QLabel;
  m_slices->setWordWrap(true);
  layout->addWidget(m_slices);

  // The settings and the curves are placed by the dock (collapsible, below the actions).
  m_settingsBox = new QWidget;
  auto* form = new QFormLayout(m_settingsBox);
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);
  buildSettings(form);

  auto* buttons = new FlowLayout;
  m_train = new QPushButton(tr("Train from scratch"));
  m_fineTune = new QPushButton(tr("Fine-tune current model"));
  m_stop = new QPushButton(tr("Stop"));
  m_train->setObjectName(QStringLiteral("trainButton"));
  m_fineTune->setObjectName(QStringLiteral("fineTuneButton"));
  m_stop->setObjectName(QStringLiteral("stopTrainingButton"));
  m_stop->setToolTip(tr("Stops after the current batch and keeps the last good checkpoint"));
  buttons->addWidget(m_train);
  buttons->addWidget(m_fineTune);
  buttons->addWidget(m_stop);
  layout->addLayout(buttons);

  m_progress = new QProgressBar;
  m_progress->setRange(0, 1000);
  m_progress->setTextVisible(false);
  m_time = new QLabel(tr("Not running"));
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_progress);
  layout->addWidget(m_time);
  layout->addWidget(m_status);
  m_charts = new TrainingCharts;

  connect(m_train, &QPushButton::clicked, this, [this] {
    m_charts->clear();
    m_status->setStyleSheet(QString());
    m_training.start(settings());
  });
  connect(m_fineTune, &QPushButton::clicked, this, [this] {
    // The current model, or the starter model that ships with the program when none is loaded.
    const QString from = fineTuneSource();
    if (from.isEmpty()) {
      showError(tr("Fine-tuning needs a CDNet checkpoint as the current model (train one or load one); "
                   "an imported TorchScript model cannot be fine-tuned."));
      return;
    }
    m_charts->clear();
    m_status->setStyleSheet(QString());
    m_training.start(settings(), from);
  });
  connect(m_stop, &QPushButton::clicked, &m_training, &TrainingController::stop);
  connect(&m_training, &TrainingController::iterationsReceived, m_charts, &TrainingCharts::addIterations);
  connect(&m_training, &TrainingController::epochFinished, this, [this](const core::ml::EpochMetrics& e) {
    m_charts->addEpoch(e);
    // Say what the Dice stands on: on a few sparse strokes it says little about the whole slice.
    if (e.hasValidation)
      showMessage(tr("Epoch %1: training loss %2, validation loss %3, Dice %4 on %5 labelled voxels (%6 crack) of "
                     "%n validation slice(s)", nullptr, e.valSlices)
                      .arg(e.epoch)
                      .arg(e.trainLoss, 0, 'f', 4)
                      .arg(e.valLoss, 0, 'f', 4)
                      .arg(e.valDice, 0, 'f', 3)
                      .arg(e.valVoxels)
                      .arg(e.valCrackVoxels));
    else
      showMessage(tr("Epoch %1: training loss %2 (no validation slices)").arg(e.epoch).arg(e.trainLoss, 0, 'f', 4));
  });
  connect(&m_training, &TrainingController::progressed, this, &TrainingPanel::onProgress);
  connect(&m_training, &TrainingController::messageReceived, this, &TrainingPanel::showMessage);
  connect(&m_training, &TrainingController::failed, this, &TrainingPanel::showError);
  connect(&m_training, &TrainingController::stateChanged, this, &TrainingPanel::updateButtons);
  connect(&m_training, &TrainingController::modelReady, this,
          [this](const core::ml::Model& model, const QString& checkpoint) { m_prediction.setModel(model, checkpoint); });
  connect(&m_prediction, &PredictionController::modelChanged, this, &TrainingPanel::updateButtons);

  // Slice counts follow the labels, at most about three times a second while painting.
  m_countTimer = new QTimer(this);
  m_countTimer->setSingleShot(true);
  m_countTimer->setInterval(300);
  connect(m_countTimer, &QTimer::timeout, this, &TrainingPanel::updateSliceCounts);
  connect(&m_session, &Session::labelsChanged, m_countTimer, qOverload<>(&QTimer::start));
  connect(&m_session, &Session::annotatedSlicesChanged, m_countTimer, qOverload<>(&QTimer::start));
  connect(&m_session, &Session::datasetChanged, this, &TrainingPanel::updateSliceCounts);
  connect(&m_session, &Session::datasetChanged, this, &TrainingPanel::updateButtons);
  updateSliceCounts();
  updateButtons();
}

void TrainingPanel::buildSettings(QFormLayout* form) {
  m_valSplit = new QDoubleSpinBox;
  m_valSplit->setRange(0, 90);
  m_valSplit->setSuffix(tr(" %"));
  m_valSplit->setDecimals(0);
  m_valSplit->setValue(25);
  m_valSplit->setToolTip(tr("Share of the labelled slices (the last ones) held out for validation"));
  form->addRow(tr("Validation split"), m_valSplit);

  m_preset = new QComboBox;
  m_preset->addItem(tr("Paper (base width 64)"), 64);
  m_preset->addItem(tr("Medium (32)"), 32);
  m_preset->addItem(tr("Small (16)"), 16);
  m_preset->addItem(tr("Custom"), 0);
  m_baseWidth = new QSpinBox;
  m_baseWidth->setRange(1, 256);
  m_baseWidth->setValue(64);
  m_baseWidth->setEnabled(false);
  auto* presetRow = new QHBoxLayout;
  presetRow->addWidget(m_preset, 1);
  presetRow->addWidget(m_baseWidth);
  form->addRow(tr("Network"), presetRow);
  connect(m_preset, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    const int w = m_preset->currentData().toInt();
    m_baseWidth->setEnabled(w == 0);
    if (w > 0) m_baseWidth->setValue(w);
  });
  m_preset->setToolTip(tr("The paper's network (64) wants a GPU; on a CPU the small one (16) trains about 16 times "
                          "faster. The default follows this machine."));
  m_preset->setCurrentIndex(m_preset->findData(defaultBaseWidth()));

  m_context = new QSpinBox;
  m_context->setObjectName(QStringLiteral("contextSlicesSpin"));
  m_context->setRange(0, 3);
  m_context->setSpecialValueText(tr("0 (2D)"));
  m_context->setToolTip(tr("2.5D input: the model sees K slices above and below the slice it segments (2K+1 input "
                           "channels); 0 = 2D. Needs a volume of at least 2K+1 slices. Applies to a new model: "
                           "fine-tuning keeps the model's own."));
  form->addRow(tr("Neighbour slices (2.5D)"), m_context);

  m_loss = new QComboBox;
  m_loss->setObjectName(QStringLiteral("lossCombo"));
  m_loss->addItem(tr("BCE (the paper's)"), int(core::ml::LossKind::Bce));
  m_loss->addItem(tr("BCE + soft Dice"), int(core::ml::LossKind::BceDice));
  m_loss->addItem(tr("BCE + soft clDice (experimental)"), int(core::ml::LossKind::BceClDice));
  m_loss->setToolTip(tr("Loss over labelled voxels: binary cross-entropy, optionally plus soft Dice or soft "
                        "centreline Dice (clDice), which weigh thin cracks more"));
  form->addRow(tr("Loss"), m_loss);
  m_lrSchedule = new QComboBox;
  m_lrSchedule->setObjectName(QStringLiteral("lrScheduleCombo"));
  m_lrSchedule->addItem(tr("Constant"), int(core::ml::LrSchedule::Constant));
  m_lrSchedule->addItem(tr("Cosine (warm-up, then down to 1/100)"), int(core::ml::LrSchedule::Cosine));
  m_lrSchedule->setToolTip(tr("Cosine: a short warm-up, then the learning rate falls to 1/100 over the epochs or "
                              "the time budget"));
  form->addRow(tr("Learning-rate schedule"), m_lrSchedule);
  m_loss->setCurrentIndex(m_loss->findData(int(TrainingSettings{}.loss))); // the engine's defaults
  m_lrSchedule->setCurrentIndex(m_lrSchedule->findData(int(TrainingSettings{}.lrSchedule)));

  m_epochs = new QSpinBox;
  m_epochs->setRange(0, 100000);
  m_epochs->setValue(20);
  m_epochs->setSpecialValueText(tr("until the time budget"));
  m_minutes = new QDoubleSpinBox;
  m_minutes->setRange(0, 100000);
  m_minutes->setDecimals(1);
  m_minutes->setSuffix(tr(" min"));
  m_minutes->setSpecialValueText(tr("no budget"));
  form->addRow(tr("Epochs"), m_epochs);
  form->addRow(tr("Time budget"), m_minutes);

  m_batch = new QSpinBox;
  m_batch->setRange(1, 256);
  m_batch->setValue(4);
  form->addRow(tr("Batch"), m_batch);
  m_crop = new QSpinBox;
  m_crop->setRange(32, 4096);
  m_crop->setSingleStep(32);
  m_crop->setValue(256);
  m_crop->setSuffix(tr(" px"));
  m_crop->setToolTip(tr("Side of the random training crops (a multiple of 32, at most the slice)"));
  form->addRow(tr("Crop"), m_crop);
  m_steps = new QSpinBox;
  m_steps->setRange(0, 1000000);
  m_steps->setSpecialValueText(tr("auto (cover the slices once)"));
  m_steps->setToolTip(tr("Optimiser steps per epoch; validation and checkpoints follow each epoch"));
  form->addRow(tr("Steps per epoch"), m_steps);
  m_learningRate = new QDoubleSpinBox;
  m_learningRate->setDecimals(6);
  m_learningRate->setRange(1e-6, 1);
  m_learningRate->setSingleStep(1e-5);
  m_learningRate->setValue(1e-4);
  form->addRow(tr("Learning rate"), m_learningRate);
  m_augment = new QCheckBox(tr("Augmentations (rotation, shear, zoom, flips)"));
  m_augment->setChecked(true);
  form->addRow(QString(), m_augment);

  m_device = new QComboBox;
  m_device->addItem(tr("Auto"), int(core::ml::DeviceRequest::Auto));
  m_device->addItem(tr("CPU"), int(core::ml::DeviceRequest::Cpu));
  m_device->addItem(tr("CUDA"), int(core::ml::DeviceRequest::Cuda));
  m_deviceLine = new QLabel;
  m_deviceLine->setWordWrap(true);
  form->addRow(tr("Device"), m_device);
  form->addRow(QString(), m_deviceLine);
  auto updateDevice = [this] {
    m_deviceLine->setText(TrainingController::describeDevice(core::ml::DeviceRequest(m_device->currentData().toInt())));
  };
  connect(m_device, qOverload<int>(&QComboBox::currentIndexChanged), this, updateDevice);
  updateDevice();

  m_precision = new QComboBox;
  m_precision->setObjectName(QStringLiteral("trainingPrecisionCombo"));
  m_precision->addItem(tr("fp32"), int(core::ml::Precision::Fp32));
  m_precision->addItem(tr("Auto (bf16 where the processor has it)"), int(core::ml::Precision::Auto));
  m_precision->addItem(tr("bf16"), int(core::ml::Precision::Bf16));
  m_precision->setCurrentIndex(m_precision->findData(int(TrainingSettings{}.precision)));
  m_precision->setToolTip(
      tr("Arithmetic of the training steps on a CPU. bf16 (weights and optimiser stay fp32) runs faster where the "
         "processor computes it natively (AVX512_BF16 or AMX; this one: %1) and is refused elsewhere; Auto picks it "
         "where available. A GPU keeps its own mixed precision.")
          .arg(QString::fromStdString(core::ml::cpuBf16Support().describe())));
  form->addRow(tr("Precision"), m_precision);
}

TrainingSettings TrainingPanel::settings() const {
  TrainingSettings s;
  s.baseWidth = m_baseWidth->value();
  s.contextSlices = m_context->value();
  s.loss = core::ml::LossKind(m_loss->currentData().toInt());
  s.lrSchedule = core::ml::LrSchedule(m_lrSchedule->currentData().toInt());
  s.epochs = m_epochs->value();
  s.maxMinutes = m_minutes->value();
  s.batch = m_batch->value();
  s.iterationsPerEpoch = m_steps->value();
  s.crop = m_crop->value();
  s.learningRate = m_learningRate->value();
  s.valFraction = m_valSplit->value() / 100.0;
  s.augment = m_augment->isChecked();
  s.device = core::ml::DeviceRequest(m_device->currentData().toInt());
  s.precision = core::ml::Precision(m_precision->currentData().toInt());
  return s;
}

void TrainingPanel::setSettings(const TrainingSettings& s) {
  const int preset = m_preset->findData(s.baseWidth);
  m_preset->setCurrentIndex(preset >= 0 ? preset : m_preset->findData(0));
  m_baseWidth->setValue(s.baseWidth);
  m_context->setValue(s.contextSlices);
  m_loss->setCurrentIndex(m_loss->findData(int(s.loss)));
  m_lrSchedule->setCurrentIndex(m_lrSchedule->findData(int(s.lrSchedule)));
  m_epochs->setValue(s.epochs);
  m_minutes->setValue(s.maxMinutes);
  m_batch->setValue(s.batch);
  m_steps->setValue(s.iterationsPerEpoch);
  m_crop->setValue(s.crop);
  m_learningRate->setValue(s.learningRate);
  m_valSplit->setValue(s.valFraction * 100.0);
  m_augment->setChecked(s.augment);
  m_device->setCurrentIndex(m_device->findData(int(s.device)));
  m_precision->setCurrentIndex(m_precision->findData(int(s.precision)));
}

void TrainingPanel::updateSliceCounts() {
  const TrainingSliceCounts c = m_training.sliceCounts();
  if (c.total() == 0) {
    m_slices->setText(tr("No labelled slice yet: label cracks and background on a few slices, or mark slices fully "
                         "annotated."));
    return;
  }
  const int val = int(std::floor(c.total() * m_valSplit->value() / 100.0));
  m_slices->setText(tr("Slices that will train: %1 fully annotated, %2 partially labelled (%3 of them held out "
                       "for validation).")
                        .arg(c.annotated)
                        .arg(c.partial)
                        .arg(val));
}

QString TrainingPanel::fineTuneSource() const {
  if (!m_prediction.checkpoint().isEmpty()) return m_prediction.checkpoint();
  if (!m_prediction.model().empty()) return {}; // a TorchScript model: not fine-tunable
  return QString::fromStdString(core::ml::findStarterModel());
}

void TrainingPanel::updateButtons() {
  const bool running = m_training.isRunning();
  m_train->setEnabled(!running);
  const QString source = fineTuneSource();
  const bool starter = m_prediction.model().empty() && !source.isEmpty();
  m_fineTune->setText(starter ? tr("Fine-tune the starter model") : tr("Fine-tune current model"));
  QString tip = starter ? tr("No model is loaded: training starts from the starter model that ships with "
                             "CDNet Studio (pretrained on phantoms), which learns faster than from scratch")
                        : QString();
  // Fine-tuning keeps the model's network: its 2.5D context cannot follow the settings, and it
  // cannot apply to a volume thinner than 2K+1 slices.
  const int k = m_prediction.model().empty() ? 0 : m_prediction.model().options().contextSlices;
  const std::int64_t depth = m_session.hasImage() ? m_session.image().size().z : 0;
  const bool tooThin = k > 0 && depth > 0 && depth < 2 * std::int64_t(k) + 1;
  if (source.isEmpty() && !m_prediction.model().empty())
    tip = tr("An imported TorchScript model cannot be fine-tuned: train from scratch, or load a CDNet checkpoint");
  else if (tooThin)
    tip = tr("The current model is 2.5D (%1 neighbour slice(s) above and below) and needs at least %2 slices; this "
             "volume has %3. Fine-tuning keeps the model's network: train from scratch with \"Neighbour slices "
             "(2.5D)\" at 0 instead.")
              .arg(k)
              .arg(2 * k + 1)
              .arg(depth);
  else if (!source.isEmpty() && !starter)
    tip = tr("Starts from the current model's weights and keeps its network (base width %1, %2 neighbour slice(s) "
             "above and below): the Network and Neighbour slices settings apply to training from scratch only")
              .arg(m_prediction.model().options().baseWidth)
              .arg(k);
  m_fineTune->setToolTip(tip);
  m_fineTune->setEnabled(!running && !source.isEmpty() && !tooThin);
  m_stop->setEnabled(m_training.state() == TrainingState::Running);
}

void TrainingPanel::onProgress(double fraction, double elapsed, double remaining, const QString& stage) {
  m_progress->setValue(int(std::lround(fraction * 1000)));
  if (m_training.isRunning())
    m_time->setText(tr("%1 \u2014 elapsed %2, about %3 left").arg(stage, formatSeconds(elapsed), formatSeconds(remaining)));
  else
    m_time->setText(tr("%1 \u2014 took %2").arg(stage, formatSeconds(elapsed)));
}

void TrainingPanel::showError(const QString& message) {
  m_status->setStyleSheet(QStringLiteral("color: #ff7070;"));
  m_status->setText(tr("Training failed: %1").arg(message));
}

void TrainingPanel::showMessage(const QString& message) {
  m_status->setStyleSheet(QString());
  m_status->setText(message);
}

} // namespace ui
