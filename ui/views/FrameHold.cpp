#include "ui/views/FrameHold.h"

#include <QCoreApplication>
#include <QEvent>
#include <QWidget>
#include <QWindow>

namespace ui {

FrameHold* FrameHold::of(QWidget* widget) {
  QWidget* window = widget->window();
  if (auto* h = window->findChild<FrameHold*>(QString(), Qt::FindDirectChildrenOnly)) return h;
  return new FrameHold(window);
}

FrameHold::FrameHold(QWidget* window) : QObject(window), m_window(window) {
  m_timeout.setSingleShot(true);
  connect(&m_timeout, &QTimer::timeout, this, &FrameHold::releaseAll);
  bool ok = false;
  const int ms = qEnvironmentVariableIntValue("CDNET_FRAME_HOLD_MS", &ok);
  if (ok && ms >= 0) m_maxMs = ms;
  window->installEventFilter(this);
}

void FrameHold::hold(const void* holder) {
  if (m_maxMs <= 0) return;
  if (m_holders.isEmpty()) {
    m_timeout.start(m_maxMs);
    // The window's QWindow receives update requests too where Qt sends them there.
    if (QWindow* w = m_window->windowHandle()) w->installEventFilter(this);
  }
  m_holders.insert(holder);
}

void FrameHold::release(const void* holder) {
  if (!m_holders.remove(holder) || !m_holders.isEmpty()) return;
  releaseAll();
}

void FrameHold::releaseAll() {
  m_holders.clear();
  m_timeout.stop();
  if (m_pending) {
    QObject* receiver = m_pending;
    m_pending = nullptr;
    QCoreApplication::postEvent(receiver, new QEvent(QEvent::UpdateRequest), Qt::LowEventPriority);
  }
}

bool FrameHold::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::UpdateRequest || m_holders.isEmpty()) return false;
  // Held: Qt posts no further request while this one is outstanding, so one re-post later
  // draws everything that became dirty meanwhile.
  m_pending = watched;
  ++m_held;
  return true;
}

} // namespace ui
