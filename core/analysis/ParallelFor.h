#pragma once
/// \file ParallelFor.h
/// The small thread helper of core/analysis: splits an index range into chunks and runs them on
/// std::threads. Internal to the analysis module (no other module includes it).

#include <cstdint>
#include <functional>

namespace core::analysis {

/// Worker threads to use: the CDNET_THREADS environment variable when set (>= 1), else the
/// hardware concurrency. Any thread.
int workerCount();

/// Runs \p body(begin, end, worker) over [0, n) in chunks of about \p grain indices, on up to
/// workerCount() threads (worker in [0, workerCount())). Chunks go to threads dynamically; the
/// first exception thrown by a chunk is rethrown here after all threads stopped. With n <= grain
/// or one worker, runs on the calling thread.
void parallelFor(std::int64_t n, std::int64_t grain,
                 const std::function<void(std::int64_t begin, std::int64_t end, int worker)>& body);

} // namespace core::analysis
