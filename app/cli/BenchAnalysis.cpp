// cdnet bench analysis: the whole particle analysis of a phantom (segmentation + statistics),
// its accuracy against the phantom's truth, and the same work done by SciPy + scikit-image on the
// same data in the same run, as a ratio.
#include "BenchAnalysisPython.h"
#include "NumberChecks.h"
#include "Command.h"
#include "TerminalProgress.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Evaluation.h"
#include "core/analysis/ParallelFor.h"
#include "core/phantom/Phantom.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace {

struct BenchArgs {
  int size = 512;
  std::uint64_t seed = 1;
  bool python = true;
  std::string python3 = "/usr/bin/python3";
  std::string keep; ///< folder to keep the reference's input files in (else a temporary one)
};

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void writeRaw(const core::volume::Volume& v, const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(v.data()), std::streamsize(v.bytes()));
  if (!f) throw std::runtime_error("cannot write '" + path + "' (disk full?)");
}

std::string runCapture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), int(buf.size()), pipe.get())) out += buf.data();
  return out;
}

void run(const BenchArgs& a) {
  using namespace core;
  phantom::PhantomOptions po;
  po.size = {a.size, a.size, a.size};
  po.seed = a.seed;
  std::printf("cdnet bench analysis: phantom %d^3 (seed %llu), %d worker threads\n", a.size,
              static_cast<unsigned long long>(a.seed), analysis::workerCount());
  auto t0 = std::chrono::steady_clock::now();
  phantom::Phantom ph;
  {
    cli::TerminalProgress progress("Phantom");
    ph = phantom::generatePhantom(po, progress);
  }
  std::printf("  phantom generated in %.1f s: %zu particles\n", since(t0), ph.truth.size());

  const analysis::CrackMask cracks = analysis::makeCrackMask(ph.cracks);
  analysis::AnalysisOptions opt;
  t0 = std::chrono::steady_clock::now();
  analysis::AnalysisResult r;
  {
    cli::TerminalProgress progress("Analysis");
    r = analysis::analyzeVolume(ph.image, cracks.mask, opt, progress);
  }
  const double ours = since(t0);
  const auto& st = r.segmentation.stats;
  std::printf("\nCDNet Studio (C++): segmentation %.2f s + statistics %.2f s = %.2f s; %u particles, "
              "solid threshold %.0f (%s)\n",
              r.segmentSeconds, r.measureSeconds, ours, st.particleCount, st.solidThreshold, st.thresholdMethod.c_str());

  std::vector<analysis::TruthParticle> truth;
  for (const auto& p : ph.truth) truth.push_back({p.id, p.crackFraction()});
  const auto acc = analysis::compareToTruth(r.segmentation.labels, r.particles, ph.particles, truth,
                                            opt.segmentation.minVolume);
  std::printf("Accuracy against the phantom truth (truth cracks as the crack input):\n");
  std::printf("  particles: found %lld, truth %lld (>= %lld voxels): error %+.1f%%  (target within 5%%)\n",
              static_cast<long long>(acc.foundCount), static_cast<long long>(acc.truthCount),
              static_cast<long long>(opt.segmentation.minVolume), 100 * acc.countError);
  std::printf("  cracked particles split in two or more: %lld of %lld = %.1f%%  (target < 5%%)\n",
              static_cast<long long>(acc.crackedSplit), static_cast<long long>(acc.crackedTruth), 100 * acc.splitFraction);
  std::printf("  crack volume fraction, |found - truth|: median %.4f, mean %.4f over %lld matched  (target median < 0.02)\n",
              acc.medianAbsCrackFractionError, acc.meanAbsCrackFractionError, static_cast<long long>(acc.matched));

  if (!a.python) return;
  namespace fs = std::filesystem;
  if (!fs::exists(a.python3)) {
    std::printf("\nReference not run: %s is missing (apt-get install python3-scipy python3-skimage)\n", a.python3.c_str());
    return;
  }
  const fs::path dir = a.keep.empty() ? fs::temp_directory_path() / ("cdnet-bench-analysis-" + std::to_string(::getpid()))
                                     : fs::path(a.keep);
  fs::create_directories(dir);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      if (!p.empty()) fs::remove_all(p, ec);
    }
  } cleanup{a.keep.empty() ? dir : fs::path()};
  writeRaw(ph.image, (dir / "image.raw").string());
  writeRaw(cracks.mask, (dir / "cracks.raw").string());
  {
    std::ofstream f(dir / "bench_analysis.py");
    f << cli::kBenchAnalysisPython;
  }
  const auto& so = opt.segmentation;
  const auto sp = ph.image.spacing();
  nlohmann::json j = {{"image", (dir / "image.raw").string()}, {"cracks", (dir / "cracks.raw").string()},
                      {"size", {a.size, a.size, a.size}}, {"spacing", {sp.x, sp.y, sp.z}},
                      {"threshold", st.solidThreshold}, {"smoothing", so.smoothing},
                      {"crack_zone", so.crackZone}, {"crack_fill_radius", so.crackFillRadius},
                      {"split_height", so.splitHeight}, {"split_offset", so.splitOffset},
                      {"min_volume", so.minVolume}, {"packing_radius_factor", opt.statistics.packingRadiusFactor}};
  std::string arg = j.dump();
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  std::printf("\nRunning the SciPy + scikit-image reference (%s, single-threaded as those libraries are)...\n",
              a.python3.c_str());
  std::fflush(stdout);
  if (!a.keep.empty()) {
    std::ofstream f(dir / "args.json");
    f << arg;
  }
  const std::string out = runCapture(a.python3 + " " + (dir / "bench_analysis.py").string() + " " + quoted);
  const std::size_t brace = out.rfind("\n{") == std::string::npos ? out.find('{') : out.rfind("\n{") + 1;
  if (brace == std::string::npos) throw std::runtime_error("the Python reference failed: " + out);
  const auto res = nlohmann::json::parse(out.substr(brace));
  const double py = res["total"].get<double>();
  std::printf("SciPy + scikit-image: %.2f s (threshold %.2f, fill %.2f, watershed %.2f, merge %.2f, measure %.2f); "
              "%d particles\n",
              py, res["times"]["threshold"].get<double>(), res["times"]["fill"].get<double>(),
              res["times"]["watershed"].get<double>(), res["times"]["merge"].get<double>(),
              res["times"]["measure"].get<double>(), res["particles"].get<int>());
  std::printf("Ratio (SciPy + scikit-image time / ours): %.2fx  (target >= 2x)\n", py / ours);
}

void setupBenchAnalysis(CLI::App& cmd) {
  auto a = std::make_shared<BenchArgs>();
  cmd.add_option("--size", a->size, "Phantom edge in voxels")->check(cli::wholeIn(32, 1024));
  cmd.add_option("--seed", a->seed, "Phantom seed")->check(cli::kSeed);
  cmd.add_flag("!--no-python", a->python, "Skip the SciPy + scikit-image reference");
  cmd.add_option("--python", a->python3, "Python with SciPy and scikit-image");
  cmd.add_option("--keep-files", a->keep, "Keep the reference's inputs (raw volumes, script) in this folder");
  cmd.callback([a] { run(*a); });
}

} // namespace

CDNET_BENCH(analysis, "Particle analysis of a phantom: time, accuracy, and SciPy + scikit-image as reference",
            setupBenchAnalysis)
