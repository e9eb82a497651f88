// Our own Winograd F(2x2, 3x3) convolution on nChw16c fp32 activations (detail/WinogradAvx2.h).
//
// Only the functions marked kAvx2 use AVX2/FMA instructions (GCC's target attribute); the rest of
// the file, and the code that decides whether to call them, stays baseline x86-64.
#include "core/ml/detail/WinogradAvx2.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CDNET_WINO_X86 1
#define kAvx2 __attribute__((target("avx2,fma")))
#endif

namespace core::ml::detail {

namespace {

constexpr std::int64_t kRows = 6; // tiles per register block (6 x 16 outputs: 12 accumulators)

// Tiles per block: V (16 x T x Cin) and M (16 x T x Cout) near 512 KiB, so that they stay in L2,
// but never fewer than 36, since U is read once per block; where U outgrows a last-level cache
// (over 16 MiB: 512 x 1024 channels and more), 132 (1024 -> 1024 at 32 x 32, 2 threads: 0.49x
// direct's time against 0.64x with 36; bench/winograd/own_avx2_bench.cpp).
std::int64_t tilesPerBlock(std::int64_t cinPad, std::int64_t coutPad) {
  if (const char* env = std::getenv("CDNET_WINOGRAD_TILES")) { // for measurements
    const long t = std::atol(env);
    if (t > 0) return (t + kRows - 1) / kRows * kRows;
  }
  if (64 * cinPad * coutPad > (std::int64_t(16) << 20)) return 132;
  const std::int64_t t = 8192 / (cinPad + coutPad);
  return std::clamp<std::int64_t>(t / kRows * kRows, 36, 120);
}

// cinb, coutb: the layout's channel blocks of `lanes` (8 or 16); cinPad: K of the GEMMs (Cin
// padded to lanes); coutPad: its N (Cout padded to 16); tpad: rows of V and M per position.
struct Geometry {
  std::int64_t h, w, lanes, tilesY, tilesX, cinb, coutb, cinPad, coutPad, tpad;
};

#ifdef CDNET_WINO_X86

// M[r][0..16) = sum_k V[r][k] * U[k][0..16) for 6 rows r (V rows ldv apart, M rows ldm apart).
kAvx2 void microKernel(const float* v, std::int64_t ldv, const float* u, std::int64_t k, float* m, std::int64_t ldm) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
         c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  const float *v0 = v, *v1 = v + ldv, *v2 = v + 2 * ldv, *v3 = v + 3 * ldv, *v4 = v + 4 * ldv, *v5 = v + 5 * ldv;
  for (std::int64_t i = 0; i < k; ++i) {
    const __m256 b0 = _mm256_loadu_ps(u + 16 * i), b1 = _mm256_loadu_ps(u + 16 * i + 8);
    __m256 a = _mm256_broadcast_ss(v0 + i);
    c00 = _mm256_fmadd_ps(a, b0, c00);
    c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(v1 + i);
    c10 = _mm256_fmadd_ps(a, b0, c10);
    c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(v2 + i);
    c20 = _mm256_fmadd_ps(a, b0, c20);
    c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(v3 + i);
    c30 = _mm256_fmadd_ps(a, b0, c30);
    c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(v4 + i);
    c40 = _mm256_fmadd_ps(a, b0, c40);
    c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(v5 + i);
    c50 = _mm256_fmadd_ps(a, b0, c50);
    c51 = _mm256_fmadd_ps(a, b1, c51);
  }
  _mm256_storeu_ps(m, c00);
  _mm256_storeu_ps(m + 8, c01);
  _mm256_storeu_ps(m + ldm, c10);
  _mm256_storeu_ps(m + ldm + 8, c11);
  _mm256_storeu_ps(m + 2 * ldm, c20);
  _mm256_storeu_ps(m + 2 * ldm + 8, c21);
  _mm256_storeu_ps(m + 3 * ldm, c30);
  _mm256_storeu_ps(m + 3 * ldm + 8, c31);
  _mm256_storeu_ps(m + 4 * ldm, c40);
  _mm256_storeu_ps(m + 4 * ldm + 8, c41);
  _mm256_storeu_ps(m + 5 * ldm, c50);
  _mm256_storeu_ps(m + 5 * ldm + 8, c51);
}

// V = B^T d B for the 4x4 input patch of every tile in [first, first + count) and every 8 input
// lanes; rows and columns outside the image read as zero (the padding of 1).
kAvx2 void inputTransform(const Geometry& g, const float* src, std::int64_t first, std::int64_t count, float* v) {
  const std::int64_t tilesPerImage = g.tilesY * g.tilesX, pstride = g.tpad * g.cinPad;
  for (std::int64_t t = 0; t < count; ++t) {
    const std::int64_t tile = first + t, b = tile / tilesPerImage, ty = (tile % tilesPerImage) / g.tilesX,
                       tx = tile % g.tilesX;
    const std::int64_t y0 = 2 * ty - 1, x0 = 2 * tx - 1;
    bool rowIn[4], colIn[4];
    for (int i = 0; i < 4; ++i) {
      rowIn[i] = y0 + i >= 0 && y0 + i < g.h;
      colIn[i] = x0 + i >= 0 && x0 + i < g.w;
    }
    for (std::int64_t cb = 0; cb < g.cinb; ++cb) {
      const float* plane = src + (b * g.cinb + cb) * g.h * g.w * g.lanes;
      for (std::int64_t half = 0; half < g.lanes; half += 8) {
        __m256 d[4][4];
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j)
            d[i][j] = rowIn[i] && colIn[j] ? _mm256_loadu_ps(plane + ((y0 + i) * g.w + x0 + j) * g.lanes + half)
                                           : _mm256_setzero_ps();
        __m256 r[4][4]; // B^T d
        for (int j = 0; j < 4; ++j) {
          r[0][j] = _mm256_sub_ps(d[0][j], d[2][j]);
          r[1][j] = _mm256_add_ps(d[1][j], d[2][j]);
          r[2][j] = _mm256_sub_ps(d[2][j], d[1][j]);
          r[3][j] = _mm256_sub_ps(d[1][j], d[3][j]);
        }
        float* out = v + t * g.cinPad + cb * g.lanes + half;
        for (int i = 0; i < 4; ++i) { // (B^T d) B
          _mm256_storeu_ps(out + (4 * i + 0) * pstride, _mm256_sub_ps(r[i][0], r[i][2]));
          _mm256_storeu_ps(out + (4 * i + 1) * pstride, _mm256_add_ps(r[i][1], r[i][2]));
          _mm256_storeu_ps(out + (4 * i + 2) * pstride, _mm256_sub_ps(r[i][2], r[i][1]));
          _mm256_storeu_ps(out + (4 * i + 3) * pstride, _mm256_sub_ps(r[i][1], r[i][3]));
        }
      }
    }
  }
}

