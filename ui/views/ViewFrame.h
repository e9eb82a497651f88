#pragma once
/// \file ViewFrame.h
/// A view with its title bar, as in 3D Slicer: the view's name in its colour, a slice slider and
/// number (slice views), reset and maximise buttons. GUI thread only.

#include <QFrame>

class QLabel;
class QSlider;
class QToolButton;

namespace ui {

class CursorModel;
class SliceView;
class VolumeView3D;

class ViewFrame : public QFrame {
  Q_OBJECT
public:
  /// Frames a slice view; the slider follows and moves the shared cursor.
  ViewFrame(SliceView* view, CursorModel& cursor, QWidget* parent = nullptr);
  /// Frames the 3D view.
  explicit ViewFrame(VolumeView3D* view, QWidget* parent = nullptr);

  QWidget* view() const { return m_view; }
  /// Shows the maximise button as "restore" when \p maximised.
  void setMaximised(bool maximised);

Q_SIGNALS:
  void maximiseToggled();

private:
  void build(const QString& title, const QColor& colour);
  void syncSlider();

  QWidget* m_view = nullptr;
  SliceView* m_slice = nullptr;
  CursorModel* m_cursor = nullptr;
  QSlider* m_slider = nullptr;
  QLabel* m_sliceLabel = nullptr;
  QToolButton* m_reset = nullptr;
  QToolButton* m_maximise = nullptr;
};

} // namespace ui
