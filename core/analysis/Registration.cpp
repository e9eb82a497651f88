// Rigid (+ affine) multi-resolution registration of two scans with ITK's v4 framework, on coarse
// block-mean copies in units of A's voxel size, and resampling onto A's grid.
#include "core/analysis/Registration.h"

#include "core/volume/Downsample.h"

#include <itkAffineTransform.h>
#include <itkCenteredTransformInitializer.h>
#include <itkEuler3DTransform.h>
#include <itkImage.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace core::analysis {

namespace {
using Image = itk::Image<float, 3>;
using Metric = itk::MeanSquaresImageToImageMetricv4<Image, Image>;
using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
using Rigid = itk::Euler3DTransform<double>;
using Affine = itk::AffineTransform<double, 3>;
constexpr double kPi = 3.14159265358979323846;

/// \p v (block means or any copy, its origin and spacing those of its voxel centres), z-scored,
/// as an ITK image in units of \p unit micrometres.
Image::Pointer itkCopy(const volume::Volume& v, double unit) {
  const volume::Size3 c = v.size();
  std::vector<double> val(std::size_t(c.count()), 0.0);
  volume::dispatch(v.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = v.as<T>();
    for (std::int64_t i = 0; i < c.count(); ++i) {
      const double x = double(p[i]);
      val[std::size_t(i)] = std::isfinite(x) ? x : 0.0;
    }
  });
  double mean = 0, m2 = 0;
  for (double x : val) mean += x;
  mean /= double(val.size());
  for (double x : val) m2 += (x - mean) * (x - mean);
  const double sd = std::sqrt(m2 / double(val.size()));
  auto img = Image::New();
  Image::SizeType size;
  size[0] = itk::SizeValueType(c.x), size[1] = itk::SizeValueType(c.y), size[2] = itk::SizeValueType(c.z);
  img->SetRegions(Image::RegionType(size));
  img->Allocate();
  const volume::Vec3 sp = v.spacing(), o = v.origin();
  const double spacing[3] = {sp.x / unit, sp.y / unit, sp.z / unit};
  const double origin[3] = {o.x / unit, o.y / unit, o.z / unit};
  img->SetSpacing(spacing);
  img->SetOrigin(origin);
  float* dst = img->GetBufferPointer();
  for (std::size_t k = 0; k < val.size(); ++k) dst[k] = float(sd > 0 ? (val[k] - mean) / sd : 0.0);
  return img;
}

int shrinkFor(const volume::Size3& s, std::int64_t coarse) {
  const std::int64_t m = std::max({s.x, s.y, s.z});
  return int(std::max<std::int64_t>(1, (m + coarse - 1) / std::max<std::int64_t>(1, coarse)));
}

template <class Transform>
void runStage(const Image::Pointer& fixed, const Image::Pointer& moving, Transform* transform, int levels) {
  using Reg = itk::ImageRegistrationMethodv4<Image, Image, Transform>;
  auto metric = Metric::New();
  auto optimizer = Optimizer::New();
  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
  scales->SetMetric(metric);
  optimizer->SetScalesEstimator(scales);
  optimizer->SetLearningRate(1.0);
  optimizer->SetMinimumStepLength(1e-4);
  optimizer->SetRelaxationFactor(0.6);
  optimizer->SetNumberOfIterations(300);
  optimizer->SetGradientMagnitudeTolerance(1e-8);
  auto reg = Reg::New();
  reg->SetFixedImage(fixed);
  reg->SetMovingImage(moving);
  reg->SetMetric(metric);
  reg->SetOptimizer(optimizer);
  reg->SetInitialTransform(transform);
  reg->InPlaceOn();
  typename Reg::ShrinkFactorsArrayType shrink{static_cast<itk::SizeValueType>(levels)};
  typename Reg::SmoothingSigmasArrayType sigmas{static_cast<itk::SizeValueType>(levels)};
  for (int l = 0; l < levels; ++l) {
    shrink[itk::SizeValueType(l)] = 1u << (levels - 1 - l);
    sigmas[itk::SizeValueType(l)] = double((1 << (levels - 1 - l)) / 2);
  }
  reg->SetNumberOfLevels(itk::SizeValueType(levels));
  reg->SetShrinkFactorsPerLevel(shrink);
  reg->SetSmoothingSigmasPerLevel(sigmas);
  reg->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  reg->SetMetricSamplingStrategy(Reg::MetricSamplingStrategyEnum::REGULAR);
  reg->SetMetricSamplingPercentage(0.3);
  reg->MetricSamplingReinitializeSeed(19);
  reg->Update();
}

