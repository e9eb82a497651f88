// cdnet-studio: the window.
#include "ui/MainWindow.h"

#include <QApplication>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("CDNet Studio");
  QApplication::setOrganizationName("CDNet");
  QApplication::setApplicationVersion(CDNET_VERSION);
  ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
