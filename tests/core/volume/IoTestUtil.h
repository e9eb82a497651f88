#pragma once
// Helpers shared by the volume I/O tests: deterministic test volumes, an independent reference
// crop+downsample, bitwise comparison, and writers of files the way other software writes them.
#include "core/volume/Volume.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace iotest {

using namespace core::volume;

/// A volume whose every voxel differs from its neighbours, deterministic from \p seed.
inline Volume makeVolume(Size3 size, VoxelType type, int seed = 1, Vec3 spacing = {0.65, 0.7, 1.25},
                         Vec3 origin = {10, -20, 3.5}) {
  Volume v(size, type, spacing, origin);
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) {
        const std::int64_t h = (x * 7 + y * 13 + z * 31 + seed * 101 + x * y * 3 + y * z) % 65521;
        double value = 0;
        switch (type) {
        case VoxelType::UInt8: value = double(h % 256); break;
        case VoxelType::UInt16: value = double(h); break;
        case VoxelType::UInt32: value = double(h) * 70000.0; break;
        case VoxelType::Float32: value = double(h) / 97.0 - 300.0; break;
        }
        v.setValueAt(x, y, z, value);
      }
  return v;
}

/// Bytes equal (NaN payloads included), sizes and types equal.
inline bool sameVoxels(const Volume& a, const Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

inline bool near(double a, double b, double rel = 1e-5) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }
inline bool nearVec(const Vec3& a, const Vec3& b, double rel = 1e-5) {
  return near(a.x, b.x, rel) && near(a.y, b.y, rel) && near(a.z, b.z, rel);
}

/// Crop then downsample, written independently of the readers (slow, for small volumes).
inline Volume reference(const Volume& full, const Region& r, int d, DownsampleMode mode) {
  auto cd = [d](std::int64_t n) { return (n + d - 1) / d; };
  Volume out({cd(r.size.x), cd(r.size.y), cd(r.size.z)}, full.type());
  for (std::int64_t k = 0; k < out.size().z; ++k)
    for (std::int64_t j = 0; j < out.size().y; ++j)
      for (std::int64_t i = 0; i < out.size().x; ++i) {
        const std::int64_t x0 = r.start.x + i * d, y0 = r.start.y + j * d, z0 = r.start.z + k * d;
        if (mode == DownsampleMode::Nearest) {
          out.setValueAt(i, j, k, full.valueAt(x0, y0, z0));
          continue;
        }
        double sum = 0;
        int n = 0;
        for (std::int64_t z = z0; z < std::min(z0 + d, r.end().z); ++z)
          for (std::int64_t y = y0; y < std::min(y0 + d, r.end().y); ++y)
            for (std::int64_t x = x0; x < std::min(x0 + d, r.end().x); ++x) {
              sum += full.valueAt(x, y, z);
              ++n;
            }
        const double mean = sum / n;
        out.setValueAt(i, j, k, full.type() == VoxelType::Float32 ? mean : double(std::llround(mean)));
      }
  return out;
}

/// Values equal within a relative tolerance (float sums may differ in order), sizes and types equal.
inline bool sameValues(const Volume& a, const Volume& b, double rel = 1e-5) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (std::int64_t z = 0; z < a.size().z; ++z)
    for (std::int64_t y = 0; y < a.size().y; ++y)
      for (std::int64_t x = 0; x < a.size().x; ++x) {
        const double u = a.valueAt(x, y, z), v = b.valueAt(x, y, z);
        if (std::isnan(u) && std::isnan(v)) continue;
        if (!(u == v || near(u, v, rel))) {
          qWarning("voxel (%lld,%lld,%lld): %g vs %g", (long long)x, (long long)y, (long long)z, u, v);
          return false;
        }
      }
  return true;
}

inline void writeBytes(const std::string& path, const void* data, std::size_t n) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), std::streamsize(n));
}
inline void writeText(const std::string& path, const std::string& text) { writeBytes(path, text.data(), text.size()); }

/// The voxels of \p v as raw bytes, byte-swapped when \p bigEndian.
inline std::vector<char> rawBytes(const Volume& v, bool bigEndian) {
  std::vector<char> b(static_cast<const char*>(v.data()), static_cast<const char*>(v.data()) + v.bytes());
  const std::size_t vs = voxelSize(v.type());
  if (bigEndian && vs > 1)
    for (std::size_t i = 0; i < b.size(); i += vs) std::reverse(b.begin() + std::ptrdiff_t(i), b.begin() + std::ptrdiff_t(i + vs));
  return b;
}

/// Runs \p f and returns true when it throws a std::exception whose what() contains every
/// string of \p parts (the message is printed when it does not).
template <class F> bool throwsWith(F&& f, const QStringList& parts) {
  try {
    f();
  } catch (const std::exception& e) {
    const QString msg = QString::fromUtf8(e.what());
    for (const auto& p : parts)
      if (!msg.contains(p)) {
        qWarning("message '%s' lacks '%s'", qPrintable(msg), qPrintable(p));
        return false;
      }
    return true;
  }
  qWarning("no exception thrown");
  return false;
}

} // namespace iotest
