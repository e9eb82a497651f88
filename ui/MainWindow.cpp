#include "ui/MainWindow.h"

#include "core/jobs/Warning.h"
#include "ui/Studio.h"
#include "ui/io/AtomicSave.h"
#include "ui/io/LoadController.h"
#include "ui/io/PyramidOffer.h"
#include "ui/io/RecentFiles.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/panels/DisplayPanel.h"
#include "ui/panels/EvolutionPanel.h"
#include "ui/panels/JobProgressWidget.h"
#include "ui/panels/LazyPredictionPanel.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/panels/ToolsPanel.h"
#include "ui/panels/TrainingPanel.h"
#include "ui/panels/VoxelStatus.h"
#include "ui/panels/WheelGuard.h"
#include "ui/controllers/LazyAnalysisController.h"
#include "ui/controllers/LazyPredictionController.h"
#include "ui/controllers/UnsavedLabels.h"
#include "ui/controllers/ProjectController.h"
#include "ui/tools/LabelEditor.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/ViewFrame.h"
#include "ui/views/ViewLayout.h"
#include "ui/views/VolumeView3D.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>

#include <algorithm>
#include <cstdio>

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("CDNet Studio"));
  setAcceptDrops(true);
  WheelGuard::installOnApplication(); // the wheel over a panel scrolls it, never changes a value
  m_studio = new Studio(this); // first: every widget below refers to its objects
  m_session = &m_studio->session();
  m_cursor = &m_studio->cursor();
  m_display = &m_studio->display();
  m_jobs = &m_studio->jobs();
  m_loader = &m_studio->loader();
  m_openFlow = new OpenFlow(*m_loader, this);
  m_pyramids = new PyramidOffer(*m_jobs, this);
  m_openFlow->setPyramidOffer(m_pyramids);
  m_recent = new RecentFiles(this);
  // The window presets the display before any view draws the new dataset.
  connect(m_session, &Session::datasetChanged, this, &MainWindow::onDatasetChanged);
  createViews();
  createPanels();
  createStatusBar();
  createActions();
  m_labelEditor = new LabelEditor(*m_session, *m_cursor, *m_display, {m_slices.begin(), m_slices.end()}, *this);
  m_labelEditor->setSparseLayer(&m_lazy->labels()); // labels of a volume opened lazily (issue 16)
  m_studio->training().setLazyLabels(&m_lazy->labels());
  createToolsDock();
  addPanelToggles();
  m_projects = new ProjectController(*m_studio, *this);
  m_projects->setOtherUnsavedWork([this] { return UnsavedLabels::maybeSave(m_lazy->labels(), this); });
  connect(m_loader, &LoadController::loaded, this, &MainWindow::onLoaded);
  connect(m_loader, &LoadController::failed, this, [this](const QString& name, const QString& message) {
    reportError(tr("Cannot open"), tr("Cannot open %1:\n%2").arg(name, message));
  });
  connect(m_loader, &LoadController::cancelled, this,
          [this](const QString& name) { statusBar()->showMessage(tr("Opening %1 cancelled").arg(name), 5000); });
  // Warnings from core (a volume's NaN spacing replaced by 1, a damaged best.pt passed over) show
  // in the status bar; they may come from a worker thread.
  m_previousWarningHandler = core::jobs::setWarningHandler([this](const std::string& message) {
    std::fprintf(stderr, "cdnet-studio: warning: %s\n", message.c_str());
    const QString text = QString::fromStdString(message);
    QMetaObject::invokeMethod(
        this,
        [this, text] {
          m_warnings << text;
          statusBar()->showMessage(tr("Warning: %1").arg(text), 15000);
        },
        Qt::QueuedConnection);
  });
  resize(1280, 800);
  const QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  fitToScreen();
}

MainWindow::~MainWindow() {
  m_lazy->close(); // while the cursor and session it signals still live (its own destructor runs after them)
  core::jobs::setWarningHandler(std::move(m_previousWarningHandler));
}