struct Quality {
  double correlation = 0, overlap = 0;
};

/// Normalised correlation of \p fixedQ and \p movingQ mapped through (matrix, offset) over their
/// overlap, and the share of fixedQ's voxels that map inside movingQ.
Quality quality(const Image::Pointer& fixedQ, const Image::Pointer& movingQ, const itk::Matrix<double, 3, 3>& matrix,
                const itk::Vector<double, 3>& offset) {
  auto interp = itk::LinearInterpolateImageFunction<Image, double>::New();
  interp->SetInputImage(movingQ);
  const float* fa = fixedQ->GetBufferPointer();
  const auto size = fixedQ->GetLargestPossibleRegion().GetSize();
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  std::int64_t inside = 0, total = 0;
  for (itk::IndexValueType z = 0; z < itk::IndexValueType(size[2]); ++z)
    for (itk::IndexValueType y = 0; y < itk::IndexValueType(size[1]); ++y)
      for (itk::IndexValueType x = 0; x < itk::IndexValueType(size[0]); ++x, ++total) {
        Image::PointType p;
        fixedQ->TransformIndexToPhysicalPoint(Image::IndexType{{x, y, z}}, p);
        Image::PointType q;
        for (unsigned i = 0; i < 3; ++i) q[i] = matrix(i, 0) * p[0] + matrix(i, 1) * p[1] + matrix(i, 2) * p[2] + offset[i];
        itk::ContinuousIndex<double, 3> ci;
        movingQ->TransformPhysicalPointToContinuousIndex(q, ci);
        if (!interp->IsInsideBuffer(ci)) continue;
        const double va = fa[total], vb = interp->EvaluateAtContinuousIndex(ci);
        sa += va, sb += vb, saa += va * va, sbb += vb * vb, sab += va * vb;
        ++inside;
      }
  Quality out;
  out.overlap = total ? double(inside) / double(total) : 0.0;
  if (inside > 1) {
    const double n = double(inside);
    const double cov = sab / n - sa / n * sb / n, va = saa / n - sa / n * sa / n, vb = sbb / n - sb / n * sb / n;
    out.correlation = va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
  }
  return out;
}

std::string num(double v, int digits = 3) {
  std::ostringstream s;
  s.precision(digits);
  s << v;
  return s.str();
}

} // namespace

const char* transformModeName(TransformMode mode) {
  return mode == TransformMode::Rigid ? "rigid" : (mode == TransformMode::Affine ? "affine" : "auto");
}

AffineMap RegistrationResult::indexMap(const volume::VolumeInfo& a, const volume::VolumeInfo& b) const {
  // idxB = Db^-1 (M (oA + Da idxA) + t - oB)
  const double da[3] = {a.spacing.x, a.spacing.y, a.spacing.z}, db[3] = {b.spacing.x, b.spacing.y, b.spacing.z};
  AffineMap r;
  const volume::Vec3 p0 = physical.apply(a.origin);
  const double ob[3] = {b.origin.x, b.origin.y, b.origin.z}, q0[3] = {p0.x, p0.y, p0.z};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) r.m[std::size_t(3 * i + j)] = physical.m[std::size_t(3 * i + j)] * da[j] / db[i];
    r.t[std::size_t(i)] = (q0[i] - ob[i]) / db[i];
  }
  return r;
}

