// Tiled, blended, batched prediction (Predictor.h). Torch-free: the network runs through Model.
#include "core/ml/Predictor.h"

#include "core/ml/Metrics.h"
#include "core/ml/TrainingData.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace core::ml {

using volume::Volume;
using volume::VoxelType;

struct Predictor::SliceJob {
  const float* image = nullptr; ///< normalised, channels * width * height
  int width = 0, height = 0, channels = 1;
  float* out = nullptr;         ///< probabilities, width * height
  // Work buffers over the slice padded to multiples of 32, as the network pads a whole slice.
  int paddedWidth = 0, paddedHeight = 0;
  std::vector<float> padded, sum, weight;
};

namespace {

constexpr double kPi = 3.14159265358979323846;
// Mirrored rows added beyond each end of the range in tri-planar fusion's XZ and YZ planes.
constexpr std::int64_t kTriPlanarMirrorRows = 16;

int roundUp(int v) { return (v + kSizeMultiple - 1) / kSizeMultiple * kSizeMultiple; }

// Tile origins along one axis of length n (a multiple of 32) for tiles of length t: a grid of
// stride s (a multiple of 32), the last tile moved back to end at the border. Origins on the
// 32-pixel grid keep every pooling window where whole-slice prediction has it.
std::vector<int> tileOrigins(int n, int t, int s) {
  if (n <= t) return {0};
  std::vector<int> xs;
  for (int x = 0; x + t < n; x += s) xs.push_back(x);
  if (xs.back() != n - t) xs.push_back(n - t);
  return xs;
}

// Blending weight at distance d (pixels, from pixel centre) from an inner tile border: zero within
// the margin, where the network sees the tile edge instead of the image, then a raised-cosine ramp.
// Two facing ramps over an overlap of 2 * margin + length sum to one (sin^2 + cos^2).
struct Ramp {
  double margin = 0, length = 0;
  double operator()(double d) const {
    if (length <= 0) return d > margin ? 1.0 : 0.0;
    if (d <= margin) return 0.0;
    if (d >= margin + length) return 1.0;
    const double s = std::sin(0.5 * kPi * (d - margin) / length);
    return s * s;
  }
};

std::vector<float> window1d(int origin, int t, int n, const Ramp& ramp) {
  std::vector<float> w(std::size_t(t), 1.0f);
  for (int i = 0; i < t; ++i) {
    double v = 1.0;
    if (origin > 0) v *= ramp(i + 0.5);
    if (origin + t < n) v *= ramp(t - i - 0.5);
    w[std::size_t(i)] = float(v);
  }
  return w;
}

// Index of a padded position in [0, n): reflect (without repeating the edge) where the pad is
// shorter than the image, else replicate; as the network's own padding.
inline int padIndex(int i, int n, bool reflect) {
  if (i < n) return i;
  return reflect ? 2 * (n - 1) - i : n - 1;
}

// One of the 8 flips and 90-degree rotations of a tile (D4): transpose first, then flips.
struct D4 {
  bool transpose, flipX, flipY;
};

// Calls f(source index, transformed index) for every pixel of an h x w plane under t.
template <class F> void forEachD4(int h, int w, const D4& t, F&& f) {
  const int h2 = t.transpose ? w : h, w2 = t.transpose ? h : w;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      int yy = t.transpose ? x : y, xx = t.transpose ? y : x;
      if (t.flipX) xx = w2 - 1 - xx;
      if (t.flipY) yy = h2 - 1 - yy;
      f(std::size_t(y) * w + x, std::size_t(yy) * w2 + xx);
    }
}

// A tile (origin x, y; tw x th) of the padded slice \p img (row length pw) with no solid phase:
// its grey values nearly constant, or at most one pixel in 10000 above the slice's Otsu threshold.
bool emptyTile(const float* img, int pw, int x, int y, int tw, int th, float threshold) {
  float lo = img[std::size_t(y) * pw + x], hi = lo;
  std::size_t above = 0;
  for (int r = 0; r < th; ++r) {
    const float* row = img + std::size_t(y + r) * pw + x;
    for (int c = 0; c < tw; ++c) {
      lo = std::min(lo, row[c]);
      hi = std::max(hi, row[c]);
      above += row[c] > threshold;
    }
  }
  return hi - lo < 1e-3f || above <= std::size_t(tw) * std::size_t(th) / 10000;
}

} // namespace

