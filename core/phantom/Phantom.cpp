// The phantom's voxel pipeline: sample the analytic geometry slice by slice, blur (Gaussian,
// separable), add phase-contrast fringes (minus a scaled Laplacian) and noise, convert. Each
// thread streams its own run of output slices through small ring buffers, computing a halo of
// clean slices on either side, so every output voxel depends only on its global position.
#include "core/phantom/Phantom.h"

#include "core/phantom/PhantomArtefacts.h"
#include "core/phantom/PhantomGeometry.h"
#include "core/phantom/PhantomNoise.h"
#include "core/phantom/PhantomSampler.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <sstream>
#include <thread>

namespace core::phantom {

namespace {
using namespace detail;

constexpr std::uint64_t kSaltNoisePre = 601, kSaltNoisePost = 602;
constexpr double kNoisePre = 0.05;  // white noise before the blur: grainy, slightly correlated
constexpr double kNoisePost = 0.03; // white noise after it
// A low-signal scan (realistic preset): contrast pulled towards a mid grey, noise scaled up.
constexpr double kLowMid = 0.45, kLowContrast = 0.6, kLowNoise = 2.5;
// The realistic preset: softer fringes and less white noise after the blur (closer to the real
// sample's grey-level histogram and noise spectrum).
constexpr double kRealFringe = 0.3, kRealPostNoise = 0.5;

std::vector<float> gaussKernel(double sigma) {
  if (sigma <= 0) return {1.0f};
  const int r = int(std::ceil(3.0 * sigma));
  std::vector<double> w(std::size_t(2 * r + 1));
  double sum = 0;
  for (int k = -r; k <= r; ++k) sum += w[std::size_t(k + r)] = std::exp(-0.5 * k * k / (sigma * sigma));
  std::vector<float> out;
  for (double v : w) out.push_back(float(v / sum));
  return out;
}

template <class T> T convertGrey(double v);
template <> std::uint8_t convertGrey<std::uint8_t>(double v) { return std::uint8_t(std::clamp(std::lround(12.0 + 200.0 * v), 0L, 255L)); }
template <> std::uint16_t convertGrey<std::uint16_t>(double v) {
  return std::uint16_t(std::clamp(std::lround(3000.0 + 52000.0 * v), 0L, 65535L));
}
template <> float convertGrey<float>(double v) { return float(v); }
template <> std::uint32_t convertGrey<std::uint32_t>(double v) { return std::uint32_t(v); }

/// Everything one generation shares between its threads.
struct Job {
  const Geometry& geo;
  const PhantomOptions& o;
  std::int64_t z0, z1;
  Phantom& out;
  std::vector<float> kernel, kernelZ; ///< x-y and z blur (the same in the simple preset)
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> stop{false};
};

/// Produces output slices [a, b) of the volume for one thread.
class PartRunner {
public:
  PartRunner(Job& job, std::int64_t a, std::int64_t b)
      : m_job(job), m_a(a), m_b(b), m_nx(job.o.size.x), m_ny(job.o.size.y), m_nz(job.o.size.z), m_xy(m_nx * m_ny),
        m_rb(int(job.kernel.size() / 2)), m_rbz(int(job.kernelZ.size() / 2)), m_sampler(job.geo),
        m_preKey(saltKey(job.o.seed, kSaltNoisePre)), m_postKey(saltKey(job.o.seed, kSaltNoisePost)), m_artefacts(job.o) {
    m_xyRing.resize(std::size_t(2 * m_rbz + 2));
    for (auto& s : m_xyRing) s.data.resize(std::size_t(m_xy));
    m_bRing.resize(4);
    for (auto& s : m_bRing) s.data.resize(std::size_t(m_xy));
    m_tmp.resize(std::size_t(m_xy));
  }

  void run(jobs::ProgressSink* progress, jobs::CancelToken& cancel) {
    const std::int64_t total = m_job.z1 - m_job.z0;
    for (std::int64_t z = m_a; z < m_b; ++z) {
      if (m_job.stop.load(std::memory_order_relaxed)) return;
      if (cancel.isCancelled()) {
        m_job.stop = true;
        return;
      }
      outputSlice(z);
      const std::int64_t d = ++m_job.done;
      if (progress) progress->setProgress(0.95 * double(d) / double(total), "Generating phantom");
    }
  }

private:
  struct Slice {
    std::int64_t z = -1;
    std::vector<float> data;
  };
  std::int64_t clampZ(std::int64_t z) const { return std::clamp<std::int64_t>(z, 0, m_nz - 1); }

