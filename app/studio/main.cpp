// cdnet-studio: the window.
//   cdnet-studio [PATH]                       open PATH (file or folder of slices)
//   cdnet-studio --demo                       generate the demo phantom, its cracks as the prediction
//   cdnet-studio --screenshot FILE [PATH|--demo]  open, render every view, save the window as PNG, exit
//   cdnet-studio --bench-views                time slice changes and measure memory, print, exit
//   cdnet-studio --bench-latency              event-loop latency idle and while training, print, exit
//   cdnet-studio --bench-edit                 time brush dabs against empty frames, undo memory, exit
//   cdnet-studio --bench-bigvolume            a lazily read volume larger than the cache (issue 16), exit
//   cdnet-studio --bench-... --json FILE      also write the benchmark's result keys to FILE
//   cdnet-studio --lang de|zh_CN|en ...       force the language (default: the system's)
//   cdnet-studio --panel display|tools|training|statistics ...  bring that panel to the front
#include "ui/MainWindow.h"
#include "ui/Theme.h"
#include "app/studio/bench/BigVolumeBenchmark.h"
#include "app/studio/bench/EditBenchmark.h"
#include "app/studio/bench/StatisticsScreenshot.h"
#include "app/studio/bench/TrainingLatencyBenchmark.h"
#include "app/studio/bench/TrainingScreenshot.h"
#include "app/studio/bench/ViewBenchmark.h"
#include "ui/controllers/ProjectController.h"
#include "ui/i18n/Translations.h"
#include "ui/io/LoadController.h"
#include "ui/views/VtkHostWidget.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QIcon>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

namespace {

/// Errors of a batch mode (--screenshot) go to stderr and make the exit code 1. Connect before
/// anything is opened: a project file that cannot be read reports its error at once.
std::shared_ptr<bool> reportErrorsToStderr(ui::MainWindow& window) {
  auto failed = std::make_shared<bool>(false);
  QObject::connect(&window, &ui::MainWindow::errorReported, &window, [failed](const QString&, const QString& message) {
    std::fprintf(stderr, "cdnet-studio: %s\n", qPrintable(message));
    *failed = true;
  });
  return failed;
}

/// Waits until the window has loaded what it was asked to and finished its 3D scene, then saves
/// the screenshot and quits (exit code 0, or 1 on any error).
void scheduleScreenshot(ui::MainWindow& window, const QString& file, bool loading, std::shared_ptr<bool> failed) {
  auto* done = new bool(!loading);
  QObject::connect(&window.loader(), &ui::LoadController::loaded, &window, [done] { *done = true; });
  // A project is open only once its labels and settings are applied (after the image loaded).
  QObject::connect(&window.projects(), &ui::ProjectController::projectOpened, &window, [done] { *done = true; });
  auto* timer = new QTimer(&window);
  auto* clock = new QElapsedTimer;
  clock->start();
  auto* quietTicks = new int(0);
  QObject::connect(timer, &QTimer::timeout, &window, [=, &window] {
    if (*failed) {
      QApplication::exit(1);
      return;
    }
    if (clock->elapsed() > 300000) {
      std::fprintf(stderr, "cdnet-studio: timed out before the screenshot\n");
      QApplication::exit(1);
      return;
    }
    // Two quiet ticks in a row: every view has had an event loop turn to paint.
    *quietTicks = (*done && !window.isBusy()) ? *quietTicks + 1 : 0;
    if (*quietTicks < 2) return;
    timer->stop();
    if (!window.saveScreenshot(file)) {
      std::fprintf(stderr, "cdnet-studio: cannot write %s\n", qPrintable(file));
      QApplication::exit(1);
      return;
    }
    const QSize px = window.size() * window.devicePixelRatio();
    std::printf("cdnet-studio: saved %s (window %d x %d pixels)\n", qPrintable(file), px.width(), px.height());
    QApplication::exit(0);
  });
  timer->start(150);
}

/// A whole number from \p lo to \p hi for \p option, or std::nullopt after printing why.
std::optional<int> wholeOption(const QString& option, const QString& text, int lo, int hi) {
  bool ok = false;
  const int v = text.trimmed().toInt(&ok);
  if (ok && v >= lo && v <= hi) return v;
  std::fprintf(stderr, "cdnet-studio: %s must be a whole number from %d to %d, not '%s'\n", qPrintable(option), lo, hi,
               qPrintable(text));
  return std::nullopt;
}

/// The command line's options. The benchmark and batch-screenshot modes are for developers and
/// packaging: accepted, but not listed by --help.
struct StudioOptions {
  QCommandLineOption demo{"demo", QCoreApplication::translate(
                                      "main", "Open the built-in demo phantom; its ground-truth cracks show as the prediction.")};
  QCommandLineOption screenshot{
      "screenshot", QCoreApplication::translate("main", "Open, render every view, save the window as a PNG FILE and exit."),
      QCoreApplication::translate("main", "FILE")};
  QCommandLineOption bench{
      "bench-views",
      QCoreApplication::translate("main", "Time slice changes on the phantom against the 16.7 ms frame budget and unchanged "
                                          "frames, measure memory, then exit.")};
  QCommandLineOption benchSizes{"bench-sizes", QCoreApplication::translate("main", "Cube edges for --bench-views (default 512,1024)."),
                                "N,N"};
  QCommandLineOption benchLatency{"bench-latency", QCoreApplication::translate(
      "main", "Measure the window's event-loop latency idle and while a small training runs on the CPU, then exit.")};
  QCommandLineOption shotTraining{"screenshot-training", QCoreApplication::translate(
      "main", "Train a small model on a phantom from the Train & predict dock, save the window as a PNG FILE and exit."),
                                  QCoreApplication::translate("main", "FILE")};
  QCommandLineOption shotStatistics{"screenshot-statistics", QCoreApplication::translate(
      "main", "Run the particle analysis of a phantom from the Statistics panel, save the window as a PNG FILE and exit."),
                                    QCoreApplication::translate("main", "FILE")};
  QCommandLineOption benchEdit{"bench-edit", QCoreApplication::translate(
      "main", "Time brush dabs on a 1024^3 phantom against the 16.7 ms frame budget and unchanged frames, print undo "
              "memory, then exit.")};
  QCommandLineOption benchEditSize{"bench-edit-size", QCoreApplication::translate("main", "Cube edge for --bench-edit (default 1024)."),
                                   "N"};
  QCommandLineOption benchJson{"json", QCoreApplication::translate(
      "main", "With --bench-views, --bench-edit or --bench-latency: also write the final 'result:' line's keys to this "
              "JSON FILE."),
                               QCoreApplication::translate("main", "FILE")};
  QCommandLineOption panel{"panel", QCoreApplication::translate(
      "main", "Bring this panel to the front: display, tools, training or statistics (screenshots of each panel)."),
                           QCoreApplication::translate("main", "PANEL")};
  QCommandLineOption lang{"lang",
                          QCoreApplication::translate("main", "Language of the window: de, zh_CN or en (default: the system's)."),
                          QCoreApplication::translate("main", "LANGUAGE")};