Predictor::Predictor(Model model, PredictOptions options) : m_model(std::move(model)), m_options(options) {
  if (m_model.empty()) throw std::invalid_argument("Predictor needs a model");
  m_options.minTile = std::max(2 * kSizeMultiple, roundUp(m_options.minTile));
  if (m_options.tile == kAutoTile) {
    // Chosen by measurement on the first slice (tuneTiles); until then the default stands in.
    m_autoTiles = !m_model.device().cuda;
    m_options.tile = 0;
    if (m_autoTiles) m_options.overlap = 192;
  }
  if (m_options.tile == 0) m_options.tile = m_model.device().cuda ? 1024 : 512;
  if (m_options.tile < m_options.minTile)
    throw std::invalid_argument("tile size " + std::to_string(m_options.tile) + " is below the minimum of " +
                                std::to_string(m_options.minTile) + " pixels");
  m_options.tile = m_options.tile / kSizeMultiple * kSizeMultiple;
  if (m_options.overlap < 0) throw std::invalid_argument("tile overlap must not be negative");
  if (m_options.overlap > m_options.tile / 2)
    throw std::invalid_argument("tile overlap " + std::to_string(m_options.overlap) + " exceeds half the tile (" +
                                std::to_string(m_options.tile / 2) + " pixels)");
  if (m_options.batch <= 0) m_options.batch = m_model.device().cuda ? 4 : 1;
  // A TorchScript model from elsewhere may hold fp32 constants: bf16 only when asked for.
  const bool script = m_model.kind() == ModelKind::TorchScript && m_options.precision == Precision::Auto;
  m_precision = script ? Precision::Fp32 : resolvePrecision(m_options.precision, m_model.device().cuda);
}

namespace {
// The overlap rounded up so that the stride stays on the 32-pixel grid.
int strideOf(int tile, int overlap) { return std::max(kSizeMultiple, (tile - overlap) / kSizeMultiple * kSizeMultiple); }
} // namespace

int Predictor::stride() const { return strideOf(m_options.tile, m_options.overlap); }

std::int64_t Predictor::tilesPerSlice(int width, int height, int tile, int overlap) {
  const int pw = roundUp(width), ph = roundUp(height);
  const int tw = std::min(tile, pw), th = std::min(tile, ph), s = strideOf(tile, overlap);
  return std::int64_t(tileOrigins(pw, tw, s).size()) * std::int64_t(tileOrigins(ph, th, s).size());
}

std::int64_t Predictor::tileCount(int width, int height) const {
  return tilesPerSlice(width, height, m_options.tile, m_options.overlap);
}

void Predictor::tuneTilesOn(const float* normalised, int width, int height, jobs::CancelToken& cancel) {
  if (!m_autoTiles || m_tilesChosen) return;
  m_tileChoice = chooseTiles(m_model, m_precision, normalised, width, height, m_options.tileTuning, cancel);
  m_options.tile = m_tileChoice.tile;
  m_options.overlap = m_tileChoice.overlap;
  m_tilesChosen = true;
}

void Predictor::tuneTiles(volume::VolumeReader& reader, std::int64_t z0, std::int64_t z1, jobs::CancelToken& cancel) {
  if (!m_autoTiles || m_tilesChosen) return;
  // The middle slice of the range (with a 2.5D model's neighbours) decides.
  const volume::Size3 size = reader.info().size;
  const int k = m_model.options().contextSlices;
  const std::int64_t zm = (z0 + z1) / 2, lo = std::max<std::int64_t>(0, zm - k), hi = std::min(size.z, zm + k + 1);
  tuneTiles(reader.read(volume::Region::slab(size, lo, hi), 1, volume::DownsampleMode::Mean, jobs::nullProgress(), cancel),
            zm - lo, cancel);
}

void Predictor::tuneTiles(const Volume& images, std::int64_t z, jobs::CancelToken& cancel) {
  if (!m_autoTiles || m_tilesChosen) return;
  const int k = m_model.options().contextSlices;
  std::vector<float> norm(std::size_t(images.size().x * images.size().y) * std::size_t(2 * k + 1));
  normaliseWithContext(images, z, k, norm.data());
  tuneTilesOn(norm.data(), int(images.size().x), int(images.size().y), cancel);
}

