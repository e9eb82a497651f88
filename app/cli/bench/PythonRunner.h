#pragma once
/// \file PythonRunner.h
/// Runs a Python script with Debian's /usr/bin/python3 (which has python3-torch; the `python3` on
/// PATH may be another interpreter), for benchmarks that compare against Python's torch.

#include <string>
#include <sys/types.h>
#include <vector>

namespace cli {

/// The interpreter used: $CDNET_PYTHON, else /usr/bin/python3.
std::string pythonInterpreter();
/// True when that interpreter imports torch.
bool pythonHasTorch();
/// A Python script kept running beside the benchmark, driven line by line over its stdin and
/// stdout (its stderr goes to the same pipe), so that its timed runs can be interleaved with ours.
class PythonSession {
public:
  /// Starts \p script (written to a temporary file) with \p args and extra environment
  /// assignments \p env ("NAME=value"). Throws std::runtime_error when it cannot start.
  PythonSession(const std::string& script, const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  /// Closes its stdin and waits for it.
  ~PythonSession();
  PythonSession(const PythonSession&) = delete;
  PythonSession& operator=(const PythonSession&) = delete;

  /// Reads lines until one starts with \p prefix; returns the rest of that line. Throws
  /// std::runtime_error with everything it printed when it ends first.
  std::string expect(const std::string& prefix);
  /// Writes \p line and a newline to its stdin, then expect(\p prefix).
  std::string ask(const std::string& line, const std::string& prefix);

private:
  pid_t m_pid = -1;
  int m_in = -1, m_out = -1;
  std::string m_file, m_buffer, m_log;
};

} // namespace cli
