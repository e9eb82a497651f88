#pragma once
/// \file Translations.h
/// The studio's language: German and Simplified Chinese translations embedded under :/i18n,
/// plus Qt's own (standard dialogs, buttons) from the system when installed.

#include <QLocale>
#include <QString>
#include <QStringList>

namespace ui {

/// Languages the studio ships besides English: "de", "zh_CN".
QStringList availableLanguages();

/// Installs the translators for \p language ("de", "zh_CN", "en"; empty: the system locale,
/// QLocale::system()) into the application and, when one matched, makes its locale QLocale's
/// default. English (or a language without a translation) installs none. Returns the language in use ("en" when none
/// matched). Call after the QCoreApplication exists and before any widget is made; a second
/// call replaces the translators of the first (widgets made before keep their texts).
/// GUI thread.
QString installTranslations(const QString& language = QString());

/// The value of `--lang X` or `--lang=X` in \p args (the raw argv), or an empty string. Read
/// before the command-line parser is built, so that its help text is translated too.
QString languageArgument(const QStringList& args);

} // namespace ui