void Predictor::forward(const float* in, int n, int h, int w, float* out) {
  if (m_options.simulatedDevicePixels > 0 && std::int64_t(n) * h * w > m_options.simulatedDevicePixels)
    throw DeviceOutOfMemory("prediction: the (simulated) GPU ran out of memory");
  if (!m_options.tta) {
    m_model.predict(in, n, h, w, out, m_precision);
    return;
  }
  // Test-time augmentation: the batch in each of the 8 orientations, each output mapped back.
  const int channels = m_model.options().channels();
  const std::size_t plane = std::size_t(h) * w, planes = std::size_t(n) * std::size_t(channels);
  std::vector<float> tin(planes * plane), tout(std::size_t(n) * plane);
  std::fill(out, out + std::size_t(n) * plane, 0.0f);
  for (int i = 0; i < 8; ++i) {
    const D4 t{(i & 4) != 0, (i & 1) != 0, (i & 2) != 0};
    for (std::size_t p = 0; p < planes; ++p) {
      const float* src = in + p * plane;
      float* dst = tin.data() + p * plane;
      forEachD4(h, w, t, [&](std::size_t a, std::size_t b) { dst[b] = src[a]; });
    }
    m_model.predict(tin.data(), n, t.transpose ? w : h, t.transpose ? h : w, tout.data(), m_precision);
    for (int k = 0; k < n; ++k) {
      const float* src = tout.data() + std::size_t(k) * plane;
      float* acc = out + std::size_t(k) * plane;
      forEachD4(h, w, t, [&](std::size_t a, std::size_t b) { acc[a] += src[b]; });
    }
  }
  for (std::size_t i = 0; i < std::size_t(n) * plane; ++i) out[i] *= 0.125f;
}

