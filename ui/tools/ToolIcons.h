#pragma once
/// \file ToolIcons.h
/// Small icons of the label tools, drawn with QPainter (no image files). GUI thread only.

#include <QIcon>

namespace ui {

enum class ToolKind;

/// The icon of \p kind, light strokes for the dark theme.
QIcon toolIcon(ToolKind kind);

} // namespace ui