// Y = A^T M A per tile and 8 output lanes, + bias (+ dst), ReLU; only pixels inside the image.
kAvx2 void outputTransform(const Geometry& g, const float* m, const float* bias, std::int64_t first,
                           std::int64_t count, float* dst, bool relu, bool accumulate) {
  const std::int64_t tilesPerImage = g.tilesY * g.tilesX, pstride = g.tpad * g.coutPad;
  const __m256 zero = _mm256_setzero_ps();
  for (std::int64_t t = 0; t < count; ++t) {
    const std::int64_t tile = first + t, b = tile / tilesPerImage, ty = (tile % tilesPerImage) / g.tilesX,
                       tx = tile % g.tilesX;
    const std::int64_t y0 = 2 * ty, x0 = 2 * tx;
    const bool in[2][2] = {{true, x0 + 1 < g.w}, {y0 + 1 < g.h, y0 + 1 < g.h && x0 + 1 < g.w}};
    for (std::int64_t ob = 0; ob < g.coutb; ++ob) {
      float* plane = dst + (b * g.coutb + ob) * g.h * g.w * g.lanes;
      for (std::int64_t half = 0; half < g.lanes; half += 8) {
        const float* src = m + t * g.coutPad + ob * g.lanes + half;
        __m256 s[4][4];
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) s[i][j] = _mm256_loadu_ps(src + (4 * i + j) * pstride);
        __m256 r[2][4]; // A^T M
        for (int j = 0; j < 4; ++j) {
          r[0][j] = _mm256_add_ps(_mm256_add_ps(s[0][j], s[1][j]), s[2][j]);
          r[1][j] = _mm256_sub_ps(_mm256_sub_ps(s[1][j], s[2][j]), s[3][j]);
        }
        const __m256 bv = _mm256_loadu_ps(bias + ob * g.lanes + half);
        for (int i = 0; i < 2; ++i) {
          const __m256 y[2] = {_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(r[i][0], r[i][1]), r[i][2]), bv),
                               _mm256_add_ps(_mm256_sub_ps(_mm256_sub_ps(r[i][1], r[i][2]), r[i][3]), bv)};
          for (int j = 0; j < 2; ++j) {
            if (!in[i][j]) continue;
            float* p = plane + ((y0 + i) * g.w + x0 + j) * g.lanes + half;
            __m256 o = accumulate ? _mm256_add_ps(y[j], _mm256_loadu_ps(p)) : y[j];
            if (relu) o = _mm256_max_ps(o, zero);
            _mm256_storeu_ps(p, o);
          }
        }
      }
    }
  }
}

