#include "ui/panels/StatisticsPanel.h"

#include "core/analysis/Summaries.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/model/Session.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/StatisticsPlots.h"
#include "ui/views/ParticleOverlay.h"
#include "ui/views/ParticleSurfaces.h"
#include "ui/views/SliceView.h"
#include "ui/views/VolumeView3D.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <exception>

namespace ui {

namespace ca = core::analysis;

StatisticsPanel::StatisticsPanel(Session& session, CursorModel& cursor, JobRunner& jobs, ParticleLayer& layer,
                                 AnalysisController& controller, ParticleTableModel& model,
                                 const std::vector<SliceView*>& slices, VolumeView3D* view3D, QWidget* parent)
    : QWidget(parent), m_session(session), m_cursor(cursor), m_jobs(jobs), m_layer(&layer), m_controller(&controller),
      m_model(&model) {
  m_proxy = new QSortFilterProxyModel(this);
  m_proxy->setSourceModel(m_model);
  m_proxy->setSortRole(ParticleTableModel::kSortRole);
  m_overlay = new ParticleOverlay(*m_layer, this);
  for (SliceView* v : slices) m_overlay->attach(v);
  if (view3D) m_surfaces = new ParticleSurfaces(*m_layer, *view3D, this);
  m_plots = new StatisticsPlots(*m_layer, *m_model);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->addWidget(createParameters());
  splitter->addWidget(createTablePane());
  splitter->addWidget(m_plots);
  splitter->setStretchFactor(1, 3);
  splitter->setStretchFactor(2, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(splitter);

  connect(m_controller, &AnalysisController::started, this, [this] {
    m_status->setText(tr("Analysing\u2026"));
    updateButtons();
  });
  connect(m_controller, &AnalysisController::completed, this, [this](int n) {
    const auto& st = m_layer->segmentationStats();
    m_status->setText(tr("%n particle(s); solid threshold %1 (%2)", nullptr, n)
                          .arg(st.solidThreshold, 0, 'g', 5)
                          .arg(QString::fromStdString(st.thresholdMethod)));
    updateButtons();
  });
  connect(m_controller, &AnalysisController::cancelled, this, [this] {
    m_status->setText(tr("Analysis cancelled"));
    updateButtons();
  });
  connect(m_controller, &AnalysisController::failed, this, [this](const QString& message) {
    m_status->setText(tr("Analysis failed"));
    report(tr("Particle analysis"), message);
    updateButtons();
  });
  connect(&m_jobs, &JobRunner::stateChanged, this, &StatisticsPanel::updateButtons);
  connect(&m_session, &Session::datasetChanged, this, &StatisticsPanel::updateButtons);
  // The depth bin follows the volume's depth (a 10 um bin on a 2.4 um volume is one dot).
  connect(&m_session, &Session::datasetChanged, this, &StatisticsPanel::defaultDepthBin);
  connect(m_depthAxis, qOverload<int>(&QComboBox::currentIndexChanged), this, &StatisticsPanel::defaultDepthBin);
  connect(m_layer, &ParticleLayer::undoStateChanged, this, [this] {
    updateButtons();
    if (m_layer->canUndo() || m_layer->canRedo())
      m_status->setText(tr("%n particle(s); re-measured in %1 s", nullptr, int(m_layer->table().rowCount()))
                            .arg(m_layer->lastMeasureSeconds(), 0, 'f', 2));
  });
  connect(m_layer, &ParticleLayer::tableChanged, this, [this] {
    updateColumnChoices();
    updateButtons();
    if (m_layer->selected()) selectParticle(m_layer->selected());
  });
  updateColumnChoices();
  updateButtons();
}

StatisticsPanel::~StatisticsPanel() = default;

QWidget* StatisticsPanel::createParameters() {
  auto* box = new QGroupBox(tr("Particle analysis"));
  auto* form = new QFormLayout(box);
  m_source = new QComboBox;
  m_source->addItem(tr("Prediction (display threshold)"), int(CrackSource::Prediction));
  m_source->addItem(tr("Labels (crack class)"), int(CrackSource::Labels));
  m_source->addItem(tr("No cracks"), int(CrackSource::None));
  form->addRow(tr("Cracks"), m_source);
  m_autoThreshold = new QCheckBox(tr("Automatic"));
  m_autoThreshold->setChecked(true);
  m_threshold = new QDoubleSpinBox;
  m_threshold->setRange(-1e9, 1e9);
  m_threshold->setDecimals(3);
  m_threshold->setEnabled(false);
  connect(m_autoThreshold, &QCheckBox::toggled, m_threshold, [this](bool on) { m_threshold->setEnabled(!on); });
  auto* thr = new QHBoxLayout;
  thr->addWidget(m_autoThreshold);
  thr->addWidget(m_threshold, 1);
  form->addRow(tr("Solid threshold"), thr);
  m_minVolume = new QSpinBox;
  m_minVolume->setRange(1, 100000000);
  m_minVolume->setSuffix(tr(" voxels"));
  form->addRow(tr("Minimum volume"), m_minVolume);
  m_splitHeight = new QDoubleSpinBox;
  m_splitHeight->setRange(0.01, 0.99);
  m_splitHeight->setSingleStep(0.05);
  m_splitHeight->setToolTip(tr("Relative height a distance-map maximum needs to become its own particle; lower splits more"));
  form->addRow(tr("Split height"), m_splitHeight);
  m_contactRatio = new QDoubleSpinBox;
  m_contactRatio->setRange(0, 5);
  m_contactRatio->setSingleStep(0.1);
  m_contactRatio->setSpecialValueText(tr("off"));
  m_contactRatio->setToolTip(tr("Pieces of one particle are joined again where their contact is at least this many times "
                                "as wide as the smaller piece; lower keeps touching particles together, 0 turns it off"));
  form->addRow(tr("Contact ratio"), m_contactRatio);
  m_depthAxis = new QComboBox;
  m_depthAxis->addItems({tr("x"), tr("y"), tr("z")});
  m_depthSide = new QComboBox;
  m_depthSide->addItems({tr("from first slice"), tr("from last slice")});
  auto* depth = new QHBoxLayout;
  depth->addWidget(m_depthAxis);
  depth->addWidget(m_depthSide, 1);
  form->addRow(tr("Depth"), depth);
  m_binWidth = new QDoubleSpinBox;
  m_binWidth->setRange(0.001, 1e6);
  m_binWidth->setDecimals(3);
  m_binWidth->setSuffix(tr(" \u00b5m"));
  form->addRow(tr("Depth bin width"), m_binWidth);
  m_packing = new QDoubleSpinBox;
  m_packing->setRange(0.1, 10);
  m_packing->setSingleStep(0.1);
  m_packing->setSuffix(tr(" \u00d7 diameter"));
  form->addRow(tr("Packing radius"), m_packing);
  m_run = new QPushButton(tr("Run analysis"));
  m_cancel = new QPushButton(tr("Cancel"));
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_run);
  buttons->addWidget(m_cancel);
  form->addRow(buttons);
  m_status = new QLabel(tr("No analysis yet"));
  m_status->setWordWrap(true);
  form->addRow(m_status);
  m_overlayMode = new QComboBox;
  m_overlayMode->addItems({tr("Off"), tr("Outline of the selected"), tr("Colour all")});
  m_overlayMode->setCurrentIndex(int(ParticleOverlay::Mode::Colour));
  form->addRow(tr("In slices"), m_overlayMode);
  m_colourBy = new QComboBox;
  form->addRow(tr("3D colour by"), m_colourBy);
  connect(m_run, &QPushButton::clicked, this, [this] { runAnalysis(); });
  connect(m_cancel, &QPushButton::clicked, m_controller, &AnalysisController::cancel);
  connect(m_overlayMode, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this](int i) { m_overlay->setMode(ParticleOverlay::Mode(i)); });
  connect(m_colourBy, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    if (m_surfaces && i >= 0) m_surfaces->setColourColumn(m_colourBy->itemData(i).toInt());
  });
  setOptions({});
  return box;
}

