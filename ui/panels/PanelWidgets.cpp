#include "ui/panels/PanelWidgets.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

FlowLayout::FlowLayout(QWidget* parent, int spacing) : QLayout(parent), m_spacing(spacing) {}

FlowLayout::~FlowLayout() {
  while (QLayoutItem* item = takeAt(0)) delete item;
}

void FlowLayout::addItem(QLayoutItem* item) { m_items.append(item); }

QLayoutItem* FlowLayout::itemAt(int index) const {
  return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem* FlowLayout::takeAt(int index) {
  return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

int FlowLayout::heightForWidth(int width) const { return arrange(QRect(0, 0, width, 0), false); }

QSize FlowLayout::minimumSize() const {
  QSize size;
  for (const QLayoutItem* item : m_items)
    if (!item->isEmpty()) size = size.expandedTo(item->minimumSize());
  const QMargins m = contentsMargins();
  return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

QSize FlowLayout::sizeHint() const {
  // One row when there is room for it; the height follows heightForWidth.
  int width = 0, height = 0, shown = 0;
  for (const QLayoutItem* item : m_items) {
    if (item->isEmpty()) continue;
    width += item->sizeHint().width() + (shown++ ? m_spacing : 0);
    height = std::max(height, item->sizeHint().height());
  }
  const QMargins m = contentsMargins();
  return {width + m.left() + m.right(), height + m.top() + m.bottom()};
}

void FlowLayout::setGeometry(const QRect& rect) {
  QLayout::setGeometry(rect);
  arrange(rect, true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
  const QMargins m = contentsMargins();
  const QRect area = rect.marginsRemoved(m);
  // Rows first, then each row's items widened alike to fill it (buttons line up as in a grid).
  QList<QList<QLayoutItem*>> rows(1);
  int x = 0;
  for (QLayoutItem* item : m_items) {
    if (item->isEmpty()) continue;
    const int w = item->sizeHint().width();
    if (!rows.last().isEmpty() && x + m_spacing + w > area.width()) {
      rows.append(QList<QLayoutItem*>());
      x = 0;
    }
    x += (rows.last().isEmpty() ? 0 : m_spacing) + w;
    rows.last().append(item);
  }
  int y = area.y();
  for (const auto& row : rows) {
    if (row.isEmpty()) continue;
    int used = 0, height = 0;
    for (QLayoutItem* item : row) {
      used += item->sizeHint().width();
      height = std::max(height, item->sizeHint().height());
    }
    const int spare = std::max(0, area.width() - used - m_spacing * int(row.size() - 1));
    int left = area.x();
    for (int i = 0; i < row.size(); ++i) {
      QLayoutItem* item = row[i];
      // The spare width shared out; an item wider than the row is cut to the row.
      const int w = std::min(area.width(), item->sizeHint().width() + spare / int(row.size()) +
                                               (i < spare % int(row.size()) ? 1 : 0));
      if (apply) item->setGeometry(QRect(left, y, w, height));
      left += w + m_spacing;
    }
    y += height + m_spacing;
  }
  return y - m_spacing - area.y() + m.top() + m.bottom();
}

CollapsibleSection::CollapsibleSection(const QString& title, QWidget* content, QWidget* parent)
    : QWidget(parent), m_content(content) {
  m_toggle = new QToolButton;
  m_toggle->setText(title);
  m_toggle->setCheckable(true);
  m_toggle->setChecked(true);
  m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  m_toggle->setArrowType(Qt::DownArrow);
  m_toggle->setAutoRaise(true);
  m_toggle->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(m_toggle);
  layout->addWidget(m_content, 1);
  connect(m_toggle, &QToolButton::toggled, this, [this](bool on) {
    m_toggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    m_content->setVisible(on);
  });
}

bool CollapsibleSection::isExpanded() const { return m_toggle->isChecked(); }

void CollapsibleSection::setExpanded(bool expanded) { m_toggle->setChecked(expanded); }

PanelScrollArea::PanelScrollArea(QWidget* panel, int preferredWidth, QWidget* parent)
    : QScrollArea(parent), m_preferredWidth(preferredWidth) {
  letCombosShrink(panel);
  setWidget(panel);
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QSize PanelScrollArea::sizeHint() const {
  return {std::max(m_preferredWidth, minimumSizeHint().width()), QScrollArea::sizeHint().height()};
}

QSize PanelScrollArea::minimumSizeHint() const {
  // As wide as the panel needs (nothing is cut off, there is no horizontal scroll bar), plus the
  // vertical scroll bar; any height (it scrolls).
  const int content = widget() ? widget()->minimumSizeHint().width() : 0;
  const int bar = style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
  return {content + bar + 2 * frameWidth(), QScrollArea::minimumSizeHint().height()};
}

void PanelScrollArea::letCombosShrink(QWidget* root, int characters) {
  for (QComboBox* box : root->findChildren<QComboBox*>()) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(characters);
  }
  // A spin box asks for room for its widest possible value (-1000000000.000); its usual values
  // need far less.
  for (QAbstractSpinBox* box : root->findChildren<QAbstractSpinBox*>())
    box->setMinimumWidth(std::min(box->minimumSizeHint().width(), 90));
}

} // namespace ui
