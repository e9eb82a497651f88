#include "ui/panels/StatisticsPlots.h"

#include "ui/io/AtomicSave.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/panels/ChartStyle.h"
#include "ui/panels/PanelWidgets.h"

#include <QAreaSeries>
#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSvgGenerator>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <utility>

namespace ui {

namespace ca = core::analysis;

StatisticsPlots::StatisticsPlots(ParticleLayer& layer, ParticleTableModel& model, QWidget* parent)
    : QWidget(parent), m_layer(layer), m_model(model) {
  m_kind = new QComboBox;
  m_kind->addItems({tr("Histogram"), tr("Scatter"), tr("Depth profile")});
  m_x = new QComboBox;
  m_y = new QComboBox;
  m_bins = new QSpinBox;
  m_bins->setRange(2, 200);
  m_bins->setValue(20);
  m_bins->setPrefix(tr("bins "));
  auto* save = new QPushButton(tr("Save plot\u2026"));
  m_view = new QChartView;
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setMinimumHeight(220);
  styleChart(m_view->chart()); // dark canvas in the dark theme
  m_view->chart()->legend()->hide();
  // The controls wrap onto more rows in a narrow dock; each label stays with its box.
  auto* row = new FlowLayout;
  row->addWidget(m_kind);
  for (auto [label, box] : {std::pair{tr("x"), m_x}, std::pair{tr("y"), m_y}}) {
    auto* pair = new QWidget;
    auto* pairLayout = new QHBoxLayout(pair);
    pairLayout->setContentsMargins(0, 0, 0, 0);
    pairLayout->addWidget(new QLabel(label));
    pairLayout->addWidget(box, 1);
    row->addWidget(pair);
  }
  row->addWidget(m_bins);
  row->addWidget(save);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(row);
  layout->addWidget(m_view, 1);
  connect(m_kind, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { replot(); });
  connect(m_x, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { replot(); });
  connect(m_y, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { replot(); });
  connect(m_bins, qOverload<int>(&QSpinBox::valueChanged), this, [this] { replot(); });
  connect(save, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save plot"), QStringLiteral("plot.png"),
                                                      tr("PNG image (*.png);;SVG drawing (*.svg)"));
    if (!path.isEmpty() && !this->save(path)) m_view->chart()->setTitle(tr("Cannot write %1").arg(path));
  });
  connect(&m_layer, &ParticleLayer::tableChanged, this, [this] {
    updateColumnChoices();
    replot();
  });
  updateColumnChoices();
}

void StatisticsPlots::updateColumnChoices() {
  const int x = m_x->currentIndex(), y = m_y->currentIndex();
  const QSignalBlocker bx(m_x), by(m_y);
  m_x->clear();
  m_y->clear();
  for (int c = 0; c < m_layer.table().columnCount(); ++c) {
    m_x->addItem(m_model.columnTitle(c));
    m_y->addItem(m_model.columnTitle(c));
  }
  const auto& t = m_layer.table();
  m_x->setCurrentIndex(x >= 0 && x < m_x->count() ? x : std::max(0, t.indexOf("eq_diameter")));
  m_y->setCurrentIndex(y >= 0 && y < m_y->count() ? y : std::max(0, t.indexOf("crack_fraction")));
}

StatisticsPlots::Kind StatisticsPlots::kind() const { return Kind(m_kind->currentIndex()); }

void StatisticsPlots::showPlot(Kind kind, int x, int y) {
  const QSignalBlocker bk(m_kind), bx(m_x), by(m_y);
  m_kind->setCurrentIndex(int(kind));
  if (x >= 0 && x < m_x->count()) m_x->setCurrentIndex(x);
  if (y >= 0 && y < m_y->count()) m_y->setCurrentIndex(y);
  replot();
}

namespace {

/// A value axis fitted to [lo, hi]: whole-number ticks and labels for counts and integer columns.
QValueAxis* axis(const QString& title, double lo, double hi, bool integer = false) {
  auto* a = new QValueAxis;
  a->setTitleText(title);
  if (integer) setIntegerAxis(a, lo, hi);
  else setRealAxis(a, lo, hi);
  return a;
}

bool isIntegerColumn(const ca::Table& t, int c) { return t.column(c).kind != ca::ColumnKind::Real; }

} // namespace

