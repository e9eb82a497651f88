#include "ui/panels/EvolutionPanel.h"

#include "ui/controllers/EvolutionController.h"
#include "ui/panels/ChartStyle.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/views/ParticleSurfaces.h"
#include "ui/views/SliceView.h"
#include "ui/views/TimePointPairView.h"

#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPainter>
#include <QPushButton>
#include <QRadioButton>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {
const char* const kVolumeFilter = QT_TRANSLATE_NOOP("ui::EvolutionPanel",
    "Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)");

QChartView* makeChartView() {
  auto* v = new QChartView;
  v->setRenderHint(QPainter::Antialiasing);
  v->setMinimumHeight(220);
  v->setMaximumHeight(300); // both charts fit a 1280 x 800 screen's dock
  styleChart(v->chart());
  v->chart()->legend()->hide();
  return v;
}

void clearChart(QChart* chart) {
  chart->removeAllSeries();
  for (QAbstractAxis* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
}

/// A real axis over [lo, hi] widened by 5 % on each side, so no point sits on the frame.
QValueAxis* realAxis(const QString& title, double lo, double hi) {
  auto* a = new QValueAxis;
  a->setTitleText(title);
  const double pad = 0.05 * std::max(hi - lo, 1e-3);
  setRealAxis(a, lo - pad, hi + pad);
  return a;
}
} // namespace

