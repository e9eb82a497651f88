#include "ui/panels/DisplayPanel.h"

#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace ui {

namespace {

QSlider* percentSlider(QWidget* parent) {
  auto* s = new QSlider(Qt::Horizontal, parent);
  s->setRange(0, 100);
  return s;
}

QIcon swatchIcon(const QColor& c) {
  QPixmap pm(14, 14);
  pm.fill(c);
  return QIcon(pm);
}

} // namespace

DisplayPanel::DisplayPanel(Session& session, DisplaySettings& display, QWidget* parent)
    : QWidget(parent), m_session(session), m_display(display) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(buildImageGroup());
  layout->addWidget(buildLabelGroup());
  layout->addWidget(buildPredictionGroup());
  layout->addWidget(build3DGroup());
  layout->addStretch(1);
  connect(&m_display, &DisplaySettings::windowLevelChanged, this, &DisplayPanel::syncFromSettings);
  connect(&m_display, &DisplaySettings::overlayChanged, this, &DisplayPanel::syncFromSettings);
  connect(&m_display, &DisplaySettings::view3DChanged, this, &DisplayPanel::syncFromSettings);
  connect(&m_session, &Session::datasetChanged, this, &DisplayPanel::onDatasetChanged);
  connect(&m_session, &Session::predictionChanged, this, &DisplayPanel::syncFromSettings);
  syncFromSettings();
}

QWidget* DisplayPanel::buildImageGroup() {
  auto* box = new QGroupBox(tr("Image window"), this);
  auto* form = new QFormLayout(box);
  m_windowPreset = new QComboBox(box);
  m_windowPreset->addItem(tr("Auto (0.5\u201399.5 %)"), int(WindowPreset::Auto));
  m_windowPreset->addItem(tr("Auto wide (0.05\u201399.95 %)"), int(WindowPreset::AutoWide));
  m_windowPreset->addItem(tr("Minimum to maximum"), int(WindowPreset::MinMax));
  m_windowPreset->addItem(tr("Whole type range"), int(WindowPreset::TypeRange));
  auto* apply = new QPushButton(tr("Apply"), box);
  auto* row = new QHBoxLayout;
  row->addWidget(m_windowPreset, 1);
  row->addWidget(apply);
  form->addRow(tr("Preset"), row);
  m_lower = new QDoubleSpinBox(box);
  m_upper = new QDoubleSpinBox(box);
  for (auto* s : {m_lower, m_upper}) {
    s->setRange(-std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
    s->setDecimals(3);
    s->setKeyboardTracking(false);
  }
  form->addRow(tr("Black at"), m_lower);
  form->addRow(tr("White at"), m_upper);
  auto* hint = new QLabel(tr("Shift + drag in a view: window (\u2194) and level (\u2195)"), box);
  hint->setWordWrap(true);
  hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
  form->addRow(hint);
  connect(apply, &QPushButton::clicked, this, &DisplayPanel::applyWindowPreset);
  connect(m_windowPreset, qOverload<int>(&QComboBox::activated), this, &DisplayPanel::applyWindowPreset);
  connect(m_lower, &QDoubleSpinBox::valueChanged, this, [this](double v) { m_display.setRange(v, m_display.upper()); });
  connect(m_upper, &QDoubleSpinBox::valueChanged, this, [this](double v) { m_display.setRange(m_display.lower(), v); });
  return box;
}

QWidget* DisplayPanel::buildLabelGroup() {
  auto* box = new QGroupBox(tr("Labels"), this);
  auto* form = new QFormLayout(box);
  m_labelsVisible = new QCheckBox(tr("Show labels"), box);
  form->addRow(m_labelsVisible);
  m_labelOpacity = percentSlider(box);
  form->addRow(tr("Opacity"), m_labelOpacity);
  auto* legend = new QHBoxLayout;
  for (int label : {2, 1}) {
    auto* b = new QToolButton(box);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(true);
    b->setText(label == 2 ? tr("crack") : tr("not crack"));
    b->setToolTip(tr("Change the colour of this label"));
    b->setIcon(swatchIcon(m_display.labelColour(label)));
    connect(b, &QToolButton::clicked, this, [this, label] {
      const QColor c = QColorDialog::getColor(m_display.labelColour(label), this, tr("Label colour"));
      if (c.isValid()) m_display.setLabelColour(label, c);
    });
    connect(&m_display, &DisplaySettings::overlayChanged, b,
            [this, b, label] { b->setIcon(swatchIcon(m_display.labelColour(label))); });
    legend->addWidget(b);
  }
  legend->addStretch(1);
  form->addRow(legend);
  connect(m_labelsVisible, &QCheckBox::toggled, &m_display, &DisplaySettings::setLabelsVisible);
  connect(m_labelOpacity, &QSlider::valueChanged, this, [this](int v) { m_display.setLabelOpacity(v / 100.0); });
  return box;
}

QWidget* DisplayPanel::buildPredictionGroup() {
  m_predictionGroup = new QGroupBox(tr("Prediction"), this);
  auto* form = new QFormLayout(m_predictionGroup);
  m_predictionVisible = new QCheckBox(tr("Show prediction"), m_predictionGroup);
  form->addRow(m_predictionVisible);
  m_predictionStyle = new QComboBox(m_predictionGroup);
  m_predictionStyle->addItem(tr("Colour map"), int(PredictionStyle::ColourMap));
  m_predictionStyle->addItem(tr("Outline"), int(PredictionStyle::Outline));
  form->addRow(tr("Style"), m_predictionStyle);
  m_threshold = new QSlider(Qt::Horizontal, m_predictionGroup);
  m_threshold->setRange(1, 255);
  m_thresholdLabel = new QLabel(m_predictionGroup);
  m_thresholdLabel->setMinimumWidth(34);
  auto* row = new QHBoxLayout;
  row->addWidget(m_threshold, 1);
  row->addWidget(m_thresholdLabel);
  form->addRow(tr("Threshold"), row);
  m_predictionOpacity = percentSlider(m_predictionGroup);
  form->addRow(tr("Opacity"), m_predictionOpacity);
  connect(m_predictionVisible, &QCheckBox::toggled, &m_display, &DisplaySettings::setPredictionVisible);
  connect(m_predictionStyle, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    m_display.setPredictionStyle(PredictionStyle(m_predictionStyle->itemData(i).toInt()));
  });
  connect(m_threshold, &QSlider::valueChanged, &m_display, &DisplaySettings::setPredictionThreshold);
  connect(m_predictionOpacity, &QSlider::valueChanged, this, [this](int v) { m_display.setPredictionOpacity(v / 100.0); });
  return m_predictionGroup;
}

