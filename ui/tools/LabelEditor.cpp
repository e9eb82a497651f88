#include "ui/tools/LabelEditor.h"

#include "ui/model/SparseLabelLayer.h"
#include "ui/tools/LabelActions.h"
#include "ui/tools/LabelTools.h"
#include "ui/tools/ToolSettings.h"

#include <QAction>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace ui {

LabelEditor::LabelEditor(Session& session, CursorModel& cursor, DisplaySettings& display,
                         const std::vector<SliceView*>& slices, QMainWindow& window)
    : QObject(&window), m_window(&window) {
  m_settings = new ToolSettings(this);
  m_tools = new LabelTools(session, cursor, display, *m_settings, this);
  for (SliceView* view : slices) m_tools->attach(view);
  m_actions = new LabelActions(session, cursor, display, *m_settings, *m_tools, this);
  auto show = [&window](const QString& message) { window.statusBar()->showMessage(message, 5000); };
  connect(m_actions, &LabelActions::done, &window, show);
  connect(m_actions, &LabelActions::failed, &window, show);
  connect(m_tools, &LabelTools::failed, &window, show);
  connect(m_tools, &LabelTools::done, &window, show);

  // Edit menu, right after File.
  m_editMenu = new QMenu(tr("&Edit"), &window);
  m_editMenu->addAction(m_actions->undo());
  m_editMenu->addAction(m_actions->redo());
  m_editMenu->addSeparator();
  for (QAction* a : {m_actions->markAnnotated(), m_actions->interpolateHere(), m_actions->interpolateAll()})
    m_editMenu->addAction(a);
  m_editMenu->addSeparator();
  for (QAction* a : {m_actions->acceptAll(), m_actions->acceptSlice(), m_actions->acceptComponent(),
                     m_actions->deleteComponent()})
    m_editMenu->addAction(a);
  QMenu* toolsMenu = m_editMenu->addMenu(tr("&Tool"));
  for (int k = 0; k < 6; ++k) toolsMenu->addAction(m_actions->toolAction(ToolKind(k)));
  toolsMenu->addSeparator();
  toolsMenu->addAction(m_actions->smallerBrush());
  toolsMenu->addAction(m_actions->largerBrush());
  toolsMenu->addAction(m_actions->swapClass());
  const QList<QAction*> menus = window.menuBar()->actions();
  if (menus.size() > 1) window.menuBar()->insertMenu(menus[1], m_editMenu);
  else window.menuBar()->addMenu(m_editMenu);

  m_toolBar = new QToolBar(tr("Labels"), &window);
  m_toolBar->setObjectName(QStringLiteral("labelsToolBar"));
  m_toolBar->setMovable(false);
  m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);
  m_toolBar->addAction(m_actions->undo());
  m_toolBar->addAction(m_actions->redo());
  m_toolBar->addSeparator();
  for (int k = 0; k < 6; ++k) m_toolBar->addAction(m_actions->toolAction(ToolKind(k)));
  window.addToolBar(m_toolBar);
  m_actions->undo()->setIcon(window.style()->standardIcon(QStyle::SP_ArrowBack));
  m_actions->redo()->setIcon(window.style()->standardIcon(QStyle::SP_ArrowForward));
}

void LabelEditor::setSparseLayer(SparseLabelLayer* layer) {
  m_tools->setSparseLayer(layer);
  m_actions->setSparseLayer(layer);
  if (!layer) return;
  QMainWindow* window = m_window;
  connect(layer, &SparseLabelLayer::message, window, [window](const QString& m) { window->statusBar()->showMessage(m, 8000); });
  connect(layer, &SparseLabelLayer::failed, window, [window](const QString& m) { window->statusBar()->showMessage(m, 15000); });
  m_editMenu->addSeparator();
  m_editMenu->addAction(layer->saveAction());
}

} // namespace ui