  explicit StudioOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "CDNet Studio: crack detection in X-ray nano-tomography of battery cathodes."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (QCommandLineOption* o : {&bench, &benchSizes, &benchEdit, &benchEditSize, &benchLatency, &benchJson, &shotTraining,
                                  &shotStatistics, &panel})
      o->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions(
        {demo, screenshot, bench, benchSizes, benchEdit, benchEditSize, benchLatency, benchJson, shotTraining, shotStatistics,
         panel, lang});
    parser.addPositionalArgument("PATH", QCoreApplication::translate("main", "A volume file or a folder of TIFF slices to open."),
                                 "[PATH]");
  }
};

/// True when the command line asks only for the help or the version: answered without a display.
bool asksForHelpOrVersion(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const QByteArray a(argv[i]);
    if (a == "--") break;
    if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" || a == "--version") return true;
  }
  return false;
}

void setApplicationIdentity() {
  QCoreApplication::setApplicationName("CDNet Studio");
  QCoreApplication::setOrganizationName("CDNet");
  QCoreApplication::setApplicationVersion(CDNET_VERSION);
}

/// Installs the language of --lang (or the system's) so that the help text is translated too.
/// False after printing why when --lang names no language the studio has.
bool installLanguage() {
  const QString language = ui::languageArgument(QCoreApplication::arguments());
  if (!language.isEmpty() && language != QLatin1String("en") && !ui::availableLanguages().contains(language)) {
    std::fprintf(stderr, "cdnet-studio: unknown language '%s' for --lang (use %s or en)\n", qPrintable(language),
                 qPrintable(ui::availableLanguages().join(QStringLiteral(", "))));
    return false;
  }
  ui::installTranslations(language);
  return true;
}

} // namespace

