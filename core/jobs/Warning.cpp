#include "core/jobs/Warning.h"

#include <cstdio>
#include <mutex>

namespace core::jobs {

namespace {
std::mutex& lock() {
  static std::mutex m;
  return m;
}
WarningHandler& handler() {
  static WarningHandler h;
  return h;
}
} // namespace

void warn(const std::string& message) {
  std::lock_guard<std::mutex> guard(lock());
  if (handler()) handler()(message);
  else std::fprintf(stderr, "warning: %s\n", message.c_str());
}

WarningHandler setWarningHandler(WarningHandler h) {
  std::lock_guard<std::mutex> guard(lock());
  WarningHandler previous = std::move(handler());
  handler() = std::move(h);
  return previous;
}

} // namespace core::jobs
