// The Statistics panel in the window under Xvfb: the analysis of a small phantom (its ground-truth
// cracks as the prediction layer) run from the panel on the worker, the particle table (count
// against the truth, sorting, a click centres the cursor and outlines the particle in the XY
// view), a histogram, CSV and label export, merge/delete/split with undo, coloured 3D particles.
#include "core/analysis/Csv.h"
#include "core/analysis/Evaluation.h"
#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/io/LoadController.h"
#include "ui/io/LoadRequest.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/model/Session.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/panels/StatisticsPlots.h"
#include "ui/views/ParticleOverlay.h"
#include "ui/views/ParticleSurfaces.h"
#include "ui/views/SliceView.h"
#include "ui/views/VolumeView3D.h"

#include <QChart>
#include <QChartView>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <set>

namespace {

// The simple preset: the panel's accuracy check uses issue 8's targets, set on the simple phantom.
// On the realistic preset the same analysis merges 17 of 74 particles (one-to-one 23): reported to
// the lead as issue 14 item 6's work, not hidden here.
core::phantom::PhantomOptions phantomOptions() {
  core::phantom::PhantomOptions o = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
  o.size = {96, 96, 96};
  o.seed = 3;
  o.particleRadiusMin = 7;
  o.particleRadiusMax = 15;
  return o;
}
constexpr std::int64_t kMinVolume = 300;

bool waitIdle(ui::MainWindow& w, int ms = 60000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) {
    QTest::qWait(50);
    if (!w.isBusy()) return true;
  }
  return false;
}

/// Hue buckets (30 degrees) holding at least \p minPixels saturated pixels.
int hueBuckets(const QImage& img, int minPixels) {
  std::array<int, 12> n{};
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      if (c.hsvSaturationF() > 0.45 && c.valueF() > 0.25 && c.hsvHue() >= 0) ++n[std::size_t(c.hsvHue() / 30)];
    }
  int buckets = 0;
  for (int v : n) buckets += v >= minPixels;
  return buckets;
}

std::vector<std::uint32_t> labelsCopy(const ui::ParticleLayer& layer) {
  const auto& l = layer.labels();
  const auto* p = l.as<std::uint32_t>();
  return {p, p + l.voxelCount()};
}

} // namespace

class TestStatisticsPanel : public QObject {
  Q_OBJECT
  ui::MainWindow* m_w = nullptr;
  ui::StatisticsPanel* m_panel = nullptr;
  QImage m_3dBefore;