void MainWindow::createViews() {
  std::array<ViewFrame*, 4> frames{};
  for (int i = 0; i < 3; ++i) {
    auto* view = new SliceView(SliceOrientation(i), *m_session, *m_cursor, *m_display);
    m_slices[std::size_t(i)] = view;
    frames[std::size_t(i)] = new ViewFrame(view, *m_cursor);
    connect(view, &SliceView::hovered, this, &MainWindow::showVoxel);
  }
  m_view3D = new VolumeView3D(*m_session, *m_cursor, *m_display, *m_jobs);
  frames[3] = new ViewFrame(m_view3D);
  m_lazy = new LazyBrowser({m_slices.begin(), m_slices.end()}, *m_session, *m_cursor, *m_display, m_studio->chunkCache(), this);
  connect(m_lazy, &LazyBrowser::loadingChanged, this, [this](qulonglong n) {
    if (n > 0) statusBar()->showMessage(tr("Loading %n block(s)\u2026", "", int(std::min<qulonglong>(n, 1u << 30))));
    else if (m_lazy->failure().isEmpty()) statusBar()->showMessage(tr("All visible blocks loaded"), 2000);
    else showDamagedBlock(m_lazy->failure());
  });
  connect(m_lazy, &LazyBrowser::blockFailed, this, &MainWindow::showDamagedBlock);
  connect(m_pyramids, &PyramidOffer::pyramidReady, this, [this](const QString& pyramid, const QString& source) {
    if (!UnsavedLabels::maybeSave(m_lazy->labels(), this)) return;
    try {
      m_lazy->open(pyramid.toStdString());
      statusBar()->showMessage(tr("Showing %1 from its pyramid %2 as it loads").arg(QFileInfo(source).fileName(), pyramid), 8000);
    } catch (const std::exception& e) {
      reportError(tr("Cannot open %1").arg(pyramid), QString::fromStdString(e.what()));
    }
  });
  connect(m_pyramids, &PyramidOffer::pyramidFailed, this, [this](const QString& message) {
    statusBar()->showMessage(message, 15000);
  });
  connect(m_lazy, &LazyBrowser::openChanged, m_view3D, [this](bool open) {
    m_view3D->showLazy(open ? m_lazy->sharedVolume() : nullptr);
  });
  m_layout = new ViewLayout(frames, this);
  setCentralWidget(m_layout);
}

