// MainWindow's menus and tool bar. Every action calls a controller, a view or a model.
#include "ui/MainWindow.h"

#include "ui/Studio.h"
#include "ui/controllers/EvolutionController.h"
#include "ui/controllers/UnsavedLabels.h"
#include "ui/help/AboutText.h"
#include "ui/help/KeyHelp.h"
#include "ui/io/CacheBudgetDialog.h"
#include "ui/io/RecentFiles.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/DisplaySettings.h"
#include "ui/panels/EvolutionPanel.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/ViewLayout.h"
#include "ui/views/VolumeView3D.h"

#include <QActionGroup>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace ui {

namespace {
const char* const kVolumeFilter = QT_TRANSLATE_NOOP("ui::MainWindow",
    "Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)");
} // namespace

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open\u2026"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open volume"), QString(), tr(kVolumeFilter));
    if (!path.isEmpty()) openPath(path);
  });
  open->setShortcut(QKeySequence::Open);
  open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
  file->addAction(tr("Open &folder of TIFF slices\u2026"), this, [this] {
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open a folder of slices"));
    if (!path.isEmpty()) openPath(path);
  });
  file->addAction(tr("Open with &crop and downsample\u2026"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open volume"), QString(), tr(kVolumeFilter));
    if (!path.isEmpty()) openPath(path, OpenFlow::Ask::Always);
  });
  const auto openLazily = [this](const QString& path) {
    if (path.isEmpty() || !UnsavedLabels::maybeSave(m_lazy->labels(), this)) return;
    try {
      m_lazy->open(path.toStdString());
      statusBar()->showMessage(tr("Showing %1 as it loads; labels are saved next to it (Ctrl+Alt+S)").arg(QFileInfo(path).fileName()), 4000);
    } catch (const std::exception& e) {
      reportError(tr("Cannot open %1").arg(path), QString::fromStdString(e.what()));
    }
  };
  file->addAction(tr("Open OME-Zarr &lazily (larger than memory)\u2026"), this, [this, openLazily] {
    openLazily(QFileDialog::getExistingDirectory(this, tr("Open an OME-Zarr folder lazily")));
  });
  // Issue 16: a chunked HDF5 file (with its "<dataset>_levels" pyramid) reads lazily too.
  file->addAction(tr("Open &HDF5 lazily (larger than memory)\u2026"), this, [this, openLazily] {
    openLazily(QFileDialog::getOpenFileName(this, tr("Open an HDF5 file lazily"), QString(),
                                            tr("HDF5 files (*.h5 *.hdf5 *.hdf *.nxs)")));
  });
  m_recentMenu = file->addMenu(tr("Open &recent"));
  connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  QAction* demo = file->addAction(tr("Open &demo phantom"), this, [this] { openDemo(); });
  demo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
  demo->setIcon(style()->standardIcon(QStyle::SP_ComputerIcon));
  // Issue 19: scan B of the same sample as a second time point of the open image.
  file->addAction(tr("Open &second time point\u2026"), this, [this] { m_evolutionPanel->openSecondTimePoint(); });
  file->addSeparator();
  file->addAction(tr("Save &screenshot\u2026"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"), QStringLiteral("cdnet-studio.png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty() && !saveScreenshot(path)) reportError(tr("Cannot save"), tr("Cannot write %1").arg(path));
  });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* reset = view->addAction(tr("&Reset all views"), this, [this] {
    for (auto* v : m_slices) v->resetView();
    m_view3D->resetCamera();
  });
  reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  reset->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
  view->addSeparator();
  const QString names[4] = {tr("XY"), tr("XZ"), tr("YZ"), tr("3D")};
  for (int i = 0; i < 4; ++i) {
    QAction* a = view->addAction(tr("Maximise %1").arg(names[i]), this, [this, i] { m_layout->toggle(i); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i))); // F1 is Help
  }
  QAction* four = view->addAction(tr("Four views"), this, [this] { m_layout->restore(); });
  four->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  view->addAction(tr("&Memory for big volumes\u2026"), this, [this] {
    CacheBudgetDialog dialog(*m_studio->chunkCache(), this);
    dialog.exec();
  });
  view->addSeparator();
  // Show or hide each panel: the docks' own toggle actions (translated titles) go before this
  // separator once every dock exists (addPanelToggles).
  m_viewMenu = view;
  m_panelsEnd = view->addSeparator();
  QAction* crosshair = view->addAction(tr("Show &crosshair"));
  crosshair->setCheckable(true);
  crosshair->setChecked(m_display->crosshairVisible());
  crosshair->setShortcut(QKeySequence(Qt::Key_C));
  connect(crosshair, &QAction::toggled, m_display, &DisplaySettings::setCrosshairVisible);
  QAction* labels = view->addAction(tr("Show &labels"));
  labels->setCheckable(true);
  labels->setChecked(m_display->labelsVisible());
  labels->setShortcut(QKeySequence(Qt::Key_L));
  connect(labels, &QAction::toggled, m_display, &DisplaySettings::setLabelsVisible);
  connect(m_display, &DisplaySettings::overlayChanged, labels, [this, labels] { labels->setChecked(m_display->labelsVisible()); });
  QAction* prediction = view->addAction(tr("Show &prediction"));
  prediction->setCheckable(true);
  prediction->setChecked(m_display->predictionVisible());
  prediction->setShortcut(QKeySequence(Qt::Key_P));
  connect(prediction, &QAction::toggled, m_display, &DisplaySettings::setPredictionVisible);
  connect(m_display, &DisplaySettings::overlayChanged, prediction,
          [this, prediction] { prediction->setChecked(m_display->predictionVisible()); });
  QAction* timePointB = view->addAction(tr("Show &time point B"));
  timePointB->setCheckable(true);
  timePointB->setEnabled(false);
  timePointB->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  EvolutionController& evolution = m_studio->evolution();
  connect(timePointB, &QAction::toggled, &evolution, &EvolutionController::showTimePoint);
  connect(&evolution, &EvolutionController::timePointChanged, timePointB, &QAction::setChecked);
  connect(&evolution, &EvolutionController::resultChanged, timePointB,
          [timePointB, &evolution] { timePointB->setEnabled(evolution.hasResult()); });
  view->addSeparator();
  m_modeGroup = new QActionGroup(this);
  QAction* crosshairMode = view->addAction(tr("Left button: crosshair"));
  QAction* wlMode = view->addAction(tr("Left button: window/level"));
  crosshairMode->setShortcut(QKeySequence(Qt::Key_X));
  wlMode->setShortcut(QKeySequence(Qt::Key_W));
  for (QAction* a : {crosshairMode, wlMode}) {
    a->setCheckable(true);
    m_modeGroup->addAction(a);
  }
  crosshairMode->setChecked(true);
  connect(crosshairMode, &QAction::triggered, this, [this] { setLeftButtonMode(LeftButtonMode::Crosshair); });
  connect(wlMode, &QAction::triggered, this, [this] { setLeftButtonMode(LeftButtonMode::WindowLevel); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  // Listed from the actions themselves (KeyHelp), so the help cannot drift from the bindings.
  help->addAction(tr("&Mouse and keys"), this, [this] { showMouseAndKeys(*this); })->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About CDNet Studio"), this, [this] { showAboutDialog(this); });

  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addAction(open);
  bar->addAction(demo);
  bar->addSeparator();
  crosshairMode->setText(tr("Crosshair"));
  wlMode->setText(tr("Window/level"));
  bar->addAction(crosshairMode);
  bar->addAction(wlMode);
  bar->addSeparator();
  bar->addAction(reset);
  bar->addAction(four);
}

void MainWindow::rebuildRecentMenu() {
  m_recentMenu->clear();
  const QStringList paths = m_recent->paths();
  for (const QString& p : paths) {
    QAction* a = m_recentMenu->addAction(QFileInfo(p).fileName(), this, [this, p] { openPath(p); });
    a->setToolTip(p);
    a->setStatusTip(p);
  }
  if (paths.isEmpty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
  else {
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear the list"), m_recent, &RecentFiles::clear);
  }
}

} // namespace ui
