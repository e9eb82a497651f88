#pragma once
/// \file VtkHostWidget.h
/// A QOpenGLWidget that hosts a VTK render window. Debian builds VTK's own Qt widget against Qt 5,
/// so this is the Qt 6 host, written the way VTK's adapter does it (platform facts, "VTK inside
/// Qt 6"): VTK renders into its own framebuffer inside Qt's context, paintGL blits the result into
/// the widget's framebuffer. GUI thread only.

#include <QOpenGLWidget>
#include <QString>

#include <vtkSmartPointer.h>

class QSurface;
class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;

namespace ui {

class VtkHostWidget : public QOpenGLWidget {
  Q_OBJECT
public:
  explicit VtkHostWidget(QWidget* parent = nullptr);
  ~VtkHostWidget() override;

  /// The hosted render window (owned by this widget). Add renderers to it.
  vtkGenericOpenGLRenderWindow* renderWindow() const;
  /// The interactor attached to the render window (owned by this widget). It never renders by
  /// itself: after forwarding an event, call update().
  vtkGenericRenderWindowInteractor* interactor() const;

  /// Renders synchronously into the widget's framebuffer and waits until OpenGL has finished
  /// (glFinish), so the elapsed time is the true cost of a frame. For benchmarks; normal code calls
  /// update(). Returns false when OpenGL is not initialised yet (widget never shown).
  bool renderNow();

  /// "llvmpipe (LLVM 15.0.6, 256 bits)" and so on; empty before initialisation.
  QString glRenderer() const { return m_glRenderer; }
  /// True when OpenGL is a software rasteriser (llvmpipe, softpipe, swrast): views lower quality.
  bool isSoftwareRenderer() const;

  /// Sets the QSurfaceFormat VTK needs (OpenGL 3.2 core or later) as the application default.
  /// Call once before the QApplication is created.
  static void setDefaultSurfaceFormat();

Q_SIGNALS:
  /// OpenGL is ready (after the first initializeGL).
  void glInitialized();

protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  /// Takes the keyboard focus when the mouse enters (window active): keys act on the view under
  /// the mouse without a click first, which would paint with a label tool.
  void enterEvent(QEnterEvent* event) override;
  /// Called inside paintGL before VTK renders: subclasses bring their scene up to date here.
  virtual void prepareRender() {}

private:
  void onRenderWindowEvent(vtkObject* caller, unsigned long event, void* callData);
  void blitToWidget();

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> m_window;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> m_interactor;
  QSurface* m_surface = nullptr;
  QString m_glRenderer;
  bool m_inPaint = false;
};

} // namespace ui
