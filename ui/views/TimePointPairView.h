#pragma once
/// \file TimePointPairView.h
/// Scan A and scan B side by side (issue 19): two slice views of one orientation sharing the
/// session's cursor, A on the left, B resampled onto A's grid on the right, so the same screen
/// point in both is the same material point through the registration, and a click or a slice
/// change in either moves the cursor in both and in the main views. Below them, the cursor's voxel
/// in A and, through the transform, in B's own grid. The right view shows nothing until the
/// EvolutionController has a result. GUI thread only.

#include "ui/views/SliceTransform.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace ui {

class CursorModel;
class DisplaySettings;
class EvolutionController;
class Session;
class SliceView;

class TimePointPairView : public QWidget {
  Q_OBJECT
public:
  /// Shows the session and display settings of \p evolution, following \p cursor; a window of its own.
  TimePointPairView(EvolutionController& evolution, CursorModel& cursor, QWidget* parent = nullptr);

  SliceView* viewA() const { return m_a; }
  SliceView* viewB() const { return m_b; }
  /// "A (x, y, z) | B (x, y, z)": the cursor's voxel in A and its place in B's own grid.
  QLabel* cursorLabel() const { return m_label; }
  SliceOrientation orientation() const { return m_orientation; }
  /// Shows the pair in \p o (new views; the cursor stays).
  void setOrientation(SliceOrientation o);

Q_SIGNALS:
  /// The window was closed.
  void closed();

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void buildViews();
  void onResultChanged();
  void updateLabel();

  EvolutionController& m_evolution;
  Session& m_session;
  CursorModel& m_cursor;
  DisplaySettings& m_display;
  SliceOrientation m_orientation = SliceOrientation::XY;
  SliceView *m_a = nullptr, *m_b = nullptr;
  QWidget* m_pair = nullptr;
  QComboBox* m_orientationBox = nullptr;
  QLabel* m_label = nullptr;
  QLabel *m_titleA = nullptr, *m_titleB = nullptr;
};

} // namespace ui
