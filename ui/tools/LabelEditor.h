#pragma once
/// \file LabelEditor.h
/// Puts label editing into a main window: the tool settings, the tools on the slice views, the
/// label actions, the Labels tool bar and the Edit menu (Undo/Redo named after the step, the label
/// commands). The window shows the Tools dock (panels/ToolsPanel) on settings() and actions().
/// Owned by the window. GUI thread only.

#include <QObject>

#include <vector>

class QMainWindow;
class QMenu;
class QToolBar;

namespace ui {

class CursorModel;
class DisplaySettings;
class LabelActions;
class LabelTools;
class Session;
class SliceView;
class SparseLabelLayer;
class ToolSettings;

class LabelEditor : public QObject {
  Q_OBJECT
public:
  /// Attaches the tools to \p slices and adds the Edit menu (after File) and the Labels tool bar
  /// to \p window (which must have its menus created); status messages go to its status bar.
  LabelEditor(Session& session, CursorModel& cursor, DisplaySettings& display, const std::vector<SliceView*>& slices,
              QMainWindow& window);

  ToolSettings& settings() const { return *m_settings; }
  LabelTools& tools() const { return *m_tools; }
  LabelActions& actions() const { return *m_actions; }
  QMenu* editMenu() const { return m_editMenu; }
  QToolBar* toolBar() const { return m_toolBar; }
  /// Paints into \p layer's sparse labels while a volume is open lazily; its messages and save
  /// action (in the Edit menu) go to the window.
  void setSparseLayer(SparseLabelLayer* layer);

private:
  ToolSettings* m_settings;
  LabelTools* m_tools;
  LabelActions* m_actions;
  QMenu* m_editMenu = nullptr;
  QToolBar* m_toolBar = nullptr;
  QMainWindow* m_window = nullptr;
};

} // namespace ui