std::string RegistrationResult::describe() const {
  std::ostringstream s;
  s << (affine ? "rigid + affine" : "rigid") << ": rotation " << num(rotationDeg) << " deg, translation (" << num(translationUm.x)
    << ", " << num(translationUm.y) << ", " << num(translationUm.z) << ") um; matrix [";
  for (int i = 0; i < 9; ++i) s << (i ? (i % 3 ? " " : "; ") : "") << num(physical.m[std::size_t(i)], 6);
  s << "], offset (" << num(physical.t[0], 6) << ", " << num(physical.t[1], 6) << ", " << num(physical.t[2], 6)
    << ") um; normalised correlation " << num(correlation) << ", overlap " << num(100 * overlap) << " %";
  if (!choice.empty()) s << "; transform " << choice;
  return s.str();
}

volume::Volume coarseCopy(const volume::Volume& v, int factor) {
  if (factor <= 1) return v.clone();
  volume::Volume c = volume::downsampleMean(v, factor);
  const volume::Vec3 sp = v.spacing(), o = v.origin();
  const double h = (factor - 1) / 2.0;
  c.setOrigin({o.x + sp.x * h, o.y + sp.y * h, o.z + sp.z * h});
  return c;
}

int registrationFactor(const volume::Size3& size, std::int64_t coarseSize) { return shrinkFor(size, coarseSize); }

int registrationFactorB(const volume::VolumeInfo& a, const volume::VolumeInfo& b, int factorA) {
  return std::max(1, int(std::lround(factorA * a.spacing.x / b.spacing.x)));
}

RegistrationResult registerScans(const volume::Volume& a, const volume::Volume& b, const RegistrationOptions& options,
                                 const std::string& nameA, const std::string& nameB) {
  if (a.empty() || b.empty()) throw std::invalid_argument("registration: an empty scan ('" + (a.empty() ? nameA : nameB) + "')");
  const int fa = registrationFactor(a.size(), options.coarseSize);
  const int fb = b.spacing().x > 0 ? registrationFactorB(a.info(), b.info(), fa) : 1;
  return registerCoarse(coarseCopy(a, fa), coarseCopy(b, fb), a.info(), b.info(), options, nameA, nameB);
}

