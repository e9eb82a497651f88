// cdnet bench phantom: generation speed of the synthetic cathode (both presets) against a plain
// 3D Gaussian blur of the same volume measured in the same run (the phantom pipeline contains
// one); with --real DIR, how close its slices look to the real sample (PhantomRealism.h).
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/commands/PhantomFiles.h"
#include "app/cli/bench/PhantomRealism.h"

#include "core/phantom/Phantom.h"
#include "core/volume/io/VolumeIO.h"

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

/// Slice z of a float32 phantom and its crack mask.
cli::GreySlice phantomSlice(const core::phantom::Phantom& p, std::int64_t z) {
  cli::GreySlice s;
  s.width = int(p.image.size().x);
  s.height = int(p.image.size().y);
  const std::size_t n = std::size_t(s.width) * std::size_t(s.height);
  const float* g = p.image.as<float>() + std::int64_t(n) * z;
  const std::uint8_t* c = p.cracks.slicePtr(z);
  s.grey.assign(g, g + n);
  s.crack.assign(c, c + n);
  return s;
}

/// The real sample of \p dir: region1_image.png and region1_cdnet_mask.png (see its README).
cli::GreySlice realSlice(const std::string& dir) {
  core::volume::OpenOptions open;
  open.format = "image";
  const auto image = core::volume::readVolume(dir + "/region1_image.png", open).convertTo(core::volume::VoxelType::Float32);
  const auto mask = core::volume::readVolume(dir + "/region1_cdnet_mask.png", open).convertTo(core::volume::VoxelType::Float32);
  if (image.size().z != 1 || mask.size().x != image.size().x || mask.size().y != image.size().y || mask.size().z != 1)
    throw std::runtime_error(dir + ": region1_image.png and region1_cdnet_mask.png must be single slices of one size");
  cli::GreySlice s;
  s.width = int(image.size().x);
  s.height = int(image.size().y);
  const auto n = std::size_t(image.voxelCount());
  const float* g = image.as<float>();
  const float* m = mask.as<float>();
  s.grey.assign(g, g + n);
  for (std::size_t i = 0; i < n; ++i) s.crack.push_back(m[i] > 127.5f ? 1 : 0);
  return s;
}

void printStats(const char* name, const cli::SliceStats& s, const cli::SliceStats* real) {
  std::printf("%-22s", name);
  for (double q : s.quantiles) std::printf(" %6.2f", q);
  std::printf(" |");
  for (double p : s.power) std::printf(" %6.3f", p);
  std::printf(" | %7.3f %8.3f %8.3f %6.2f %7.3f", s.texture, s.darkNotCrack, s.crackFraction, s.crackWidth, s.relativeCrackWidth());
  if (real) std::printf(" | %6.3f %6.3f", cli::histogramDistance(s, *real), cli::spectrumDistance(s, *real));
  std::printf("\n");
}

/// Compares slices of the phantom presets with the real sample in \p dir; adds the distances.
void compareWithReal(const std::string& dir, core::bench::Report& report) {
  const cli::SliceStats real = cli::measureSlice(realSlice(dir));
  std::printf("\nphantom slices against the real sample (%s; z-scored grey values; phantom 256x256x24 float32, "
              "slices 6, 12, 18 pooled)\n", dir.c_str());
  std::printf("%-22s %6s %6s %6s %6s %6s %6s %6s | power share in bands of cycles/pixel       | %7s %8s %8s %6s %7s | %6s %6s\n",
              "", "q1%", "q5%", "q25%", "q50%", "q75%", "q95%", "q99%", "texture", "dark!crk", "crack", "width", "w/chord",
              "hist", "nps");
  std::printf("%-22s %48s |", "", "");
  const auto& e = cli::bandEdges();
  for (int b = 0; b < cli::SliceStats::kBands; ++b) std::printf(" %.2f-%-2.0f", e[std::size_t(b)], 100 * e[std::size_t(b) + 1]);
  std::printf("\n");
  printStats("real (region 1)", real, nullptr);
  struct Variant {
    const char* name;
    const char* key;
    core::phantom::PhantomPreset preset;
    bool low;
  };
  for (const Variant& v : {Variant{"realistic", "realistic", core::phantom::PhantomPreset::Realistic, false},
                           Variant{"realistic, low signal", "low_signal", core::phantom::PhantomPreset::Realistic, true},
                           Variant{"simple", "simple", core::phantom::PhantomPreset::Simple, false}}) {
    auto o = core::phantom::presetOptions(v.preset);
    o.size = {256, 256, 24};
    o.imageType = core::volume::VoxelType::Float32;
    o.lowSignal = v.low;
    const auto p = core::phantom::generatePhantom(o);
    std::vector<cli::SliceStats> slices;
    for (std::int64_t z : {6, 12, 18}) slices.push_back(cli::measureSlice(phantomSlice(p, z)));
    const cli::SliceStats s = cli::pooled(slices);
    printStats(v.name, s, &real);
    const std::string k = v.key;
    report.set(k + "_hist_distance", cli::histogramDistance(s, real));
    report.set(k + "_nps_distance", cli::spectrumDistance(s, real));
    report.set(k + "_texture_ratio", s.texture / std::max(real.texture, 1e-9));
    report.set(k + "_dark_not_crack", s.darkNotCrack);
    report.set(k + "_crack_fraction", s.crackFraction);
    report.set(k + "_crack_width", s.crackWidth);
    report.set(k + "_relative_crack_width", s.relativeCrackWidth());
  }
  report.set("real_dark_not_crack", real.darkNotCrack);
  report.set("real_crack_fraction", real.crackFraction);
  report.set("real_crack_width", real.crackWidth);
  report.set("real_solid_chord", real.solidChord);
  report.set("real_relative_crack_width", real.relativeCrackWidth());
  std::printf("(hist: total-variation distance of the z-score histograms; nps: mean |log10| ratio of the band powers;\n"
              " texture: std of z minus its 5x5 mean in the brightest quarter; dark!crk: share of the pixels at most as dark\n"
              " as the median crack pixel that are not crack; crack: crack area share; width: mean crack width at its\n"
              " ridges, pixels; w/chord: that over the mean chord of the solid phase (particles with their cracks). The\n"
              " real crop was rescaled for the paper's figure, so its pixel is not the phantom's voxel: compare shapes\n"
              " and w/chord, not pixel scales.)\n");
}

