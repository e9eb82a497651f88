#pragma once
/// \file BenchReport.h
/// What every benchmark (`cdnet bench ...`, `cdnet-studio --bench-...`, `cdnet-ml-bench`) states
/// and ends with, so that runs can be compared (issue 13): a `conditions:` line near the start
/// (CPU model, cores, load average, threads, page cache, renderer) and one machine-readable last
/// line
///
///     result: bench=infer cpu="AMD EPYC 9R14 96-Core Processor" cores=2 load=0.41 ... key=value
///
/// with the same keys optionally written as a flat JSON object (`--json FILE`). Values with spaces
/// or quotes are double-quoted with backslash escapes, so Python's shlex.split() parses the line.
/// No Qt and no other dependency: the ML-only build uses it too. Not thread-safe (one per run).

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace core::bench {

/// "model name" of the first processor in /proc/cpuinfo, else "unknown".
std::string cpuModel();
/// CPUs this process may run on (its affinity mask: what `nproc` prints).
int coreCount();
/// The 1-minute load average from /proc/loadavg, NaN when unreadable.
double loadAverage();
/// A "kB" line of /proc/self/status ("VmRSS:", "VmHWM:") in bytes, 0 when missing.
std::uint64_t procStatusBytes(const char* key);
/// Resets the peak resident size (VmHWM) to the current one (writes /proc/self/clear_refs);
/// false when the kernel refuses.
bool resetPeakRss();
/// The \p q quantile (0..1, nearest rank) of \p values; 0 when empty.
double quantileOf(std::vector<double> values, double q);

class Report {
public:
  /// \p bench names the benchmark ("infer", "studio-views"). Records the conditions known now:
  /// cpu, cores, load; threads, cache and renderer start as "n/a" until set.
  explicit Report(std::string bench);

  /// Adds or replaces \p key (letters, digits, '_'; kept in first-set order).
  void set(const std::string& key, const std::string& value);
  void set(const std::string& key, const char* value) { set(key, std::string(value)); }
  void set(const std::string& key, bool value);
  template <class T, std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
  void set(const std::string& key, T value) {
    if constexpr (std::is_integral_v<T>) setNumber(key, std::to_string(value));
    else setNumber(key, formatReal(double(value)));
  }

  /// "conditions: cpu=... cores=2 load=0.41 threads=2 cache=n/a renderer=n/a".
  std::string conditionsLine() const;
  /// "result: bench=... key=value ..." (every key, conditions first).
  std::string resultLine() const;
  /// The same keys as one JSON object; numbers stay numbers, NaN and infinities become null.
  std::string json() const;
  /// Records load_end, writes json() to \p jsonPath unless it is empty (through a temporary file,
  /// renamed when complete; throws std::runtime_error naming the file when it cannot), and
  /// returns resultLine().
  std::string finish(const std::string& jsonPath);

  /// Shortest text that reads back as \p v to 6 significant digits ("nan" for NaN).
  static std::string formatReal(double v);

private:
  struct Entry {
    std::string key, value;
    bool number = false;
  };
  void setNumber(const std::string& key, const std::string& text);
  void put(const std::string& key, std::string value, bool number);
  std::vector<Entry> m_entries;
};

} // namespace core::bench
