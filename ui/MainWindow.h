#pragma once
/// \file MainWindow.h
/// The studio's main window. GUI thread only. Placeholder until the views land (issue 5).

#include <QMainWindow>

namespace ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace ui
