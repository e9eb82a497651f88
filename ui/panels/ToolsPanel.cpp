#include "ui/panels/ToolsPanel.h"

#include "core/labels/LabelConvention.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/tools/LabelActions.h"
#include "ui/tools/ToolSettings.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace cl = core::labels;

namespace {

QToolButton* buttonFor(QAction* action, Qt::ToolButtonStyle style = Qt::ToolButtonTextBesideIcon) {
  auto* b = new QToolButton;
  b->setDefaultAction(action);
  b->setToolButtonStyle(style);
  b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  b->setIconSize(QSize(18, 18));
  return b;
}

} // namespace

ToolsPanel::ToolsPanel(Session& session, DisplaySettings& display, ToolSettings& settings, LabelActions& actions,
                       QWidget* parent)
    : QWidget(parent), m_session(session), m_display(display), m_settings(settings) {
  auto* layout = new QVBoxLayout(this);

  auto* toolBox = new QGroupBox(tr("Tool"));
  auto* grid = new QGridLayout(toolBox);
  const ToolKind kinds[] = {ToolKind::Navigate, ToolKind::Brush, ToolKind::Eraser,
                            ToolKind::Sphere, ToolKind::Polygon, ToolKind::Flood};
  for (int i = 0; i < 6; ++i) grid->addWidget(buttonFor(actions.toolAction(kinds[i])), i / 2, i % 2);
  layout->addWidget(toolBox);

  auto* paintBox = new QGroupBox(tr("Painting"));
  auto* form = new QFormLayout(paintBox);
  m_class = new QComboBox;
  m_class->addItem(tr("Crack"), int(cl::kCrack));
  m_class->addItem(tr("Not crack"), int(cl::kNotCrack));
  m_class->setToolTip(tr("The class brush, 3D brush, polygon and flood fill write"));
  form->addRow(tr("Class"), m_class);
  m_size = new QSpinBox;
  m_size->setRange(1, ToolSettings::kMaxSize);
  m_size->setSuffix(tr(" voxels"));
  m_size->setToolTip(tr("Brush diameter ([ and ] change it)"));
  form->addRow(tr("Size"), m_size);
  m_over = new QComboBox;
  m_over->addItem(tr("Everything"));
  m_over->addItem(tr("Only unlabelled"));
  m_over->addItem(tr("Only not crack"));
  m_over->addItem(tr("Only crack"));
  m_over->setToolTip(tr("Which voxels the tools may overwrite"));
  form->addRow(tr("Paint over"), m_over);
  m_threshold = new QCheckBox(tr("Only intensities in"));
  m_threshold->setToolTip(tr("Threshold-limited painting: only voxels whose grey value lies in the range"));
  m_low = new QDoubleSpinBox;
  m_high = new QDoubleSpinBox;
  for (QDoubleSpinBox* b : {m_low, m_high}) {
    b->setRange(-1e9, 1e9);
    b->setDecimals(1);
    b->setEnabled(false);
  }
  auto* range = new QHBoxLayout;
  range->addWidget(m_low);
  range->addWidget(m_high);
  form->addRow(m_threshold);
  form->addRow(tr("Range"), range);
  m_tolerance = new QDoubleSpinBox;
  m_tolerance->setRange(0, 1e9);
  m_tolerance->setDecimals(1);
  m_tolerance->setToolTip(tr("Flood fill takes connected voxels within this many grey values of the clicked one"));
  form->addRow(tr("Flood tolerance"), m_tolerance);
  layout->addWidget(paintBox);

  auto* sliceBox = new QGroupBox(tr("Slices"));
  auto* sliceLayout = new QVBoxLayout(sliceBox);
  sliceLayout->addWidget(buttonFor(actions.markAnnotated(), Qt::ToolButtonTextOnly));
  sliceLayout->addWidget(buttonFor(actions.interpolateHere(), Qt::ToolButtonTextOnly));
  sliceLayout->addWidget(buttonFor(actions.interpolateAll(), Qt::ToolButtonTextOnly));
  layout->addWidget(sliceBox);

  auto* predBox = new QGroupBox(tr("Prediction"));
  auto* predLayout = new QVBoxLayout(predBox);
  predLayout->addWidget(buttonFor(actions.acceptAll(), Qt::ToolButtonTextOnly));
  predLayout->addWidget(buttonFor(actions.acceptSlice(), Qt::ToolButtonTextOnly));
  predLayout->addWidget(buttonFor(actions.acceptComponent(), Qt::ToolButtonTextOnly));
  predLayout->addWidget(buttonFor(actions.deleteComponent(), Qt::ToolButtonTextOnly));
  layout->addWidget(predBox);
  layout->addStretch(1);

  connect(m_class, &QComboBox::currentIndexChanged, this,
          [this] { m_settings.setActiveClass(std::uint8_t(m_class->currentData().toInt())); });
  connect(m_size, &QSpinBox::valueChanged, &m_settings, &ToolSettings::setSize);
  connect(m_over, &QComboBox::currentIndexChanged, this, [this](int i) {
    switch (i) {
    case 1: m_settings.setPaintOver(cl::PaintOver::Unlabelled, cl::kNotCrack); break;
    case 2: m_settings.setPaintOver(cl::PaintOver::OneClass, cl::kNotCrack); break;
    case 3: m_settings.setPaintOver(cl::PaintOver::OneClass, cl::kCrack); break;
    default: m_settings.setPaintOver(cl::PaintOver::Everything, cl::kNotCrack); break;
    }
  });
  connect(m_threshold, &QCheckBox::toggled, this, [this](bool on) {
    if (on && m_low->value() == m_high->value()) { // prefill from the current window
      const QSignalBlocker b1(m_low), b2(m_high);
      m_low->setValue(m_display.lower());
      m_high->setValue(m_display.upper());
    }
    applyThreshold();
  });
  connect(m_low, &QDoubleSpinBox::valueChanged, this, &ToolsPanel::applyThreshold);
  connect(m_high, &QDoubleSpinBox::valueChanged, this, &ToolsPanel::applyThreshold);
  connect(m_tolerance, &QDoubleSpinBox::valueChanged, &m_settings, &ToolSettings::setFloodTolerance);
  connect(&m_settings, &ToolSettings::settingsChanged, this, &ToolsPanel::syncFromSettings);
  // A new dataset: the range starts as its display window.
  connect(&m_session, &Session::datasetChanged, this, [this] {
    // The flood tolerance in the data's grey values: 10 means nothing on uint16 data.
    if (m_session.hasImage()) {
      const double t = ToolSettings::defaultFloodTolerance(m_session.statistics());
      const int magnitude = t > 0 ? int(std::floor(std::log10(t))) : 0;
      m_tolerance->setDecimals(std::clamp(1 - magnitude, 0, 6));
      m_tolerance->setSingleStep(t > 0 ? std::pow(10.0, magnitude - 1) : 1.0);
      m_settings.setFloodTolerance(t);
    }
    const QSignalBlocker b1(m_low), b2(m_high);
    m_low->setValue(m_display.lower());
    m_high->setValue(m_display.upper());
    applyThreshold();
  });
  syncFromSettings();
}

void ToolsPanel::applyThreshold() {
  m_low->setEnabled(m_threshold->isChecked());
  m_high->setEnabled(m_threshold->isChecked());
  m_settings.setThreshold(m_threshold->isChecked(), m_low->value(), m_high->value());
}

void ToolsPanel::syncFromSettings() {
  const QSignalBlocker b1(m_size), b2(m_class), b3(m_over), b4(m_tolerance);
  m_size->setValue(m_settings.size());
  m_class->setCurrentIndex(m_settings.activeClass() == cl::kNotCrack ? 1 : 0);
  int over = 0;
  if (m_settings.paintOver() == cl::PaintOver::Unlabelled) over = 1;
  else if (m_settings.paintOver() == cl::PaintOver::OneClass) over = m_settings.overClass() == cl::kCrack ? 3 : 2;
  m_over->setCurrentIndex(over);
  m_tolerance->setValue(m_settings.floodTolerance());
}

} // namespace ui
