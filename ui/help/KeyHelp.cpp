#include "ui/help/KeyHelp.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QShortcut>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ui {

/// The translation context of the help's texts.
struct KeyHelp {
  Q_DECLARE_TR_FUNCTIONS(ui::KeyHelp)
};

namespace {

/// The action's menu text without the mnemonic's '&' and a trailing ellipsis.
QString plainText(const QAction& a) {
  QString t = a.text();
  t.replace(QLatin1String("&&"), QLatin1String("\x01")).remove(QLatin1Char('&')).replace(QLatin1Char('\x01'), QLatin1Char('&'));
  if (t.endsWith(QChar(0x2026))) t.chop(1);
  return t;
}

QString keysText(const QList<QKeySequence>& keys) {
  QStringList parts;
  for (const QKeySequence& k : keys) parts << k.toString(QKeySequence::NativeText).toHtmlEscaped();
  return parts.join(QLatin1String(", "));
}

/// Actions with shortcuts per menu of the menu bar, a menu's own before its sub-menus'.
void collectMenu(const QMenu& menu, const QString& title, QList<std::pair<QString, QList<KeyBinding>>>& groups,
                 QSet<const QAction*>& seen) {
  QList<KeyBinding> rows;
  for (const QAction* a : menu.actions()) {
    if (a->menu() || a->shortcuts().isEmpty() || seen.contains(a)) continue;
    seen.insert(a);
    rows << KeyBinding{a->shortcuts(), plainText(*a)};
  }
  if (!rows.isEmpty()) groups << std::pair{title, rows};
  for (const QAction* a : menu.actions())
    if (const QMenu* sub = a->menu()) collectMenu(*sub, title + QLatin1String(" \u203a ") + plainText(*a), groups, seen);
}

QList<std::pair<QString, QList<KeyBinding>>> groupedKeys(const QMainWindow& window) {
  QList<std::pair<QString, QList<KeyBinding>>> groups;
  QSet<const QAction*> seen;
  for (QAction* m : window.menuBar()->actions()) {
    if (m->menu()) collectMenu(*m->menu(), plainText(*m), groups, seen);
  }
  // Actions outside the menus (tool bars, panels) and shortcuts.
  QList<KeyBinding> other;
  for (const QAction* a : window.findChildren<QAction*>())
    if (!a->shortcuts().isEmpty() && !seen.contains(a)) other << KeyBinding{a->shortcuts(), plainText(*a)};
  for (const QShortcut* s : window.findChildren<QShortcut*>())
    if (!s->keys().isEmpty()) other << KeyBinding{s->keys(), s->whatsThis()};
  if (!other.isEmpty()) groups << std::pair{KeyHelp::tr("Other"), other};
  groups.prepend({KeyHelp::tr("In the view under the mouse"), sliceViewKeys()});
  return groups;
}

} // namespace

QList<KeyBinding> sliceViewKeys() {
  return {
      {{QKeySequence(Qt::Key_Up), QKeySequence(Qt::Key_Down)}, KeyHelp::tr("next / previous slice")},
      {{QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::Key_PageDown)}, KeyHelp::tr("10 slices forward / back")},
      {{QKeySequence(Qt::Key_Home), QKeySequence(Qt::Key_End)}, KeyHelp::tr("first / last slice")},
      {{QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal), QKeySequence(Qt::Key_Minus)}, KeyHelp::tr("zoom in / out")},
      {{QKeySequence(Qt::Key_R)}, KeyHelp::tr("reset the view")},
      {{QKeySequence(Qt::Key_Escape)}, KeyHelp::tr("abort a stroke or polygon")},
      {{QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}, KeyHelp::tr("fill the polygon")},
  };
}

QList<KeyBinding> boundKeys(const QMainWindow& window) {
  QList<KeyBinding> all;
  for (const auto& g : groupedKeys(window)) all << g.second;
  return all;
}

QString mouseAndKeysHtml(const QMainWindow& window) {
  QString html = QStringLiteral("<h3>%1</h3><table cellspacing=\"2\">").arg(KeyHelp::tr("Mouse"));
  const char* const mouse[][2] = {
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Left click / drag"), QT_TRANSLATE_NOOP("ui::KeyHelp", "move the crosshair; the other views follow (or paint, with a label tool)")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Shift + left drag"), QT_TRANSLATE_NOOP("ui::KeyHelp", "window (left/right) and level (up/down)")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Wheel"), QT_TRANSLATE_NOOP("ui::KeyHelp", "next/previous slice")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Ctrl + wheel, right drag"), QT_TRANSLATE_NOOP("ui::KeyHelp", "zoom")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Middle drag"), QT_TRANSLATE_NOOP("ui::KeyHelp", "pan")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Double-click"), QT_TRANSLATE_NOOP("ui::KeyHelp", "maximise a view; again restores the four views")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "3D view"), QT_TRANSLATE_NOOP("ui::KeyHelp", "left drag rotates, middle pans, right drag or wheel zooms")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Polygon tool"), QT_TRANSLATE_NOOP("ui::KeyHelp", "click vertices; double-click or Enter fills, with Shift erases")},
      {QT_TRANSLATE_NOOP("ui::KeyHelp", "Wheel over a panel"), QT_TRANSLATE_NOOP("ui::KeyHelp", "scrolls the panel; a field takes the wheel only after a click into it")},
  };
  for (const auto& row : mouse) html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(KeyHelp::tr(row[0]), KeyHelp::tr(row[1]));
  html += QStringLiteral("</table><h3>%1</h3><p>%2</p><table cellspacing=\"2\">")
              .arg(KeyHelp::tr("Keys"), KeyHelp::tr("Keys act on the view under the mouse; no click is needed first."));
  for (const auto& [title, rows] : groupedKeys(window)) {
    html += QStringLiteral("<tr><td colspan=\"2\"><i>%1</i></td></tr>").arg(title.toHtmlEscaped());
    for (const KeyBinding& b : rows)
      html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(keysText(b.keys), b.what.toHtmlEscaped());
  }
  return html + QStringLiteral("</table>");
}

void showMouseAndKeys(QMainWindow& window) {
  auto* dialog = new QDialog(&window);
  dialog->setObjectName(QStringLiteral("mouseAndKeysDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(KeyHelp::tr("Mouse and keys"));
  auto* layout = new QVBoxLayout(dialog);
  auto* text = new QTextBrowser;
  text->setHtml(mouseAndKeysHtml(window));
  layout->addWidget(text);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  layout->addWidget(buttons);
  dialog->resize(560, 600);
  dialog->show();
}

} // namespace ui