void Predictor::runSlices(std::vector<SliceJob>& jobs, jobs::ProgressSink& progress, jobs::CancelToken& cancel,
                          std::int64_t tilesBefore, std::int64_t tilesTotal) {
  const int s = stride();
  const int overlap = m_options.tile - s;
  const double margin = m_options.margin < 0 ? overlap * 3.0 / 8.0 : std::min(double(m_options.margin), overlap / 2.0);
  const Ramp ramp{margin, overlap - 2.0 * margin};
  struct Tile {
    SliceJob* job;
    int x, y;
  };
  // All tiles of all slices, in order; consecutive tiles of equal size share a batch.
  std::vector<Tile> tiles;
  std::int64_t skipped = 0; // empty tiles (PredictOptions::skipEmptyTiles)
  for (auto& j : jobs) {
    j.paddedWidth = roundUp(j.width);
    j.paddedHeight = roundUp(j.height);
    const std::size_t np = std::size_t(j.paddedWidth) * j.paddedHeight;
    j.padded.resize(np * std::size_t(j.channels));
    const bool reflectX = j.paddedWidth - j.width < j.width && j.paddedHeight - j.height < j.height;
    for (int ch = 0; ch < j.channels; ++ch)
      for (int y = 0; y < j.paddedHeight; ++y) {
        const float* src = j.image + std::size_t(ch) * j.width * j.height +
                           std::size_t(padIndex(y, j.height, reflectX)) * j.width;
        float* dst = j.padded.data() + np * std::size_t(ch) + std::size_t(y) * j.paddedWidth;
        for (int x = 0; x < j.paddedWidth; ++x) dst[x] = src[padIndex(x, j.width, reflectX)];
      }
    j.sum.assign(np, 0.0f);
    j.weight.assign(np, 0.0f);
    const int tw = std::min(m_options.tile, j.paddedWidth), th = std::min(m_options.tile, j.paddedHeight);
    float threshold = 0;
    const float* centre = j.padded.data() + np * std::size_t(j.channels / 2);
    if (m_options.skipEmptyTiles)
      threshold = float(otsuThreshold(std::vector<float>(j.image + std::size_t(j.channels / 2) * j.width * j.height,
                                                         j.image + std::size_t(j.channels / 2 + 1) * j.width * j.height)));
    for (int y : tileOrigins(j.paddedHeight, th, s))
      for (int x : tileOrigins(j.paddedWidth, tw, s)) {
        if (m_options.skipEmptyTiles && emptyTile(centre, j.paddedWidth, x, y, tw, th, threshold)) {
          ++skipped;
          continue;
        }
        tiles.push_back({&j, x, y});
      }
  }
  m_tilesSkipped += skipped;
  std::vector<float> in, out;
  std::size_t done = 0;
  while (done < tiles.size()) {
    cancel.throwIfCancelled();
    const SliceJob& first = *tiles[done].job;
    const int tw = std::min(m_options.tile, first.paddedWidth), th = std::min(m_options.tile, first.paddedHeight);
    std::size_t n = 0;
    while (done + n < tiles.size() && int(n) < m_options.batch &&
           tiles[done + n].job->paddedWidth == first.paddedWidth &&
           tiles[done + n].job->paddedHeight == first.paddedHeight)
      ++n;
    const std::size_t tilePixels = std::size_t(tw) * th, channels = std::size_t(first.channels);
    in.resize(n * channels * tilePixels);
    out.resize(n * tilePixels);
    for (std::size_t k = 0; k < n; ++k) {
      const Tile& t = tiles[done + k];
      const std::size_t np = std::size_t(t.job->paddedWidth) * t.job->paddedHeight;
      for (std::size_t ch = 0; ch < channels; ++ch)
        for (int r = 0; r < th; ++r)
          std::memcpy(&in[(k * channels + ch) * tilePixels + std::size_t(r) * tw],
                      t.job->padded.data() + ch * np + std::size_t(t.y + r) * t.job->paddedWidth + t.x,
                      sizeof(float) * std::size_t(tw));
    }
    forward(in.data(), int(n), th, tw, out.data());
    m_tilesRun += std::int64_t(n);
    for (std::size_t k = 0; k < n; ++k) {
      const Tile& t = tiles[done + k];
      SliceJob& j = *t.job;
      const auto wx = window1d(t.x, tw, j.paddedWidth, ramp), wy = window1d(t.y, th, j.paddedHeight, ramp);
      for (int r = 0; r < th; ++r) {
        const float* p = &out[k * tilePixels + std::size_t(r) * tw];
        float* acc = j.sum.data() + std::size_t(t.y + r) * j.paddedWidth + t.x;
        float* wsum = j.weight.data() + std::size_t(t.y + r) * j.paddedWidth + t.x;
        for (int c = 0; c < tw; ++c) {
          const float w = wx[std::size_t(c)] * wy[std::size_t(r)];
          acc[c] += w * p[c];
          wsum[c] += w;
        }
      }
    }
    done += n;
    const std::int64_t finished = tilesBefore + skipped + std::int64_t(done);
    progress.setProgress(double(finished) / double(std::max<std::int64_t>(1, tilesTotal)),
                         "Tile " + std::to_string(finished) + "/" + std::to_string(tilesTotal));
  }
  for (auto& j : jobs) {
    for (int y = 0; y < j.height; ++y)
      for (int x = 0; x < j.width; ++x) {
        const std::size_t i = std::size_t(y) * j.paddedWidth + x;
        j.out[std::size_t(y) * j.width + x] = j.weight[i] > 0 ? j.sum[i] / j.weight[i] : 0.0f;
      }
    std::vector<float>().swap(j.padded);
    std::vector<float>().swap(j.sum);
    std::vector<float>().swap(j.weight);
  }
}

void Predictor::runWithFallback(std::vector<SliceJob>& jobs, jobs::ProgressSink& progress, jobs::CancelToken& cancel,
                                std::int64_t tilesBefore, std::int64_t tilesTotal) {
  for (;;) {
    try {
      runSlices(jobs, progress, cancel, tilesBefore, tilesTotal);
      return;
    } catch (const DeviceOutOfMemory&) {
      // Smaller batches first (same result), then smaller tiles (more overlap work).
      if (m_options.batch > 1) {
        m_options.batch /= 2;
      } else if (m_options.tile / 2 >= m_options.minTile) {
        m_options.tile = std::max(m_options.minTile, m_options.tile / 2 / kSizeMultiple * kSizeMultiple);
        m_options.overlap = std::min(m_options.overlap, m_options.tile / 2);
      } else {
        throw DeviceOutOfMemory("prediction: the GPU has too little memory even for " + std::to_string(m_options.tile) +
                                " x " + std::to_string(m_options.tile) + " tiles one at a time; use --device cpu");
      }
    }
  }
}