int main(int argc, char** argv) {
  // --help and --version need no display: a QCoreApplication answers them before any QApplication
  // (which aborts without a display) exists.
  if (asksForHelpOrVersion(argc, argv)) {
    QCoreApplication core(argc, argv);
    setApplicationIdentity();
    if (!installLanguage()) return 2;
    QCommandLineParser parser;
    const StudioOptions options(parser);
    parser.process(core); // prints the help or the version and exits
    return 0;
  }

  ui::VtkHostWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  setApplicationIdentity();
  ui::applyStudioTheme(app);
  QIcon icon;
  for (int size : {32, 64, 256}) icon.addFile(QStringLiteral(":/icons/cdnet-studio-%1.png").arg(size));
  QApplication::setWindowIcon(icon);

  // The language first, so that the help text below is translated as well.
  if (!installLanguage()) return 2;

  QCommandLineParser parser;
  const StudioOptions o(parser);
  const ui::BigVolumeOptions bigVolume(parser);
  const auto& [demo, screenshot, bench, benchSizes, benchLatency, shotTraining, shotStatistics, benchEdit, benchEditSize,
               benchJson, panel, lang] = o;
  (void)lang;
  parser.process(app);

  // The batch modes take no PATH: a PATH given to them would be silently ignored.
  const QStringList paths = parser.positionalArguments();
  const bool benchMode = parser.isSet(bench) || parser.isSet(benchEdit) || parser.isSet(benchLatency) ||
                         parser.isSet(shotTraining) || parser.isSet(bigVolume.run);
  if ((benchMode && !paths.isEmpty()) || paths.size() > 1 || (parser.isSet(demo) && !paths.isEmpty())) {
    std::fprintf(stderr, "cdnet-studio: %s\n",
                 qPrintable(paths.size() > 1 ? QStringLiteral("give one PATH, not %1").arg(paths.size())
                                             : QStringLiteral("'%1' cannot be combined with %2")
                                                   .arg(paths.first(), parser.isSet(demo) ? QStringLiteral("--demo")
                                                                                          : QStringLiteral("a benchmark mode"))));
    return 2;
  }

  if (parser.isSet(bench)) {
    QTextStream out(stdout);
    QList<int> sizes{512, 1024};
    if (parser.isSet(benchSizes)) {
      sizes.clear();
      for (const QString& s : parser.value(benchSizes).split(',')) {
        const auto v = wholeOption(QStringLiteral("--bench-sizes"), s, 16, 4096);
        if (!v) return 2;
        sizes << *v;
      }
    }
    return ui::runViewBenchmark(out, sizes, parser.value(benchJson));
  }

  if (parser.isSet(benchEdit)) {
    QTextStream out(stdout);
    int size = 1024;
    if (parser.isSet(benchEditSize)) {
      const auto v = wholeOption(QStringLiteral("--bench-edit-size"), parser.value(benchEditSize), 64, 4096);
      if (!v) return 2;
      size = *v;
    }
    return ui::runEditBenchmark(out, size, parser.value(benchJson));
  }

  if (parser.isSet(bigVolume.run)) {
    const auto settings = bigVolume.settings(parser);
    if (!settings) return 2;
    QTextStream out(stdout);
    return ui::runBigVolumeBenchmark(out, *settings, parser.value(benchJson));
  }

  if (parser.isSet(benchLatency)) {
    QTextStream out(stdout);
    return ui::runTrainingLatencyBenchmark(out, 10, parser.value(benchJson));
  }

  if (parser.isSet(shotTraining)) return ui::saveTrainingScreenshot(parser.value(shotTraining));
  if (parser.isSet(shotStatistics)) return ui::saveStatisticsScreenshot(parser.value(shotStatistics));

  ui::MainWindow window;
  if (parser.isSet(panel)) {
    auto* dock = window.findChild<QDockWidget*>(parser.value(panel) + QStringLiteral("Dock"));
    if (!dock) {
      std::fprintf(stderr, "cdnet-studio: unknown panel '%s' for --panel (use display, tools, training or statistics)\n",
                   qPrintable(parser.value(panel)));
      return 2;
    }
    dock->show();
    dock->raise();
  }
  window.show();
  const bool shot = parser.isSet(screenshot);
  std::shared_ptr<bool> failed;
  if (shot) {
    window.setErrorDialogsEnabled(false);
    failed = reportErrorsToStderr(window);
  }
  bool loading = false;
  if (parser.isSet(demo)) loading = window.openDemo();
  else if (!paths.isEmpty() && paths.first().endsWith(QLatin1String(".cdnet")))
    loading = window.projects().openProject(paths.first());
  else if (!paths.isEmpty())
    loading = window.openPath(paths.first(), shot ? ui::OpenFlow::Ask::Never : ui::OpenFlow::Ask::IfNeeded);
  if (shot) {
    if (!loading && (parser.isSet(demo) || !paths.isEmpty()) && !*failed) {
      // Nothing said why, but nothing opens: never a screenshot of an empty window.
      std::fprintf(stderr, "cdnet-studio: cannot open %s\n",
                   qPrintable(paths.isEmpty() ? QStringLiteral("the demo") : paths.first()));
      return 1;
    }
    if (*failed) return 1;
    scheduleScreenshot(window, parser.value(screenshot), loading, failed);
  } else if (!loading) {
    QTimer::singleShot(0, &window, [&window] { window.projects().offerRecovery(); });
  }
  return QApplication::exec();
}