void StatisticsPlots::replot() {
  QChart* chart = m_view->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* a : chart->axes()) {
    chart->removeAxis(a);
    delete a;
  }
  chart->setTitle(QString());
  m_points = 0;
  m_histogram = {};
  const auto& t = m_layer.table();
  const Kind k = kind();
  m_x->setEnabled(k != Kind::DepthProfile);
  m_y->setEnabled(k == Kind::Scatter);
  m_bins->setEnabled(k == Kind::Histogram);
  if (t.rowCount() == 0 || t.columnCount() == 0) {
    chart->setTitle(tr("No particles: run the analysis"));
    return;
  }
  const int x = std::clamp(m_x->currentIndex(), 0, t.columnCount() - 1);
  const int y = std::clamp(m_y->currentIndex(), 0, t.columnCount() - 1);
  if (k == Kind::Histogram) {
    m_histogram = ca::histogram(t, x, m_bins->value());
    auto* upper = new QLineSeries;
    double top = 0;
    for (std::size_t b = 0; b < m_histogram.counts.size(); ++b) {
      const double c = double(m_histogram.counts[b]);
      upper->append(m_histogram.edges[b], c);
      upper->append(m_histogram.edges[b + 1], c);
      top = std::max(top, c);
    }
    auto* area = new QAreaSeries(upper);
    area->setColor(QColor(70, 130, 200));
    area->setBorderColor(QColor(30, 70, 130));
    chart->addSeries(area);
    m_points = int(m_histogram.counts.size());
    const double lo = m_histogram.edges.empty() ? 0 : m_histogram.edges.front();
    const double hi = m_histogram.edges.empty() ? 1 : m_histogram.edges.back();
    auto* ax = axis(m_model.columnTitle(x), lo, hi);
    auto* ay = axis(tr("Particles"), 0, top, true);
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    area->attachAxis(ax);
    area->attachAxis(ay);
    chart->setTitle(tr("Histogram of %1").arg(m_model.columnTitle(x)));
  } else if (k == Kind::Scatter) {
    auto* s = new QScatterSeries;
    s->setMarkerSize(7);
    s->setColor(QColor(200, 80, 60));
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (std::int64_t r = 0; r < t.rowCount(); ++r) {
      const double vx = t.value(r, x), vy = t.value(r, y);
      if (!std::isfinite(vx) || !std::isfinite(vy)) continue;
      s->append(vx, vy);
      x0 = std::min(x0, vx), x1 = std::max(x1, vx), y0 = std::min(y0, vy), y1 = std::max(y1, vy);
    }
    m_points = int(s->count());
    chart->addSeries(s);
    auto* ax = axis(m_model.columnTitle(x), m_points ? x0 : 0, m_points ? x1 : 1, isIntegerColumn(t, x));
    auto* ay = axis(m_model.columnTitle(y), m_points ? y0 : 0, m_points ? y1 : 1, isIntegerColumn(t, y));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    s->attachAxis(ax);
    s->attachAxis(ay);
    chart->setTitle(tr("%1 against %2").arg(m_model.columnTitle(y), m_model.columnTitle(x)));
  } else {
    const auto& p = m_layer.depthProfile();
    const int c0 = p.indexOf("depth_start"), c1 = p.indexOf("depth_end"), cy = p.indexOf("crack_fraction_weighted");
    if (c0 < 0 || c1 < 0 || cy < 0 || p.rowCount() == 0) {
      chart->setTitle(tr("No depth profile"));
      return;
    }
    auto* s = new QLineSeries;
    s->setPointsVisible(true);
    double top = 0;
    for (std::int64_t r = 0; r < p.rowCount(); ++r) {
      const double v = p.value(r, cy);
      if (!std::isfinite(v)) continue;
      s->append((p.value(r, c0) + p.value(r, c1)) / 2, v);
      top = std::max(top, v);
    }
    m_points = int(s->count());
    chart->addSeries(s);
    auto* ax = axis(tr("Depth (\u00b5m)"), p.value(0, c0), p.value(p.rowCount() - 1, c1));
    auto* ay = axis(tr("Crack volume fraction"), 0, top);
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    s->attachAxis(ax);
    s->attachAxis(ay);
    chart->setTitle(tr("Damage against depth (bins of %1 \u00b5m)").arg(m_layer.options().binWidthUm));
  }
}

bool StatisticsPlots::save(const QString& path) {
  if (QFileInfo(path).suffix().compare(QStringLiteral("svg"), Qt::CaseInsensitive) == 0) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(m_view->size());
    svg.setViewBox(QRect(QPoint(0, 0), m_view->size()));
    svg.setTitle(m_view->chart()->title());
    QPainter painter;
    if (!painter.begin(&svg)) return false;
    m_view->render(&painter);
    return painter.end() && !bytes.isEmpty() && writeBytesAtomically(bytes, path);
  }
  return savePixmapAtomically(m_view->grab(), path);
}

} // namespace ui