EvolutionPanel::EvolutionPanel(EvolutionController& controller, StatisticsPanel& statistics, const std::vector<SliceView*>& slices,
                               CursorModel& cursor, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_statistics(statistics), m_slices(slices), m_cursor(cursor) {
  m_open = new QPushButton(tr("Open second time point\u2026"));
  m_open->setToolTip(tr("Open scan B of the same sample: register it onto the open image (A), segment its particles "
                        "with A's particles as markers and match them with A's"));
  m_cancel = new QPushButton(tr("Cancel"));
  m_export = new QPushButton(tr("Export evolution CSV\u2026"));
  m_cracksB = new QLineEdit;
  m_cracksB->setPlaceholderText(tr("none"));
  m_cracksB->setToolTip(tr("Crack volume of scan B (mask, labels or probability); needed when A's crack source is not none"));
  m_browseCracks = new QPushButton(tr("\u2026"));
  m_affine = new QCheckBox(tr("Always affine"));
  m_affine->setToolTip(tr("Unchecked: rigid, then affine only where it fits clearly better and stays plausible "
                          "(scales within 5 %, small shear), chosen automatically"));
  m_status = new QLabel(tr("No second time point"));
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* a = new QRadioButton(tr("A"));
  auto* b = new QRadioButton(tr("B"));
  m_showA = a, m_showB = b;
  auto* group = new QButtonGroup(this);
  for (QRadioButton* p : {a, b}) group->addButton(p);
  a->setChecked(true);
  b->setToolTip(tr("Show scan B resampled onto A's grid in the slice views (Ctrl+T flips)"));
  m_sideBySide = new QCheckBox(tr("Side by side"));
  m_sideBySide->setToolTip(tr("Show A and B next to each other in a window of their own; the cursor moves both"));
  m_damage = makeChartView();
  m_growth = makeChartView();

  auto* form = new QFormLayout;
  auto* crackRow = new QHBoxLayout;
  crackRow->addWidget(m_cracksB, 1);
  crackRow->addWidget(m_browseCracks);
  form->addRow(tr("Cracks of B"), crackRow);
  form->addRow(QString(), m_affine);
  auto* switchRow = new QHBoxLayout;
  switchRow->addWidget(a);
  switchRow->addWidget(b);
  switchRow->addWidget(m_sideBySide);
  switchRow->addStretch(1);
  form->addRow(tr("Time point"), switchRow);
  auto* buttons = new FlowLayout;
  for (QPushButton* p : {m_open, m_cancel, m_export}) buttons->addWidget(p);
  auto* title = new QLabel(tr("<b>Second time point</b>"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(m_status);
  layout->addWidget(m_damage);
  layout->addWidget(m_growth);
  layout->addStretch(1);

  connect(m_open, &QPushButton::clicked, this, [this] { openSecondTimePoint(); });
  connect(m_cancel, &QPushButton::clicked, &m_controller, &EvolutionController::cancel);
  connect(m_export, &QPushButton::clicked, this, [this] { exportCsv(); });
  connect(m_browseCracks, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Crack volume of scan B"), QString(), tr(kVolumeFilter));
    if (!path.isEmpty()) m_cracksB->setText(path);
  });
  connect(b, &QRadioButton::toggled, &m_controller, &EvolutionController::showTimePoint);
  connect(m_sideBySide, &QCheckBox::toggled, this, [this](bool on) {
    if (on && !m_pairView) {
      m_pairView = new TimePointPairView(m_controller, m_cursor, this);
      connect(m_pairView, &TimePointPairView::closed, m_sideBySide, [this] { m_sideBySide->setChecked(false); });
    }
    if (m_pairView) m_pairView->setVisible(on);
  });
  connect(&m_controller, &EvolutionController::timePointChanged, this, [this, a, b](bool showsB) {
    (showsB ? b : a)->setChecked(true);
    for (SliceView* v : m_slices) v->setImageOverride(showsB ? &m_controller.imageB() : nullptr);
  });
  connect(&m_controller, &EvolutionController::started, this, [this] {
    // A run started elsewhere (a project being opened) shows its settings.
    m_cracksB->setText(m_controller.request().cracksB);
    m_affine->setChecked(m_controller.request().affine);
    m_status->setText(tr("Registering B, segmenting it with A's particles as markers and matching\u2026"));
    updateButtons();
  });
  connect(&m_controller, &EvolutionController::cancelled, this, [this] {
    m_status->setText(tr("Second time point cancelled"));
    updateButtons();
  });
  connect(&m_controller, &EvolutionController::failed, this, [this](const QString& message) {
    m_status->setText(message);
    Q_EMIT errorReported(tr("Second time point"), message);
    updateButtons();
  });
  connect(&m_controller, &EvolutionController::resultChanged, this, &EvolutionPanel::onResultChanged);
  onResultChanged();
}

QChart* EvolutionPanel::damageChart() const { return m_damage->chart(); }
QChart* EvolutionPanel::growthChart() const { return m_growth->chart(); }

bool EvolutionPanel::openSecondTimePoint(QString path) {
  if (path.isEmpty())
    path = QFileDialog::getOpenFileName(this, tr("Open second time point (scan B)"), QString(), tr(kVolumeFilter));
  if (path.isEmpty()) return false;
  EvolutionRequest r;
  r.pathB = path;
  r.cracksB = m_cracksB->text().trimmed();
  r.affine = m_affine->isChecked();
  r.crackSourceA = m_statistics.crackSource();
  r.analysis = m_statistics.options();
  return m_controller.run(r);
}

bool EvolutionPanel::exportCsv(QString path) {
  if (!m_controller.hasResult()) return false;
  if (path.isEmpty())
    path = QFileDialog::getSaveFileName(this, tr("Export evolution CSV"), QStringLiteral("evolution.csv"), tr("CSV files (*.csv)"));
  if (path.isEmpty()) return false;
  try {
    m_controller.exportCsv(path);
    return true;
  } catch (const std::exception& e) {
    Q_EMIT errorReported(tr("Cannot export"), tr("Cannot write %1:\n%2").arg(path, QString::fromStdString(e.what())));
    return false;
  }
}

void EvolutionPanel::onResultChanged() {
  const bool has = m_controller.hasResult();
  m_statistics.setGrowthColourChoice(has);
  if (ParticleSurfaces* s = m_statistics.surfaces()) s->setValues(m_controller.growthById());
  if (has) {
    const auto& run = m_controller.result();
    const auto& r = run.result;
    m_status->setText(tr("B: %1\n%2\n%3 of %4 particles of A matched, %5 fractured, %6 lost, %7 outside B")
                          .arg(QFileInfo(m_controller.pathB()).fileName(), QString::fromStdString(run.registration.describe()))
                          .arg(r.matched)
                          .arg(r.particles.rowCount())
                          .arg(r.fractured)
                          .arg(r.lost)
                          .arg(r.outside) +
                      "\n" + tr("B segmented with A's particles as markers (%1 particles), as cdnet evolve does")
                                 .arg(m_controller.particlesB()));
  } else if (!m_controller.isRunning()) {
    m_status->setText(tr("No second time point"));
  }
  replot();
  updateButtons();
}

void EvolutionPanel::replot() {
  QChart* damage = m_damage->chart();
  QChart* growth = m_growth->chart();
  clearChart(damage);
  clearChart(growth);
  m_damagePoints = m_growthPoints = 0;
  if (!m_controller.hasResult()) {
    damage->setTitle(tr("Damage in A and B: open a second time point"));
    growth->setTitle(tr("Growth against depth: open a second time point"));
    return;
  }
  const auto& t = m_controller.result().result.particles;
  const int matched = t.indexOf("matched"), fa = t.indexOf("crack_fraction_a"), fb = t.indexOf("crack_fraction_b"),
            g = t.indexOf("crack_fraction_growth"), depth = t.indexOf("depth");
  auto* ds = new QScatterSeries;
  auto* gs = new QScatterSeries;
  for (QScatterSeries* s : {ds, gs}) {
    s->setMarkerSize(7);
    s->setColor(QColor(200, 80, 60));
  }
  double lo = INFINITY, hi = -INFINITY, d0 = INFINITY, d1 = -INFINITY, g0 = INFINITY, g1 = -INFINITY;
  for (std::int64_t r = 0; r < t.rowCount(); ++r) {
    if (!(t.value(r, matched) > 0)) continue;
    const double a = t.value(r, fa), b = t.value(r, fb), gr = t.value(r, g), d = t.value(r, depth);
    if (std::isfinite(a) && std::isfinite(b)) {
      ds->append(a, b);
      lo = std::min({lo, a, b}), hi = std::max({hi, a, b});
    }
    if (std::isfinite(gr) && std::isfinite(d)) {
      gs->append(d, gr);
      d0 = std::min(d0, d), d1 = std::max(d1, d), g0 = std::min(g0, gr), g1 = std::max(g1, gr);
    }
  }
  m_damagePoints = int(ds->count());
  m_growthPoints = int(gs->count());
  if (!m_damagePoints) lo = 0, hi = 1;
  if (!m_growthPoints) d0 = 0, d1 = 1, g0 = 0, g1 = 1;
  // The diagonal: no change between the time points.
  auto* diagonal = new QLineSeries;
  diagonal->setColor(QColor(150, 150, 150));
  diagonal->append(lo, lo);
  diagonal->append(hi, hi);
  damage->addSeries(diagonal);
  damage->addSeries(ds);
  auto* ax = realAxis(tr("Crack fraction in A"), lo, hi);
  auto* ay = realAxis(tr("In B"), lo, hi);
  damage->addAxis(ax, Qt::AlignBottom);
  damage->addAxis(ay, Qt::AlignLeft);
  for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(diagonal), static_cast<QAbstractSeries*>(ds)}) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
  damage->setTitle(tr("Damage per matched particle: B against A"));
  // A zero line: growth above it, healing (or noise) below.
  auto* zero = new QLineSeries;
  zero->setColor(QColor(150, 150, 150));
  zero->append(d0, 0);
  zero->append(d1, 0);
  growth->addSeries(zero);
  growth->addSeries(gs);
  auto* gx = realAxis(tr("Depth (\u00b5m)"), d0, d1);
  auto* gy = realAxis(tr("Growth"), std::min(g0, 0.0), std::max(g1, 0.0));
  growth->addAxis(gx, Qt::AlignBottom);
  growth->addAxis(gy, Qt::AlignLeft);
  for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(zero), static_cast<QAbstractSeries*>(gs)}) {
    s->attachAxis(gx);
    s->attachAxis(gy);
  }
  growth->setTitle(tr("Crack fraction growth against depth"));
}

void EvolutionPanel::updateButtons() {
  const bool running = m_controller.isRunning();
  const bool has = m_controller.hasResult();
  m_open->setEnabled(!running);
  m_cancel->setEnabled(running);
  m_export->setEnabled(has && !running);
  m_showA->setEnabled(has);
  m_showB->setEnabled(has);
  m_sideBySide->setEnabled(has);
  if (!has) m_sideBySide->setChecked(false);
}

} // namespace ui