  /// Clean slice z, blurred in x and y.
  const float* xyBlurred(std::int64_t z) {
    Slice& s = m_xyRing[std::size_t(z % std::int64_t(m_xyRing.size()))];
    if (s.z == z) return s.data.data();
    const bool labels = z >= m_a && z < m_b;
    std::uint8_t* cracks = labels ? m_job.out.cracks.as<std::uint8_t>() + m_xy * (z - m_job.z0) : nullptr;
    std::uint32_t* ids = labels ? m_job.out.particles.as<std::uint32_t>() + m_xy * (z - m_job.z0) : nullptr;
    std::uint8_t* phases = labels && m_job.o.withPhases ? m_job.out.phases.as<std::uint8_t>() + m_xy * (z - m_job.z0) : nullptr;
    const double pre = kNoisePre * m_job.o.noise * signalNoise();
    float* clean = s.data.data();
    for (std::int64_t y = 0; y < m_ny; ++y)
      for (std::int64_t x = 0; x < m_nx; ++x) {
        const VoxelSample v = m_sampler.sample(x, y, z, true);
        const std::int64_t i = x + m_nx * y;
        double grey = v.value;
        if (pre > 0) grey += pre * gaussFromHash(voxelHash(x, y, z, m_preKey));
        clean[i] = float(grey);
        if (labels) {
          cracks[i] = v.crack ? 1 : 0;
          ids[i] = v.particle;
          if (phases) phases[i] = std::uint8_t(v.phase);
        }
      }
    const auto& w = m_job.kernel;
    if (m_rb > 0) {
      for (std::int64_t y = 0; y < m_ny; ++y) {
        const float* row = clean + m_nx * y;
        float* t = m_tmp.data() + m_nx * y;
        for (std::int64_t x = 0; x < m_nx; ++x) {
          float acc = 0;
          for (int k = -m_rb; k <= m_rb; ++k) acc += w[std::size_t(k + m_rb)] * row[std::clamp<std::int64_t>(x + k, 0, m_nx - 1)];
          t[x] = acc;
        }
      }
      for (std::int64_t y = 0; y < m_ny; ++y) {
        float* dst = clean + m_nx * y;
        for (std::int64_t x = 0; x < m_nx; ++x) dst[x] = 0;
        for (int k = -m_rb; k <= m_rb; ++k) {
          const float wk = w[std::size_t(k + m_rb)];
          const float* src = m_tmp.data() + m_nx * std::clamp<std::int64_t>(y + k, 0, m_ny - 1);
          for (std::int64_t x = 0; x < m_nx; ++x) dst[x] += wk * src[x];
        }
      }
    }
    s.z = z;
    return clean;
  }

  /// Slice z blurred in x, y and z.
  const float* blurred(std::int64_t z) {
    Slice& s = m_bRing[std::size_t(z % 4)];
    if (s.z == z) return s.data.data();
    float* dst = s.data.data();
    std::fill(dst, dst + m_xy, 0.0f);
    for (int k = -m_rbz; k <= m_rbz; ++k) {
      const float wk = m_job.kernelZ[std::size_t(k + m_rbz)];
      const float* src = xyBlurred(clampZ(z + k));
      for (std::int64_t i = 0; i < m_xy; ++i) dst[i] += wk * src[i];
    }
    s.z = z;
    return dst;
  }

  void outputSlice(std::int64_t z) {
    const float* below = blurred(clampZ(z - 1));
    const float* mid = blurred(z);
    const float* above = blurred(clampZ(z + 1));
    const double fringe = m_job.o.phaseContrast * (realistic() ? kRealFringe : 1.0);
    const double post = kNoisePost * m_job.o.noise * signalNoise() * (realistic() ? kRealPostNoise : 1.0);
    const bool artefacts = m_artefacts.active(), low = realistic() && m_job.o.lowSignal;
    if (artefacts) m_artefacts.prepare(z);
    volume::dispatch(m_job.o.imageType, [&](auto zero) {
      using T = decltype(zero);
      T* dst = m_job.out.image.as<T>() + m_xy * (z - m_job.z0);
      for (std::int64_t y = 0; y < m_ny; ++y) {
        const float* row = mid + m_nx * y;
        const float* up = mid + m_nx * std::max<std::int64_t>(y - 1, 0);
        const float* down = mid + m_nx * std::min<std::int64_t>(y + 1, m_ny - 1);
        for (std::int64_t x = 0; x < m_nx; ++x) {
          const std::int64_t i = x + m_nx * y;
          const double c = row[x];
          const double lap = double(row[std::max<std::int64_t>(x - 1, 0)]) + row[std::min<std::int64_t>(x + 1, m_nx - 1)] +
                             up[x] + down[x] + below[i] + above[i] - 6.0 * c;
          double v = c - fringe * lap;
          if (artefacts) v = m_artefacts.apply(x, y, z, v);
          if (low) v = kLowMid + kLowContrast * (v - kLowMid);
          if (post > 0) v += post * gaussFromHash(voxelHash(x, y, z, m_postKey));
          dst[i] = convertGrey<T>(v);
        }
      }
      return 0;
    });
  }

