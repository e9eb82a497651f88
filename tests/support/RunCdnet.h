#pragma once
/// \file RunCdnet.h
/// Runs the built `cdnet` binary from a test, as a user would from a shell, and checks the
/// one-line error contract ("cdnet: error: ..." on stderr, exit code 1).

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

/// Runs `cdnet args...` (progress off) with \p env added to the environment.
inline CdnetResult runCdnet(const QStringList& args, const std::map<QString, QString>& env = {}, int timeoutMs = 120000) {
  QProcess p;
  QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  e.insert("CDNET_PROGRESS", "0");
  for (const auto& [k, v] : env) e.insert(k, v);
  p.setProcessEnvironment(e);
  p.start(QStringLiteral(CDNET_BINARY_DIR "/app/cdnet"), args);
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    return {};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
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