QWidget* StatisticsPanel::createTablePane() {
  auto* pane = new QWidget;
  m_table = new QTableView;
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(0, Qt::AscendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_table->verticalHeader()->setVisible(false);
  m_table->verticalHeader()->setDefaultSectionSize(20);
  m_table->setAlternatingRowColors(true);
  connect(m_table, &QTableView::clicked, this, &StatisticsPanel::onRowActivated);
  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) onRowActivated(current);
          });
  m_merge = new QPushButton(tr("Merge"));
  m_merge->setToolTip(tr("Merge the two selected particles into the first"));
  m_split = new QPushButton(tr("Split"));
  m_split->setToolTip(tr("Cut the selected particle in two across its longest axis"));
  m_delete = new QPushButton(tr("Delete"));
  m_undo = new QPushButton(tr("Undo"));
  m_redo = new QPushButton(tr("Redo"));
  m_saveLabels = new QPushButton(tr("Save labels\u2026"));
  m_exportCsv = new QPushButton(tr("Export CSV\u2026"));
  auto* row = new FlowLayout; // wraps in a narrow dock instead of widening it
  for (QPushButton* b : {m_merge, m_split, m_delete, m_undo, m_redo, m_saveLabels, m_exportCsv}) row->addWidget(b);
  connect(m_merge, &QPushButton::clicked, this, [this] { mergeSelected(); });
  connect(m_split, &QPushButton::clicked, this, [this] { splitSelected(); });
  connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(); });
  connect(m_undo, &QPushButton::clicked, m_layer, &ParticleLayer::undo);
  connect(m_redo, &QPushButton::clicked, m_layer, &ParticleLayer::redo);
  connect(m_saveLabels, &QPushButton::clicked, this, [this] { saveLabels(); });
  connect(m_exportCsv, &QPushButton::clicked, this, [this] { exportCsv(); });
  auto* layout = new QVBoxLayout(pane);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_table, 1);
  layout->addLayout(row);
  return pane;
}