QWidget* DisplayPanel::build3DGroup() {
  auto* box = new QGroupBox(tr("3D view"), this);
  auto* form = new QFormLayout(box);
  m_volumeVisible = new QCheckBox(tr("Volume rendering"), box);
  form->addRow(m_volumeVisible);
  m_transferPreset = new QComboBox(box);
  m_transferPreset->addItem(tr("Bright phase"), int(TransferPreset::BrightPhase));
  m_transferPreset->addItem(tr("Linear ramp"), int(TransferPreset::Linear));
  m_transferPreset->addItem(tr("Maximum intensity"), int(TransferPreset::Mip));
  form->addRow(tr("Transfer"), m_transferPreset);
  m_volumeOpacity = percentSlider(box);
  form->addRow(tr("Opacity"), m_volumeOpacity);
  m_surfaceSource = new QComboBox(box);
  m_surfaceSource->addItem(tr("Prediction"), int(SurfaceSource::Prediction));
  m_surfaceSource->addItem(tr("Crack labels"), int(SurfaceSource::Labels));
  m_surfaceSource->addItem(tr("None"), int(SurfaceSource::None));
  form->addRow(tr("Crack surface"), m_surfaceSource);
  m_planesVisible = new QCheckBox(tr("Slice planes"), box);
  form->addRow(m_planesVisible);
  connect(m_volumeVisible, &QCheckBox::toggled, &m_display, &DisplaySettings::setVolumeRenderingVisible);
  connect(m_transferPreset, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    m_display.setTransferPreset(TransferPreset(m_transferPreset->itemData(i).toInt()));
  });
  connect(m_volumeOpacity, &QSlider::valueChanged, this, [this](int v) { m_display.setVolumeOpacity(v / 100.0); });
  connect(m_surfaceSource, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    m_display.setSurfaceSource(SurfaceSource(m_surfaceSource->itemData(i).toInt()));
  });
  connect(m_planesVisible, &QCheckBox::toggled, &m_display, &DisplaySettings::setSlicePlanesVisible);
  return box;
}

void DisplayPanel::applyWindowPreset() {
  if (!m_session.hasImage()) return;
  const auto type = m_session.image().type();
  const double typeMax = type == core::volume::VoxelType::UInt8 ? 255 : type == core::volume::VoxelType::UInt16 ? 65535 : 0;
  m_display.applyPreset(WindowPreset(m_windowPreset->currentData().toInt()), m_session.statistics(), typeMax);
}

void DisplayPanel::onDatasetChanged() {
  if (m_session.hasImage()) {
    const bool integer = m_session.image().type() != core::volume::VoxelType::Float32;
    for (auto* s : {m_lower, m_upper}) {
      const QSignalBlocker block(s);
      s->setDecimals(integer ? 0 : 4);
      s->setSingleStep(integer ? 1 : 0.01);
    }
  }
  syncFromSettings();
}

void DisplayPanel::syncFromSettings() {
  auto setChecked = [](QCheckBox* c, bool on) { const QSignalBlocker b(c); c->setChecked(on); };
  auto setSlider = [](QSlider* s, int v) { const QSignalBlocker b(s); s->setValue(v); };
  auto setCombo = [](QComboBox* c, int data) { const QSignalBlocker b(c); c->setCurrentIndex(c->findData(data)); };
  {
    const QSignalBlocker b1(m_lower), b2(m_upper);
    m_lower->setValue(m_display.lower());
    m_upper->setValue(m_display.upper());
  }
  setChecked(m_labelsVisible, m_display.labelsVisible());
  setSlider(m_labelOpacity, int(std::lround(m_display.labelOpacity() * 100)));
  m_predictionGroup->setEnabled(m_session.prediction() != nullptr);
  setChecked(m_predictionVisible, m_display.predictionVisible());
  setCombo(m_predictionStyle, int(m_display.predictionStyle()));
  setSlider(m_threshold, m_display.predictionThreshold());
  m_thresholdLabel->setText(QString::number(m_display.predictionThreshold() / 255.0, 'f', 2));
  setSlider(m_predictionOpacity, int(std::lround(m_display.predictionOpacity() * 100)));
  setChecked(m_volumeVisible, m_display.volumeRenderingVisible());
  setCombo(m_transferPreset, int(m_display.transferPreset()));
  setSlider(m_volumeOpacity, int(std::lround(m_display.volumeOpacity() * 100)));
  setCombo(m_surfaceSource, int(m_display.surfaceSource()));
  setChecked(m_planesVisible, m_display.slicePlanesVisible());
}

} // namespace ui