void MainWindow::createPanels() {
  m_displayPanel = new DisplayPanel(*m_session, *m_display);
  auto* dock = new QDockWidget(tr("Display"), this);
  dock->setObjectName(QStringLiteral("displayDock"));
  dock->setWidget(new PanelScrollArea(m_displayPanel));
  addDockWidget(Qt::RightDockWidgetArea, dock);
  auto* training = new TrainingDock(*m_session, *m_cursor, m_studio->training(), m_studio->prediction(), this);
  m_trainingDock = training;
  addDockWidget(Qt::RightDockWidgetArea, training);
  tabifyDockWidget(dock, training);
  // Issue 16: prediction of the volume opened lazily, a section of Train and predict shown
  // while one is open.
  auto* lazyPrediction = new LazyPredictionController(*m_lazy, *m_cursor, m_studio->prediction(), *m_jobs, this);
  auto* lazyPanel = new LazyPredictionPanel(*m_lazy, *lazyPrediction, m_studio->prediction());
  connect(lazyPanel, &LazyPredictionPanel::errorReported, this, &MainWindow::reportError);
  auto* lazyAnalysis = new LazyAnalysisController(*m_jobs, m_studio->particles(), this);
  lazyPanel->setAnalysis(lazyAnalysis,
                         [this] { return m_statisticsPanel->options(); }, [this] { return m_display->predictionThreshold(); });
  auto* lazySection = new CollapsibleSection(tr("Big volume (opened lazily)"), lazyPanel);
  lazySection->setObjectName(QStringLiteral("bigVolumeSection"));
  lazySection->hide();
  training->addSection(lazySection);
  connect(m_lazy, &LazyBrowser::openChanged, lazySection, [lazySection, training](bool open) {
    lazySection->setVisible(open);
    if (open) training->raise();
  });
  dock->raise();
  m_statisticsPanel = new StatisticsPanel(*m_session, *m_cursor, *m_jobs, m_studio->particles(), m_studio->analysis(),
                                          m_studio->particleTable(), {m_slices.begin(), m_slices.end()}, m_view3D);
  connect(m_statisticsPanel, &StatisticsPanel::errorReported, this, &MainWindow::reportError);
  lazyAnalysis->showLabels(*m_lazy, *m_cursor, {m_slices.begin(), m_slices.end()}, &m_statisticsPanel->overlay());
  m_evolutionPanel = new EvolutionPanel(m_studio->evolution(), *m_statisticsPanel, {m_slices.begin(), m_slices.end()}, *m_cursor);
  connect(m_evolutionPanel, &EvolutionPanel::errorReported, this, &MainWindow::reportError);
  auto* statsDock = new QDockWidget(tr("Statistics"), this);
  statsDock->setObjectName(QStringLiteral("statisticsDock"));
  statsDock->setWidget(new PanelScrollArea(m_statisticsPanel));
  // A tab beside the others at first start (it never widens the window); parameters, table and
  // plots stand side by side when docked at the top or bottom, one above the other at a side.
  addDockWidget(Qt::RightDockWidgetArea, statsDock);
  tabifyDockWidget(training, statsDock);
  auto* splitter = m_statisticsPanel->findChild<QSplitter*>();
  splitter->addWidget(m_evolutionPanel);
  auto orient = [splitter](Qt::DockWidgetArea area) {
    const bool wide = area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea;
    splitter->setOrientation(wide ? Qt::Horizontal : Qt::Vertical);
    // One above the other, the table (with its wrapped buttons) and the plot keep a usable
    // height and the dock scrolls; side by side they take the dock's height.
    splitter->widget(1)->setMinimumHeight(wide ? 0 : 280);
    splitter->widget(2)->setMinimumHeight(wide ? 0 : 320);
  };
  connect(statsDock, &QDockWidget::dockLocationChanged, splitter, orient);
  orient(Qt::RightDockWidgetArea);
}

void MainWindow::createToolsDock() {
  // The title keeps the translation context it had when the LabelEditor made this dock.
  auto* dock = new QDockWidget(QCoreApplication::translate("ui::LabelEditor", "Tools"), this);
  dock->setObjectName(QStringLiteral("toolsDock"));
  auto* panel = new ToolsPanel(*m_session, *m_display, m_labelEditor->settings(), m_labelEditor->actions());
  dock->setWidget(new PanelScrollArea(panel));
  // A tab beside the Display panel keeps the views large on small screens.
  if (auto* display = findChild<QDockWidget*>(QStringLiteral("displayDock"))) {
    tabifyDockWidget(display, dock);
    dock->raise();
  } else {
    addDockWidget(Qt::RightDockWidgetArea, dock);
  }
}

void MainWindow::addPanelToggles() {
  // After every dock exists (the Tools dock comes with the LabelEditor): one entry per panel.
  for (QDockWidget* dock : findChildren<QDockWidget*>()) m_viewMenu->insertAction(m_panelsEnd, dock->toggleViewAction());
}

void MainWindow::fitToScreen() {
  // A geometry saved on a larger screen (or with a wider panel) must not open off screen.
  const QScreen* s = screen();
  if (!s) return;
  const QRect avail = s->availableGeometry();
  const QSize frame = frameGeometry().size() - geometry().size(); // title bar and borders (none without a WM)
  const QSize fit = size().boundedTo(avail.size() - frame).expandedTo(minimumSizeHint().boundedTo(avail.size() - frame));
  if (fit != size()) resize(fit);
  QRect g = frameGeometry();
  g.moveLeft(std::clamp(g.left(), avail.left(), std::max(avail.left(), avail.right() + 1 - g.width())));
  g.moveTop(std::clamp(g.top(), avail.top(), std::max(avail.top(), avail.bottom() + 1 - g.height())));
  if (g.topLeft() != frameGeometry().topLeft()) move(g.topLeft());
}

