#pragma once
/// \file KeyHelp.h
/// Help > Mouse and keys, generated from the window's actions so that it cannot drift from the
/// real bindings: the mouse gestures, the keys the slice views handle themselves, and every
/// QAction (and QShortcut) of the window with its keys, grouped by menu. GUI thread only.

#include <QKeySequence>
#include <QList>
#include <QString>

class QMainWindow;
class QWidget;

namespace ui {

/// Keys and what they do.
struct KeyBinding {
  QList<QKeySequence> keys;
  QString what;
};

/// Keys the slice views handle themselves (SliceView::keyPressEvent, the label tools), acting on
/// the view under the mouse. No action may use them.
QList<KeyBinding> sliceViewKeys();

/// Every key bound in \p window: the actions' shortcuts (menu text as "what"), QShortcuts, and
/// sliceViewKeys(). Actions without a shortcut are left out.
QList<KeyBinding> boundKeys(const QMainWindow& window);

/// The HTML of Help > Mouse and keys for \p window.
QString mouseAndKeysHtml(const QMainWindow& window);

/// Shows mouseAndKeysHtml() in a non-modal dialog (object name "mouseAndKeysDialog") over \p window.
void showMouseAndKeys(QMainWindow& window);

} // namespace ui
