#include "ui/panels/WheelGuard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>

namespace ui {

namespace {
bool guarded(QObject* o) { return qobject_cast<QAbstractSpinBox*>(o) || qobject_cast<QComboBox*>(o); }
} // namespace

void WheelGuard::installOnApplication() {
  QCoreApplication* app = QCoreApplication::instance();
  if (!app || app->findChild<WheelGuard*>(QString(), Qt::FindDirectChildrenOnly)) return;
  app->installEventFilter(new WheelGuard(app));
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Polish && guarded(watched)) {
    // Qt's default WheelFocus would hand them the focus on the first wheel turn.
    auto* w = static_cast<QWidget*>(watched);
    if (w->focusPolicy() == Qt::WheelFocus) w->setFocusPolicy(Qt::StrongFocus);
  } else if (event->type() == QEvent::Wheel && guarded(watched) && !static_cast<QWidget*>(watched)->hasFocus()) {
    // Not accepted: QApplication passes the wheel on to the parents (the panel's scroll area).
    event->ignore();
    return true;
  }
  return QObject::eventFilter(watched, event);
}

} // namespace ui
