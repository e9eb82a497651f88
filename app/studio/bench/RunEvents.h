#pragma once
/// \file RunEvents.h
/// Runs the GUI thread's event loop until a condition holds, for the studio's screenshot and
/// benchmark modes (no Qt Test there). GUI thread only.

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace ui {

/// Runs the event loop until \p done returns true (checked every 50 ms) or \p timeoutMs passed
/// (<= 0: no limit). Returns whether \p done became true.
template <class F> bool runEventsUntil(F done, int timeoutMs = 0) {
  QElapsedTimer clock;
  clock.start();
  bool ok = done();
  if (ok) return true;
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    ok = done();
    if (ok || (timeoutMs > 0 && clock.elapsed() > timeoutMs)) loop.quit();
  });
  poll.start(50);
  loop.exec();
  return ok;
}

/// Runs the event loop for \p ms milliseconds (lets views repaint before a grab).
inline void runEventsFor(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

} // namespace ui
