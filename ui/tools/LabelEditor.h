#pragma once
/// \file LabelEditor.h
/// Puts label editing into a MainWindow: the tool settings, the tools on the three slice views,
/// the label actions, the Tools dock, the Labels tool bar and the Edit menu (Undo/Redo named after
/// the step, the label commands). Owned by the window. GUI thread only.

#include <QObject>

class QDockWidget;
class QMenu;
class QToolBar;

namespace ui {

class LabelActions;
class LabelTools;
class MainWindow;
class ToolSettings;
class ToolsPanel;

class LabelEditor : public QObject {
  Q_OBJECT
public:
  /// Wires everything into \p window (which must have its views and menus created).
  explicit LabelEditor(MainWindow& window);

  ToolSettings& settings() const { return *m_settings; }
  LabelTools& tools() const { return *m_tools; }
  LabelActions& actions() const { return *m_actions; }
  ToolsPanel* panel() const { return m_panel; }
  QMenu* editMenu() const { return m_editMenu; }
  QToolBar* toolBar() const { return m_toolBar; }

private:
  ToolSettings* m_settings;
  LabelTools* m_tools;
  LabelActions* m_actions;
  ToolsPanel* m_panel = nullptr;
  QMenu* m_editMenu = nullptr;
  QToolBar* m_toolBar = nullptr;
};

} // namespace ui
