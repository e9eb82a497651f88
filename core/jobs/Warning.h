#pragma once
/// \file Warning.h
/// Warnings from core: something was wrong with the input but the work goes on (a header's NaN
/// spacing replaced by 1, a damaged best.pt passed over for last.pt). Core calls warn(); the
/// program decides where warnings go: the command line prints "cdnet: warning: ...", the studio
/// shows them in the status bar as well. By default they go to stderr as "warning: ...".
/// Any thread: the handler is called on the thread that warns, under a lock.

#include <functional>
#include <string>

namespace core::jobs {

using WarningHandler = std::function<void(const std::string& message)>;

/// Reports \p message (one line naming the file and what was done about the problem).
void warn(const std::string& message);

/// Replaces the handler (an empty one restores the default, stderr); returns the previous one.
WarningHandler setWarningHandler(WarningHandler handler);

} // namespace core::jobs
