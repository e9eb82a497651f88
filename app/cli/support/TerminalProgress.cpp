#include "app/cli/support/TerminalProgress.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace cli {

TerminalProgress::TerminalProgress(std::string title)
    : m_title(std::move(title)), m_start(std::chrono::steady_clock::now()), m_lastDraw(m_start) {
  const char* env = std::getenv("CDNET_PROGRESS");
  m_enabled = env ? std::string(env) == "1" : isatty(STDERR_FILENO) != 0;
}

TerminalProgress::~TerminalProgress() { done(); }

void TerminalProgress::setProgress(double fraction, const std::string& stage) {
  if (!m_enabled) return;
  std::lock_guard<std::mutex> lock(m_mutex);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - m_start).count();
  if (elapsed < 1.0 || now - m_lastDraw < std::chrono::milliseconds(100)) return;
  m_lastDraw = now;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int width = 30, filled = int(fraction * width);
  std::string bar(std::size_t(filled), '#');
  bar.resize(width, '-');
  std::string eta = "--";
  if (fraction > 0.01) {
    const double left = elapsed * (1.0 - fraction) / fraction;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0fs", left);
    eta = buf;
  }
  std::fprintf(stderr, "\r%s [%s] %5.1f%% %s  (left %s)\033[K", m_title.c_str(), bar.c_str(), fraction * 100.0,
               stage.c_str(), eta.c_str());
  std::fflush(stderr);
  m_drawn = true;
}

void TerminalProgress::done() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_drawn) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    m_drawn = false;
  }
}

} // namespace cli
