#include "ui/panels/ChartStyle.h"

#include <QApplication>
#include <QChart>
#include <QPalette>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

/// A step of 1, 2 or 5 times a power of ten that splits \p span into at most about \p ticks parts.
double niceStep(double span, int ticks) {
  const double raw = span / std::max(1, ticks);
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

} // namespace

bool paletteIsDark() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }

void styleChart(QChart* chart) {
  chart->setTheme(paletteIsDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart->setBackgroundBrush(QApplication::palette().color(QPalette::Base));
  chart->setBackgroundRoundness(0);
}

void setIntegerAxis(QValueAxis* axis, double lo, double hi) {
  lo = std::floor(std::isfinite(lo) ? lo : 0);
  hi = std::ceil(std::isfinite(hi) ? hi : 1);
  if (hi <= lo) hi = lo + 1;
  const double step = std::max(1.0, niceStep(hi - lo, 5));
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  axis->setRange(lo, hi);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(step);
  axis->setMinorTickCount(0);
  axis->setLabelFormat(QStringLiteral("%d"));
}

void setRealAxis(QValueAxis* axis, double lo, double hi) {
  if (!std::isfinite(lo)) lo = 0;
  if (!std::isfinite(hi)) hi = lo + 1;
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  const double step = niceStep(hi - lo, 5);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  axis->setRange(lo, hi);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(step);
  const int decimals = std::clamp(int(-std::floor(std::log10(step) + 1e-9)), 0, 8);
  axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
}

} // namespace ui