RegistrationResult registerCoarse(const volume::Volume& coarseA, const volume::Volume& coarseB, const volume::VolumeInfo& fullA,
                                  const volume::VolumeInfo& fullB, const RegistrationOptions& options, const std::string& nameA,
                                  const std::string& nameB) {
  const auto t0 = std::chrono::steady_clock::now();
  if (coarseA.empty() || coarseB.empty())
    throw std::invalid_argument("registration: an empty scan ('" + (coarseA.empty() ? nameA : nameB) + "')");
  for (const auto* v : {&fullA, &fullB})
    if (!(v->spacing.x > 0 && v->spacing.y > 0 && v->spacing.z > 0))
      throw std::invalid_argument("registration: '" + (v == &fullA ? nameA : nameB) + "' has no positive voxel size");
  RegistrationResult r;
  const double unit = fullA.spacing.x;
  r.spacingDiffers = fullA.spacing != fullB.spacing;
  r.shrinkA = std::max(1, int(std::lround(coarseA.spacing().x / fullA.spacing.x)));
  r.shrinkB = std::max(1, int(std::lround(coarseB.spacing().x / fullB.spacing.x)));
  const Image::Pointer fixed = itkCopy(coarseA, unit), moving = itkCopy(coarseB, unit);
  const std::int64_t smallest = std::min({coarseA.size().x, coarseA.size().y, coarseA.size().z});
  const int levels = smallest >= 64 ? 3 : (smallest >= 24 ? 2 : 1);

  auto rigid = Rigid::New();
  auto init = itk::CenteredTransformInitializer<Rigid, Image, Image>::New();
  init->SetTransform(rigid);
  init->SetFixedImage(fixed);
  init->SetMovingImage(moving);
  init->GeometryOn();
  init->InitializeTransform();
  runStage<Rigid>(fixed, moving, rigid.GetPointer(), levels);
  const auto& rm = rigid->GetMatrix();
  r.rotationDeg = std::acos(std::clamp((rm(0, 0) + rm(1, 1) + rm(2, 2) - 1) / 2, -1.0, 1.0)) * 180 / kPi;
  const auto tr = rigid->GetTranslation();
  r.translationUm = {tr[0] * unit, tr[1] * unit, tr[2] * unit};

  itk::Matrix<double, 3, 3> matrix = rm;
  itk::Vector<double, 3> offset = rigid->GetOffset();
  // Quality: normalised correlation over the overlap, on copies twice as coarse (less noise).
  const Image::Pointer fixedQ = itkCopy(coarseCopy(coarseA, 2), unit), movingQ = itkCopy(coarseCopy(coarseB, 2), unit);
  const Quality rigidQ = quality(fixedQ, movingQ, matrix, offset);
  r.mode = options.transform;
  r.rigidCorrelation = rigidQ.correlation;
  r.correlation = rigidQ.correlation;
  r.overlap = rigidQ.overlap;
  const bool rigidFailed = rigidQ.overlap < options.minOverlap || rigidQ.correlation < options.minCorrelation;
  if (options.transform == TransformMode::Auto && rigidFailed) {
    r.choice = "rigid (auto: the rigid registration already fails, no affine tried): correlation " + num(rigidQ.correlation, 4);
  } else if (options.transform != TransformMode::Rigid) {
    auto aff = Affine::New();
    aff->SetCenter(rigid->GetCenter());
    aff->SetMatrix(rigid->GetMatrix());
    aff->SetTranslation(rigid->GetTranslation());
    runStage<Affine>(fixed, moving, aff.GetPointer(), std::min(levels, 2));
    const auto am = aff->GetMatrix();
    const auto ao = aff->GetOffset();
    const Quality affineQ = quality(fixedQ, movingQ, am, ao);
    r.affineCorrelation = affineQ.correlation;
    // Plausibility: the scale along each of A's axes and the cosines between them.
    double norm[3];
    for (int j = 0; j < 3; ++j) norm[j] = std::sqrt(am(0, j) * am(0, j) + am(1, j) * am(1, j) + am(2, j) * am(2, j));
    for (int j = 0; j < 3; ++j) {
      r.affineScale = std::max(r.affineScale, std::abs(norm[j] - 1));
      for (int k = j + 1; k < 3; ++k)
        r.affineShear = std::max(r.affineShear, std::abs((am(0, j) * am(0, k) + am(1, j) * am(1, k) + am(2, j) * am(2, k)) /
                                                         (norm[j] * norm[k])));
    }
    // How far the affine moves A's field from where the rigid map puts it (corners, A's voxels).
    for (int c = 0; c < 8; ++c) {
      const double p[3] = {(fullA.origin.x + ((c & 1) ? double(fullA.size.x - 1) * fullA.spacing.x : 0.0)) / unit,
                           (fullA.origin.y + ((c & 2) ? double(fullA.size.y - 1) * fullA.spacing.y : 0.0)) / unit,
                           (fullA.origin.z + ((c & 4) ? double(fullA.size.z - 1) * fullA.spacing.z : 0.0)) / unit};
      double d2 = 0;
      for (int i = 0; i < 3; ++i) {
        const double qa = am(i, 0) * p[0] + am(i, 1) * p[1] + am(i, 2) * p[2] + ao[i];
        const double qr = matrix(i, 0) * p[0] + matrix(i, 1) * p[1] + matrix(i, 2) * p[2] + offset[i];
        const double sp = (i == 0 ? fullA.spacing.x : (i == 1 ? fullA.spacing.y : fullA.spacing.z)) / unit;
        d2 += (qa - qr) * (qa - qr) / (sp * sp);
      }
      r.affineShiftVoxels = std::max(r.affineShiftVoxels, std::sqrt(d2));
    }
    const bool plausible = r.affineScale <= options.maxAffineScale && r.affineShear <= options.maxAffineShear;
    const double gain = affineQ.correlation - rigidQ.correlation;
    const std::string figures = "correlation " + num(affineQ.correlation, 4) + " affine against " + num(rigidQ.correlation, 4) +
                                " rigid (gain " + num(gain, 2) + "); the affine moves A's field up to " + num(r.affineShiftVoxels, 2) +
                                " voxels from the rigid map, scales within " + num(100 * r.affineScale, 2) + " % of 1, shear " +
                                num(r.affineShear, 2);
    if (options.transform == TransformMode::Affine) {
      r.affine = true;
      r.choice = "affine (asked for): " + figures;
    } else if (!plausible) {
      r.choice = "rigid (auto: the affine is not physically plausible, scales beyond " + num(100 * options.maxAffineScale, 2) +
                 " % or shear beyond " + num(options.maxAffineShear, 2) + "): " + figures;
    } else if (gain < options.minAffineGain || r.affineShiftVoxels < options.minAffineShiftVoxels) {
      r.choice = "rigid (auto: the affine gains too little, needs a correlation gain of " + num(options.minAffineGain, 2) +
                 " and a shift of " + num(options.minAffineShiftVoxels, 2) + " voxels): " + figures;
    } else {
      r.affine = true;
      r.choice = "affine (auto: better than the rigid by a clear margin and plausible): " + figures;
    }
    if (r.affine) {
      matrix = am;
      offset = ao;
      r.correlation = affineQ.correlation;
      r.overlap = affineQ.overlap;
    }
  } else {
    r.choice = "rigid (asked for): correlation " + num(rigidQ.correlation, 4);
  }
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) r.physical.m[std::size_t(3 * i + j)] = matrix(i, j);
    r.physical.t[std::size_t(i)] = offset[i] * unit;
  }

  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (r.overlap < options.minOverlap || r.correlation < options.minCorrelation)
    throw std::runtime_error("scans '" + nameA + "' and '" + nameB + "' do not register: normalised correlation " +
                             num(r.correlation) + " after registration (at least " + num(options.minCorrelation) +
                             " needed), overlap " + num(100 * r.overlap) + " % (at least " + num(100 * options.minOverlap) +
                             " % needed); are they scans of the same region?");
  return r;
}