void Predictor::predictNormalised(const float* image, int width, int height, float* out, jobs::ProgressSink& progress,
                                  jobs::CancelToken& cancel) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("prediction of an empty slice");
  tuneTilesOn(image, width, height, cancel);
  std::vector<SliceJob> jobs(1);
  jobs[0].image = image;
  jobs[0].width = width;
  jobs[0].height = height;
  jobs[0].channels = m_model.options().channels();
  jobs[0].out = out;
  runWithFallback(jobs, progress, cancel, 0, tileCount(width, height));
}

std::int64_t Predictor::slicesPerSlab(std::int64_t width, std::int64_t height) const {
  // Input voxel (up to 4 bytes), normalised float per channel, probability, padded input per
  // channel, sum and weight.
  const std::uint64_t channels = std::uint64_t(m_model.options().channels());
  const std::uint64_t perSlice = std::uint64_t(width) * std::uint64_t(height) * (16u + 8u * channels);
  return std::max<std::int64_t>(1, std::int64_t(m_options.slabBytes / std::max<std::uint64_t>(1, perSlice)));
}

namespace {
void checkRange(std::int64_t depth, std::int64_t z0, std::int64_t z1) {
  if (z0 < 0 || z1 > depth || z0 >= z1)
    throw std::invalid_argument("slice range " + std::to_string(z0) + ":" + std::to_string(z1) +
                                " is empty or outside the volume's " + std::to_string(depth) + " slices");
}
} // namespace

Volume Predictor::predict(const Volume& images, std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress,
                          jobs::CancelToken& cancel) {
  if (images.empty()) throw std::invalid_argument("prediction of an empty volume");
  checkRange(images.size().z, z0, z1);
  tuneTiles(images, (z0 + z1) / 2, cancel);
  if (m_options.triPlanar) return predictTriPlanar(images, z0, z1, progress, cancel);
  return predictPlanes(images, z0, z1, 0, images.size().z, progress, cancel);
}

Volume Predictor::predictPlanes(const Volume& images, std::int64_t z0, std::int64_t z1, std::int64_t globalZ0,
                                std::int64_t globalDepth, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  // Slice i of images is slice globalZ0 + i of a volume of globalDepth slices (a slab with halo):
  // 2.5D neighbours are mirrored at that volume's ends, not the slab's.
  const int k = m_model.options().contextSlices, channels = 2 * k + 1;
  checkContextDepth(globalDepth, k, "");
  const int w = int(images.size().x), h = int(images.size().y);
  const std::size_t n = std::size_t(w) * h;
  Volume out({images.size().x, images.size().y, z1 - z0}, VoxelType::Float32, images.spacing(), images.origin());
  out.setOrigin({images.origin().x, images.origin().y, images.origin().z + double(z0) * images.spacing().z});
  const std::int64_t perSlab = slicesPerSlab(w, h);
  const std::int64_t total = tileCount(w, h) * (z1 - z0);
  std::vector<float> normalised;
  for (std::int64_t zs = z0; zs < z1; zs += perSlab) {
    const std::int64_t ze = std::min(z1, zs + perSlab);
    normalised.resize(n * std::size_t(channels) * std::size_t(ze - zs));
    std::vector<SliceJob> jobs(std::size_t(ze - zs));
    for (std::int64_t z = zs; z < ze; ++z) {
      float* norm = normalised.data() + n * std::size_t(channels) * std::size_t(z - zs);
      for (int d = -k; d <= k; ++d) {
        const std::int64_t local = mirroredSlice(globalZ0 + z + d, globalDepth) - globalZ0;
        if (local < 0 || local >= images.size().z) throw std::logic_error("prediction: slab without its halo");
        normaliseSlice(images, local, norm + n * std::size_t(d + k));
      }
      SliceJob& j = jobs[std::size_t(z - zs)];
      j.image = norm;
      j.width = w;
      j.height = h;
      j.channels = channels;
      j.out = out.as<float>() + n * std::size_t(z - z0);
    }
    runWithFallback(jobs, progress, cancel, tileCount(w, h) * (zs - z0), total);
  }
  return out;
}

