#include "ui/views/ViewFrame.h"

#include "ui/model/CursorModel.h"
#include "ui/views/SliceView.h"
#include "ui/views/VolumeView3D.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

namespace {

/// A light, crisp icon for the dark title bars: one frame (maximise) or two (restore).
QIcon frameIcon(bool restore) {
  QPixmap pm(32, 32);
  pm.fill(Qt::transparent);
  QPainter p(&pm);
  p.setPen(QPen(QColor(215, 220, 228), 2.5));
  if (restore) {
    p.drawRect(QRectF(11, 5, 16, 14));
    p.fillRect(QRectF(5, 13, 16, 14), QColor(40, 42, 48));
    p.drawRect(QRectF(5, 13, 16, 14));
  } else {
    p.drawRect(QRectF(5, 6, 22, 20));
    p.drawLine(QPointF(5, 10), QPointF(27, 10));
  }
  return QIcon(pm);
}

} // namespace

ViewFrame::ViewFrame(SliceView* view, CursorModel& cursor, QWidget* parent)
    : QFrame(parent), m_view(view), m_slice(view), m_cursor(&cursor) {
  build(orientationName(view->orientation()), orientationColour(view->orientation()));
  connect(m_reset, &QToolButton::clicked, view, &SliceView::resetView);
  connect(view, &SliceView::maximiseToggled, this, &ViewFrame::maximiseToggled);
  connect(&cursor, &CursorModel::positionChanged, this, &ViewFrame::syncSlider);
  connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
    m_cursor->setAlong(sliceAxes(m_slice->orientation()).normal, v);
  });
  syncSlider();
}

ViewFrame::ViewFrame(VolumeView3D* view, QWidget* parent) : QFrame(parent), m_view(view) {
  build(QStringLiteral("3D"), QColor(150, 170, 230));
  m_reset->setToolTip(tr("Reset the camera"));
  connect(m_reset, &QToolButton::clicked, view, &VolumeView3D::resetCamera);
  connect(view, &VolumeView3D::maximiseToggled, this, &ViewFrame::maximiseToggled);
}

void ViewFrame::build(const QString& title, const QColor& colour) {
  setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  auto* bar = new QWidget(this);
  bar->setObjectName(QStringLiteral("viewBar"));
  bar->setAutoFillBackground(true);
  QPalette pal = bar->palette();
  pal.setColor(QPalette::Window, colour.darker(260));
  bar->setPalette(pal);
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(6, 1, 2, 1);
  row->setSpacing(4);
  auto* name = new QLabel(title, bar);
  name->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(colour.name()));
  name->setMinimumWidth(24);
  row->addWidget(name);
  if (m_slice) {
    m_slider = new QSlider(Qt::Horizontal, bar);
    m_slider->setToolTip(tr("Slice"));
    m_slider->setFocusPolicy(Qt::NoFocus);
    row->addWidget(m_slider, 1);
    m_sliceLabel = new QLabel(QStringLiteral("0 / 0"), bar);
    // Of fixed size (syncSlider sets the width for the slice count): a label whose size hint
    // changes with its text would relay out the main window on every slice change.
    m_sliceLabel->setFixedSize(70, m_sliceLabel->sizeHint().height());
    m_sliceLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_sliceLabel->setStyleSheet(QStringLiteral("QLabel { color: #d8dce4; }"));
    row->addWidget(m_sliceLabel);
  } else {
    row->addStretch(1);
  }
  m_reset = new QToolButton(bar);
  m_reset->setAutoRaise(true);
  m_reset->setText(QStringLiteral("\u27f2"));
  m_reset->setToolTip(tr("Reset the view (R)"));
  row->addWidget(m_reset);
  m_maximise = new QToolButton(bar);
  m_maximise->setAutoRaise(true);
  m_maximise->setIcon(frameIcon(false));
  m_maximise->setToolTip(tr("Maximise this view (double-click the view)"));
  connect(m_maximise, &QToolButton::clicked, this, &ViewFrame::maximiseToggled);
  row->addWidget(m_maximise);
  layout->addWidget(bar);
  layout->addWidget(m_view, 1);
}

void ViewFrame::setMaximised(bool maximised) {
  m_maximise->setIcon(frameIcon(maximised));
  m_maximise->setToolTip(maximised ? tr("Restore the four views") : tr("Maximise this view (double-click the view)"));
}

void ViewFrame::syncSlider() {
  if (!m_slider) return;
  const std::int64_t count = m_slice->sliceCount();
  const QSignalBlocker block(m_slider);
  m_slider->setEnabled(count > 0);
  m_slider->setRange(0, int(std::max<std::int64_t>(count - 1, 0)));
  m_slider->setValue(int(m_slice->slice()));
  const int digits = int(QString::number(std::max<std::int64_t>(count - 1, 0)).size());
  const QString widest = QStringLiteral("%1 / %1").arg(QString(digits, QLatin1Char('8')));
  m_sliceLabel->setFixedWidth(std::max(70, m_sliceLabel->fontMetrics().horizontalAdvance(widest) + 6));
  m_sliceLabel->setText(count > 0 ? QStringLiteral("%1 / %2").arg(m_slice->slice()).arg(count - 1) : QString());
}

} // namespace ui
