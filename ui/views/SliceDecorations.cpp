// SliceView's decorations: crosshair, slice label, scale bar, empty-state hint. Drawn with
// QPainter into the view's RGBA buffer after compositing (cheap: a crosshair move never resamples).
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/SliceView.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

/// 1, 2 or 5 times a power of ten, close to \p target.
double niceLength(double target) {
  if (!(target > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(target)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= target) return m * p;
  return p;
}

QString formatMicrometres(double um) {
  if (um == 0) return QStringLiteral("0 \u00b5m");
  if (std::abs(um) >= 1000) return QString::number(um / 1000, 'g', 3) + QStringLiteral(" mm");
  if (std::abs(um) >= 1) return QString::number(um, 'g', 3) + QStringLiteral(" \u00b5m");
  return QString::number(um * 1000, 'g', 3) + QStringLiteral(" nm");
}

void drawTextBox(QPainter& p, const QPointF& topLeft, const QString& text, const QColor& colour) {
  const QFontMetricsF fm(p.font());
  const QRectF box(topLeft, QSizeF(fm.horizontalAdvance(text) + 10, fm.height() + 4));
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  p.drawRoundedRect(box, 3, 3);
  p.setPen(colour);
  p.drawText(box, Qt::AlignCenter, text);
}

} // namespace

void SliceView::paintDecorations(QPainter& p) {
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  QFont font = p.font();
  font.setPointSizeF(9);
  p.setFont(font);
  const double w = width(), h = height();

  if (!m_session.hasImage()) {
    if (m_orientation == SliceOrientation::XY) {
      p.setPen(QColor(170, 175, 185));
      p.drawText(QRectF(0, 0, w, h), Qt::AlignCenter | Qt::TextWordWrap,
                 tr("No volume\nFile \u203a Open, drop a file here, or File \u203a Open demo phantom"));
    }
    drawTextBox(p, {6, 6}, orientationName(m_orientation), orientationColour(m_orientation));
    return;
  }

  // Crosshair: each line has the colour of the view whose plane it shows.
  const QPointF c = widgetPosition(m_cursor.position());
  if (m_display.crosshairVisible()) {
  QColor vertical = orientationColour(orientationWithNormal(m_axes.u));
  QColor horizontal = orientationColour(orientationWithNormal(m_axes.v));
  vertical.setAlpha(200);
  horizontal.setAlpha(200);
  p.setPen(QPen(vertical, 0));
  p.drawLine(QPointF(c.x(), 0), QPointF(c.x(), h));
  p.setPen(QPen(horizontal, 0));
  p.drawLine(QPointF(0, c.y()), QPointF(w, c.y()));
  }

  // Slice label: index and depth.
  static const char* kAxis = "xyz";
  const auto& im = m_session.image();
  const double depth = component(im.origin(), m_axes.normal) + double(slice()) * component(im.spacing(), m_axes.normal);
  const QString label = QStringLiteral("%1   %2 = %3 / %4   %5")
                            .arg(orientationName(m_orientation))
                            .arg(QChar(kAxis[m_axes.normal]))
                            .arg(slice())
                            .arg(sliceCount() - 1)
                            .arg(formatMicrometres(depth));
  drawTextBox(p, {6, 6}, label, orientationColour(m_orientation));

  // Scale bar, bottom right.
  const double umPerLogicalPixel = m_transform.scale * devicePixelRatioF();
  const double length = niceLength(110 * umPerLogicalPixel);
  const double px = length / umPerLogicalPixel;
  const QPointF end(w - 14, h - 12);
  const QString text = formatMicrometres(length);
  const QFontMetricsF fm(p.font());
  const double boxWidth = std::max(px, fm.horizontalAdvance(text)) + 12;
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  p.drawRoundedRect(QRectF(end.x() - px / 2 - boxWidth / 2, end.y() - fm.height() - 8, boxWidth, fm.height() + 14), 3, 3);
  p.setPen(QPen(QColor(235, 235, 235), 2));
  p.drawLine(end, end - QPointF(px, 0));
  p.drawLine(end, end - QPointF(0, 4));
  p.drawLine(end - QPointF(px, 0), end - QPointF(px, 4));
  p.drawText(QPointF(end.x() - px / 2 - fm.horizontalAdvance(text) / 2, end.y() - 7), text);
}

} // namespace ui
