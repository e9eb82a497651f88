// Keys and the mouse wheel in the real window (issue 22): the wheel over a panel never changes
// a value of an unfocused field; every key is bound once; Help > Mouse and keys (F1) lists every
// bound key; keys act on the view under the mouse without a click; T swaps crack / not crack.
#include "TestVolumes.h"
#include "core/labels/LabelConvention.h"
#include "ui/MainWindow.h"
#include "ui/help/KeyHelp.h"
#include "ui/model/CursorModel.h"
#include "ui/model/Session.h"
#include "ui/tools/LabelEditor.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/ViewLayout.h"

#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QMap>
#include <QRegularExpression>
#include <QShortcut>
#include <QSpinBox>
#include <QTextBrowser>
#include <QtTest>

namespace {

void sendWheel(QWidget* w, int steps) {
  const QPointF pos(w->width() / 2.0, w->height() / 2.0);
  QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, 120 * steps), Qt::NoButton, Qt::NoModifier,
                Qt::NoScrollPhase, false);
  QApplication::sendEvent(w, &e);
}

/// Every key bound in the window, with who binds it.
QList<std::pair<QKeySequence, QString>> allBindings(const QMainWindow& w) {
  QList<std::pair<QKeySequence, QString>> all;
  for (const QAction* a : w.findChildren<QAction*>())
    for (const QKeySequence& k : a->shortcuts()) all << std::pair{k, a->text()};
  for (const QShortcut* s : w.findChildren<QShortcut*>())
    for (const QKeySequence& k : s->keys()) all << std::pair{k, QStringLiteral("QShortcut %1").arg(s->objectName())};
  for (const ui::KeyBinding& b : ui::sliceViewKeys())
    for (const QKeySequence& k : b.keys) all << std::pair{k, QStringLiteral("slice view: %1").arg(b.what)};
  return all;
}

} // namespace

class TestStudioKeys : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_studio_keys");
  }

  void wheelChangesOnlyFocusedFields() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) d->show();
    QApplication::processEvents();
    // Every enabled spin box and combo box of every panel, unfocused: the wheel leaves it alone.
    int fields = 0;
    for (QAbstractSpinBox* s : w.findChildren<QAbstractSpinBox*>()) {
      if (!s->isEnabled() || !s->isVisibleTo(&w)) continue;
      s->ensurePolished();
      QCOMPARE(s->focusPolicy(), Qt::StrongFocus);
      const QString before = s->text();
      sendWheel(s, 1);
      sendWheel(s, -3);
      QVERIFY2(s->text() == before, qPrintable(s->objectName() + ": " + before + " -> " + s->text()));
      ++fields;
    }
    for (QComboBox* c : w.findChildren<QComboBox*>()) {
      if (!c->isEnabled() || !c->isVisibleTo(&w) || c->count() < 2) continue;
      const int before = c->currentIndex();
      sendWheel(c, -1);
      sendWheel(c, 1);
      QCOMPARE(c->currentIndex(), before);
      ++fields;
    }
    QVERIFY2(fields >= 10, qPrintable(QString::number(fields)));

    // The training crop (256 px, steps of 32): unfocused it stays, focused the wheel changes it.
    QSpinBox* crop = nullptr;
    for (QSpinBox* s : w.findChildren<QSpinBox*>())
      if (s->maximum() == 4096 && s->singleStep() == 32) crop = s;
    QVERIFY(crop);
    const int start = crop->value();
    sendWheel(crop, -1);
    QCOMPARE(crop->value(), start);
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    crop->setFocus();
    QTRY_VERIFY(crop->hasFocus());
    sendWheel(crop, -1);
    QCOMPARE(crop->value(), start - 32);
  }

  void everyKeyIsBoundOnce() {
    ui::MainWindow w;
    QMap<QString, QString> owner;
    const auto all = allBindings(w);
    QVERIFY(all.size() > 30);
    for (const auto& [key, who] : all) {
      const QString k = key.toString(QKeySequence::PortableText);
      QVERIFY2(!owner.contains(k), qPrintable(QStringLiteral("%1 is bound to '%2' and to '%3'").arg(k, owner.value(k), who)));
      owner.insert(k, who);
    }
    QVERIFY(owner.contains(QStringLiteral("F1")));
    QVERIFY(owner.contains(QStringLiteral("T")));
  }

  void helpListsEveryBoundKeyAndF1OpensIt() {
    ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w)); // shortcuts act in the active window
    // The key cells of the help's rows.
    const QString html = ui::mouseAndKeysHtml(w);
    QSet<QString> listed;
    const QRegularExpression row(QStringLiteral("<tr><td><b>(.*?)</b></td><td>(.*?)</td></tr>"));
    for (auto it = row.globalMatch(html); it.hasNext();)
      for (const QString& k : it.next().captured(1).split(QStringLiteral(", "))) listed.insert(k);
    for (const auto& [key, who] : allBindings(w)) {
      const QString k = key.toString(QKeySequence::NativeText).toHtmlEscaped();
      QVERIFY2(listed.contains(k), qPrintable(QStringLiteral("%1 (%2) is not in the help").arg(k, who)));
    }
    // F1 opens it (bound once, so it works), listing the new swap key with its action.
    QTest::keyClick(&w, Qt::Key_F1);
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<QDialog*>(QStringLiteral("mouseAndKeysDialog"))));
    const QString text = dialog->findChild<QTextBrowser*>()->toPlainText();
    QVERIFY(text.contains(QStringLiteral("Swap crack / not crack")));
    QVERIFY(text.contains(QStringLiteral("Ctrl+Shift+Z")));
    dialog->close();
    // Ctrl+1 maximises XY, Ctrl+0 restores the four views.
    QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(w.viewLayout()->maximised(), 0);
    QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(w.viewLayout()->maximised(), -1);
  }

  void keysActOnTheViewUnderTheMouseWithoutAClick() {
    ui::MainWindow w;
    w.setErrorDialogsEnabled(false);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    w.session().setDataset(testdata::blank({40, 30, 20}));
    w.cursor().setPosition({10, 10, 5});
    // The focus sits in a panel's field, which eats letters.
    QSpinBox* field = nullptr;
    for (QSpinBox* s : w.findChildren<QSpinBox*>())
      if (s->isEnabled() && s->isVisible()) field = s;
    QVERIFY(field);
    field->setFocus();
    QTRY_VERIFY(field->hasFocus());
    // The mouse enters the XY view: it takes the focus, no click (which would paint) needed.
    auto* xy = w.sliceView(ui::SliceOrientation::XY);
    QEnterEvent enter(QPointF(20, 20), xy->mapTo(&w, QPointF(20, 20)), xy->mapToGlobal(QPointF(20, 20)));
    QApplication::sendEvent(xy, &enter);
    QTRY_VERIFY(xy->hasFocus());
    // Keys go to the focus widget: Up moves the XY slice, T swaps the painted class.
    QTest::keyClick(static_cast<QWidget*>(nullptr), Qt::Key_Up);
    QCOMPARE(w.cursor().position().z, std::int64_t(6));
    const std::uint8_t before = w.labelEditor().settings().activeClass();
    QTest::keyClick(static_cast<QWidget*>(nullptr), Qt::Key_T);
    const std::uint8_t after = w.labelEditor().settings().activeClass();
    QVERIFY(before != after);
    QVERIFY(after == core::labels::kCrack || after == core::labels::kNotCrack);
    QTest::keyClick(static_cast<QWidget*>(nullptr), Qt::Key_T);
    QCOMPARE(w.labelEditor().settings().activeClass(), before);
  }
};

QTEST_MAIN(TestStudioKeys)
#include "test_studio_keys.moc"
