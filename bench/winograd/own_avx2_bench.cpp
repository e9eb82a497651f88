// Micro-benchmark: our own Winograd F(2x2, 3x3) (core/ml/WinogradAvx2.cpp) against oneDNN's direct
// 3x3 convolution, C -> C channels, bias, batch 1, fp32, on the layout WinoUNet gives each
// (nChw8c under AVX2, nChw16c with AVX-512), interleaved, best of `reps` wall and CPU time.
//
// Build (after `cmake --build build --target cdnet_ml`):
//   g++ -O2 -std=c++17 -fopenmp -I. -I/usr/include/torch/csrc/api/include bench/winograd/own_avx2_bench.cpp
//       -o /tmp/own_avx2_bench build/core/libcdnet_ml.a -ltorch_cpu -lc10 -ldnnl -lgomp -lpthread
// (one line; CDNET_WINOGRAD_TILES=N sets the tiles per block, for tuning)
// Run (AVX2 only, as on a CPU without AVX-512; T = threads):
//   ONEDNN_MAX_CPU_ISA=AVX2 T=2 /tmp/own_avx2_bench [reps=7] [lanes=8]
#include "core/ml/detail/WinogradAvx2.h"

#include <ATen/Parallel.h>
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <vector>

using namespace dnnl;
namespace {
double cpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}
double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
} // namespace

int main(int argc, char** argv) {
  const int threads = std::getenv("T") ? std::atoi(std::getenv("T")) : 2;
  const int reps = argc > 1 ? std::atoi(argv[1]) : 7, lanes = argc > 2 ? std::atoi(argv[2]) : 8;
  at::set_num_threads(threads);
  const int layers[][2] = {{16, 512}, {64, 512}, {64, 128}, {256, 128}, {1024, 32}}; // channels, side
  double sumDirect = 0, sumOwn = 0, worst = 0;
  for (const auto& l : layers) {
    const int c = l[0], hw = l[1];
    std::mt19937 rng(1);
    std::normal_distribution<float> nd;
    std::vector<float> x(std::size_t(c) * hw * hw), w(std::size_t(c) * c * 9), b(c), y1(x.size()), y2(x.size());
    for (auto& v : x) v = nd(rng);
    for (auto& v : w) v = nd(rng) * 0.05f;
    for (auto& v : b) v = nd(rng);
    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    const auto blocked = lanes == 16 ? memory::format_tag::nChw16c : memory::format_tag::nChw8c;
    const memory::desc src({1, c, hw, hw}, memory::data_type::f32, blocked),
        wany({c, c, 3, 3}, memory::data_type::f32, memory::format_tag::any),
        bd({c}, memory::data_type::f32, memory::format_tag::x);
    const convolution_forward::primitive_desc pd(
        convolution_forward::desc(prop_kind::forward_inference, algorithm::convolution_direct, src, wany, bd, src,
                                  {1, 1}, {1, 1}, {1, 1}),
        eng);
    memory wu({{c, c, 3, 3}, memory::data_type::f32, memory::format_tag::oihw}, eng, w.data()), wp(pd.weights_desc(), eng);
    reorder(wu, wp).execute(s, wu, wp);
    s.wait();
    memory sm(src, eng, x.data()), dm(src, eng, y1.data()), bm(bd, eng, b.data());
    const convolution_forward conv(pd);
    const core::ml::detail::WinogradAvx2Conv own(w.data(), b.data(), c, c, lanes);
    double dw = 1e9, dc = 1e9, ow = 1e9, oc = 1e9;
    for (int r = 0; r <= reps; ++r) { // r == 0: warm-up
      const double t0 = wallSeconds(), c0 = cpuSeconds();
      conv.execute(s, {{DNNL_ARG_SRC, sm}, {DNNL_ARG_WEIGHTS, wp}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, dm}});
      s.wait();
      const double t1 = wallSeconds(), c1 = cpuSeconds();
      own.run(x.data(), y2.data(), 1, hw, hw, false, false);
      const double t2 = wallSeconds(), c2 = cpuSeconds();
      if (r == 0) continue;
      dw = std::min(dw, t1 - t0), dc = std::min(dc, c1 - c0), ow = std::min(ow, t2 - t1), oc = std::min(oc, c2 - c1);
    }
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < y1.size(); ++i) {
      diff = std::max(diff, double(std::fabs(y1[i] - y2[i])));
      scale = std::max(scale, double(std::fabs(y1[i])));
    }
    const double gflop = 2.0 * c * c * 9 * hw * hw / 1e9;
    std::printf("%4d->%-4d %4dx%-4d direct %.4f s (CPU %.4f, %3.0f GFLOP/s) own %.4f s (CPU %.4f, %3.0f direct-GFLOP/s)"
                "  own/direct wall %.2f CPU %.2f  max|diff|/max|direct| %.1e  [%s]\n",
                c, c, hw, hw, dw, dc, gflop / dw, ow, oc, gflop / ow, ow / dw, oc / dc, diff / scale, pd.impl_info_str());
    sumDirect += dw, sumOwn += ow, worst = std::max(worst, diff / scale);
  }
  std::printf("result: bench=own-winograd-avx2 threads=%d lanes=%d reps=%d direct_s=%.4f own_s=%.4f own_over_direct=%.3f "
              "max_rel_diff=%.2e\n",
              threads, lanes, reps, sumDirect, sumOwn, sumOwn / sumDirect, worst);
}
