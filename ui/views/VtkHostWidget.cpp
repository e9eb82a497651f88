#include "ui/views/VtkHostWidget.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkOpenGLState.h>

namespace ui {

VtkHostWidget::VtkHostWidget(QWidget* parent) : QOpenGLWidget(parent) {
  setUpdateBehavior(QOpenGLWidget::NoPartialUpdate);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);

  m_window = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
  m_window->SetReadyForRendering(false);
  m_window->SetFrameBlitModeToNoBlit();
  m_window->SetMultiSamples(0);
  for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                              vtkCommand::WindowFrameEvent, vtkCommand::WindowSupportsOpenGLEvent,
                              vtkCommand::WindowIsDirectEvent})
    m_window->AddObserver(event, this, &VtkHostWidget::onRenderWindowEvent);

  m_interactor = vtkSmartPointer<vtkGenericRenderWindowInteractor>::New();
  m_interactor->SetRenderWindow(m_window);
  m_interactor->EnableRenderOff(); // Qt decides when to paint (update()), never the interactor.
  m_interactor->Initialize();
}

void VtkHostWidget::enterEvent(QEnterEvent* event) {
  if (isActiveWindow() && focusPolicy() != Qt::NoFocus) setFocus(Qt::MouseFocusReason);
  QOpenGLWidget::enterEvent(event);
}

VtkHostWidget::~VtkHostWidget() {
  // Release VTK's OpenGL resources while Qt's context still exists.
  if (context() && m_surface) {
    makeCurrent();
    m_window->Finalize();
    doneCurrent();
  }
  m_window->RemoveAllObservers();
}

vtkGenericOpenGLRenderWindow* VtkHostWidget::renderWindow() const { return m_window; }
vtkGenericRenderWindowInteractor* VtkHostWidget::interactor() const { return m_interactor; }

void VtkHostWidget::setDefaultSurfaceFormat() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  fmt.setRedBufferSize(8);
  fmt.setGreenBufferSize(8);
  fmt.setBlueBufferSize(8);
  fmt.setAlphaBufferSize(8);
  fmt.setDepthBufferSize(24);
  fmt.setStencilBufferSize(8);
  fmt.setSamples(0);
  QSurfaceFormat::setDefaultFormat(fmt);
}

bool VtkHostWidget::isSoftwareRenderer() const {
  const QString r = m_glRenderer.toLower();
  return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swrast");
}

void VtkHostWidget::onRenderWindowEvent(vtkObject*, unsigned long event, void* callData) {
  switch (event) {
  case vtkCommand::WindowMakeCurrentEvent:
    // Only when needed: QOpenGLWidget::makeCurrent() would rebind Qt's framebuffer under VTK.
    if (context() && m_surface && QOpenGLContext::currentContext() != context()) context()->makeCurrent(m_surface);
    break;
  case vtkCommand::WindowIsCurrentEvent:
    *static_cast<bool*>(callData) = context() && QOpenGLContext::currentContext() == context();
    break;
  case vtkCommand::WindowFrameEvent:
    if (!m_inPaint) update();
    break;
  case vtkCommand::WindowSupportsOpenGLEvent:
  case vtkCommand::WindowIsDirectEvent:
    *static_cast<int*>(callData) = 1;
    break;
  default: break;
  }
}

void VtkHostWidget::initializeGL() {
  m_surface = context()->surface();
  m_window->SetOwnContext(0);
  m_window->SetReadyForRendering(true);
  m_window->OpenGLInitContext();
  if (auto* state = m_window->GetState()) {
    state->Reset();
    state->vtkglDepthFunc(GL_LEQUAL); // Qt leaves GL_LESS; VTK expects GL_LEQUAL
  }
  const auto* name = reinterpret_cast<const char*>(context()->functions()->glGetString(GL_RENDERER));
  m_glRenderer = name ? QString::fromLatin1(name) : QString();
  Q_EMIT glInitialized();
}

void VtkHostWidget::resizeGL(int w, int h) {
  const qreal dpr = devicePixelRatioF();
  m_interactor->UpdateSize(int(w * dpr + 0.5), int(h * dpr + 0.5));
}

void VtkHostWidget::paintGL() {
  m_inPaint = true;
  prepareRender();
  if (auto* state = m_window->GetState()) state->Reset(); // Qt changed GL state behind VTK's cache
  m_window->Render();
  m_inPaint = false;
  blitToWidget();
}

void VtkHostWidget::blitToWidget() {
  if (QOpenGLContext::currentContext() != context()) context()->makeCurrent(m_surface);
  QOpenGLExtraFunctions* f = context()->extraFunctions();
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  const bool scissor = f->glIsEnabled(GL_SCISSOR_TEST);
  if (scissor) f->glDisable(GL_SCISSOR_TEST);
  const int* sz = m_window->GetSize();
  m_window->BlitDisplayFramebuffer(0, 0, 0, sz[0], sz[1], 0, 0, sz[0], sz[1], GL_COLOR_BUFFER_BIT, GL_NEAREST);
  // The composited widget must be opaque whatever VTK left in alpha.
  f->glBindFramebuffer(GL_FRAMEBUFFER, defaultFramebufferObject());
  f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  f->glClearColor(0, 0, 0, 1);
  f->glClear(GL_COLOR_BUFFER_BIT);
  f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  if (scissor) f->glEnable(GL_SCISSOR_TEST);
  if (auto* state = m_window->GetState()) state->Reset();
}

bool VtkHostWidget::renderNow() {
  if (!m_surface || !context()) return false;
  makeCurrent();
  paintGL();
  context()->functions()->glFinish();
  doneCurrent();
  update();
  return true;
}

} // namespace ui