Volume Predictor::predictTriPlanar(const Volume& images, std::int64_t z0, std::int64_t z1, jobs::ProgressSink& progress,
                                   jobs::CancelToken& cancel) {
  // Slices [z0, z1) are the volume here: XY neighbours are mirrored at the range's ends too, so
  // in-memory and out-of-core tri-planar prediction agree.
  const std::int64_t nx = images.size().x, ny = images.size().y, nz = z1 - z0;
  const volume::Vec3 sp = images.spacing();
  jobs::SubProgress xyPart(progress, 0.0, 1.0 / 3.0);
  Volume fused = predictPlanes(images, z0, z1, -z0, nz, xyPart, cancel);
  float* f = fused.as<float>();
  // Resliced copies (float): plane y of "xz" holds rows z and columns x; plane x of "yz" holds
  // rows z and columns y. Each is predicted as a stack of slices and added back. The range's ends
  // are image borders in these planes, where the network is far less sure (measured on a phantom:
  // crack Dice about 0 in the three rows next to a border); mirrored rows beyond them make those
  // rows interior. The plain XY slices keep their own borders, as without fusion.
  const std::int64_t mirror = std::min<std::int64_t>(kTriPlanarMirrorRows, nz - 1), rows = nz + 2 * mirror;
  for (int orientation = 0; orientation < 2; ++orientation) {
    cancel.throwIfCancelled();
    const bool xz = orientation == 0;
    const std::int64_t cols = xz ? nx : ny, planes = xz ? ny : nx;
    Volume resliced({cols, rows, planes}, VoxelType::Float32,
                    xz ? volume::Vec3{sp.x, sp.z, sp.y} : volume::Vec3{sp.y, sp.z, sp.x});
    float* r = resliced.as<float>();
    volume::dispatch(images.type(), [&](auto t) {
      using T = decltype(t);
      for (std::int64_t row = 0; row < rows; ++row) {
        const T* src = reinterpret_cast<const T*>(images.slicePtr(z0 + mirroredSlice(row - mirror, nz)));
        for (std::int64_t y = 0; y < ny; ++y)
          for (std::int64_t x = 0; x < nx; ++x) {
            const std::int64_t c = xz ? x : y, pl = xz ? y : x;
            r[(pl * rows + row) * cols + c] = static_cast<float>(src[y * nx + x]);
          }
      }
    });
    jobs::SubProgress part(progress, (1.0 + orientation) / 3.0, (2.0 + orientation) / 3.0);
    // These planes are often small (a range of few slices): batch them up to the area of one full
    // tile, the memory plain prediction uses anyway (one at a time ran about 2x slower on a CPU).
    const int batch = m_options.batch;
    const std::int64_t planeArea = std::int64_t(roundUp(int(cols))) * roundUp(int(rows));
    m_options.batch = int(std::max<std::int64_t>(batch, std::int64_t(m_options.tile) * m_options.tile / planeArea));
    Volume p;
    try {
      p = predictPlanes(resliced, 0, planes, 0, planes, part, cancel);
    } catch (...) {
      m_options.batch = std::min(batch, m_options.batch);
      throw;
    }
    m_options.batch = std::min(batch, m_options.batch); // as it was, or smaller after an out-of-memory fallback
    const float* q = p.as<float>();
    for (std::int64_t z = 0; z < nz; ++z)
      for (std::int64_t y = 0; y < ny; ++y)
        for (std::int64_t x = 0; x < nx; ++x) {
          const std::int64_t c = xz ? x : y, pl = xz ? y : x;
          f[(z * ny + y) * nx + x] += q[(pl * rows + z + mirror) * cols + c];
        }
  }
  for (std::int64_t i = 0; i < fused.voxelCount(); ++i) f[i] /= 3.0f;
  fused.setOrigin({images.origin().x, images.origin().y, images.origin().z + double(z0) * sp.z});
  return fused;
}

Volume Predictor::toProbabilityVolume(const Volume& p, VoxelType type) {
  if (type == VoxelType::Float32) return p.clone();
  if (type != VoxelType::UInt8) throw std::invalid_argument("probabilities are written as float32 or uint8");
  Volume out(p.size(), VoxelType::UInt8, p.spacing(), p.origin());
  const float* s = p.as<float>();
  std::uint8_t* d = out.as<std::uint8_t>();
  for (std::int64_t i = 0; i < p.voxelCount(); ++i) d[i] = std::uint8_t(std::lround(std::clamp(s[i], 0.0f, 1.0f) * 255.0f));
  return out;
}

