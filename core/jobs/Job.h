#pragma once
/// \file Job.h
/// How long work in core reports progress and stops (STYLE.md, "Long work").
/// Core functions that take long take a ProgressSink& and a CancelToken&, check the token between
/// batches, tiles or slabs, and throw Cancelled. Any thread.

#include <atomic>
#include <stdexcept>
#include <string>

namespace core::jobs {

/// Thrown by long work when its CancelToken was cancelled. Not an error: callers that cancel
/// expect it; anything already written stays valid.
class Cancelled : public std::runtime_error {
public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// A flag set from any thread (a Stop button, a signal handler) and polled by the work.
class CancelToken {
public:
  void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }
  void reset() noexcept { m_cancelled.store(false, std::memory_order_relaxed); }
  bool isCancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }
  /// Throws Cancelled when cancelled. Call between units of work.
  void throwIfCancelled() const {
    if (isCancelled()) throw Cancelled();
  }

private:
  std::atomic<bool> m_cancelled{false};
};

/// Receives progress of long work. Implementations must be cheap and thread-safe for the
/// thread that does the work (the UI one forwards through queued, throttled signals).
class ProgressSink {
public:
  virtual ~ProgressSink() = default;
  /// \param fraction 0..1 of the whole job, never 1 before the work is done.
  /// \param stage short human-readable text ("Reading slices", "Epoch 3/10").
  virtual void setProgress(double fraction, const std::string& stage) = 0;
};

/// Discards progress.
class NullProgress final : public ProgressSink {
public:
  void setProgress(double, const std::string&) override {}
};

/// Maps [0,1] of a sub-task onto [begin,end] of a parent sink, for work made of stages.
class SubProgress final : public ProgressSink {
public:
  SubProgress(ProgressSink& parent, double begin, double end) : m_parent(parent), m_begin(begin), m_end(end) {}
  void setProgress(double fraction, const std::string& stage) override {
    m_parent.setProgress(m_begin + (m_end - m_begin) * fraction, stage);
  }

private:
  ProgressSink& m_parent;
  double m_begin, m_end;
};

/// A NullProgress and a never-cancelled token, for callers that need neither.
ProgressSink& nullProgress();
CancelToken& neverCancelled();

} // namespace core::jobs