  int column(const char* name) const { return m_panel->layer().table().indexOf(name); }
  std::int64_t rows() const { return m_panel->layer().table().rowCount(); }

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_statistics_panel");
    m_w = new ui::MainWindow;
    m_w->setErrorDialogsEnabled(false);
    m_w->resize(1280, 900);
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w));
    m_panel = m_w->statisticsPanel();
    QVERIFY(m_panel);
    ui::LoadRequest r = ui::LoadRequest::demo(phantomOptions().size);
    r.phantom = phantomOptions();
    QSignalSpy loaded(&m_w->loader(), &ui::LoadController::loaded);
    QVERIFY(m_w->loader().load(r));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QVERIFY(waitIdle(*m_w));
    QVERIFY(m_w->session().prediction());
    m_w->display().setPredictionVisible(false);
    m_3dBefore = m_w->view3D()->grabFramebuffer();
  }

  void cleanupTestCase() { delete m_w; }

  void analysisFromThePanelMatchesTheTruth() {
    auto o = m_panel->options();
    o.segmentation.minVolume = kMinVolume;
    o.binWidthUm = 0.5;
    m_panel->setOptions(o);
    m_panel->setCrackSource(ui::CrackSource::Prediction);
    QSignalSpy done(&m_panel->controller(), &ui::AnalysisController::completed);
    QSignalSpy progress(&m_w->jobs(), &ui::JobRunner::progressed);
    QVERIFY(m_panel->runAnalysis());
    QVERIFY(m_w->jobs().isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 80000);
    QVERIFY(progress.count() > 0);
    QVERIFY(waitIdle(*m_w));
    // Truth: the same phantom generated again.
    const auto ph = core::phantom::generatePhantom(phantomOptions());
    std::vector<core::analysis::TruthParticle> truth;
    for (const auto& p : ph.truth) truth.push_back({p.id, p.crackFraction()});
    const auto& layer = m_panel->layer();
    const auto a = core::analysis::compareToTruth(layer.labels(), layer.table(), ph.particles, truth, kMinVolume);
    const QString msg = QString("truth %1, table rows %2, one-to-one %3, splits %4, merges %5")
                            .arg(a.truthCount).arg(m_panel->proxy()->rowCount()).arg(a.oneToOne).arg(a.splitTruth)
                            .arg(a.merges);
    qInfo("%s", qPrintable(msg));
    QVERIFY2(a.truthCount >= 20, qPrintable(msg));
    QCOMPARE(std::int64_t(m_panel->proxy()->rowCount()), rows());
    QVERIFY2(std::abs(double(rows() - a.truthCount)) <= 0.05 * double(a.truthCount), qPrintable(msg));
    QVERIFY2(a.oneToOneFraction >= 0.9, qPrintable(msg)); // the count is not splits and merges cancelling out
    // Headers carry units.
    const int vol = column("filled_volume");
    QCOMPARE(m_panel->proxy()->headerData(vol, Qt::Horizontal).toString(), QString::fromUtf8("Filled volume (µm³)"));
  }

  void sortingOrdersTheRows() {
    const int c = column("eq_diameter");
    QVERIFY(c >= 0);
    auto* p = m_panel->proxy();
    m_panel->tableView()->sortByColumn(c, Qt::DescendingOrder);
    for (int r = 1; r < p->rowCount(); ++r)
      QVERIFY(p->index(r - 1, c).data(ui::ParticleTableModel::kSortRole).toDouble() >=
              p->index(r, c).data(ui::ParticleTableModel::kSortRole).toDouble());
    const double largest = p->index(0, c).data(ui::ParticleTableModel::kSortRole).toDouble();
    m_panel->tableView()->sortByColumn(c, Qt::AscendingOrder);
    for (int r = 1; r < p->rowCount(); ++r)
      QVERIFY(p->index(r - 1, c).data(ui::ParticleTableModel::kSortRole).toDouble() <=
              p->index(r, c).data(ui::ParticleTableModel::kSortRole).toDouble());
    QVERIFY(p->index(0, c).data(ui::ParticleTableModel::kSortRole).toDouble() < largest);
    m_panel->tableView()->sortByColumn(c, Qt::DescendingOrder);
  }

  void clickingARowCentresAndOutlines() {
    auto* view = m_panel->tableView();
    auto* p = m_panel->proxy();
    // The largest particle that does not touch the border (rows sorted by size, descending).
    int row = 0;
    const int border = column("border");
    while (row < p->rowCount() && p->index(row, border).data(ui::ParticleTableModel::kSortRole).toDouble() > 0) ++row;
    QVERIFY(row < p->rowCount());
    const QModelIndex index = p->index(row, 1);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(index).center());
    const auto id = std::uint32_t(p->index(row, column("id")).data(ui::ParticleTableModel::kSortRole).toDouble());
    QCOMPARE(m_panel->layer().selected(), id);
    // The cursor is at the centroid (micrometres -> nearest voxel).
    const auto& t = m_panel->layer().table();
    const std::int64_t tr = m_panel->layer().rowOf(id);
    const auto& sp = m_w->session().image().spacing();
    const core::volume::Index3 expected{std::lround(t.value(tr, column("centroid_x")) / sp.x),
                                        std::lround(t.value(tr, column("centroid_y")) / sp.y),
                                        std::lround(t.value(tr, column("centroid_z")) / sp.z)};
    QCOMPARE(m_w->cursor().position(), expected);
    // The XY view shows the outline colour exactly at the particle's boundary pixels.
    m_panel->overlay().setMode(ui::ParticleOverlay::Mode::Outline);
    auto* xy = m_w->sliceView(ui::SliceOrientation::XY);
    QCOMPARE(xy->slice(), expected.z);
    const QImage img = xy->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    const auto& labels = m_panel->layer().labels();
    const qreal dpr = xy->devicePixelRatioF();
    auto idAt = [&](int x, int y) -> std::uint32_t {
      core::volume::Index3 v;
      if (!xy->voxelAt(QPointF((x + 0.5) / dpr, (y + 0.5) / dpr), v)) return 0;
      return labels.as<std::uint32_t>()[labels.index(v.x, v.y, v.z)];
    };
    int outline = 0, wrong = 0, missing = 0;
    for (int y = 1; y < img.height() - 1; ++y)
      for (int x = 1; x < img.width() - 1; ++x) {
        const bool magenta = (img.pixel(x, y) & 0xffffff) == ui::ParticleOverlay::kOutlineRgb;
        const bool inside = idAt(x, y) == id;
        const bool edge = inside && (idAt(x - 1, y) != id || idAt(x + 1, y) != id || idAt(x, y - 1) != id || idAt(x, y + 1) != id);
        outline += magenta;
        wrong += magenta && !edge;
        // Boundary pixels under the crosshair lines are covered by it.
        const QPointF c = xy->widgetPosition(m_w->cursor().position()) * dpr;
        if (edge && !magenta && x != int(std::floor(c.x())) && y != int(std::floor(c.y()))) ++missing;
      }
    qInfo("outline pixels %d, off the boundary %d, boundary pixels not outlined %d", outline, wrong, missing);
    QVERIFY(outline > 20);
    QCOMPARE(wrong, 0);
    QVERIFY(missing <= outline / 20 + 2); // text boxes may cover a few
    m_panel->overlay().setMode(ui::ParticleOverlay::Mode::Colour);
  }

  void histogramCountsEveryParticle() {
    QTemporaryDir dir;
    auto* plots = m_panel->plots();
    plots->showPlot(ui::StatisticsPlots::Kind::Histogram, column("eq_diameter"));
    std::int64_t total = 0;
    for (auto c : plots->histogram().counts) total += c;
    QCOMPARE(total, rows());
    QCOMPARE(plots->pointCount(), 20);
    QVERIFY(plots->save(dir.filePath("h.png")));
    QVERIFY(!QImage(dir.filePath("h.png")).isNull());
    QVERIFY(plots->save(dir.filePath("h.svg")));
    QFile svg(dir.filePath("h.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    plots->showPlot(ui::StatisticsPlots::Kind::Scatter, column("eq_diameter"), column("crack_fraction"));
    QCOMPARE(std::int64_t(plots->pointCount()), rows());
    plots->showPlot(ui::StatisticsPlots::Kind::DepthProfile);
    QVERIFY(plots->pointCount() >= 5); // 4.8 um deep in 0.5 um bins
  }

  void tableAndPlotsReadWell() {
    // Table: one number of decimals per column (whole-number columns none).
    const auto& t = m_panel->layer().table();
    auto& model = m_panel->model();
    int realColumns = 0;
    for (int c = 0; c < t.columnCount(); ++c) {
      std::set<int> decimals;
      for (int r = 0; r < model.rowCount(); ++r) {
        const QString text = model.data(model.index(r, c)).toString();
        if (text.isEmpty()) continue;
        const int dot = text.indexOf(QLatin1Char('.'));
        decimals.insert(dot < 0 ? 0 : int(text.size() - dot - 1));
      }
      QVERIFY2(decimals.size() <= 1, qPrintable(model.columnTitle(c)));
      if (t.column(c).kind == core::analysis::ColumnKind::Real) ++realColumns;
      else QVERIFY2(decimals.empty() || *decimals.begin() == 0, qPrintable(model.columnTitle(c)));
    }
    QVERIFY(realColumns > 5);
    // Histogram: the count axis ticks at whole numbers and prints them without decimals; the
    // bars fit inside both axes.
    auto* plots = m_panel->plots();
    plots->showPlot(ui::StatisticsPlots::Kind::Histogram, column("eq_diameter"));
    QChart* chart = plots->chartView()->chart();
    auto* counts = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    auto* x = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    QVERIFY(counts && x);
    QCOMPARE(counts->labelFormat(), QStringLiteral("%d"));
    QCOMPARE(counts->tickType(), QValueAxis::TicksDynamic);
    QVERIFY(counts->tickInterval() >= 1 && counts->tickInterval() == std::floor(counts->tickInterval()));
    std::int64_t top = 0;
    for (auto c : plots->histogram().counts) top = std::max<std::int64_t>(top, c);
    QVERIFY(counts->min() <= 0 && counts->max() >= double(top));
    QVERIFY(x->min() <= plots->histogram().edges.front() && x->max() >= plots->histogram().edges.back());
    // Scatter: every point inside the axes.
    plots->showPlot(ui::StatisticsPlots::Kind::Scatter, column("eq_diameter"), column("crack_fraction"));
    auto* sx = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    auto* sy = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(sx && sy);
    for (std::int64_t r = 0; r < t.rowCount(); ++r) {
      const double vx = t.value(r, column("eq_diameter")), vy = t.value(r, column("crack_fraction"));
      QVERIFY(vx >= sx->min() && vx <= sx->max() && vy >= sy->min() && vy <= sy->max());
    }
    // The canvas follows the palette (light here; test_studio_layout checks the dark theme).
    const QImage img = plots->chartView()->grab().toImage();
    QVERIFY(!img.isNull());
    const QColor corner = img.pixelColor(3, img.height() - 3);
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    QVERIFY2(dark ? corner.lightness() < 90 : corner.lightness() > 160, qPrintable(corner.name()));
  }

  void exportsCsvAndLabels() {
    QTemporaryDir dir;
    const QString csv = dir.filePath("particles.csv");
    QVERIFY(m_panel->exportCsv(csv));
    const auto data = core::analysis::readCsv(csv.toStdString());
    QCOMPARE(std::int64_t(data.rows.size()), rows());
    QVERIFY(data.indexOf("filled_volume_um3") >= 0);
    const auto profile = core::analysis::readCsv(ui::ParticleLayer::depthProfilePath(csv).toStdString());
    QCOMPARE(std::int64_t(profile.rows.size()), m_panel->layer().depthProfile().rowCount());
    const QString nrrd = dir.filePath("particles.nrrd");
    QVERIFY(m_panel->saveLabels(nrrd));
    const auto back = core::volume::readVolume(nrrd.toStdString());
    QCOMPARE(back.size(), m_panel->layer().labels().size());
    QVERIFY(std::memcmp(back.data(), m_panel->layer().labels().data(), back.bytes()) == 0);
    // An unwritable place: an error naming the file, nothing crashes.
    QSignalSpy errors(m_w, &ui::MainWindow::errorReported);
    QVERIFY(!m_panel->exportCsv(dir.filePath("missing/dir/x.csv")));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.at(0).at(1).toString().contains("x.csv"));
  }

  void mergeUndoRedo() {
    auto* p = m_panel->proxy();
    const std::int64_t before = rows();
    const auto voxels = labelsCopy(m_panel->layer());
    const int idc = column("id");
    const int nn = column("nn_id");
    // A particle and its nearest neighbour.
    const auto a = std::uint32_t(p->index(0, idc).data(ui::ParticleTableModel::kSortRole).toDouble());
    const auto b = std::uint32_t(p->index(0, nn).data(ui::ParticleTableModel::kSortRole).toDouble());
    QVERIFY(a && b && a != b);
    auto* sel = m_panel->tableView()->selectionModel();
    sel->clearSelection();
    for (std::uint32_t id : {a, b}) {
      const auto src = m_panel->model().index(int(m_panel->layer().rowOf(id)), 0);
      sel->select(p->mapFromSource(src), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    QVERIFY(m_panel->mergeSelected());
    QCOMPARE(rows(), before - 1);
    QCOMPARE(p->rowCount(), int(before - 1));
    qInfo("re-measured %lld particles of 96^3 in %.3f s", static_cast<long long>(rows()), m_panel->layer().lastMeasureSeconds());
    QVERIFY(m_panel->layer().rowOf(std::max(a, b)) < 0);
    QVERIFY(m_panel->layer().canUndo());
    m_panel->layer().undo();
    QCOMPARE(rows(), before);
    QVERIFY(labelsCopy(m_panel->layer()) == voxels);
    m_panel->layer().redo();
    QCOMPARE(rows(), before - 1);
    m_panel->layer().undo();
    QVERIFY(labelsCopy(m_panel->layer()) == voxels);
  }

  void remeasureOnTheWorker() {
    // Forced onto the worker (as for volumes of 16 M voxels and more): the table follows.
    auto& layer = m_panel->layer();
    layer.setJobRunner(&m_w->jobs(), 0);
    const std::int64_t before = rows();
    const auto id = std::uint32_t(m_panel->proxy()->index(0, column("id")).data(ui::ParticleTableModel::kSortRole).toDouble());
    QSignalSpy table(&layer, &ui::ParticleLayer::tableChanged);
    QVERIFY(layer.deleteParticle(id));
    QVERIFY(layer.isMeasuring());
    QVERIFY(!layer.canUndo());
    QVERIFY(!layer.deleteParticle(std::uint32_t(m_panel->proxy()->index(1, column("id")).data(ui::ParticleTableModel::kSortRole).toDouble())));
    QTRY_COMPARE_WITH_TIMEOUT(table.count(), 1, 30000);
    QVERIFY(!layer.isMeasuring());
    QCOMPARE(rows(), before - 1);
    QCOMPARE(m_panel->proxy()->rowCount(), int(before - 1));
    layer.undo();
    QTRY_COMPARE_WITH_TIMEOUT(table.count(), 2, 30000);
    QCOMPARE(rows(), before);
    layer.setJobRunner(&m_w->jobs());
    QVERIFY(waitIdle(*m_w));
  }

  void deleteAndSplit() {
    const std::int64_t before = rows();
    const auto voxels = labelsCopy(m_panel->layer());
    auto* p = m_panel->proxy();
    const auto id = std::uint32_t(p->index(0, column("id")).data(ui::ParticleTableModel::kSortRole).toDouble());
    m_panel->selectParticle(id);
    QCOMPARE(m_panel->selectedIds(), std::vector<std::uint32_t>{id});
    QVERIFY(m_panel->deleteSelected());
    QCOMPARE(rows(), before - 1);
    QVERIFY(m_panel->layer().boundingBox(id).empty());
    m_panel->layer().undo();
    QCOMPARE(rows(), before);
    QVERIFY(labelsCopy(m_panel->layer()) == voxels);
    m_panel->selectParticle(id);
    QVERIFY(m_panel->splitSelected());
    QCOMPARE(rows(), before + 1);
    m_panel->layer().undo();
    QVERIFY(labelsCopy(m_panel->layer()) == voxels);
  }

  void cancelKeepsTheTable() {
    const std::int64_t before = rows();
    const auto voxels = labelsCopy(m_panel->layer());
    QSignalSpy cancelled(&m_panel->controller(), &ui::AnalysisController::cancelled);
    QSignalSpy completed(&m_panel->controller(), &ui::AnalysisController::completed);
    QVERIFY(m_panel->runAnalysis());
    QVERIFY(!m_panel->runAnalysis()); // one job at a time: refused with a message
    m_panel->controller().cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
    QCOMPARE(completed.count(), 0);
    QVERIFY(waitIdle(*m_w));
    QCOMPARE(rows(), before);
    QVERIFY(labelsCopy(m_panel->layer()) == voxels);
    // No prediction layer: a clear message, nothing starts.
    QSignalSpy failed(&m_panel->controller(), &ui::AnalysisController::failed);
    m_panel->setCrackSource(ui::CrackSource::Labels);
    auto o = m_panel->options();
    o.segmentation.solidThreshold = 1e9; // no solid voxel: the core's error reaches the panel
    m_panel->setOptions(o);
    QSignalSpy errors(m_w, &ui::MainWindow::errorReported);
    QVERIFY(m_panel->runAnalysis());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    QVERIFY2(failed.at(0).at(0).toString().contains("solid"), qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(rows(), before);
    o.segmentation.solidThreshold.reset();
    m_panel->setOptions(o);
    m_panel->setCrackSource(ui::CrackSource::Prediction);
  }

  void particlesColouredIn3D() {
    auto* s = m_panel->surfaces();
    QVERIFY(s && s->hasSurface());
    QVERIFY(s->triangleCount() > 100);
    m_w->display().setVolumeRenderingVisible(false);
    m_panel->setColourColumn(column("eq_diameter"));
    QVERIFY(waitIdle(*m_w));
    const QImage img = m_w->view3D()->grabFramebuffer();
    int changed = 0;
    for (int y = 0; y < img.height(); ++y)
      for (int x = 0; x < img.width(); ++x) changed += img.pixel(x, y) != m_3dBefore.pixel(x, y);
    const int hues = hueBuckets(img, 30);
    qInfo("3D: %d pixels changed, %d hues (before: %d)", changed, hues, hueBuckets(m_3dBefore, 30));
    QVERIFY(changed > img.width() * img.height() / 20);
    QVERIFY(hues >= 2);
    QVERIFY(hues > hueBuckets(m_3dBefore, 30));
    if (qEnvironmentVariableIsSet("CDNET_STATS_SCREENSHOT")) {
      m_panel->plots()->showPlot(ui::StatisticsPlots::Kind::Scatter, column("eq_diameter"), column("crack_fraction"));
      m_panel->selectParticle(m_panel->layer().selected() ? m_panel->layer().selected() : 1);
      QTest::qWait(300);
      QVERIFY(m_w->saveScreenshot(qEnvironmentVariable("CDNET_STATS_SCREENSHOT")));
    }
  }
};

QTEST_MAIN(TestStatisticsPanel)
#include "test_statistics_panel.moc"
