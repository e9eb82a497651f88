#include "ui/tools/ToolIcons.h"

#include "ui/tools/ToolSettings.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace ui {

QIcon toolIcon(ToolKind kind) {
  QPixmap pm(64, 64);
  pm.fill(Qt::transparent);
  QPainter p(&pm);
  p.setRenderHint(QPainter::Antialiasing);
  const QColor ink(225, 228, 235), accent(255, 70, 70);
  p.setPen(QPen(ink, 5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.setBrush(Qt::NoBrush);
  switch (kind) {
  case ToolKind::Navigate:
    p.drawLine(32, 6, 32, 58);
    p.drawLine(6, 32, 58, 32);
    p.drawEllipse(QPointF(32, 32), 12, 12);
    break;
  case ToolKind::Brush:
    p.setBrush(accent);
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPointF(32, 32), 22, 22);
    break;
  case ToolKind::Eraser:
    p.drawEllipse(QPointF(32, 32), 22, 22);
    p.drawLine(18, 46, 46, 18);
    break;
  case ToolKind::Sphere: {
    QRadialGradient g(QPointF(24, 24), 30);
    g.setColorAt(0, QColor(255, 160, 160));
    g.setColorAt(1, QColor(170, 20, 20));
    p.setBrush(g);
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPointF(32, 32), 24, 24);
    break;
  }
  case ToolKind::Polygon: {
    QPainterPath path;
    path.moveTo(10, 50);
    path.lineTo(20, 10);
    path.lineTo(54, 20);
    path.lineTo(44, 54);
    path.closeSubpath();
    p.setBrush(QColor(255, 70, 70, 140));
    p.drawPath(path);
    break;
  }
  case ToolKind::Flood: {
    p.drawRect(10, 24, 30, 30);
    QPainterPath drop;
    drop.moveTo(50, 8);
    drop.cubicTo(58, 24, 60, 34, 50, 36);
    drop.cubicTo(40, 34, 42, 24, 50, 8);
    p.setPen(Qt::NoPen);
    p.setBrush(accent);
    p.drawPath(drop);
    break;
  }
  }
  p.end();
  return QIcon(pm);
}

} // namespace ui
