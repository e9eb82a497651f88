// The window fits the screen (1280 x 800 under Xvfb) in English, German and Chinese with every
// panel shown; a saved geometry larger than the screen or off it is pulled back; the Train and
// predict panel shows its actions without scrolling; dock titles, the View menu, charts in the
// dark theme, axes, the status bar while painting, and the default project name.
#include "TestVolumes.h"
#include "core/labels/LabelConvention.h"
#include "ui/MainWindow.h"
#include "ui/Theme.h"
#include "ui/i18n/Translations.h"
#include "ui/io/ProjectName.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/panels/ChartStyle.h"
#include "ui/panels/PanelWidgets.h"
#include "ui/panels/PredictionPanel.h"
#include "ui/panels/StatisticsPanel.h"
#include "ui/panels/StatisticsPlots.h"
#include "ui/panels/TrainingCharts.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"
#include "ui/panels/VoxelStatus.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/SliceView.h"

#include <QAbstractButton>
#include <QChartView>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QToolButton>
#include <QTranslator>
#include <QValueAxis>
#include <QtTest>

#include <set>

namespace {

const QStringList kLanguages{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN")};

QRect available(const QWidget& w) { return w.screen()->availableGeometry(); }

/// The part of \p widget that lies outside its dock's scroll viewport (empty: fully visible).
QString clipping(const QWidget* widget, const QScrollArea* scroll) {
  const QRect r(widget->mapTo(scroll->viewport(), QPoint(0, 0)), widget->size());
  if (!widget->isVisible()) return QStringLiteral("hidden");
  if (!scroll->viewport()->rect().contains(r))
    return QStringLiteral("at (%1, %2) %3 x %4 outside the %5 x %6 viewport")
        .arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())
        .arg(scroll->viewport()->width()).arg(scroll->viewport()->height());
  if (widget->visibleRegion().isEmpty()) return QStringLiteral("covered");
  return {};
}

QScrollArea* scrollOf(QDockWidget* dock) { return qobject_cast<QScrollArea*>(dock->widget()); }

/// Translates two status-bar words to mark that they went through tr().
class MarkingTranslator : public QTranslator {
public:
  bool isEmpty() const override { return false; }
  QString translate(const char* context, const char* source, const char*, int) const override {
    if (qstrcmp(context, "ui::VoxelStatus") != 0) return {};
    if (qstrcmp(source, "value %1") == 0) return QStringLiteral("WERT %1");
    if (qstrcmp(source, "prediction %1") == 0) return QStringLiteral("VORHERSAGE %1");
    return {};
  }
};

} // namespace

