#include "ui/MainWindow.h"

#include <QLabel>

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("CDNet Studio"));
  auto* label = new QLabel(tr("CDNet Studio"), this);
  label->setAlignment(Qt::AlignCenter);
  setCentralWidget(label);
  resize(1200, 800);
}

} // namespace ui
