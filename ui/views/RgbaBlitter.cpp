#include "ui/views/RgbaBlitter.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>

#include <cstdio>

namespace ui {

namespace {

// A triangle strip over the viewport; texture row 0 at the top.
const char* kVertex = R"(#version 150 core
out vec2 uv;
void main() {
  vec2 p = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  uv = vec2(p.x, 1.0 - p.y);
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
)";
const char* kFragment = R"(#version 150 core
in vec2 uv;
out vec4 colour;
uniform sampler2D picture;
void main() { colour = vec4(texture(picture, uv).rgb, 1.0); }
)";

GLuint compile(QOpenGLExtraFunctions& f, GLenum type, const char* source) {
  const GLuint s = f.glCreateShader(type);
  f.glShaderSource(s, 1, &source, nullptr);
  f.glCompileShader(s);
  GLint ok = 0;
  f.glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024] = {};
    f.glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "cdnet-studio: the slice view's shader does not compile: %s\n", log);
    f.glDeleteShader(s);
    return 0;
  }
  return s;
}

} // namespace

bool RgbaBlitter::create(QOpenGLContext& context) {
  QOpenGLExtraFunctions& f = *context.extraFunctions();
  const GLuint vs = compile(f, GL_VERTEX_SHADER, kVertex), fs = compile(f, GL_FRAGMENT_SHADER, kFragment);
  if (!vs || !fs) {
    if (vs) f.glDeleteShader(vs);
    if (fs) f.glDeleteShader(fs);
    return false;
  }
  m_program = f.glCreateProgram();
  f.glAttachShader(m_program, vs);
  f.glAttachShader(m_program, fs);
  f.glLinkProgram(m_program);
  f.glDeleteShader(vs);
  f.glDeleteShader(fs);
  GLint ok = 0;
  f.glGetProgramiv(m_program, GL_LINK_STATUS, &ok);
  if (!ok) {
    std::fprintf(stderr, "cdnet-studio: the slice view's shader does not link\n");
    f.glDeleteProgram(m_program);
    m_program = 0;
    return false;
  }
  f.glUseProgram(m_program);
  f.glUniform1i(f.glGetUniformLocation(m_program, "picture"), 0);
  f.glGenVertexArrays(1, &m_vao); // core profile: drawing needs a bound vertex array
  f.glGenTextures(1, &m_texture);
  f.glBindTexture(GL_TEXTURE_2D, m_texture);
  f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  m_texWidth = m_texHeight = 0;
  return true;
}

void RgbaBlitter::draw(QOpenGLContext& context, const std::uint8_t* rgba, int width, int height) {
  if (width <= 0 || height <= 0 || m_failed) return;
  if (!m_program && !create(context)) {
    m_failed = true;
    return;
  }
  QOpenGLExtraFunctions& f = *context.extraFunctions();
  f.glActiveTexture(GL_TEXTURE0);
  f.glBindTexture(GL_TEXTURE_2D, m_texture);
  f.glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (width != m_texWidth || height != m_texHeight) {
    f.glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    f.glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    f.glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
    f.glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    m_texWidth = width;
    m_texHeight = height;
    m_dirty = QRect();
  }
  const QRect r = m_dirty & QRect(0, 0, width, height);
  if (!r.isEmpty()) {
    f.glPixelStorei(GL_UNPACK_ROW_LENGTH, width);
    f.glPixelStorei(GL_UNPACK_SKIP_PIXELS, r.x());
    f.glPixelStorei(GL_UNPACK_SKIP_ROWS, r.y());
    f.glTexSubImage2D(GL_TEXTURE_2D, 0, r.x(), r.y(), r.width(), r.height(), GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    f.glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    f.glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    f.glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
  }
  m_dirty = QRect();
  f.glViewport(0, 0, width, height);
  for (GLenum cap : {GL_BLEND, GL_DEPTH_TEST, GL_STENCIL_TEST, GL_SCISSOR_TEST, GL_CULL_FACE}) f.glDisable(cap);
  f.glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  f.glUseProgram(m_program);
  f.glBindVertexArray(m_vao);
  f.glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  f.glBindVertexArray(0);
  f.glUseProgram(0);
}

void RgbaBlitter::release(QOpenGLContext& context) {
  QOpenGLExtraFunctions& f = *context.extraFunctions();
  if (m_texture) f.glDeleteTextures(1, &m_texture);
  if (m_vao) f.glDeleteVertexArrays(1, &m_vao);
  if (m_program) f.glDeleteProgram(m_program);
  forget();
}

void RgbaBlitter::forget() {
  m_program = m_vao = m_texture = 0;
  m_texWidth = m_texHeight = 0;
  m_dirty = QRect();
  m_failed = false;
}

} // namespace ui
