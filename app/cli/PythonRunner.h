#pragma once
/// \file PythonRunner.h
/// Runs a Python script with Debian's /usr/bin/python3 (which has python3-torch; the `python3` on
/// PATH may be another interpreter), for benchmarks that compare against Python's torch.

#include <string>
#include <vector>

namespace cli {

/// The interpreter used: $CDNET_PYTHON, else /usr/bin/python3.
std::string pythonInterpreter();
/// True when that interpreter imports torch.
bool pythonHasTorch();
/// Runs \p script (written to a temporary file) with \p args and extra environment assignments
/// \p env ("NAME=value"); returns its stdout+stderr. Throws std::runtime_error with the output
/// when it exits non-zero.
std::string runPython(const std::string& script, const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {});

} // namespace cli
