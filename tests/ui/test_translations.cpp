// Translations: every tr() string of the studio has a German and a Simplified Chinese translation
// in the committed .ts files (lupdate is run on the sources into a copy of each, so a new or
// changed string shows up as unfinished), the window switches language with --lang, and
// Help > About names the libraries with their versions.
#include "ui/MainWindow.h"
#include "ui/help/AboutText.h"
#include "ui/i18n/Translations.h"
#include "ui/model/ParticleColumnText.h"

#include "core/analysis/ParticleStatistics.h"

#include <CLI/Version.hpp>
#include <H5public.h>
#include <itkConfigure.h>
#include <nlohmann/json.hpp>
#include <opencv2/core/version.hpp>
#include <tiffvers.h>
#include <vtkVersionMacros.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Message {
  QString context, source, translation, type;
  QStringList forms; ///< the plural forms of a numerus message (translation is then empty)
};

QList<Message> readTs(const QString& path) {
  QList<Message> out;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return out;
  QXmlStreamReader xml(&f);
  QString context;
  Message m;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("name"))
      context = xml.readElementText();
    else if (xml.name() == QLatin1String("message"))
      m = Message{context, {}, {}, {}, {}};
    else if (xml.name() == QLatin1String("source"))
      m.source = xml.readElementText();
    else if (xml.name() == QLatin1String("translation")) {
      m.type = xml.attributes().value(QLatin1String("type")).toString();
      m.translation.clear();
      m.forms.clear();
      // Plain text, or <numerusform> children for %n messages.
      while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters()) m.translation += xml.text();
        else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) m.forms << xml.readElementText();
        else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) break;
      }
      if (!m.forms.isEmpty()) m.translation.clear();
      out << m;
    }
  }
  return out;
}

QStringList trSources() {
  QFile list(CDNET_TR_SOURCE_LIST);
  if (!list.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  return QString::fromUtf8(list.readAll()).split('\n', Qt::SkipEmptyParts);
}

QStringList placeholders(const QString& text) {
  QStringList p;
  QRegularExpressionMatchIterator it = QRegularExpression(QStringLiteral("%\\d")).globalMatch(text);
  while (it.hasNext()) p << it.next().captured();
  p.sort();
  return p;
}

/// Every text the window shows in its menus, tool bar, docks and panels.
QStringList visibleTexts(QWidget* window) {
  QStringList texts;
  for (QAction* a : window->findChildren<QAction*>()) texts << a->text() << a->toolTip();
  for (QLabel* l : window->findChildren<QLabel*>()) texts << l->text();
  for (QAbstractButton* b : window->findChildren<QAbstractButton*>()) texts << b->text() << b->toolTip();
  for (QGroupBox* g : window->findChildren<QGroupBox*>()) texts << g->title();
  for (QDockWidget* d : window->findChildren<QDockWidget*>()) texts << d->windowTitle();
  for (QComboBox* c : window->findChildren<QComboBox*>())
    for (int i = 0; i < c->count(); ++i) texts << c->itemText(i);
  texts.removeAll(QString());
  return texts;
}

} // namespace

