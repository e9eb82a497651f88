#pragma once
/// \file JobProgressWidget.h
/// The status bar's job indicator: what runs, a progress bar and Cancel. Hidden when idle.
/// GUI thread only.

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ui {

class JobRunner;

class JobProgressWidget : public QWidget {
  Q_OBJECT
public:
  explicit JobProgressWidget(JobRunner& runner, QWidget* parent = nullptr);

private:
  JobRunner& m_runner;
  QLabel* m_stage;
  QProgressBar* m_bar;
  QPushButton* m_cancel;
};

} // namespace ui