class TestStudioLayout : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_layout");
    QSettings().clear(); // first start: no saved geometry
    ui::applyStudioTheme(*qApp);
  }

  void cleanup() { ui::installTranslations(QStringLiteral("en")); }

  void windowFitsTheScreenInEveryLanguage() {
    for (const QString& language : kLanguages) {
      ui::installTranslations(language);
      ui::MainWindow w;
      w.setErrorDialogsEnabled(false);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      const QRect screen = available(w);
      QVERIFY(screen.width() <= 1280);
      const auto docks = w.findChildren<QDockWidget*>();
      QCOMPARE(docks.size(), 4);
      // Every panel shown, at first in its tab; then Statistics at the bottom (where it widened
      // the window to 1466 pixels), then each panel in a side area of its own.
      for (QDockWidget* d : docks) d->show();
      QStringList widths;
      for (QDockWidget* d : docks) widths << QStringLiteral("%1 %2").arg(d->objectName()).arg(d->minimumSizeHint().width());
      qInfo("%s: minimum widths %s; window %d of %d", qPrintable(language), qPrintable(widths.join(", ")),
            w.minimumSizeHint().width(), screen.width());
      auto check = [&](const QString& when) {
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        const QString what = language + QStringLiteral(", ") + when;
        QVERIFY2(w.frameGeometry().width() <= screen.width(),
                 qPrintable(what + QStringLiteral(": window %1 wide").arg(w.frameGeometry().width())));
        QVERIFY2(w.minimumSizeHint().width() <= screen.width(),
                 qPrintable(what + QStringLiteral(": window needs %1").arg(w.minimumSizeHint().width())));
        // A panel wider than 3/8 of a 1280 px screen narrows every slice view (a long checkbox
        // text once took 54 px from each); the widest today is German Statistics at 440.
        for (QDockWidget* d : docks)
          QVERIFY2(d->minimumSizeHint().width() <= screen.width() * 3 / 8,
                   qPrintable(what + QStringLiteral(": %1 needs %2").arg(d->objectName()).arg(d->minimumSizeHint().width())));
        // No button of a shown panel is cut off at the side (the panels scroll vertically only).
        for (QDockWidget* d : docks) {
          if (d->visibleRegion().isEmpty()) continue;
          QScrollArea* scroll = scrollOf(d);
          QVERIFY2(scroll, qPrintable(d->objectName()));
          QCOMPARE(scroll->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
          for (QAbstractButton* b : scroll->widget()->findChildren<QAbstractButton*>()) {
            if (!b->isVisibleTo(scroll->widget()) || !b->isVisible()) continue;
            const QRect r(b->mapTo(scroll->viewport(), QPoint(0, 0)), b->size());
            QVERIFY2(r.left() >= 0 && r.right() < scroll->viewport()->width(),
                     qPrintable(what + QStringLiteral(": '%1' in %2 cut off at the side").arg(b->text(), d->objectName())));
            QVERIFY2(b->width() >= b->minimumSizeHint().width(),
                     qPrintable(what + QStringLiteral(": '%1' narrower than its text").arg(b->text())));
          }
        }
      };
      for (QDockWidget* d : docks) {
        d->raise();
        check(QStringLiteral("tab ") + d->objectName());
      }
      auto* stats = w.findChild<QDockWidget*>(QStringLiteral("statisticsDock"));
      w.addDockWidget(Qt::BottomDockWidgetArea, stats);
      stats->show();
      check(QStringLiteral("Statistics at the bottom"));
      w.addDockWidget(Qt::LeftDockWidgetArea, w.findChild<QDockWidget*>(QStringLiteral("trainingDock")));
      check(QStringLiteral("Train and predict on the left"));
    }
  }

  void savedGeometryIsPulledOntoTheScreen() {
    {
      ui::MainWindow big;
      big.show();
      QVERIFY(QTest::qWaitForWindowExposed(&big));
      big.setGeometry(900, 700, 2400, 1500); // as on a larger screen, mostly off this one
      QCoreApplication::processEvents();
      QSettings().setValue("window/geometry", big.saveGeometry());
    }
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QRect screen = available(w);
    QVERIFY2(screen.contains(w.frameGeometry()),
             qPrintable(QStringLiteral("%1,%2 %3x%4").arg(w.x()).arg(w.y()).arg(w.width()).arg(w.height())));
    // The same for a window moved off screen while open.
    w.setGeometry(-500, 1200, 3000, 300);
    QCoreApplication::processEvents();
    w.fitToScreen();
    QVERIFY(screen.contains(w.frameGeometry()));
    QVERIFY(w.width() >= 1000); // shrunk to the screen, not to nothing
    QSettings().remove("window/geometry");
  }

  void trainingActionsVisibleWithoutScrolling() {
    for (const QString& language : kLanguages) {
      ui::installTranslations(language);
      ui::MainWindow w; // 1280 x 800, the panels docked as at first start
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      auto* dock = w.findChild<ui::TrainingDock*>();
      QVERIFY(dock);
      QCOMPARE(w.dockWidgetArea(dock), Qt::RightDockWidgetArea);
      dock->raise();
      for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
      QScrollArea* scroll = scrollOf(dock);
      QVERIFY(scroll);
      QCOMPARE(scroll->verticalScrollBar()->value(), 0);
      QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0); // never sideways
      auto* t = dock->trainingPanel();
      auto* p = dock->predictionPanel();
      const QList<QAbstractButton*> actions{t->trainButton(),        t->fineTuneButton(),     t->stopButton(),
                                    p->predictSliceButton(), p->predictVolumeButton(), p->suggestButton(),
                                    p->acceptButton()};
      for (QAbstractButton* b : actions) {
        const QString why = clipping(b, scroll);
        QVERIFY2(why.isEmpty(), qPrintable(language + QStringLiteral(": ") + b->text() +
                                           QStringLiteral(" ") + why));
      }
      // The device line is reachable (scrolling down) and not cut at the side.
      const QRect device(t->deviceLabel()->mapTo(scroll->widget(), QPoint(0, 0)), t->deviceLabel()->size());
      QVERIFY(device.right() < scroll->viewport()->width());
      // The curves collapse and come back.
      QVERIFY(dock->chartsSection()->isExpanded());
      dock->chartsSection()->toggleButton()->click();
      QVERIFY(!t->charts()->isVisible());
      dock->chartsSection()->toggleButton()->click();
      QVERIFY(t->charts()->isVisibleTo(dock));
    }
  }

  void titlesMenusAndFirstStart() {
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const auto docks = w.findChildren<QDockWidget*>();
    QMenu* view = nullptr;
    for (QAction* a : w.menuBar()->actions())
      if (a->menu() && a->text().remove(QLatin1Char('&')) == QStringLiteral("View")) view = a->menu();
    QVERIFY(view);
    for (QDockWidget* d : docks) {
      // No ampersand for a tab bar or menu to take as a shortcut marker ("Train _pre...").
      QVERIFY2(!d->windowTitle().contains(QLatin1Char('&')), qPrintable(d->windowTitle()));
      // Each panel once in the View menu, the Tools panel included.
      QCOMPARE(int(view->actions().count(d->toggleViewAction())), 1);
      // Statistics too is shown at first start, in a tab beside the others.
      QVERIFY2(!d->isHidden(), qPrintable(d->objectName()));
      QCOMPARE(w.dockWidgetArea(d), Qt::RightDockWidgetArea);
      QVERIFY(!w.tabifiedDockWidgets(d).isEmpty());
    }
    QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("toolsDock")));
    QStringList tabs;
    for (QTabBar* bar : w.findChildren<QTabBar*>())
      for (int i = 0; i < bar->count(); ++i) tabs << bar->tabText(i);
    QVERIFY(tabs.contains(QStringLiteral("Train and predict")));
    QVERIFY(tabs.contains(QStringLiteral("Statistics")));
    QCOMPARE(w.width(), 1280); // showing Statistics did not widen the window
  }

  void chartsAreDarkInTheDarkTheme() {
    QVERIFY(ui::paletteIsDark());
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* dock = w.findChild<ui::TrainingDock*>();
    dock->raise();
    QCoreApplication::processEvents();
    QList<QChartView*> views = dock->trainingPanel()->charts()->findChildren<QChartView*>();
    views << w.statisticsPanel()->plots()->chartView();
    for (QChartView* v : views) {
      v->resize(300, 240);
      const QImage img = v->grab().toImage();
      // The canvas at the four corners: the palette's dark base, not white.
      for (const QPoint p : {QPoint(2, 2), QPoint(img.width() - 3, 2), QPoint(2, img.height() - 3),
                             QPoint(img.width() - 3, img.height() - 3)}) {
        const QColor c = img.pixelColor(p);
        QVERIFY2(c.lightness() < 80, qPrintable(c.name()));
      }
    }
  }

  void axesPrintWholeNumbersOnceAndFitTheData() {
    ui::TrainingCharts charts;
    auto labels = [](QValueAxis* a) {
      QStringList out;
      for (double v = a->min(); v <= a->max() + 1e-9; v += a->tickInterval())
        out << (a->labelFormat() == QStringLiteral("%d") ? QString::asprintf("%d", int(std::lround(v)))
                                                          : QString::asprintf(qPrintable(a->labelFormat()), v));
      return out;
    };
    auto distinct = [](const QStringList& l) { return std::set<QString>(l.begin(), l.end()).size() == std::size_t(l.size()); };
    // Empty: no repeated tick labels ("0 0 0 1 1", "0.00 0.00 0.01").
    for (QValueAxis* a : {charts.lossStepAxis(), charts.lossAxis(), charts.epochAxis()}) {
      QCOMPARE(a->tickType(), QValueAxis::TicksDynamic);
      QVERIFY2(distinct(labels(a)), qPrintable(labels(a).join(' ')));
      QVERIFY(labels(a).size() >= 2);
    }
    QCOMPARE(charts.lossStepAxis()->labelFormat(), QStringLiteral("%d"));
    QCOMPARE(charts.epochAxis()->labelFormat(), QStringLiteral("%d"));
    QVERIFY(!labels(charts.epochAxis()).join(' ').contains('.')); // "1 2", not "1.0 2.0"
    // Data: the first steps' high loss stays inside the chart, as do all steps and epochs.
    QVector<QPointF> losses;
    for (int s = 1; s <= 137; ++s) losses << QPointF(s, s < 5 ? 2.7 : 0.3 + 1.0 / s);
    charts.addIterations(losses);
    core::ml::EpochMetrics e;
    e.epoch = 3;
    e.iterations = 137;
    e.hasValidation = true;
    e.valLoss = 0.41;
    e.valDice = 0.62;
    charts.addEpoch(e);
    QVERIFY(charts.lossAxis()->max() >= 2.7 && charts.lossAxis()->min() <= 0.3);
    QVERIFY(charts.lossStepAxis()->max() >= 137);
    QVERIFY(charts.epochAxis()->max() >= 3);
    for (QValueAxis* a : {charts.lossStepAxis(), charts.lossAxis(), charts.epochAxis()}) {
      QVERIFY2(distinct(labels(a)), qPrintable(labels(a).join(' ')));
      QVERIFY(labels(a).size() <= 12);
    }
    QVERIFY(!labels(charts.lossStepAxis()).join(' ').contains('.'));
  }

  void statusBarFollowsTheStrokeAndIsTranslated() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.session().setDataset(testdata::blank());
    w.display().setRange(0, 1000);
    w.cursor().setPosition({32, 32, 32});
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    ui::SliceView* xy = w.sliceView(ui::SliceOrientation::XY);
    auto at = [xy](int x, int y) { return xy->widgetPosition({x, y, 32}).toPoint(); };
    w.labelEditor().settings().setTool(ui::ToolKind::Brush);
    w.labelEditor().settings().setSize(3);
    QLabel* status = nullptr;
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
      if (l->textInteractionFlags() & Qt::TextSelectableByMouse) status = l;
    QVERIFY(status);
    QTest::mousePress(xy, Qt::LeftButton, {}, at(10, 20));
    for (int x = 14; x <= 40; x += 2) QTest::mouseMove(xy, at(x, 20));
    QVERIFY2(status->text().startsWith(QStringLiteral("x 40  y 20  z 32")), qPrintable(status->text()));
    QTest::mouseRelease(xy, Qt::LeftButton, {}, at(40, 20));
    QCOMPARE(int(w.session().labels().valueAt(25, 20, 32)), int(core::labels::kCrack));
    // After the stroke: the voxel under the mouse with its new label, not the stroke's start.
    QVERIFY2(status->text().startsWith(QStringLiteral("x 40  y 20  z 32")), qPrintable(status->text()));
    QVERIFY2(status->text().contains(ui::labelName(core::labels::kCrack)), qPrintable(status->text()));
    // "value" and "prediction" go through tr().
    MarkingTranslator marks;
    QCoreApplication::installTranslator(&marks);
    const QString text = ui::describeVoxel(w.session(), {40, 20, 32});
    QCoreApplication::removeTranslator(&marks);
    QVERIFY2(text.contains(QStringLiteral("WERT 0")) && !text.contains(QStringLiteral("value")), qPrintable(text));
  }

  void defaultProjectNameDropsTheVolumeExtension() {
    QCOMPARE(ui::defaultProjectPath("/data/image.nrrd"), QStringLiteral("/data/image.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/scan.nii.gz"), QStringLiteral("/data/scan.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/Scan.NII.GZ"), QStringLiteral("/data/Scan.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/a.b.tiff"), QStringLiteral("/data/a.b.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/x.h5"), QStringLiteral("/data/x.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/slices/"), QStringLiteral("/data/slices.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/p.cdnet"), QStringLiteral("/data/p.cdnet"));
    QCOMPARE(ui::defaultProjectPath("/data/.nrrd"), QStringLiteral("/data/.nrrd.cdnet")); // no empty name
    QCOMPARE(ui::defaultProjectPath("/data/notes.txt"), QStringLiteral("/data/notes.txt.cdnet"));
  }
};

QTEST_MAIN(TestStudioLayout)
#include "test_studio_layout.moc"
