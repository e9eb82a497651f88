#include "ui/Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace ui {

void applyStudioTheme(QApplication& app) {
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette p;
  const QColor window(45, 48, 54), base(32, 34, 39), text(220, 223, 228), mid(120, 125, 135);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(58, 62, 70));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Highlight, QColor(64, 130, 210));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Mid, mid);
  p.setColor(QPalette::Link, QColor(110, 170, 240));
  p.setColor(QPalette::Disabled, QPalette::Text, mid);
  p.setColor(QPalette::Disabled, QPalette::WindowText, mid);
  p.setColor(QPalette::Disabled, QPalette::ButtonText, mid);
  app.setPalette(p);
}

} // namespace ui