void MainWindow::createStatusBar() {
  m_datasetLabel = new QLabel(tr("No volume"));
  m_voxelLabel = new QLabel;
  m_voxelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusBar()->addWidget(m_voxelLabel, 1);
  statusBar()->addPermanentWidget(new JobProgressWidget(*m_jobs));
  statusBar()->addPermanentWidget(m_datasetLabel);
  connect(m_cursor, &CursorModel::positionChanged, this,
          [this](const core::volume::Index3& p) { showVoxel(p, false); });
}

bool MainWindow::openPath(const QString& path, OpenFlow::Ask ask) {
  if (m_jobs->isBusy()) {
    reportError(tr("Busy"), tr("Cannot open %1 now: %2 is still running.").arg(path, m_jobs->title()));
    return false;
  }
  if (!m_projects->maybeSave()) return false;
  return m_openFlow->open(path, ask);
}

bool MainWindow::openDemo(core::volume::Size3 size) {
  if (m_jobs->isBusy() || !m_projects->maybeSave()) return false;
  return m_loader->load(LoadRequest::demo(size));
}

bool MainWindow::isBusy() const { return m_jobs->isBusy() || m_view3D->isBusy(); }

void MainWindow::onDatasetChanged() {
  if (m_session->hasImage()) {
    m_displayPanel->applyWindowPreset();
    m_display->setSurfaceSource(m_session->prediction() ? SurfaceSource::Prediction : SurfaceSource::Labels);
  }
  const QString name = m_session->hasImage() ? QFileInfo(m_session->name()).fileName() : QString();
  setWindowTitle(name.isEmpty() ? tr("CDNet Studio") : tr("%1 \u2014 CDNet Studio").arg(name));
  m_datasetLabel->setText(m_session->hasImage() ? m_session->description() : tr("No volume"));
}

void MainWindow::onLoaded(const QString& name) {
  if (QFileInfo::exists(name)) m_recent->add(name);
  // Warnings of the load (they came first) stay in the message instead of being replaced.
  if (m_warnings.isEmpty()) statusBar()->showMessage(tr("Opened %1").arg(name), 4000);
  else statusBar()->showMessage(tr("Opened %1. Warning: %2").arg(name, m_warnings.join(QStringLiteral(" "))), 15000);
  m_warnings.clear();
}

void MainWindow::reportError(const QString& title, const QString& message) {
  Q_EMIT errorReported(title, message);
  if (!m_errorDialogs) return;
  auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open(); // window-modal, does not block the event loop
}

void MainWindow::showDamagedBlock(const QString& message) {
  statusBar()->showMessage(tr("Part of the volume could not be read and is shown hatched: %1").arg(message));
}

void MainWindow::showVoxel(const core::volume::Index3& voxel, bool inside) {
  m_voxelLabel->setText(describeVoxel(*m_session, inside ? voxel : m_cursor->position()));
}

TrainingSettings MainWindow::trainingSettings() const { return m_trainingDock->trainingPanel()->settings(); }

void MainWindow::setTrainingSettings(const TrainingSettings& settings) {
  m_trainingDock->trainingPanel()->setSettings(settings);
}

CrackSource MainWindow::crackSource() const { return m_statisticsPanel->crackSource(); }

void MainWindow::showAnalysisOptions(const core::analysis::AnalysisOptions& options, CrackSource source) {
  m_statisticsPanel->setOptions(options);
  m_statisticsPanel->setCrackSource(source);
}

void MainWindow::setLeftButtonMode(LeftButtonMode mode) {
  for (auto* v : m_slices) v->setLeftButtonMode(mode);
}

bool MainWindow::saveScreenshot(const QString& path) {
  // grab() paints every child, QOpenGLWidgets through their framebuffers.
  return savePixmapAtomically(grab(), path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() && event->mimeData()->urls().first().isLocalFile())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.isEmpty()) return;
  event->acceptProposedAction();
  openPath(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!m_projects->maybeSave()) {
    event->ignore();
    return;
  }
  m_projects->endSession();
  QSettings().setValue("window/geometry", saveGeometry());
  if (m_jobs->isBusy()) {
    m_jobs->cancel();
    m_jobs->wait();
  }
  QMainWindow::closeEvent(event);
}

} // namespace ui
