#pragma once
/// \file AboutText.h
/// The text of Help > About: version, libraries with their versions, GPU use.

#include <QString>

class QWidget;

namespace ui {

/// Rich text (HTML) naming the program version, Qt, VTK, ITK, OpenCV, LibTorch, libtiff, HDF5,
/// zlib, nlohmann-json and CLI11 with their versions, and whether CUDA is available and used.
/// Translated with the current translator. GUI thread.
QString aboutText();

/// Shows aboutText() in a modal message box over \p parent. GUI thread.
void showAboutDialog(QWidget* parent);

} // namespace ui