ca::AnalysisOptions StatisticsPanel::options() const {
  ca::AnalysisOptions o;
  if (!m_autoThreshold->isChecked()) o.segmentation.solidThreshold = m_threshold->value();
  o.segmentation.minVolume = m_minVolume->value();
  o.segmentation.splitHeight = m_splitHeight->value();
  o.segmentation.contactRatio = m_contactRatio->value();
  o.statistics.depthAxis = m_depthAxis->currentIndex();
  o.statistics.depthSide = m_depthSide->currentIndex() == 0 ? ca::DepthSide::First : ca::DepthSide::Last;
  o.statistics.packingRadiusFactor = m_packing->value();
  o.binWidthUm = m_binWidth->value();
  return o;
}

void StatisticsPanel::setOptions(const ca::AnalysisOptions& o) {
  m_autoThreshold->setChecked(!o.segmentation.solidThreshold.has_value());
  if (o.segmentation.solidThreshold) m_threshold->setValue(*o.segmentation.solidThreshold);
  m_minVolume->setValue(int(std::min<std::int64_t>(o.segmentation.minVolume, 100000000)));
  m_splitHeight->setValue(o.segmentation.splitHeight);
  m_contactRatio->setValue(o.segmentation.contactRatio);
  m_depthAxis->setCurrentIndex(o.statistics.depthAxis);
  m_depthSide->setCurrentIndex(o.statistics.depthSide == ca::DepthSide::First ? 0 : 1);
  m_packing->setValue(o.statistics.packingRadiusFactor);
  m_binWidth->setValue(o.binWidthUm);
}

void StatisticsPanel::defaultDepthBin() {
  if (!m_session.hasImage()) return;
  const int axis = m_depthAxis->currentIndex();
  const auto& image = m_session.image();
  const double extent = double(axis == 0 ? image.size().x : axis == 1 ? image.size().y : image.size().z) *
                        (axis == 0 ? image.spacing().x : axis == 1 ? image.spacing().y : image.spacing().z);
  m_binWidth->setValue(ca::defaultDepthBinUm(extent));
}

CrackSource StatisticsPanel::crackSource() const { return CrackSource(m_source->currentData().toInt()); }

void StatisticsPanel::setCrackSource(CrackSource source) { m_source->setCurrentIndex(m_source->findData(int(source))); }

bool StatisticsPanel::runAnalysis() { return m_controller->run(options(), crackSource()); }

void StatisticsPanel::onRowActivated(const QModelIndex& proxyIndex) {
  const QModelIndex source = m_proxy->mapToSource(proxyIndex);
  const uint id = m_model->data(source, ParticleTableModel::kIdRole).toUInt();
  if (id == 0) return;
  m_layer->setSelected(id);
  core::volume::Index3 voxel;
  if (m_layer->centroidVoxel(id, voxel)) m_cursor.setPosition(voxel);
}

void StatisticsPanel::selectParticle(std::uint32_t id) {
  const std::int64_t row = m_layer->rowOf(id);
  if (row < 0) return;
  const QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(int(row), 0));
  {
    const QSignalBlocker block(m_table->selectionModel());
    m_table->selectionModel()->setCurrentIndex(proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  }
  m_table->scrollTo(proxyIndex);
  onRowActivated(proxyIndex);
}

std::vector<std::uint32_t> StatisticsPanel::selectedIds() const {
  std::vector<std::uint32_t> ids;
  for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) {
    const uint id = m_model->data(m_proxy->mapToSource(i), ParticleTableModel::kIdRole).toUInt();
    if (id) ids.push_back(id);
  }
  return ids;
}

