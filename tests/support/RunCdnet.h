#pragma once
/// \file RunCdnet.h
/// Runs the built `cdnet` binary (or `cdnet-studio`) from a test, as a user would from a shell,
/// and checks the one-line error contract ("cdnet: error: ..." on stderr, exit code 1).

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <map>

namespace testsupport {

struct CdnetResult {
  int code = -1; ///< exit code; -1 when it crashed or did not finish in time
  QString out, err;
};

/// The built executables.
inline QString cdnetPath() { return QStringLiteral(CDNET_BINARY_DIR "/app/cdnet"); }
inline QString studioPath() { return QStringLiteral(CDNET_BINARY_DIR "/app/cdnet-studio"); }

/// Runs \p program with \p args (progress bars off) with \p env added to the environment. A run
/// that does not finish within \p timeoutMs is killed, says so in a warning and returns code -1
/// (a hang fails).
inline CdnetResult runProgram(const QString& program, const QStringList& args, const std::map<QString, QString>& env = {},
                              int timeoutMs = 120000) {
  QProcess p;
  QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  e.insert("CDNET_PROGRESS", "0");
  for (const auto& [k, v] : env) e.insert(k, v);
  p.setProcessEnvironment(e);
  p.start(program, args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    qWarning("%s %s did not finish within %d s", qPrintable(program), qPrintable(args.join(' ')), timeoutMs / 1000);
    return {};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

/// Runs `cdnet args...` (see runProgram).
inline CdnetResult runCdnet(const QStringList& args, const std::map<QString, QString>& env = {}, int timeoutMs = 120000) {
  return runProgram(cdnetPath(), args, env, timeoutMs);
}

/// Exit code 1 and exactly one non-empty line on stderr, "cdnet: error: ..." holding all of \p parts.
inline bool failsWith(const CdnetResult& r, const QStringList& parts) {
  const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
  bool ok = r.code == 1 && lines.size() == 1 && lines[0].startsWith("cdnet: error: ");
  for (const auto& p : parts) ok = ok && r.err.contains(p);
  if (!ok) qWarning("exit %d, stderr: %s", r.code, qPrintable(r.err));
  return ok;
}

} // namespace testsupport
