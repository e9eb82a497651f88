#pragma once
/// \file Process.h
/// Running other programs (sbatch, scontrol, a task's command) without a shell: no quoting
/// problems, no shell injection through file names. POSIX only. Any thread; the calls block.

#include <string>
#include <vector>

namespace core::cluster {

/// How a program ended.
struct ProcessResult {
  int exitCode = -1;     ///< exit status, or -1 when it was killed by a signal
  int signal = 0;        ///< the signal that killed it, or 0
  bool timedOut = false; ///< killed by runCaptured's time limit
  std::string out, err;  ///< captured stdout and stderr (runCaptured only)
  long peakRssKiB = 0;   ///< the program's peak resident memory (its largest waited-for child's when larger), KiB
  bool ok() const { return exitCode == 0; }
  /// "exited with code 2", "was killed by signal 9 (Killed)", "timed out after 10 s".
  std::string describe() const;
};

/// Runs \p argv (argv[0] looked up in PATH) with stdin from /dev/null, capturing stdout and stderr.
/// After \p timeoutSeconds (<= 0: no limit) the program is killed and timedOut is set.
/// Throws std::runtime_error naming the program when it cannot be started (not found, not executable).
ProcessResult runCaptured(const std::vector<std::string>& argv, double timeoutSeconds = 60);

/// Runs \p argv with this process's stdin, stdout and stderr and waits for it, in the folder
/// \p workingDirectory (empty: this process's). Throws like runCaptured.
ProcessResult runInherited(const std::vector<std::string>& argv, const std::string& workingDirectory = {});

/// \p args joined with spaces, each quoted for a POSIX shell when it needs it (for messages and scripts).
std::string shellJoin(const std::vector<std::string>& args);
/// One argument quoted for a POSIX shell ('...' with embedded quotes escaped) when it needs it.
std::string shellQuote(const std::string& arg);

} // namespace core::cluster