volume::Region sourceRegion(const RegistrationResult& r, const volume::VolumeInfo& grid, const volume::VolumeInfo& b,
                            std::int64_t z0, std::int64_t z1) {
  const AffineMap map = r.indexMap(grid, b);
  double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
  const double xs[2] = {-0.5, double(grid.size.x) - 0.5}, ys[2] = {-0.5, double(grid.size.y) - 0.5},
               zs[2] = {double(z0) - 0.5, double(z1) - 0.5};
  for (int k = 0; k < 8; ++k) { // an affine map takes the box's corners to the corners of its image
    const volume::Vec3 q = map.apply({xs[k & 1], ys[(k >> 1) & 1], zs[(k >> 2) & 1]});
    const double c[3] = {q.x, q.y, q.z};
    for (int i = 0; i < 3; ++i) lo[i] = std::min(lo[i], c[i]), hi[i] = std::max(hi[i], c[i]);
  }
  volume::Region out;
  const std::int64_t n[3] = {b.size.x, b.size.y, b.size.z};
  std::int64_t s[3], e[3];
  for (int i = 0; i < 3; ++i) {
    s[i] = std::clamp<std::int64_t>(std::int64_t(std::floor(lo[i])) - 1, 0, n[i]);
    e[i] = std::clamp<std::int64_t>(std::int64_t(std::ceil(hi[i])) + 2, 0, n[i]);
  }
  out.start = {s[0], s[1], s[2]};
  out.size = {std::max<std::int64_t>(0, e[0] - s[0]), std::max<std::int64_t>(0, e[1] - s[1]), std::max<std::int64_t>(0, e[2] - s[2])};
  return out;
}

void resampleSlab(const volume::Volume& part, const volume::Region& partRegion, const volume::VolumeInfo& b,
                  const RegistrationResult& r, std::int64_t z0, std::int64_t z1, volume::Volume& out, volume::Volume* inside,
                  bool nearest) {
  resampleSlab(part, partRegion, b, r, out.info(), 0, z0, z1, out, inside, nearest);
}

