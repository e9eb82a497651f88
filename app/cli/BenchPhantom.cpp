// cdnet bench phantom: generation speed of the synthetic cathode against a plain 3D Gaussian
// blur of the same volume measured in the same run (the phantom pipeline contains one).
#include "BenchCommon.h"
#include "Command.h"
#include "NumberChecks.h"
#include "PhantomFiles.h"

#include "core/phantom/Phantom.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// A separable Gaussian blur (sigma 0.8, 7 taps, clamped edges) of a float volume, one thread.
double timeBlur(const core::volume::Size3& s) {
  std::vector<float> a(std::size_t(s.count())), b(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = float(i % 251) / 251.0f;
  float w[7];
  float sum = 0;
  for (int k = -3; k <= 3; ++k) sum += w[k + 3] = std::exp(-0.5f * float(k * k) / 0.64f);
  for (float& v : w) v /= sum;
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t strides[3] = {1, s.x, s.x * s.y}, sizes[3] = {s.x, s.y, s.z};
  for (int axis = 0; axis < 3; ++axis) {
    const std::vector<float>& src = axis % 2 == 0 ? a : b;
    std::vector<float>& dst = axis % 2 == 0 ? b : a;
    const std::int64_t st = strides[axis], n = sizes[axis];
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y)
        for (std::int64_t x = 0; x < s.x; ++x) {
          const std::int64_t i = x + s.x * (y + s.y * z);
          const std::int64_t c = axis == 0 ? x : axis == 1 ? y : z;
          float acc = 0;
          for (int k = -3; k <= 3; ++k) acc += w[k + 3] * src[std::size_t(i + st * (std::clamp<std::int64_t>(c + k, 0, n - 1) - c))];
          dst[std::size_t(i)] = acc;
        }
  }
  const double t = seconds(t0);
  std::printf("%s", b[b.size() / 2] > 2.0f ? " " : ""); // keep the work
  return t;
}

void setupBenchPhantom(CLI::App& cmd) {
  auto sizes = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"128", "256"});
  auto threads = std::make_shared<int>(core::bench::coreCount());
  auto json = std::make_shared<std::string>();
  cmd.add_option("--size", *sizes, "Sizes to generate: N or X,Y,Z, several allowed (e.g. --size 128 512)")->capture_default_str();
  cmd.add_option("--threads", *threads, "Threads of the second run (the first uses one)")
      ->capture_default_str()
      ->check(cli::wholeIn(1, cli::kMaxThreads));
  cli::addJsonOption(cmd, *json);
  cmd.callback([sizes, threads, json] {
    core::bench::Report report("phantom");
    report.set("threads", *threads == 1 ? std::string("1") : "1," + std::to_string(*threads));
    std::printf("phantom generation (uint16 image, crack mask, particle labels) against a 3D Gaussian blur of the same "
                "volume on one thread\n");
    std::printf("(cpu s: processor time of all threads, a fair measure on a busy machine)\n");
    cli::printConditions(report);
    std::printf("%-16s %8s %10s %10s %12s %12s\n", "size", "threads", "seconds", "cpu s", "Mvoxel/s", "x blur");
    for (const auto& text : *sizes) {
      core::phantom::PhantomOptions o;
      o.size = cli::parseSize(text);
      core::phantom::validate(o);
      const double blur = timeBlur(o.size);
      for (int t : {1, *threads}) {
        o.threads = t;
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        const auto p = core::phantom::generatePhantom(o);
        const double s = seconds(t0), cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
        char name[64];
        std::snprintf(name, sizeof name, "%lldx%lldx%lld", static_cast<long long>(o.size.x), static_cast<long long>(o.size.y),
                      static_cast<long long>(o.size.z));
        std::printf("%-16s %8d %10.3f %10.3f %12.1f %12.1f\n", name, t, s, cpu, double(o.size.count()) / s / 1e6, s / blur);
        std::fflush(stdout);
        const std::string k = std::string("p") + name + "_t" + std::to_string(t) + "_";
        report.set(k + "s", s);
        report.set(k + "cpu_s", cpu);
        report.set(k + "blur_ratio", s / blur);
        if (*threads == 1) break;
      }
      std::printf("%-16s %8s %10.3f %10s   (reference: one separable Gaussian blur, sigma 0.8, float, one thread)\n", "", "blur",
                  blur, "");
      report.set(std::string("p") + std::to_string(o.size.x) + "x" + std::to_string(o.size.y) + "x" +
                     std::to_string(o.size.z) + "_blur_s",
                 blur);
    }
    cli::printResult(report, *json);
  });
}

} // namespace

CDNET_BENCH(phantom, "Phantom generation time against a 3D Gaussian blur of the same volume", setupBenchPhantom)
