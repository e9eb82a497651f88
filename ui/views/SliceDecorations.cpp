// SliceView's decorations: crosshair, slice label, scale bar, empty-state hint, tool marks. Drawn
// into the view's RGBA buffer after compositing, so a crosshair move never resamples. The
// crosshair is two lines of pixels; the label and scale bar are small cached images blended in:
// a slice change costs a fraction of a millisecond here.
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/SliceOverlay.h"
#include "ui/views/SliceTool.h"
#include "ui/views/SliceView.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <cstring>

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

QFont decorationFont() {
  QFont font;
  font.setPointSizeF(9);
  return font;
}

/// A text in a dark rounded box, as a premultiplied image at device pixel ratio \p dpr.
QImage textBoxImage(const QString& text, const QColor& colour, qreal dpr) {
  const QFont font = decorationFont();
  const QFontMetricsF fm(font);
  const QSizeF size(fm.horizontalAdvance(text) + 10, fm.height() + 4);
  QImage img((size * dpr).toSize() + QSize(1, 1), QImage::Format_ARGB32_Premultiplied);
  img.setDevicePixelRatio(dpr);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setFont(font);
  drawTextBox(p, {0, 0}, text, colour);
  return img;
}

/// A scale bar of \p px logical pixels labelled \p text, in a dark box.
QImage scaleBarImage(const QString& text, double px, qreal dpr) {
  const QFont font = decorationFont();
  const QFontMetricsF fm(font);
  const double width = std::max(px, fm.horizontalAdvance(text)) + 12, height = fm.height() + 14;
  QImage img((QSizeF(width, height) * dpr).toSize() + QSize(1, 1), QImage::Format_ARGB32_Premultiplied);
  img.setDevicePixelRatio(dpr);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setFont(font);
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  p.drawRoundedRect(QRectF(0, 0, width, height), 3, 3);
  const double x0 = (width - px) / 2, y = height - 6;
  p.setPen(QPen(QColor(235, 235, 235), 2));
  p.drawLine(QPointF(x0, y), QPointF(x0 + px, y));
  p.drawLine(QPointF(x0, y), QPointF(x0, y - 4));
  p.drawLine(QPointF(x0 + px, y), QPointF(x0 + px, y - 4));
  p.drawText(QPointF(width / 2 - fm.horizontalAdvance(text) / 2, y - 5), text);
  return img;
}

/// Blends premultiplied \p src into the RGBA buffer \p dst (w x h) with its top-left at (x, y).
void blendInto(std::uint8_t* dst, int w, int h, const QImage& src, int x, int y) {
  for (int sy = 0; sy < src.height(); ++sy) {
    const int dy = y + sy;
    if (dy < 0 || dy >= h) continue;
    const auto* s = reinterpret_cast<const QRgb*>(src.constScanLine(sy));
    for (int sx = 0; sx < src.width(); ++sx) {
      const int dx = x + sx;
      const QRgb c = s[sx];
      const int a = qAlpha(c);
      if (dx < 0 || dx >= w || a == 0) continue;
      std::uint8_t* d = dst + (std::size_t(dy) * std::size_t(w) + std::size_t(dx)) * 4;
      const int k = 255 - a;
      d[0] = std::uint8_t(qRed(c) + (d[0] * k + 127) / 255);
      d[1] = std::uint8_t(qGreen(c) + (d[1] * k + 127) / 255);
      d[2] = std::uint8_t(qBlue(c) + (d[2] * k + 127) / 255);
    }
  }
}

/// Blends \p colour (alpha \p a of 255) over one pixel of an RGBA buffer.
inline void blendPixel(std::uint8_t* d, const QColor& colour, int a) {
  const int k = 255 - a;
  d[0] = std::uint8_t((colour.red() * a + d[0] * k + 127) / 255);
  d[1] = std::uint8_t((colour.green() * a + d[1] * k + 127) / 255);
  d[2] = std::uint8_t((colour.blue() * a + d[2] * k + 127) / 255);
}

} // namespace