void resampleSlab(const volume::Volume& part, const volume::Region& partRegion, const volume::VolumeInfo& b,
                  const RegistrationResult& r, const volume::VolumeInfo& grid, std::int64_t outZ0, std::int64_t z0,
                  std::int64_t z1, volume::Volume& out, volume::Volume* inside, bool nearest) {
  const std::int64_t base = outZ0; // out's slice 0 is the grid's slice outZ0
  const AffineMap map = r.indexMap(grid, b);
  const volume::Size3 s = grid.size, bs = b.size, ps = part.size();
  const std::int64_t ox = partRegion.start.x, oy = partRegion.start.y, oz = partRegion.start.z;
  if (part.empty()) return;
  volume::dispatch(part.type(), [&](auto tag) {
    using T = decltype(tag);
    const T* src = part.as<T>();
    T* dst = out.as<T>();
    std::uint8_t* in = inside ? inside->as<std::uint8_t>() : nullptr;
    auto at = [&](std::int64_t x, std::int64_t y, std::int64_t z) { // B's index, clamped to the part held
      return src[std::clamp<std::int64_t>(x - ox, 0, ps.x - 1) +
                 ps.x * (std::clamp<std::int64_t>(y - oy, 0, ps.y - 1) + ps.y * std::clamp<std::int64_t>(z - oz, 0, ps.z - 1))];
    };
    for (std::int64_t z = std::max<std::int64_t>(z0, 0); z < std::min(z1, s.z); ++z) {
      for (std::int64_t y = 0, i = s.x * s.y * (z - base); y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x, ++i) {
          const volume::Vec3 q = map.apply({double(x), double(y), double(z)});
          if (!(q.x > -0.5 && q.y > -0.5 && q.z > -0.5 && q.x < double(bs.x) - 0.5 && q.y < double(bs.y) - 0.5 &&
                q.z < double(bs.z) - 0.5))
            continue;
          if (in) in[i] = 1;
          if (nearest) {
            dst[i] = at(std::lround(q.x), std::lround(q.y), std::lround(q.z));
            continue;
          }
          const std::int64_t x0 = std::int64_t(std::floor(q.x)), y0 = std::int64_t(std::floor(q.y)), zz = std::int64_t(std::floor(q.z));
          const double fx = q.x - double(x0), fy = q.y - double(y0), fz = q.z - double(zz);
          double v = 0;
          for (int k = 0; k < 8; ++k)
            v += ((k & 1) ? fx : 1 - fx) * ((k & 2) ? fy : 1 - fy) * ((k & 4) ? fz : 1 - fz) *
                 double(at(std::clamp<std::int64_t>(x0 + (k & 1), 0, bs.x - 1), std::clamp<std::int64_t>(y0 + ((k >> 1) & 1), 0, bs.y - 1),
                           std::clamp<std::int64_t>(zz + ((k >> 2) & 1), 0, bs.z - 1)));
          if constexpr (std::is_same_v<T, float>) dst[i] = float(v);
          else dst[i] = T(std::clamp(std::llround(v), 0LL, (long long)std::numeric_limits<T>::max()));
        }
    }
  });
}

volume::Volume resampleOnto(const volume::Volume& b, const RegistrationResult& r, const volume::VolumeInfo& grid,
                            volume::Volume* inside) {
  const bool nearest = b.type() == volume::VoxelType::UInt8 || b.type() == volume::VoxelType::UInt32;
  return resampleOnto(b, r, grid, nearest, inside);
}

volume::Volume resampleOnto(const volume::Volume& b, const RegistrationResult& r, const volume::VolumeInfo& grid,
                            bool nearest, volume::Volume* inside) {
  volume::VolumeInfo info = grid;
  info.type = b.type();
  volume::Volume out(info);
  if (inside) *inside = volume::Volume(grid.size, volume::VoxelType::UInt8, grid.spacing, grid.origin);
  resampleSlab(b, volume::Region::whole(b.size()), b.info(), r, 0, grid.size.z, out, inside, nearest);
  return out;
}

} // namespace core::analysis
