#pragma once
/// \file Theme.h
/// The studio's look: Qt's Fusion style with a dark palette, so the views sit in a calm frame
/// as in 3D Slicer and ITK-SNAP. Call once after the QApplication exists.

class QApplication;

namespace ui {
void applyStudioTheme(QApplication& app);
} // namespace ui
