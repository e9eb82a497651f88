#include "app/studio/bench/StatisticsScreenshot.h"

#include "core/phantom/Phantom.h"
#include "ui/MainWindow.h"
#include "app/studio/bench/RunEvents.h"
#include "ui/controllers/AnalysisController.h"
#include "ui/io/LoadController.h"
#include "ui/io/LoadRequest.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/views/ParticleOverlay.h"

#include <QDockWidget>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <cstdio>

namespace ui {

namespace {
constexpr int kTimeoutMs = 300000; // a hung load or analysis ends the run with an error
int fail(const char* what) {
  std::fprintf(stderr, "cdnet-studio: --screenshot-statistics: %s\n", what);
  return 1;
}
} // namespace

int saveStatisticsScreenshot(const QString& file) {
  MainWindow window;
  window.setErrorDialogsEnabled(false);
  window.resize(1280, 900);
  window.show();
  // This picture is about the Statistics panel: docked at the bottom (a tab at first start), where
  // parameters, table and plots stand side by side.
  if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("statisticsDock"))) {
    window.addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->show();
    window.resizeDocks({dock}, {440}, Qt::Vertical); // the whole parameter column without scrolling
  }

  core::phantom::PhantomOptions po;
  po.size = {96, 96, 96};
  po.seed = 3;
  po.particleRadiusMin = 7;
  po.particleRadiusMax = 15;
  LoadRequest request = LoadRequest::demo(po.size);
  request.phantom = po;
  bool loaded = false;
  QObject::connect(&window.loader(), &LoadController::loaded, &window, [&] { loaded = true; });
  if (!window.loader().load(request)) return fail("the phantom did not start loading");
  if (!runEventsUntil([&] { return loaded && !window.isBusy(); }, kTimeoutMs)) return fail("the phantom did not load");
  window.display().setPredictionVisible(false);

  StatisticsPanel* panel = window.statisticsPanel();
  auto options = panel->options();
  options.segmentation.minVolume = 300;
  options.binWidthUm = 0.5;
  panel->setOptions(options);
  panel->setCrackSource(CrackSource::Prediction);
  bool analysed = false;
  QObject::connect(&panel->controller(), &AnalysisController::completed, &window, [&] { analysed = true; });
  if (!panel->runAnalysis()) return fail("the analysis did not start");
  if (!runEventsUntil([&] { return analysed && !window.isBusy(); }, kTimeoutMs)) return fail("the analysis did not finish");

  // The largest particle that does not touch the border, selected as a click on its row does.
  const auto& table = panel->layer().table();
  const int diameter = table.indexOf("eq_diameter"), border = table.indexOf("border"), idColumn = table.indexOf("id");
  std::uint32_t id = 0;
  double largest = -1;
  for (std::int64_t r = 0; r < table.rowCount(); ++r)
    if (table.value(r, border) == 0 && table.value(r, diameter) > largest) {
      largest = table.value(r, diameter);
      id = std::uint32_t(table.value(r, idColumn));
    }
  if (id == 0) return fail("no particle away from the border");
  panel->tableView()->sortByColumn(idColumn, Qt::AscendingOrder);
  panel->selectParticle(id);
  panel->overlay().setMode(ParticleOverlay::Mode::Colour);
  runEventsUntil([&] { return !window.isBusy(); }, kTimeoutMs);
  runEventsFor(1000);
  if (!window.grab().save(file)) {
    std::fprintf(stderr, "cdnet-studio: cannot write %s\n", qPrintable(file));
    return 1;
  }
  std::printf("cdnet-studio: saved %s (particle %u selected of %lld)\n", qPrintable(file), id,
              static_cast<long long>(table.rowCount()));
  return 0;
}

} // namespace ui