bool StatisticsPanel::mergeSelected() {
  const auto ids = selectedIds();
  if (ids.size() != 2) {
    report(tr("Merge particles"), tr("Select exactly two particles in the table (Ctrl+click) to merge them."));
    return false;
  }
  const std::uint32_t kept = std::min(ids[0], ids[1]), absorbed = std::max(ids[0], ids[1]);
  if (!m_layer->mergeParticles(kept, absorbed)) return false;
  selectParticle(kept);
  return true;
}

bool StatisticsPanel::splitSelected() {
  const auto ids = selectedIds();
  if (ids.size() != 1) {
    report(tr("Split particle"), tr("Select one particle in the table to split it."));
    return false;
  }
  const std::uint32_t added = m_layer->splitParticle(ids[0]);
  if (added == 0) return false;
  selectParticle(ids[0]);
  return true;
}

bool StatisticsPanel::deleteSelected() {
  const auto ids = selectedIds();
  if (ids.empty()) return false;
  bool any = false;
  for (std::uint32_t id : ids) any = m_layer->deleteParticle(id) || any;
  return any;
}

bool StatisticsPanel::saveLabels(QString path) {
  if (path.isEmpty())
    path = QFileDialog::getSaveFileName(this, tr("Save particle labels"), QStringLiteral("particles.nrrd"),
                                        tr("NRRD (*.nrrd *.nhdr);;All files (*)"));
  if (path.isEmpty()) return false;
  try {
    m_layer->saveLabels(path);
    m_status->setText(tr("Saved particle labels to %1").arg(path));
    return true;
  } catch (const std::exception& e) {
    report(tr("Cannot save"), tr("Cannot save %1:\n%2").arg(path, QString::fromStdString(e.what())));
    return false;
  }
}

bool StatisticsPanel::exportCsv(QString path) {
  if (path.isEmpty())
    path = QFileDialog::getSaveFileName(this, tr("Export particle table"), QStringLiteral("particles.csv"),
                                        tr("CSV (*.csv)"));
  if (path.isEmpty()) return false;
  try {
    m_layer->exportCsv(path);
    m_status->setText(tr("Exported %1 and %2").arg(path, ParticleLayer::depthProfilePath(path)));
    return true;
  } catch (const std::exception& e) {
    report(tr("Cannot export"), tr("Cannot write %1:\n%2").arg(path, QString::fromStdString(e.what())));
    return false;
  }
}

void StatisticsPanel::setColourColumn(int column) {
  const int i = m_colourBy->findData(column);
  if (i >= 0) m_colourBy->setCurrentIndex(i);
}

void StatisticsPanel::updateColumnChoices() {
  const int current = m_colourBy->currentIndex() >= 0 ? m_colourBy->currentData().toInt() : -1;
  const QSignalBlocker block(m_colourBy);
  m_colourBy->clear();
  m_colourBy->addItem(tr("Particle id (distinct colours)"), -1);
  for (int c = 0; c < m_layer->table().columnCount(); ++c) m_colourBy->addItem(m_model->columnTitle(c), c);
  if (m_growthChoice) m_colourBy->addItem(tr("Crack growth (A to B)"), ParticleSurfaces::kValuesColumn);
  const int i = m_colourBy->findData(current);
  m_colourBy->setCurrentIndex(i >= 0 ? i : 0);
  if (m_surfaces && m_colourBy->currentData().toInt() != current) m_surfaces->setColourColumn(m_colourBy->currentData().toInt());
}

void StatisticsPanel::setGrowthColourChoice(bool available) {
  if (available == m_growthChoice) return;
  m_growthChoice = available;
  updateColumnChoices();
}

void StatisticsPanel::updateButtons() {
  const bool running = m_controller->isRunning() || m_layer->isMeasuring();
  const bool has = !m_layer->isEmpty();
  m_run->setEnabled(!m_jobs.isBusy() && m_session.hasImage());
  m_cancel->setEnabled(running);
  for (QPushButton* b : {m_merge, m_split, m_delete, m_saveLabels, m_exportCsv}) b->setEnabled(has && !running);
  m_undo->setEnabled(m_layer->canUndo() && !running);
  m_redo->setEnabled(m_layer->canRedo() && !running);
  m_undo->setToolTip(m_layer->undoText());
  m_redo->setToolTip(m_layer->redoText());
}

void StatisticsPanel::report(const QString& title, const QString& message) { Q_EMIT errorReported(title, message); }

} // namespace ui
