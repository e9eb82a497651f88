// Issue 19 in the studio: a second time point. An aged phantom pair (core's generator, as
// test_analysis_evolution uses) with A open in the window and B opened from NRRD files through
// the Statistics panel's "Open second time point": the job finishes with progress, the panel
// reports the registration and that B was segmented with A's particles as markers, and its
// per-particle table is `cdnet evolve`'s CSV for the same files (the same matched pairs, fracture
// calls and values), Ctrl+T flips the slice views to B on A's grid and back (pixels change and come
// back), the 3D particles coloured by growth take several colours, both charts have a point per
// matched particle, the CSV carries the CLI's comments, and an unrelated B or a missing crack
// volume gives a clear error. Side by side: A and B in two views at once, the cursor voxel showing
// the material that the phantom's known motion puts there in B, a click in B's view moving both.
#include "tests/app/AnalyzeCsvCompare.h"
#include "tests/core/analysis/EvolutionPair.h"
#include "tests/support/RunCdnet.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/analysis/Evolution.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/Studio.h"
#include "ui/Theme.h"
#include "ui/controllers/EvolutionController.h"
#include "ui/controllers/ProjectController.h"
#include "ui/io/LoadController.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/Session.h"
#include "ui/panels/EvolutionPanel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/views/ParticleSurfaces.h"
#include "ui/model/CursorModel.h"
#include "ui/views/SliceView.h"
#include "ui/views/TimePointPairView.h"

#include <QAbstractButton>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QScatterSeries>
#include <QScrollArea>
#include <QSplitter>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

namespace {

namespace vol = core::volume;

bool waitIdle(ui::MainWindow& w, int ms = 120000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) {
    QTest::qWait(50);
    if (!w.isBusy()) return true;
  }
  return false;
}

/// Points of the chart's scatter series.
int scatterPoints(QChart* chart) {
  int n = 0;
  for (QAbstractSeries* s : chart->series())
    if (auto* sc = qobject_cast<QScatterSeries*>(s)) n += sc->count();
  return n;
}

vol::Volume scaled255(const vol::Volume& mask) {
  vol::Volume p(mask.size(), vol::VoxelType::UInt8, mask.spacing(), mask.origin());
  const auto* m = mask.as<std::uint8_t>();
  auto* q = p.as<std::uint8_t>();
  for (std::int64_t i = 0; i < mask.voxelCount(); ++i) q[i] = m[i] ? 255 : 0;
  return p;
}

} // namespace

class TestStudioEvolution : public QObject {
  Q_OBJECT
  ui::MainWindow* m_w = nullptr;
  ui::EvolutionPanel* m_panel = nullptr;
  QTemporaryDir m_dir;
  QString m_imageB, m_cracksB, m_unrelatedB, m_cracksA, m_cliCsv;
  std::int64_t m_expectedMatched = -1; ///< cdnet evolve's "N particles of A matched" (inside B's field)
  std::int64_t m_matchedRows = -1;     ///< rows of its CSV with matched = 1 (also those mostly outside B)
  core::phantom::AgedPhantom m_pair;

