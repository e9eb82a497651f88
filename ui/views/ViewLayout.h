#pragma once
/// \file ViewLayout.h
/// The four views in a 2 x 2 grid (XY top left, YZ top right, XZ bottom left, 3D bottom right, as
/// in ITK-SNAP); any one can be maximised and restored. GUI thread only.

#include <QWidget>

#include <array>

class QGridLayout;

namespace ui {

class ViewFrame;

class ViewLayout : public QWidget {
  Q_OBJECT
public:
  /// Takes the four frames (XY, XZ, YZ, 3D order) as children.
  ViewLayout(std::array<ViewFrame*, 4> frames, QWidget* parent = nullptr);

  /// Index (0 XY, 1 XZ, 2 YZ, 3 3D) of the maximised view, -1 when all four show.
  int maximised() const { return m_maximised; }
  void maximise(int index);
  void restore();
  void toggle(int index);

Q_SIGNALS:
  void layoutChanged(int maximised);

private:
  std::array<ViewFrame*, 4> m_frames;
  QGridLayout* m_grid;
  int m_maximised = -1;
};

} // namespace ui