void SliceView::decorate() {
  std::memcpy(m_shown.data(), m_base.data(), m_shown.size());
  const int w = m_transform.width, h = m_transform.height;
  const qreal dpr = devicePixelRatioF();
  if (!m_source->hasImage()) {
    QImage img(m_shown.data(), w, h, w * 4, QImage::Format_RGBA8888);
    img.setDevicePixelRatio(dpr);
    QPainter p(&img);
    paintDecorations(p);
  } else {
    for (SliceOverlay* overlay : m_overlays) overlay->paintSlice(*this, m_shown.data(), w, h);
    // Crosshair: each line has the colour of the view whose plane it shows.
    if (m_display.crosshairVisible()) {
      const QPointF c = widgetPosition(m_cursor.position()) * dpr;
      const int cx = int(std::floor(c.x())), cy = int(std::floor(c.y()));
      const QColor vertical = orientationColour(orientationWithNormal(m_axes.u));
      const QColor horizontal = orientationColour(orientationWithNormal(m_axes.v));
      if (cx >= 0 && cx < w)
        for (int y = 0; y < h; ++y) blendPixel(m_shown.data() + (std::size_t(y) * std::size_t(w) + std::size_t(cx)) * 4, vertical, 200);
      if (cy >= 0 && cy < h)
        for (int x = 0; x < w; ++x)
          if (x != cx) blendPixel(m_shown.data() + (std::size_t(cy) * std::size_t(w) + std::size_t(x)) * 4, horizontal, 200);
    }
    // Slice label: index and depth.
    static const char* kAxis = "xyz";
    const core::volume::VolumeInfo im = m_source->imageInfo();
    const double depth = component(im.origin, m_axes.normal) + double(slice()) * component(im.spacing, m_axes.normal);
    const QString label = QStringLiteral("%1   %2 = %3 / %4   %5")
                              .arg(orientationName(m_orientation))
                              .arg(QChar(kAxis[m_axes.normal]))
                              .arg(slice())
                              .arg(sliceCount() - 1)
                              .arg(formatMicrometres(depth));
    if (label != m_labelKey || m_labelImage.devicePixelRatio() != dpr) {
      m_labelImage = textBoxImage(label, orientationColour(m_orientation), dpr);
      m_labelKey = label;
    }
    blendInto(m_shown.data(), w, h, m_labelImage, int(6 * dpr), int(6 * dpr));
    // Scale bar, bottom right: 1, 2 or 5 x 10^n micrometres, about 110 logical pixels.
    const double umPerLogicalPixel = m_transform.scale * dpr;
    const double length = niceLength(110 * umPerLogicalPixel);
    const double px = length / umPerLogicalPixel;
    const QString scaleKey = formatMicrometres(length) + QLatin1Char('/') + QString::number(px, 'f', 1);
    if (scaleKey != m_scaleKey || m_scaleImage.devicePixelRatio() != dpr) {
      m_scaleImage = scaleBarImage(formatMicrometres(length), px, dpr);
      m_scaleKey = scaleKey;
    }
    blendInto(m_shown.data(), w, h, m_scaleImage, w - m_scaleImage.width() - int(8 * dpr),
              h - m_scaleImage.height() - int(6 * dpr));
  }
  if (m_tool) {
    QImage img(m_shown.data(), w, h, w * 4, QImage::Format_RGBA8888);
    img.setDevicePixelRatio(dpr);
    QPainter p(&img);
    m_tool->paintOverlay(*this, p);
  }
  m_blitter.markDirty(m_changedPixels.isNull() ? QRect(0, 0, w, h) : m_changedPixels);
  m_changedPixels = QRect();
  m_dirtyDecor = false;
}

void SliceView::addOverlay(SliceOverlay* overlay) {
  if (std::find(m_overlays.begin(), m_overlays.end(), overlay) == m_overlays.end()) m_overlays.push_back(overlay);
  refreshDecorations();
}

void SliceView::removeOverlay(SliceOverlay* overlay) {
  m_overlays.erase(std::remove(m_overlays.begin(), m_overlays.end(), overlay), m_overlays.end());
  refreshDecorations();
}

void SliceView::paintDecorations(QPainter& p) {
  // The empty view: a hint where to start.
  p.setRenderHint(QPainter::TextAntialiasing, true);
  p.setFont(decorationFont());
  const double w = width(), h = height();
  if (m_orientation == SliceOrientation::XY) {
    p.setPen(QColor(170, 175, 185));
    p.drawText(QRectF(0, 0, w, h), Qt::AlignCenter | Qt::TextWordWrap,
               tr("No volume\nFile \u203a Open, drop a file here, or File \u203a Open demo phantom"));
  }
  drawTextBox(p, {6, 6}, orientationName(m_orientation), orientationColour(m_orientation));
}

} // namespace ui

