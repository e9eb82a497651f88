#include "ui/bench/BenchWindow.h"

#include "ui/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QWindow>

namespace ui {

bool showForBenchmark(MainWindow& window, QTextStream& out) {
  window.setErrorDialogsEnabled(false);
  window.resize(1280, 800);
  window.show();
  QElapsedTimer shown;
  shown.start();
  while (!(window.windowHandle() && window.windowHandle()->isExposed()) && shown.elapsed() < 10000) {
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(10);
  }
  if (!window.windowHandle() || !window.windowHandle()->isExposed()) {
    out << "cannot show the window\n";
    return false;
  }
  return true;
}

} // namespace ui