// One block of tiles: input transform, 16 GEMMs (tiles x Cin by Cin x Cout), output transform.
kAvx2 void runBlock(const Geometry& g, const float* u, const float* bias, const float* src, float* dst,
                    std::int64_t first, std::int64_t count, float* v, float* m, bool relu, bool accumulate) {
  inputTransform(g, src, first, count, v);
  const std::int64_t rows = (count + kRows - 1) / kRows * kRows; // rows past count: stale, finite, unused
  for (std::int64_t p = 0; p < 16; ++p)
    for (std::int64_t ob = 0; ob < g.coutPad / 16; ++ob) {
      const float* slab = u + (p * (g.coutPad / 16) + ob) * g.cinPad * 16;
      for (std::int64_t r = 0; r < rows; r += kRows)
        microKernel(v + (p * g.tpad + r) * g.cinPad, g.cinPad, slab, g.cinPad,
                    m + (p * g.tpad + r) * g.coutPad + ob * 16, g.coutPad);
    }
  outputTransform(g, m, bias, first, count, dst, relu, accumulate);
}

#endif

} // namespace

bool cpuHasAvx2Fma() {
#ifdef CDNET_WINO_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

WinogradAvx2Conv::WinogradAvx2Conv(const float* weight, const float* bias, std::int64_t cout, std::int64_t cin,
                                   std::int64_t lanes)
    : m_cin(cin), m_cout(cout), m_lanes(lanes), m_cinPad((cin + lanes - 1) / lanes * lanes),
      m_coutPad((cout + 15) / 16 * 16) {
  if (lanes != 8 && lanes != 16) throw std::invalid_argument("WinogradAvx2Conv: the layout's blocks are 8 or 16 channels");
  m_u.assign(16 * m_coutPad * m_cinPad, 0.f);
  m_bias.assign(m_coutPad, 0.f);
  if (bias) std::copy(bias, bias + cout, m_bias.begin());
  const std::int64_t coutb = m_coutPad / 16;
  for (std::int64_t o = 0; o < cout; ++o)
    for (std::int64_t c = 0; c < cin; ++c) {
      const float* k = weight + (o * cin + c) * 9;
      double gk[4][3]; // G g, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
      for (int j = 0; j < 3; ++j) {
        gk[0][j] = k[j];
        gk[1][j] = 0.5 * (double(k[j]) + k[3 + j] + k[6 + j]);
        gk[2][j] = 0.5 * (double(k[j]) - k[3 + j] + k[6 + j]);
        gk[3][j] = k[6 + j];
      }
      for (int i = 0; i < 4; ++i) { // (G g) G^T
        const double row[4] = {gk[i][0], 0.5 * (gk[i][0] + gk[i][1] + gk[i][2]), 0.5 * (gk[i][0] - gk[i][1] + gk[i][2]),
                               gk[i][2]};
        for (int j = 0; j < 4; ++j)
          m_u[(((4 * i + j) * coutb + o / 16) * m_cinPad + c) * 16 + o % 16] = float(row[j]);
      }
    }
}

void WinogradAvx2Conv::run(const float* src, float* dst, std::int64_t n, std::int64_t h, std::int64_t w, bool relu,
                           bool accumulate) const {
#ifdef CDNET_WINO_X86
  Geometry g{h, w, m_lanes, (h + 1) / 2, (w + 1) / 2, m_cinPad / m_lanes, (m_cout + m_lanes - 1) / m_lanes,
             m_cinPad, m_coutPad, 0};
  const std::int64_t tiles = n * g.tilesY * g.tilesX;
  const std::int64_t threads = std::max<std::int64_t>(1, at::get_num_threads());
  // Enough blocks for every thread, as large as the caches allow.
  const std::int64_t perThread = (tiles + threads - 1) / threads;
  const std::int64_t block = std::min(tilesPerBlock(m_cinPad, m_coutPad), (perThread + kRows - 1) / kRows * kRows);
  g.tpad = block;
  const std::int64_t blocks = (tiles + block - 1) / block;
  const float *u = m_u.data(), *bias = m_bias.data();
  at::parallel_for(0, blocks, 1, [&](std::int64_t begin, std::int64_t end) {
    thread_local std::vector<float> scratch;
    const std::size_t need = std::size_t(16 * block * (g.cinPad + g.coutPad));
    if (scratch.size() < need) scratch.assign(need, 0.f); // zeros: rows past the last tile stay finite
    float *v = scratch.data(), *m = v + 16 * block * g.cinPad;
    for (std::int64_t k = begin; k < end; ++k)
      runBlock(g, u, bias, src, dst, k * block, std::min(block, tiles - k * block), v, m, relu, accumulate);
  });
#else
  (void)src, (void)dst, (void)n, (void)h, (void)w, (void)relu, (void)accumulate;
  throw std::runtime_error("WinogradAvx2Conv needs an x86-64 CPU with AVX2 and FMA");
#endif
}

} // namespace core::ml::detail