class TestTranslations : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void cleanup() { ui::installTranslations(QStringLiteral("en")); }

  /// lupdate on the sources into a copy of each committed .ts: nothing unfinished, nothing empty,
  /// the same placeholders. Fails on any string added without a translation.
  void everyStringIsTranslated_data() {
    QTest::addColumn<QString>("ts");
    QTest::newRow("de") << QStringLiteral(CDNET_SOURCE_DIR "/translations/cdnet_de.ts");
    QTest::newRow("zh_CN") << QStringLiteral(CDNET_SOURCE_DIR "/translations/cdnet_zh_CN.ts");
  }
  void everyStringIsTranslated() {
    QFETCH(QString, ts);
    QVERIFY2(QFileInfo::exists(ts), qPrintable(ts));
    const QStringList sources = trSources();
    QVERIFY2(sources.size() > 10, "the list of translated sources (tr_sources.lst) is missing");
    QTemporaryDir dir;
    const QString copy = dir.filePath(QFileInfo(ts).fileName());
    QVERIFY(QFile::copy(ts, copy));
    QFile(copy).setPermissions(QFile::ReadOwner | QFile::WriteOwner);

    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer clock;
    clock.start();
    lupdate.start(QStringLiteral(CDNET_LUPDATE), {"-no-obsolete", "-locations", "none", "-I", CDNET_SOURCE_DIR,
                                                  "@" CDNET_TR_SOURCE_LIST, "-ts", copy});
    QVERIFY(lupdate.waitForFinished(50000));
    const QString log = QString::fromLocal8Bit(lupdate.readAll());
    QVERIFY2(lupdate.exitCode() == 0, qPrintable(log));
    qInfo("lupdate on %d files: %lld ms", int(sources.size()), clock.elapsed());

    const QList<Message> messages = readTs(copy);
    QVERIFY2(messages.size() > 100, qPrintable(log));
    QStringList problems;
    for (const Message& m : messages) {
      if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete")) continue;
      const QString where = m.context + QStringLiteral(": \"") + m.source.left(80) + QStringLiteral("\"");
      const QStringList texts = m.forms.isEmpty() ? QStringList{m.translation} : m.forms;
      bool empty = m.type == QLatin1String("unfinished");
      for (const QString& t : texts) empty = empty || t.trimmed().isEmpty();
      if (empty) {
        problems << QStringLiteral("no translation (run the update_translations target, then translate): ") + where;
        continue;
      }
      for (const QString& t : texts)
        if (placeholders(m.source) != placeholders(t)) problems << QStringLiteral("placeholders differ: ") + where;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
  }

  /// lupdate reads "\u2013" followed by a hex digit ("\u201399") as one wrong character, so the
  /// catalogue's key never matches the compiled string. Split the literal: "\u2013" "99".
  void noEscapesThatLupdateMisreads() {
    QStringList problems;
    const QRegularExpression bad(QStringLiteral("\\\\u[0-9A-Fa-f]{4}[0-9A-Fa-f]"));
    for (const QString& path : trSources()) {
      QFile f(path);
      QVERIFY2(f.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(path));
      int line = 0;
      while (!f.atEnd()) {
        ++line;
        if (bad.match(QString::fromUtf8(f.readLine())).hasMatch())
          problems << QStringLiteral("%1:%2").arg(path).arg(line);
      }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
  }

  void germanWindow() {
    QCOMPARE(ui::installTranslations(QStringLiteral("de")), QStringLiteral("de"));
    ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QList<QAction*> menus = window.menuBar()->actions();
    QVERIFY(menus.size() >= 3);
    QCOMPARE(menus.first()->text(), QStringLiteral("&Datei"));
    QCOMPARE(menus.last()->text(), QStringLiteral("&Hilfe"));

    // Nothing on the window is left in English where the catalogue has a German text: this
    // catches strings whose compiled form does not match the catalogue's key.
    QSet<QString> english;
    for (const Message& m : readTs(QStringLiteral(CDNET_SOURCE_DIR "/translations/cdnet_de.ts")))
      if (m.translation != m.source && !m.translation.isEmpty()) english.insert(m.source);
    QStringList untranslated;
    for (const QString& text : visibleTexts(&window))
      if (english.contains(text)) untranslated << text;
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QStringLiteral(" | "))));
  }

  void chineseWindow() {
    QCOMPARE(ui::installTranslations(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
    ui::MainWindow window;
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("文件(&F)"));
    QVERIFY(ui::aboutText().contains(QStringLiteral("库")));
  }

  void englishByDefaultAndUnknownLanguages() {
    QCOMPARE(ui::installTranslations(QStringLiteral("en")), QStringLiteral("en"));
    ui::MainWindow window;
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    QCOMPARE(ui::languageArgument({"cdnet-studio", "--lang", "de", "x.nrrd"}), QStringLiteral("de"));
    QCOMPARE(ui::languageArgument({"cdnet-studio", "--lang=zh_CN"}), QStringLiteral("zh_CN"));
    QCOMPARE(ui::languageArgument({"cdnet-studio", "x.nrrd"}), QString());
  }

  /// The particle table's columns come from core: each has a translated title and description,
  /// and the English texts kept for translation still equal core's (else a change in core would
  /// silently show English).
  void particleColumnsTranslated() {
    ui::installTranslations(QStringLiteral("en"));
    const core::analysis::Table columns = core::analysis::particleColumns();
    QVERIFY(columns.columnCount() > 20);
    QStringList problems;
    for (int i = 0; i < columns.columnCount(); ++i) {
      const auto& c = columns.column(i);
      QString derived = QString::fromStdString(c.name).replace('_', ' ');
      derived[0] = derived[0].toUpper();
      if (ui::particleColumnTitle(c.name) != derived) problems << QString::fromStdString(c.name) + ": title";
      if (ui::particleColumnDescription(c.name) != QString::fromStdString(c.description))
        problems << QString::fromStdString(c.name) + ": description differs from core's";
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    ui::installTranslations(QStringLiteral("de"));
    QCOMPARE(ui::particleColumnTitle("crack_fraction"), QStringLiteral("Rissanteil"));
    QVERIFY(ui::particleColumnDescription("crack_fraction").startsWith(QStringLiteral("Rissvolumenanteil")));
  }

  /// The executable: --lang translates its help; an unknown language is a clear error.
  void commandLineLanguage() {
    const QString studio = QStringLiteral(CDNET_BINARY_DIR "/app/cdnet-studio");
    // A dependency of this test (tests/ui/CMakeLists.txt): missing means a broken build, not a skip.
    QVERIFY2(QFileInfo::exists(studio), qPrintable(studio + " is missing: build the cdnet-studio target"));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(studio, {"--lang", "de", "--help"});
    QVERIFY(p.waitForFinished(30000));
    const QString help = QString::fromUtf8(p.readAll());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(help.contains(QStringLiteral("Sprache des Fensters")), qPrintable(help));

    p.start(studio, {"--lang", "xx", "--help"});
    QVERIFY(p.waitForFinished(30000));
    const QString error = QString::fromUtf8(p.readAll());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(error.contains(QStringLiteral("unknown language 'xx'")), qPrintable(error));
  }

  /// Help > About: the version, every library with the version this program was built with,
  /// and the GPU state.
  void aboutNamesLibrariesAndVersions() {
    ui::installTranslations(QStringLiteral("en"));
    const QString about = ui::aboutText();
    qInfo("%s", qPrintable(about));
    auto has = [&about](const QString& name, const QString& version) {
      const QRegularExpression row(QRegularExpression::escape(name) + QStringLiteral("</td><td>&nbsp;") +
                                   QRegularExpression::escape(version));
      return row.match(about).hasMatch();
    };
    QVERIFY2(about.contains(QStringLiteral("CDNet Studio " CDNET_VERSION "<")), qPrintable(about));
    QVERIFY2(has("Qt", QStringLiteral(QT_VERSION_STR)), qPrintable(about));
    QVERIFY2(has("VTK", QStringLiteral(VTK_VERSION)), qPrintable(about));
    QVERIFY2(has("ITK", QStringLiteral(ITK_VERSION_STRING)), qPrintable(about)); // "5.2" of "5.2.1"
    QVERIFY2(has("OpenCV", QStringLiteral(CV_VERSION)), qPrintable(about));
    QVERIFY2(has("HDF5", QStringLiteral("%1.%2.%3").arg(H5_VERS_MAJOR).arg(H5_VERS_MINOR).arg(H5_VERS_RELEASE)),
             qPrintable(about));
    QVERIFY2(has("libtiff", QString::fromLatin1(TIFFLIB_VERSION_STR).section(' ', 2, 2).section('\n', 0, 0)),
             qPrintable(about));
    QVERIFY2(has("nlohmann-json", QStringLiteral("%1.%2.%3")
                                      .arg(NLOHMANN_JSON_VERSION_MAJOR)
                                      .arg(NLOHMANN_JSON_VERSION_MINOR)
                                      .arg(NLOHMANN_JSON_VERSION_PATCH)),
             qPrintable(about));
    QVERIFY2(has("CLI11", QStringLiteral(CLI11_VERSION)), qPrintable(about));
    QVERIFY2(QRegularExpression(QStringLiteral("LibTorch</td><td>&nbsp;\\d+\\.\\d+\\.\\d+")).match(about).hasMatch(),
             qPrintable(about));
    QVERIFY2(QRegularExpression(QStringLiteral("CUDA: (in use|not in use)")).match(about).hasMatch(),
             qPrintable(about));

    ui::installTranslations(QStringLiteral("de"));
    const QString german = ui::aboutText();
    QVERIFY2(german.contains(QStringLiteral("Bibliotheken")) && german.contains(QStringLiteral(CV_VERSION)),
             qPrintable(german));
  }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
