#include "core/jobs/Job.h"

namespace core::jobs {

ProgressSink& nullProgress() {
  thread_local NullProgress sink;
  return sink;
}

CancelToken& neverCancelled() {
  // A token nobody can reach to cancel: one per thread so nobody shares a mutable global.
  thread_local CancelToken token;
  return token;
}

} // namespace core::jobs