Volume Predictor::toMask(const Volume& p, double threshold, std::uint8_t value) {
  Volume out(p.size(), VoxelType::UInt8, p.spacing(), p.origin());
  const float* s = p.as<float>();
  std::uint8_t* d = out.as<std::uint8_t>();
  for (std::int64_t i = 0; i < p.voxelCount(); ++i) d[i] = s[i] >= threshold ? value : 0;
  return out;
}

void Predictor::predict(volume::VolumeReader& reader, std::int64_t z0, std::int64_t z1, const PredictOutputs& outputs,
                        jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  if (!outputs.probability && !outputs.mask) throw std::invalid_argument("prediction needs at least one output");
  const volume::VolumeInfo info = reader.info();
  checkRange(info.size.z, z0, z1);
  const int k = m_model.options().contextSlices;
  checkContextDepth(info.size.z, k, reader.path());
  std::int64_t perSlab = std::min(slicesPerSlab(info.size.x, info.size.y), z1 - z0);
  if (m_options.triPlanar) {
    // In memory only: the XZ and YZ planes span the whole range. Input, the resliced copy and
    // three probability volumes, plus the per-slice work of the plain path.
    const double need =
        double(info.size.x) * double(info.size.y) * double(z1 - z0) * double(volume::voxelSize(info.type) + 16);
    if (need > double(m_options.slabBytes))
      throw std::runtime_error("tri-planar fusion works in memory: slices " + std::to_string(z0) + ":" +
                               std::to_string(z1) + " of " + std::to_string(info.size.x) + " x " +
                               std::to_string(info.size.y) + " need about " + std::to_string(std::int64_t(need / 1048576.0)) +
                               " MiB, more than the memory budget of " + std::to_string(m_options.slabBytes >> 20) +
                               " MiB; predict fewer slices (--slices), give more memory, or leave tri-planar off");
    perSlab = z1 - z0;
  }
  tuneTiles(reader, z0, z1, cancel);
  const std::int64_t perSliceTiles = tileCount(int(info.size.x), int(info.size.y));
  const std::int64_t total = perSliceTiles * (z1 - z0);
  for (std::int64_t zs = z0; zs < z1; zs += perSlab) {
    const std::int64_t ze = std::min(z1, zs + perSlab);
    cancel.throwIfCancelled();
    // A 2.5D model needs k slices of halo on each side (clipped at the volume's ends, where the
    // neighbours are mirrored instead).
    const std::int64_t lo = m_options.triPlanar ? zs : std::max<std::int64_t>(0, zs - k);
    const std::int64_t hi = m_options.triPlanar ? ze : std::min(info.size.z, ze + k);
    const Volume slab = reader.read(volume::Region::slab(info.size, lo, hi), 1, volume::DownsampleMode::Mean,
                                    jobs::nullProgress(), cancel);
    jobs::SubProgress sub(progress, double(perSliceTiles * (zs - z0)) / double(total),
                          double(perSliceTiles * (ze - z0)) / double(total));
    const Volume probs = m_options.triPlanar ? predictTriPlanar(slab, 0, ze - zs, sub, cancel)
                                             : predictPlanes(slab, zs - lo, ze - lo, lo, info.size.z, sub, cancel);
    if (outputs.probability) outputs.probability->writeSlab(toProbabilityVolume(probs, outputs.probabilityType), zs - z0);
    if (outputs.mask) outputs.mask->writeSlab(toMask(probs, outputs.threshold, outputs.maskValue), zs - z0);
  }
}

void parseSliceRange(const std::string& text, std::int64_t depth, std::int64_t& z0, std::int64_t& z1) {
  auto number = [&](const std::string& s, std::int64_t fallback) -> std::int64_t {
    if (s.empty()) return fallback;
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used != s.size()) throw std::invalid_argument("slice range '" + text + "' is not of the form A:B");
    return v < 0 ? depth + v : v; // negative counts from the end, as in Python
  };
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    z0 = number(text, 0);
    z1 = z0 + 1;
  } else {
    z0 = number(text.substr(0, colon), 0);
    z1 = number(text.substr(colon + 1), depth);
  }
  if (z0 >= z1) throw std::invalid_argument("slice range '" + text + "' is empty");
  if (z0 < 0 || z1 > depth)
    throw std::invalid_argument("slice range '" + text + "' lies outside the volume's " + std::to_string(depth) +
                                " slices (0:" + std::to_string(depth) + ")");
}

} // namespace core::ml