  ui::EvolutionController& controller() const { return m_panel->controller(); }

private Q_SLOTS:
  void initTestCase() {
    if (!qEnvironmentVariableIsEmpty("CDNET_EVOLUTION_SCREENSHOT")) ui::applyStudioTheme(*qApp); // the README's look
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_evolution");
    QVERIFY(m_dir.isValid());
    m_pair = testevo::makePair(96, 5, 150);
    const core::phantom::AgedPhantom& pair = m_pair;
    m_imageB = m_dir.filePath("b-image.nrrd");
    m_cracksB = m_dir.filePath("b-cracks.nrrd");
    vol::writeVolume(pair.scan.image, m_imageB.toStdString());
    vol::writeVolume(pair.scan.cracks, m_cracksB.toStdString());
    m_unrelatedB = m_dir.filePath("unrelated.nrrd");
    vol::writeVolume(testevo::makePair(64, 41, 0).scan.image, m_unrelatedB.toStdString());

    m_w = new ui::MainWindow;
    m_w->setErrorDialogsEnabled(false);
    m_w->resize(1280, 800);
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w));
    m_panel = m_w->evolutionPanel();
    QVERIFY(m_panel);
    // Scan A opened from its file, with its true cracks as the prediction layer (the crack source).
    const QString imageA = m_dir.filePath("a-image.nrrd");
    vol::writeVolume(pair.first.image, imageA.toStdString());
    QSignalSpy loaded(&m_w->loader(), &ui::LoadController::loaded);
    QVERIFY(m_w->openPath(imageA));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QVERIFY(waitIdle(*m_w));
    m_w->session().setPrediction(scaled255(pair.first.cracks));
    m_w->statisticsPanel()->setCrackSource(ui::CrackSource::Prediction);

    // What `cdnet evolve` finds from the same files (A's cracks: the prediction at the display
    // threshold is the true mask, written as A's crack volume). The studio must give its table.
    m_cracksA = m_dir.filePath("a-cracks.nrrd");
    vol::writeVolume(pair.first.cracks, m_cracksA.toStdString());
    m_cliCsv = m_dir.filePath("cli-evolve.csv");
    const auto cli = testsupport::runCdnet({"evolve", "--a", imageA, "--b", m_imageB, "--cracks-a", m_cracksA, "--cracks-b",
                                            m_cracksB, "--out-csv", m_cliCsv},
                                           {}, 240000);
    QVERIFY2(cli.code == 0, qPrintable(cli.err));
    const auto table = core::analysis::readCsv(m_cliCsv.toStdString());
    const int matched = table.indexOf("matched");
    QVERIFY(matched >= 0);
    m_matchedRows = 0;
    for (const auto& row : table.rows) m_matchedRows += row[std::size_t(matched)] == 1;
    const auto summary = QRegularExpression(QStringLiteral("(\\d+) particles of A matched")).match(cli.out);
    QVERIFY2(summary.hasMatch(), qPrintable(cli.out));
    m_expectedMatched = summary.captured(1).toLongLong();
    QVERIFY2(m_expectedMatched >= 10 && m_expectedMatched <= m_matchedRows, qPrintable(cli.out));
    QVERIFY2(cli.out.contains("with A's particles as markers"), qPrintable(cli.out));
  }

  void cleanupTestCase() { delete m_w; }

  void missingCrackVolumeIsAClearError() {
    QSignalSpy failed(&controller(), &ui::EvolutionController::failed);
    m_panel->cracksB()->clear();
    QVERIFY(!m_panel->openSecondTimePoint(m_imageB));
    QCOMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains("No crack volume for scan B") && message.contains("b-image.nrrd"), qPrintable(message));
    QVERIFY(!controller().isRunning() && !m_w->jobs().isBusy()); // nothing started
  }

  void secondTimePointMatchesCdnetEvolve() {
    m_panel->cracksB()->setText(m_cracksB);
    QSignalSpy done(&controller(), &ui::EvolutionController::completed);
    QSignalSpy analysisDone(&m_w->statisticsPanel()->controller(), &ui::AnalysisController::completed);
    QSignalSpy progress(&m_w->jobs(), &ui::JobRunner::progressed);
    QVERIFY(m_panel->openSecondTimePoint(m_imageB));
    QVERIFY(m_w->jobs().isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 180000);
    QVERIFY(waitIdle(*m_w));
    QVERIFY(progress.count() > 0);
    QVERIFY(controller().hasResult());
    QCOMPARE(controller().matchedCount(), m_expectedMatched);
    const QString status = m_panel->status()->text();
    qInfo("%s", qPrintable(status));
    QVERIFY2(status.contains(QString("%1 of ").arg(m_expectedMatched)) && status.contains("normalised correlation") &&
                 status.contains("rotation"),
             qPrintable(status));
    // The user is told which segmentation of B was used.
    QVERIFY2(controller().particlesB() > 0 &&
                 status.contains(QString("B segmented with A's particles as markers (%1 particles)").arg(controller().particlesB())),
             qPrintable(status));
    // The studio's per-particle table is `cdnet evolve`'s: the same particles of A, the same
    // particles of B matched with them, the same fracture calls and values.
    const core::analysis::Table& t = controller().result().result.particles;
    const auto cli = core::analysis::readCsv(m_cliCsv.toStdString());
    QCOMPARE(std::int64_t(cli.rows.size()), t.rowCount());
    int fractured = 0;
    for (const char* column : {"id_a", "id_b", "fragment_id_b", "matched", "fractured"}) {
      const int cs = t.indexOf(column), cc = cli.indexOf(column);
      QVERIFY2(cs >= 0 && cc >= 0, column);
      for (std::int64_t r = 0; r < t.rowCount(); ++r) {
        const double c = cli.rows[std::size_t(r)][std::size_t(cc)], v = t.value(r, cs);
        QVERIFY2(std::isfinite(v) ? c == v : !std::isfinite(c),
                 qPrintable(QString("%1, row %2: studio %3, cdnet evolve %4").arg(column).arg(r).arg(v).arg(c)));
        if (std::string(column) == "fractured") fractured += v > 0;
      }
    }
    qInfo("studio and cdnet evolve: %lld matched, %d fractured", (long long)m_expectedMatched, fractured);
    QVERIFY(fractured >= 1); // the pair has fractured particles: the fracture calls are compared, not only zeros
    const QString studioCsv = m_dir.filePath("studio-evolve.csv");
    QVERIFY(m_panel->exportCsv(studioCsv));
    const QString diff = analyzetest::compareCsv(studioCsv.toStdString(), m_cliCsv.toStdString());
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    QFile f(studioCsv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(f.readAll()).contains("# labels_b: segmented by cdnet on B's grid with A's particles as markers"));
    // A was segmented in the same job: the layer holds the ids of the evolution table, and the
    // Statistics panel says so.
    QVERIFY(!m_w->statisticsPanel()->layer().isEmpty());
    QCOMPARE(analysisDone.count(), 1);
  }

  void ctrlTFlipsTheSlicesToBAndBack() {
    QVERIFY(controller().hasResult());
    auto* xy = m_w->sliceView(ui::SliceOrientation::XY);
    m_w->display().setPredictionVisible(false);
    QTest::qWait(100);
    const QImage a = xy->grabFramebuffer();
    m_w->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_w)); // shortcuts act in the active window
    xy->setFocus();
    QTest::keyClick(xy, Qt::Key_T, Qt::ControlModifier);
    QTRY_VERIFY(controller().showsB());
    QVERIFY(m_panel->timePointB()->isChecked());
    QVERIFY(xy->imageOverride() == &controller().imageB());
    const QImage b = xy->grabFramebuffer();
    QCOMPARE(b.size(), a.size());
    int changed = 0;
    for (int y = 0; y < a.height(); ++y)
      for (int x = 0; x < a.width(); ++x) changed += a.pixel(x, y) != b.pixel(x, y);
    QVERIFY2(changed > a.width() * a.height() / 50, qPrintable(QString::number(changed)));
    QTest::keyClick(xy, Qt::Key_T, Qt::ControlModifier);
    QTRY_VERIFY(!controller().showsB());
    QVERIFY(xy->imageOverride() == nullptr);
    QCOMPARE(xy->grabFramebuffer(), a);
    // The panel's switch flips as well.
    m_panel->timePointB()->click();
    QVERIFY(controller().showsB());
    m_panel->timePointA()->click();
    QVERIFY(!controller().showsB());
  }

  void sideBySideShowsAAndBAtTheCursorThroughTheTransform() {
    QVERIFY(controller().hasResult());
    QVERIFY(m_panel->sideBySideButton()->isEnabled());
    m_w->display().setPredictionVisible(false);
    m_w->display().setCrosshairVisible(false); // the pixels under the cursor are the image's
    m_panel->sideBySideButton()->setChecked(true);
    ui::TimePointPairView* pair = m_panel->sideBySide();
    QVERIFY(pair && pair->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(pair));
    QCOMPARE(pair->orientation(), ui::SliceOrientation::XY);
    ui::SliceView *va = pair->viewA(), *vb = pair->viewB();
    QVERIFY(va->imageOverride() == nullptr && vb->imageOverride() == &controller().imageB());

    // Grey classes: a voxel is "bright" or "dark" when it and its six neighbours are (so sub-voxel
    // registration error cannot change the class).
    const vol::Volume& a = m_pair.first.image;
    const vol::Volume& b = m_pair.scan.image;
    double mean = 0, m2 = 0;
    vol::dispatch(b.type(), [&](auto tag) {
      const auto* v = b.as<decltype(tag)>();
      for (std::int64_t i = 0; i < b.voxelCount(); ++i) mean += double(v[i]);
      mean /= double(b.voxelCount());
      for (std::int64_t i = 0; i < b.voxelCount(); ++i) m2 += (double(v[i]) - mean) * (double(v[i]) - mean);
    });
    const double sd = std::sqrt(m2 / double(b.voxelCount()));
    const int nb[7][3] = {{0, 0, 0}, {-1, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, 0}, {0, 0, -1}, {0, 0, 1}};
    auto classOf = [&](const vol::Volume& v, double x, double y, double z) { // 1 bright, -1 dark, 0 neither
      int c = 0;
      for (const auto& d : nb) {
        const std::int64_t xi = std::lround(x) + d[0], yi = std::lround(y) + d[1], zi = std::lround(z) + d[2];
        if (xi < 0 || yi < 0 || zi < 0 || xi >= v.size().x || yi >= v.size().y || zi >= v.size().z) return 0;
        const double g = v.valueAt(xi, yi, zi);
        const int k = g > mean + 0.25 * sd ? 1 : (g < mean - 0.25 * sd ? -1 : 0);
        if (k == 0 || (c != 0 && k != c)) return 0;
        c = k;
      }
      return c;
    };
    // On one slice (from the middle on): p, where A and B's material (through the phantom's known
    // motion) are bright but B's voxel of the same index is dark; q, the other way round. Without the transform the
    // right-hand view would show them the wrong way round.
    std::int64_t z = a.size().z / 2;
    vol::Index3 p{-1, -1, -1}, q{-1, -1, -1};
    for (; z < a.size().z - 6 && (p.x < 0 || q.x < 0); ++z) {
      p = q = {-1, -1, -1};
      for (std::int64_t y = 6; y < a.size().y - 6; ++y)
        for (std::int64_t x = 6; x < a.size().x - 6; ++x) {
          const vol::Vec3 m = m_pair.mapAToB({double(x), double(y), double(z)});
          const int through = classOf(b, m.x, m.y, m.z), same = classOf(b, double(x), double(y), double(z));
          if (p.x < 0 && through == 1 && same == -1 && classOf(a, double(x), double(y), double(z)) == 1) p = {x, y, z};
          if (q.x < 0 && through == -1 && same == 1 && classOf(a, double(x), double(y), double(z)) == -1) q = {x, y, z};
        }
    }
    z = p.z;
    QVERIFY2(p.x >= 0 && q.x >= 0, "the motion moves bright material onto dark and back");
    // The registration's map agrees with the known motion at p.
    const vol::Vec3 truth = m_pair.mapAToB({double(p.x), double(p.y), double(p.z)});
    m_w->cursor().setPosition(p);
    const vol::Vec3 mapped = controller().pointInB(p);
    QVERIFY2(std::hypot(mapped.x - truth.x, mapped.y - truth.y, mapped.z - truth.z) < 1.0, "registration maps the cursor as the motion");
    QVERIFY2(pair->cursorLabel()->text().contains(QString("B (%1, ").arg(mapped.x, 0, 'f', 1)), qPrintable(pair->cursorLabel()->text()));
    QCOMPARE(va->slice(), z);
    QCOMPARE(vb->slice(), z);
    // Both views have drawn the slice (a new window paints on its first exposes).
    auto drawn = [](ui::SliceView* v) {
      const QImage img = v->grabFramebuffer();
      const QPointF c = v->widgetPosition({0, 0, 0}) * v->devicePixelRatioF();
      return !img.isNull() && qGray(img.pixel(img.width() / 2, img.height() / 2)) > 0 && c.x() >= 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(drawn(va) && drawn(vb), 20000);
    const QImage ia = va->grabFramebuffer(), ib = vb->grabFramebuffer();
    auto grey = [](const QImage& img, ui::SliceView* v, const vol::Index3& voxel) {
      const QPointF w = v->widgetPosition(voxel) * v->devicePixelRatioF();
      return qGray(img.pixel(int(w.x()), int(w.y())));
    };
    const int bp = grey(ib, vb, p), bq = grey(ib, vb, q), ap = grey(ia, va, p), aq = grey(ia, va, q);
    qInfo("side by side: B view %d at p, %d at q; A view %d at p, %d at q", bp, bq, ap, aq);
    QVERIFY2(bp > bq + 40, "B's side shows B's material at the cursor through the transform");
    // A's side shows A: the same material, so bright at p and dark at q as well (the phantom's
    // ageing changes cracks only).
    QVERIFY2(ap > aq + 40, "A's side shows A");
    // A click on B's side moves the shared cursor (and so A's side and the main views).
    const QPointF at = vb->widgetPosition(q);
    QTest::mouseClick(vb, Qt::LeftButton, Qt::NoModifier, at.toPoint());
    QTRY_VERIFY(m_w->cursor().position().x == q.x && m_w->cursor().position().y == q.y);
    QCOMPARE(m_w->cursor().position().z, z);
    m_panel->sideBySideButton()->setChecked(false);
    QVERIFY(!pair->isVisible());
    m_w->display().setCrosshairVisible(true);
  }

  void growthColoursTheParticles() {
    auto* stats = m_w->statisticsPanel();
    ui::ParticleSurfaces* surfaces = stats->surfaces();
    QVERIFY(surfaces && surfaces->hasSurface());
    stats->setColourColumn(ui::ParticleSurfaces::kValuesColumn);
    QCOMPARE(surfaces->colourColumn(), ui::ParticleSurfaces::kValuesColumn);
    std::set<std::tuple<int, int, int>> colours;
    for (const auto& [id, growth] : controller().growthById()) {
      double rgb[3];
      if (!surfaces->colourOf(id, rgb)) continue;
      colours.insert({int(rgb[0] * 255), int(rgb[1] * 255), int(rgb[2] * 255)});
    }
    QVERIFY2(colours.size() >= 4, qPrintable(QString::number(colours.size())));
  }

  void chartsHaveAPointPerMatchedParticle() {
    // A point per matched row of the table (a particle mostly outside B's field included).
    QCOMPARE(std::int64_t(scatterPoints(m_panel->damageChart())), m_matchedRows);
    QCOMPARE(std::int64_t(scatterPoints(m_panel->growthChart())), m_matchedRows);
  }

  void cancelStopsTheJobAndKeepsTheResult() {
    QSignalSpy cancelled(&controller(), &ui::EvolutionController::cancelled);
    QVERIFY(m_panel->openSecondTimePoint(m_imageB));
    controller().cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
    QVERIFY(waitIdle(*m_w));
    QVERIFY(controller().hasResult());
    QCOMPARE(controller().matchedCount(), m_expectedMatched);
  }

  void csvHasTheCliComments() {
    const QString path = m_dir.filePath("evolution.csv");
    QVERIFY(m_panel->exportCsv(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(text.contains("# registration: rigid"));
    QVERIFY(text.contains("# source_b: " + m_imageB));
    QVERIFY(text.contains("id_a,id_b"));
    int rows = 0;
    for (const QString& line : text.split('\n'))
      if (!line.isEmpty() && line[0].isDigit()) ++rows;
    QCOMPARE(std::int64_t(rows), controller().result().result.particles.rowCount());
  }

  void screenshot() {
    const QByteArray out = qgetenv("CDNET_EVOLUTION_SCREENSHOT");
    if (out.isEmpty()) return;
    for (auto* dock : m_w->findChildren<QDockWidget*>())
      if (dock->objectName() == "statisticsDock") {
        dock->raise();
        m_w->resizeDocks({dock}, {760}, Qt::Horizontal);
      }
    m_w->display().setPredictionVisible(false);
    // The second time point's pane takes the dock (the others collapsed, as by dragging the handles).
    if (auto* splitter = m_w->statisticsPanel()->findChild<QSplitter*>()) splitter->setSizes({0, 0, 0, 10000});
    QTest::qWait(300);
    for (auto* area : m_w->findChildren<QScrollArea*>())
      if (area->isAncestorOf(m_panel)) area->ensureWidgetVisible(m_panel->status(), 0, 0);
    m_panel->timePointB()->click();
    QTest::qWait(500);
    QVERIFY(m_w->grab().save(QString::fromLocal8Bit(out)));
    QVERIFY(m_panel->grab().save(QString::fromLocal8Bit(out) + ".panel.png"));
    qInfo("panel %dx%d", m_panel->width(), m_panel->height());
    m_panel->timePointA()->click();
  }

  void projectKeepsTheSecondTimePoint() {
    const QString project = m_dir.filePath("study.cdnet");
    QVERIFY(m_w->projects().saveAs(project));
    QVERIFY(QFileInfo::exists(m_dir.filePath("study.evolution.csv")));
    const auto& saved = m_w->projects().project().evolution;
    QVERIFY(saved.has_value());
    QCOMPARE(QString::fromStdString(saved->imageBPath), m_imageB);
    QCOMPARE(saved->correlation, controller().result().registration.correlation);
    // Reopened: the comparison runs again from B and finds the same particles.
    m_w->projects().setUnsavedHandler([](const QString&) { return ui::UnsavedChoice::Discard; });
    QSignalSpy opened(&m_w->projects(), &ui::ProjectController::projectOpened);
    QSignalSpy done(&controller(), &ui::EvolutionController::completed);
    QVERIFY(m_w->projects().openProject(project));
    QVERIFY(opened.wait(60000));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 180000);
    QVERIFY(waitIdle(*m_w));
    QCOMPARE(controller().pathB(), m_imageB);
    QCOMPARE(controller().matchedCount(), m_expectedMatched);
    QCOMPARE(m_panel->cracksB()->text(), m_cracksB);
  }

  void unrelatedScanGivesTheQuality() {
    m_panel->cracksB()->setText(m_cracksB);
    m_w->statisticsPanel()->setCrackSource(ui::CrackSource::None);
    m_panel->cracksB()->clear();
    QSignalSpy failed(&controller(), &ui::EvolutionController::failed);
    QVERIFY(m_panel->openSecondTimePoint(m_unrelatedB));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 180000);
    const QString message = failed.at(0).at(0).toString();
    qInfo("%s", qPrintable(message));
    QVERIFY2(message.contains("do not register") && message.contains("normalised correlation") && message.contains("unrelated.nrrd"),
             qPrintable(message));
    QVERIFY(m_panel->status()->text().contains("normalised correlation"));
  }
};

QTEST_MAIN(TestStudioEvolution)
#include "test_studio_evolution.moc"
