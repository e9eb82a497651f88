#include "ui/views/ViewLayout.h"

#include "ui/views/ViewFrame.h"

#include <QGridLayout>

namespace ui {

ViewLayout::ViewLayout(std::array<ViewFrame*, 4> frames, QWidget* parent) : QWidget(parent), m_frames(frames) {
  m_grid = new QGridLayout(this);
  m_grid->setContentsMargins(0, 0, 0, 0);
  m_grid->setSpacing(2);
  // XY | YZ
  // XZ | 3D
  m_grid->addWidget(frames[0], 0, 0);
  m_grid->addWidget(frames[2], 0, 1);
  m_grid->addWidget(frames[1], 1, 0);
  m_grid->addWidget(frames[3], 1, 1);
  for (int i = 0; i < 2; ++i) {
    m_grid->setRowStretch(i, 1);
    m_grid->setColumnStretch(i, 1);
  }
  for (int i = 0; i < 4; ++i)
    connect(frames[std::size_t(i)], &ViewFrame::maximiseToggled, this, [this, i] { toggle(i); });
}

void ViewLayout::maximise(int index) {
  if (index < 0 || index > 3) return restore();
  m_maximised = index;
  // Grid cells of XY, XZ, YZ, 3D; the other row and column get no space.
  static const int kRow[4] = {0, 1, 0, 1}, kCol[4] = {0, 0, 1, 1};
  for (int i = 0; i < 2; ++i) {
    m_grid->setRowStretch(i, i == kRow[index] ? 1 : 0);
    m_grid->setColumnStretch(i, i == kCol[index] ? 1 : 0);
  }
  for (int i = 0; i < 4; ++i) {
    m_frames[std::size_t(i)]->setVisible(i == index);
    m_frames[std::size_t(i)]->setMaximised(i == index);
  }
  Q_EMIT layoutChanged(m_maximised);
}

void ViewLayout::restore() {
  m_maximised = -1;
  for (int i = 0; i < 2; ++i) {
    m_grid->setRowStretch(i, 1);
    m_grid->setColumnStretch(i, 1);
  }
  for (auto* f : m_frames) {
    f->setVisible(true);
    f->setMaximised(false);
  }
  Q_EMIT layoutChanged(m_maximised);
}

void ViewLayout::toggle(int index) {
  if (m_maximised == index) restore();
  else maximise(index);
}

} // namespace ui
