#pragma once
/// \file UnsavedLabels.h
/// "Unsaved labels?" for the labels of a volume opened lazily (issue 16), as ITK-SNAP and 3D
/// Slicer ask: before the window closes, another volume or project opens, or another volume opens
/// lazily, painted labels that are not saved get a Save / Discard / Cancel question (a QMessageBox,
/// child of the window). Save writes them as Ctrl+Alt+S does (only the touched chunks;
/// SparseLabelLayer::save, what closing the layer did silently before) and goes on; Discard drops
/// the edits (the labels as last saved) without writing and goes on; Cancel keeps everything open.
/// The dense labels of an in-memory volume keep their question in ProjectController::maybeSave,
/// which asks this one first (ProjectController::setOtherUnsavedWork). GUI thread only.

#include <QCoreApplication>

class QWidget;

namespace ui {

class SparseLabelLayer;

class UnsavedLabels {
  Q_DECLARE_TR_FUNCTIONS(ui::UnsavedLabels)
public:
  /// Asks when \p layer has unsaved edits. True: the caller may drop or replace the labels now
  /// (saved, discarded, or nothing to ask); false: the user cancelled, or saving failed (the
  /// layer's failed() names the file and the reason; nothing is dropped).
  static bool maybeSave(SparseLabelLayer& layer, QWidget* parent);
};

} // namespace ui
