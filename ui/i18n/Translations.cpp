#include "ui/i18n/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

namespace ui {

namespace {
QList<QPointer<QTranslator>>& installed() {
  static QList<QPointer<QTranslator>> list;
  return list;
}
} // namespace

QStringList availableLanguages() { return {QStringLiteral("de"), QStringLiteral("zh_CN")}; }

QString installTranslations(const QString& language) {
  for (const QPointer<QTranslator>& t : installed()) {
    if (!t) continue;
    QCoreApplication::removeTranslator(t);
    delete t;
  }
  installed().clear();
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  // QTranslator::load(QLocale, ...) tries the locale's UI languages (de_DE, de; zh_CN, ...) in
  // order, so a German Swiss or Austrian system gets German as well.
  auto* studio = new QTranslator(QCoreApplication::instance());
  if (!studio->load(locale, QStringLiteral("cdnet"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
    delete studio;
    QLocale::setDefault(QLocale::system());
    return QStringLiteral("en");
  }
  QCoreApplication::installTranslator(studio);
  installed() << studio;
  QLocale::setDefault(locale);

  // Qt's own strings (OK, Cancel, file dialogs) when qt6-translations-l10n is installed.
  auto* qt = new QTranslator(QCoreApplication::instance());
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt);
    installed() << qt;
  } else {
    delete qt;
  }
  return studio->language().isEmpty() ? locale.name() : studio->language();
}

QString languageArgument(const QStringList& args) {
  for (int i = 1; i < args.size(); ++i) {
    const QString& a = args[i];
    if ((a == QLatin1String("--lang") || a == QLatin1String("-lang")) && i + 1 < args.size()) return args[i + 1];
    if (a.startsWith(QLatin1String("--lang="))) return a.mid(7);
  }
  return {};
}

} // namespace ui