  bool realistic() const { return m_job.o.preset == PhantomPreset::Realistic; }
  /// Noise factor of a low-signal scan (realistic preset only).
  double signalNoise() const { return realistic() && m_job.o.lowSignal ? kLowNoise : 1.0; }

  Job& m_job;
  std::int64_t m_a, m_b, m_nx, m_ny, m_nz, m_xy;
  int m_rb, m_rbz;
  Sampler m_sampler;
  std::uint64_t m_preKey, m_postKey;
  Artefacts m_artefacts;
  std::vector<Slice> m_xyRing, m_bRing;
  std::vector<float> m_tmp;
};

int threadCount(const PhantomOptions& o, std::int64_t work) {
  int t = o.threads > 0 ? o.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  return int(std::clamp<std::int64_t>(t, 1, std::max<std::int64_t>(1, work)));
}

/// Runs f(part, begin, end) over \p parts contiguous parts of [0, n), part 0 on this thread.
template <class F> void runParts(int parts, std::int64_t n, F&& f) {
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(parts));
  auto part = [&](int p) {
    try {
      f(p, n * p / parts, n * (p + 1) / parts);
    } catch (...) {
      errors[std::size_t(p)] = std::current_exception();
    }
  };
  for (int p = 1; p < parts; ++p) threads.emplace_back(part, p);
  part(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

} // namespace

namespace {

void checkSlab(const PhantomOptions& options, std::int64_t z0, std::int64_t z1) {
  if (z0 < 0 || z1 > options.size.z || z0 >= z1) {
    std::ostringstream s;
    s << "phantom: slab [" << z0 << ", " << z1 << ") is empty or outside the volume of " << options.size.z << " slices";
    throw std::invalid_argument(s.str());
  }
}

/// Image and label maps of slices [z0, z1); no truth. Reports 0..0.95 to \p progress.
Phantom voxelise(const Geometry& geo, const PhantomOptions& options, std::int64_t z0, std::int64_t z1,
                 jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  const volume::Size3 slabSize{options.size.x, options.size.y, z1 - z0};
  const volume::Vec3 origin{0, 0, double(z0) * options.spacing.z};
  Phantom out;
  out.image = volume::Volume(slabSize, options.imageType, options.spacing, origin);
  out.cracks = volume::Volume(slabSize, volume::VoxelType::UInt8, options.spacing, origin);
  out.particles = volume::Volume(slabSize, volume::VoxelType::UInt32, options.spacing, origin);
  if (options.withPhases) out.phases = volume::Volume(slabSize, volume::VoxelType::UInt8, options.spacing, origin);

  const bool real = options.preset == PhantomPreset::Realistic;
  const double xy = real ? options.blurSigma * options.realism.xyBlur : options.blurSigma;
  Job job{geo, options, z0, z1, out, gaussKernel(xy), gaussKernel(real ? xy * options.realism.zBlur : xy)};
  const std::int64_t n = z1 - z0;
  const int parts = threadCount(options, n / 8);
  runParts(parts, n, [&](int p, std::int64_t a, std::int64_t b) {
    PartRunner runner(job, z0 + a, z0 + b);
    runner.run(p == 0 ? &progress : nullptr, cancel);
  });
  cancel.throwIfCancelled();
  return out;
}

/// Adds the voxels of each particle id, and its crack voxels, in \p slab to the counts.
void countLabels(const Phantom& slab, std::vector<std::int64_t>& filled, std::vector<std::int64_t>& cracked) {
  const std::uint32_t* ids = slab.particles.as<std::uint32_t>();
  const std::uint8_t* cr = slab.cracks.as<std::uint8_t>();
  for (std::int64_t i = 0, count = slab.particles.voxelCount(); i < count; ++i) {
    ++filled[ids[i]];
    if (cr[i]) ++cracked[ids[i]];
  }
}

/// Truth of the particles with \p present voxels, with the counts given.
std::vector<ParticleTruth> makeTruth(const Geometry& geo, const std::vector<std::int64_t>& present,
                                     const std::vector<std::int64_t>& filled, const std::vector<std::int64_t>& cracked) {
  std::vector<ParticleTruth> truth;
  const auto& shapes = geo.particles();
  for (std::uint32_t id = 1; id <= shapes.size(); ++id) {
    if (present[id] == 0) continue;
    const ParticleShape& s = shapes[id - 1];
    ParticleTruth t;
    t.id = id;
    t.centre = {s.c.x, s.c.y, s.c.z};
    t.radius = s.r;
    t.filledVoxels = filled[id];
    t.crackVoxels = cracked[id];
    truth.push_back(t);
  }
  return truth;
}

} // namespace

Phantom generatePhantomSlab(const PhantomOptions& options, std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress,
                            jobs::CancelToken& cancel) {
  validate(options);
  checkSlab(options, z0, z1);
  // Refuse before the (possibly long) geometry work when the volumes cannot fit.
  const double voxels = double(options.size.x) * double(options.size.y) * double(z1 - z0);
  const double perVoxel = double(volume::voxelSize(options.imageType) + 5 + (options.withPhases ? 1 : 0));
  volume::checkAllocation(std::uint64_t(std::min(voxels * perVoxel, 1.8e19)), "phantom");
  progress.setProgress(0.0, "Placing particles and cracks");
  const Geometry geo(options);
  cancel.throwIfCancelled();
  Phantom out = voxelise(geo, options, z0, z1, progress, cancel);

  // Truth: counts inside the slab from the label maps, the rest of each particle point-wise.
  const auto& shapes = geo.particles();
  std::vector<std::int64_t> filled(shapes.size() + 1, 0), cracked(shapes.size() + 1, 0);
  countLabels(out, filled, cracked);
  const std::vector<std::int64_t> inSlab = filled;
  std::vector<std::uint32_t> partial;
  const double reach = options.grainSize + 1.0, bulge = 1.0 + geo.lobeBulge();
  for (std::uint32_t id = 1; id <= shapes.size(); ++id) {
    const ParticleShape& s = shapes[id - 1];
    const double r = s.r * bulge + reach;
    if (filled[id] > 0 && (s.c.z - r < double(z0) || s.c.z + r >= double(z1))) partial.push_back(id);
  }
  if (!partial.empty() && (z0 > 0 || z1 < options.size.z)) {
    progress.setProgress(0.95, "Counting particle voxels");
    const int tparts = threadCount(options, std::int64_t(partial.size()));
    runParts(tparts, std::int64_t(partial.size()), [&](int, std::int64_t a, std::int64_t b) {
      Sampler sampler(geo);
      for (std::int64_t k = a; k < b; ++k) {
        cancel.throwIfCancelled();
        const std::uint32_t id = partial[std::size_t(k)];
        const ParticleShape& s = shapes[id - 1];
        const double r = s.r * bulge + reach;
        auto lo = [&](double c, std::int64_t n) { return std::clamp<std::int64_t>(std::int64_t(std::floor(c - r)), 0, n); };
        auto hi = [&](double c, std::int64_t n) { return std::clamp<std::int64_t>(std::int64_t(std::ceil(c + r)) + 1, 0, n); };
        std::int64_t f = 0, c = 0;
        for (std::int64_t z = lo(s.c.z, options.size.z); z < hi(s.c.z, options.size.z); ++z) {
          if (z >= z0 && z < z1) continue;
          for (std::int64_t y = lo(s.c.y, options.size.y); y < hi(s.c.y, options.size.y); ++y)
            for (std::int64_t x = lo(s.c.x, options.size.x); x < hi(s.c.x, options.size.x); ++x) {
              const VoxelSample v = sampler.sample(x, y, z, false);
              if (v.particle == id) {
                ++f;
                if (v.crack) ++c;
              }
            }
        }
        // Each id is owned by one part: no other thread touches these entries.
        filled[id] += f;
        cracked[id] += c;
      }
    });
    cancel.throwIfCancelled();
  }
  out.truth = makeTruth(geo, inSlab, filled, cracked);
  progress.setProgress(1.0, "Phantom done");
  return out;
}

Phantom generatePhantom(const PhantomOptions& options, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  validate(options);
  return generatePhantomSlab(options, 0, options.size.z, progress, cancel);
}

std::vector<ParticleTruth> generatePhantomSlabs(const PhantomOptions& options, std::int64_t slabDepth,
                                                const std::function<void(Phantom& slab, std::int64_t z0)>& sink,
                                                jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  validate(options);
  if (slabDepth <= 0) throw std::invalid_argument("phantom: slab depth must be positive");
  progress.setProgress(0.0, "Placing particles and cracks");
  const Geometry geo(options);
  cancel.throwIfCancelled();
  const auto n = std::size_t(geo.particles().size() + 1);
  std::vector<std::int64_t> filled(n, 0), cracked(n, 0);
  const std::int64_t depth = options.size.z;
  for (std::int64_t z0 = 0; z0 < depth; z0 += slabDepth) {
    const std::int64_t z1 = std::min(depth, z0 + slabDepth);
    jobs::SubProgress sub(progress, double(z0) / double(depth), double(z1) / double(depth));
    Phantom slab = voxelise(geo, options, z0, z1, sub, cancel);
    countLabels(slab, filled, cracked);
    sink(slab, z0);
    cancel.throwIfCancelled();
  }
  progress.setProgress(1.0, "Phantom done");
  return makeTruth(geo, filled, filled, cracked);
}

} // namespace core::phantom
