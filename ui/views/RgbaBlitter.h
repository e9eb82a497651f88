#pragma once
/// \file RgbaBlitter.h
/// Draws an RGBA uint8 buffer of the view's size into the current OpenGL framebuffer as one
/// texture, one texel per device pixel (nearest, no blending, alpha drawn as 1): the slice views'
/// whole picture is composited on the CPU (SliceRenderer, decorations), so drawing it needs no
/// scene graph. With software OpenGL (llvmpipe) this costs a fraction of a VTK render of the same
/// texture (no clear, no depth, no second framebuffer and blit). Only the rectangle that changed is
/// uploaded (markDirty). Use inside the owning QOpenGLWidget's context (paintGL); forget() after
/// that context was replaced (initializeGL again) or before it is destroyed.

#include <QRect>

#include <cstdint>

class QOpenGLContext;

namespace ui {

class RgbaBlitter {
public:
  /// The texture must be uploaded again in \p rect (pixels, row 0 at the top) before drawing.
  void markDirty(const QRect& rect) { m_dirty |= rect; }
  /// Uploads what changed of \p rgba (\p width x \p height pixels, rows of width * 4 bytes, row 0
  /// at the top) and draws it over the viewport (0, 0, width, height) of the bound framebuffer.
  void draw(QOpenGLContext& context, const std::uint8_t* rgba, int width, int height);
  /// Frees the OpenGL objects (the context must be current).
  void release(QOpenGLContext& context);
  /// Drops the OpenGL objects' names without freeing them (their context is gone).
  void forget();

private:
  bool create(QOpenGLContext& context);

  unsigned m_program = 0, m_vao = 0, m_texture = 0;
  int m_texWidth = 0, m_texHeight = 0;
  QRect m_dirty;
  bool m_failed = false;
};

} // namespace ui