void setupBenchPhantom(CLI::App& cmd) {
  auto sizes = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"128", "256"});
  auto threads = std::make_shared<int>(core::bench::coreCount());
  auto json = std::make_shared<std::string>();
  auto real = std::make_shared<std::string>();
  cmd.add_option("--real", *real, "Folder of the real sample (region1_image.png, region1_cdnet_mask.png): also compare "
                                  "the phantom's grey levels, noise spectrum and texture with it");
  cmd.add_option("--size", *sizes, "Sizes to generate: N or X,Y,Z, several allowed (e.g. --size 128 512)")->capture_default_str();
  cmd.add_option("--threads", *threads, "Threads of the second run (the first uses one)")
      ->capture_default_str()
      ->check(cli::wholeIn(1, cli::kMaxThreads));
  cli::addJsonOption(cmd, *json);
  cmd.callback([sizes, threads, json, real] {
    core::bench::Report report("phantom");
    report.set("threads", *threads == 1 ? std::string("1") : "1," + std::to_string(*threads));
    std::printf("phantom generation (uint16 image, crack mask, particle labels) against a 3D Gaussian blur of the same "
                "volume on one thread\n");
    std::printf("(cpu s: processor time of all threads, a fair measure on a busy machine)\n");
    cli::printConditions(report);
    std::printf("%-16s %-10s %8s %10s %10s %12s %12s\n", "size", "preset", "threads", "seconds", "cpu s", "Mvoxel/s", "x blur");
    for (const auto& text : *sizes) {
      core::phantom::PhantomOptions o;
      o.size = cli::parseSize(text);
      core::phantom::validate(o);
      const double blur = timeBlur(o.size);
      for (auto preset : {core::phantom::PhantomPreset::Realistic, core::phantom::PhantomPreset::Simple})
      for (int t : {1, *threads}) {
        o.preset = preset;
        o.threads = t;
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        const auto p = core::phantom::generatePhantom(o);
        const double s = seconds(t0), cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
        char name[64];
        std::snprintf(name, sizeof name, "%lldx%lldx%lld", static_cast<long long>(o.size.x), static_cast<long long>(o.size.y),
                      static_cast<long long>(o.size.z));
        std::printf("%-16s %-10s %8d %10.3f %10.3f %12.1f %12.1f\n", name, core::phantom::presetName(preset), t, s, cpu,
                    double(o.size.count()) / s / 1e6, s / blur);
        std::fflush(stdout);
        const std::string k = std::string("p") + name + (preset == core::phantom::PhantomPreset::Simple ? "_simple" : "") +
                              "_t" + std::to_string(t) + "_";
        report.set(k + "s", s);
        report.set(k + "cpu_s", cpu);
        report.set(k + "blur_ratio", s / blur);
        if (*threads == 1) break;
      }
      std::printf("%-16s %-10s %8s %10.3f %10s   (reference: one separable Gaussian blur, sigma 0.8, float, one thread)\n", "", "", "blur",
                  blur, "");
      report.set(std::string("p") + std::to_string(o.size.x) + "x" + std::to_string(o.size.y) + "x" +
                     std::to_string(o.size.z) + "_blur_s",
                 blur);
    }
    if (real->empty()) {
      report.set("real", "none");
      std::printf("\nno --real DIR given: the comparison with the real sample is left out\n");
    } else {
      compareWithReal(*real, report);
    }
    cli::printResult(report, *json);
  });
}

} // namespace

CDNET_BENCH(phantom, "Phantom generation time against a 3D Gaussian blur of the same volume", setupBenchPhantom)
