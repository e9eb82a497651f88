#pragma once
/// \file ChartStyle.h
/// What every chart of the studio shares: a Qt Charts theme that follows the application's
/// palette (dark canvas in the dark theme), and value axes whose tick labels never repeat:
/// integer axes tick at whole numbers and print them without decimals, real axes print as many
/// decimals as their tick step needs. GUI thread only.

class QChart;
class QValueAxis;

namespace ui {

/// True when the application palette's window colour is dark.
bool paletteIsDark();
/// Sets \p chart's theme from the palette (dark or light) and its background to the palette's
/// base colour. Call before adding series: a theme resets their colours.
void styleChart(QChart* chart);
/// \p axis from \p lo to \p hi (widened to whole numbers), ticks at whole multiples of 1, 2, 5,
/// 10, ... (at most about 6), labels without decimals.
void setIntegerAxis(QValueAxis* axis, double lo, double hi);
/// \p axis from \p lo to \p hi rounded out to nice numbers, labels with the decimals the step needs.
void setRealAxis(QValueAxis* axis, double lo, double hi);

} // namespace ui
