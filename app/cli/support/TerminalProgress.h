#pragma once
/// \file TerminalProgress.h
/// A progress bar on stderr for work that takes more than a second. Draws only when stderr is a
/// terminal (or CDNET_PROGRESS=1), at most ten times a second; prints nothing for short work.

#include "core/jobs/Job.h"

#include <chrono>
#include <mutex>
#include <string>

namespace cli {

class TerminalProgress final : public core::jobs::ProgressSink {
public:
  explicit TerminalProgress(std::string title = {});
  ~TerminalProgress() override;
  void setProgress(double fraction, const std::string& stage) override;
  /// Clears the bar line (call before printing results).
  void done();

private:
  std::mutex m_mutex;
  std::string m_title;
  std::chrono::steady_clock::time_point m_start, m_lastDraw;
  bool m_enabled = false, m_drawn = false;
};

} // namespace cli
