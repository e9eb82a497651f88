// A's particles as markers for segmenting B.
#include "core/analysis/EvolutionMarkers.h"

#include "core/analysis/ParallelFor.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace core::analysis {

RegistrationResult inverseRegistration(const RegistrationResult& r) {
  const auto& m = r.physical.m;
  const double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  if (!std::isfinite(det) || std::abs(det) < 1e-12) throw std::invalid_argument("the registration transform cannot be inverted");
  RegistrationResult inv = r;
  auto& n = inv.physical.m;
  n = {(m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
       (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
       (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
  const auto& t = r.physical.t;
  for (int i = 0; i < 3; ++i)
    inv.physical.t[std::size_t(i)] = -(n[std::size_t(3 * i)] * t[0] + n[std::size_t(3 * i + 1)] * t[1] + n[std::size_t(3 * i + 2)] * t[2]);
  return inv;
}

void erodeLabels(volume::Volume& labels, int steps) {
  if (labels.type() != volume::VoxelType::UInt32) throw std::invalid_argument("erodeLabels: labels must be uint32");
  const volume::Size3 s = labels.size();
  const std::int64_t nx = s.x, ny = s.y, nz = s.z, slice = nx * ny;
  std::uint32_t* l = labels.as<std::uint32_t>();
  std::vector<std::uint32_t> before;
  for (int step = 0; step < steps; ++step) {
    before.assign(l, l + s.count());
    const std::uint32_t* b = before.data();
    parallelFor(nz, 1, [&](std::int64_t z0, std::int64_t z1, int) {
      for (std::int64_t z = z0; z < z1; ++z)
        for (std::int64_t y = 0; y < ny; ++y)
          for (std::int64_t x = 0; x < nx; ++x) {
            const std::int64_t i = x + nx * y + slice * z;
            const std::uint32_t v = b[i];
            if (!v) continue;
            const bool keep = (x == 0 || b[i - 1] == v) && (x + 1 == nx || b[i + 1] == v) && (y == 0 || b[i - nx] == v) &&
                              (y + 1 == ny || b[i + nx] == v) && (z == 0 || b[i - slice] == v) &&
                              (z + 1 == nz || b[i + slice] == v);
            if (!keep) l[i] = 0;
          }
    });
  }
}

volume::Volume evolutionMarkers(const volume::Volume& labelsA, const RegistrationResult& r, const volume::VolumeInfo& gridB,
                                int erosion) {
  if (labelsA.type() != volume::VoxelType::UInt32) throw std::invalid_argument("evolution markers: A's labels must be uint32");
  volume::VolumeInfo grid = gridB;
  grid.type = volume::VoxelType::UInt32;
  volume::Volume markers = resampleOnto(labelsA, inverseRegistration(r), grid);
  erodeLabels(markers, erosion);
  return markers;
}

Segmentation segmentWithMarkers(const volume::Volume& imageB, const volume::Volume& cracksB, const volume::Volume& labelsA,
                                const RegistrationResult& r, const SegmentationOptions& options, int erosion) {
  const volume::Volume markers = evolutionMarkers(labelsA, r, imageB.info(), erosion);
  return segmentParticles(imageB, cracksB, markers, options);
}

} // namespace core::analysis
