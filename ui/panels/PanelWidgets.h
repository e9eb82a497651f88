#pragma once
/// \file PanelWidgets.h
/// Building blocks that keep the docks inside the screen: a layout that wraps its widgets onto
/// more rows instead of asking for more width (FlowLayout), a section whose content a click
/// collapses (CollapsibleSection), and the scroll area every dock puts its panel in
/// (PanelScrollArea: scrolls vertically only, never wider than its content's minimum, combo
/// boxes allowed to shrink). GUI thread only.

#include <QLayout>
#include <QScrollArea>
#include <QWidget>

class QToolButton;

namespace ui {

/// Lays its widgets out left to right and starts a new row when the next one does not fit; its
/// minimum width is that of its widest widget.
class FlowLayout : public QLayout {
public:
  explicit FlowLayout(QWidget* parent = nullptr, int spacing = 6);
  ~FlowLayout() override;

  void addItem(QLayoutItem* item) override;
  int count() const override { return int(m_items.size()); }
  QLayoutItem* itemAt(int index) const override;
  QLayoutItem* takeAt(int index) override;
  Qt::Orientations expandingDirections() const override { return {}; }
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize minimumSize() const override;
  QSize sizeHint() const override;
  void setGeometry(const QRect& rect) override;

private:
  int arrange(const QRect& rect, bool apply) const;

  QList<QLayoutItem*> m_items;
  int m_spacing;
};

/// A title button with an arrow above a content widget; clicking the title shows or hides the
/// content.
class CollapsibleSection : public QWidget {
  Q_OBJECT
public:
  CollapsibleSection(const QString& title, QWidget* content, QWidget* parent = nullptr);

  bool isExpanded() const;
  void setExpanded(bool expanded);
  QToolButton* toggleButton() const { return m_toggle; }
  QWidget* content() const { return m_content; }

private:
  QToolButton* m_toggle;
  QWidget* m_content;
};

/// The scroll area of a dock: resizes \p panel to its width, scrolls vertically only, and asks
/// for at least the panel's minimum width (so nothing is cut off) but prefers \p preferredWidth.
/// Combo boxes of the panel shrink to a few characters instead of their longest item, spin boxes
/// to 90 pixels instead of their widest possible value.
class PanelScrollArea : public QScrollArea {
public:
  explicit PanelScrollArea(QWidget* panel, int preferredWidth = 300, QWidget* parent = nullptr);
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

  /// Lets every combo box under \p root shrink to \p characters characters, every spin box to 90 pixels.
  static void letCombosShrink(QWidget* root, int characters = 8);

private:
  int m_preferredWidth;
};

} // namespace ui
