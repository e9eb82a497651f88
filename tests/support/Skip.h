#pragma once
/// \file Skip.h
/// Skipping a whole test binary (issue 13). A test that needs something optional (a GPU, Python's
/// torch, root for Slurm) is a test binary of its own, registered with cdnet_add_test(... MAY_SKIP),
/// and calls skipTestBinary() from initTestCase (or main) before any test function ran, so that a
/// missing optional thing can never hide a failure. Qt Test's own skip macro is not used: CTest
/// fails any output holding its "SKIP   : " line.

/// The Qt-free part (kSkipExitCode, skipTestBinary(const char*)) also serves test_ml_gpu, which
/// the ML-only build compiles on machines without Qt.
#ifdef QT_CORE_LIB
#include <QByteArray>
#include <QString>
#endif

#include <cstdio>
#include <cstdlib>

namespace testsupport {

/// The exit code CTest reads as "skipped" (SKIP_RETURN_CODE of MAY_SKIP tests).
constexpr int kSkipExitCode = 77;

/// Prints why the binary skips on stderr and exits with kSkipExitCode.
[[noreturn]] inline void skipTestBinary(const char* reason) {
  std::fprintf(stderr, "skipped: %s\n", reason);
  std::fflush(stdout);
  std::fflush(stderr);
  std::exit(kSkipExitCode);
}

#ifdef QT_CORE_LIB

/// True when the tests run under CI (CI=true), where a missing optional thing is a failure unless
/// the test is on tests/skip-allowlist.txt.
inline bool runningInCi() { return qgetenv("CI") == "true"; }

/// Prints why the binary skips on stderr and exits with kSkipExitCode.
[[noreturn]] inline void skipTestBinary(const QString& reason) { skipTestBinary(reason.toLocal8Bit().constData()); }

/// For a binary whose optional thing a CI machine must have (root and Slurm for test_cluster):
/// outside CI it skips the binary (prints \p reason, exits 77, never returns); under CI=true it
/// returns the message the caller fails with (QFAIL), so that CI cannot pass without it.
inline QString skipUnlessCi(const QString& reason) {
  if (!runningInCi()) skipTestBinary(reason);
  return reason + QStringLiteral(" (CI=true: this fails here instead of skipping)");
}

#endif // QT_CORE_LIB

} // namespace testsupport
