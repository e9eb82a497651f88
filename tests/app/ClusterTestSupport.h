#pragma once
// Helpers of the cluster tests: running cdnet (and bash, scontrol) in a folder with stdout and
// stderr merged, a test volume, comparing volumes voxel for voxel.
#include "core/volume/io/VolumeIO.h"
#include "support/RunCdnet.h"

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstring>

namespace clustertest {

struct Run {
  int exitCode = -1;
  QString out; ///< stdout and stderr together
};

inline Run run(const QString& program, const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
               const QString& workDir = {}, int timeoutMs = 120000) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.setProcessEnvironment(env);
  if (!workDir.isEmpty()) p.setWorkingDirectory(workDir);
  p.start(program, args);
  Run r;
  if (!p.waitForStarted(30000)) {
    r.out = "could not start " + program;
    return r;
  }
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished(5000);
    r.out = "timed out: " + program + " " + args.join(' ') + "\n" + QString::fromLocal8Bit(p.readAll());
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromLocal8Bit(p.readAll());
  return r;
}

inline QString cdnet() { return testsupport::cdnetPath(); }

/// A small uint16 volume whose voxels all differ (x + 7y + 31z, modulo 2^16), spacing 0.5 um.
inline core::volume::Volume testVolume(core::volume::Size3 size) {
  using namespace core::volume;
  Volume v(size, VoxelType::UInt16, {0.5, 0.5, 0.5});
  auto* p = v.as<std::uint16_t>();
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) p[v.index(x, y, z)] = std::uint16_t((x + 7 * y + 31 * z) % 4096);
  return v;
}

/// Empty when the two files hold the same voxels (size, type, every value), else what differs.
inline QString compareVolumes(const QString& a, const QString& b) {
  using namespace core::volume;
  const Volume va = readVolume(a.toStdString()), vb = readVolume(b.toStdString());
  if (va.size() != vb.size())
    return QString("sizes differ: %1x%2x%3 and %4x%5x%6")
        .arg(va.size().x).arg(va.size().y).arg(va.size().z).arg(vb.size().x).arg(vb.size().y).arg(vb.size().z);
  if (va.type() != vb.type()) return "voxel types differ";
  if (std::memcmp(va.data(), vb.data(), va.bytes()) != 0) {
    for (std::int64_t z = 0; z < va.size().z; ++z)
      if (std::memcmp(va.slicePtr(z), vb.slicePtr(z), va.info().sliceBytes()) != 0) return QString("slice %1 differs").arg(z);
  }
  return {};
}

} // namespace clustertest
