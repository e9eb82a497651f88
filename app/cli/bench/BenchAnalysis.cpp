// cdnet bench analysis: the whole particle analysis of a phantom (segmentation + statistics),
// its accuracy against the phantom's truth, and the same work done by SciPy + scikit-image on the
// same data in the same run, as a ratio: ours on one thread as the reference, then on every core.
#include "app/cli/bench/BenchAnalysisPython.h"
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/bench/BenchTraining.h"
#include "app/cli/support/DecisionThreshold.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Evaluation.h"
#include "core/analysis/ParallelFor.h"
#include "core/ml/Metrics.h"
#include "core/ml/Predictor.h"
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
  std::string json;
  std::string model;       ///< also analyse from this model's predicted cracks
  double trainMinutes = 0; ///< without --model: train one this long on another phantom (0 = do not)
  std::string threshold = "auto"; ///< also analyse from the predicted cracks at this threshold (auto: calibrated)
  bool tta = false;      ///< predict with the 8 flips and rotations averaged, as cdnet predict --tta
  int trainSize = 256;
  double splitHeight = core::analysis::SegmentationOptions{}.splitHeight;
  double contactRatio = core::analysis::SegmentationOptions{}.contactRatio;
};

/// With --model, or --train-minutes to train one, the analysis also runs from predicted cracks.
bool analysesFromPrediction(const BenchArgs& a) { return !a.model.empty() || a.trainMinutes > 0; }

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

/// Runs the analysis with CDNET_THREADS=\p threads (restored afterwards); returns its wall time.
double timedAnalysis(const core::phantom::Phantom& ph, const core::analysis::CrackMask& cracks,
                     const core::analysis::AnalysisOptions& opt, int threads, const char* label,
                     core::analysis::AnalysisResult& r) {
  const char* old = std::getenv("CDNET_THREADS");
  const std::string saved = old ? old : "";
  ::setenv("CDNET_THREADS", std::to_string(threads).c_str(), 1);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    cli::TerminalProgress progress(label);
    r = core::analysis::analyzeVolume(ph.image, cracks.mask, opt, progress);
  } catch (...) {
    old ? ::setenv("CDNET_THREADS", saved.c_str(), 1) : ::unsetenv("CDNET_THREADS");
    throw;
  }
  const double seconds = since(t0);
  old ? ::setenv("CDNET_THREADS", saved.c_str(), 1) : ::unsetenv("CDNET_THREADS");
  const auto& st = r.segmentation.stats;
  std::printf("\nCDNet Studio (C++), %d thread%s: segmentation %.2f s + statistics %.2f s = %.2f s; %u particles, "
              "solid threshold %.0f (%s)\n",
              threads, threads == 1 ? "" : "s", r.segmentSeconds, r.measureSeconds, seconds, st.particleCount,
              st.solidThreshold, st.thresholdMethod.c_str());
  return seconds;
}

/// Prints \p acc and stores it in \p report with keys prefixed by \p prefix.
void reportAccuracy(const core::analysis::AccuracyReport& acc, std::int64_t minVolume, const std::string& prefix,
                    core::bench::Report& report) {
  auto ll = [](std::int64_t v) { return static_cast<long long>(v); };
  std::printf("  particles: found %lld, truth %lld (>= %lld voxels): count error %+.1f%%  (target within 5%%; splits "
              "and merges cancel out in it, see below)\n",
              ll(acc.foundCount), ll(acc.truthCount), ll(minVolume), 100 * acc.countError);
  std::printf("  one-to-one matches (IoU >= 0.5): %lld of %lld true particles = %.1f%%  (target >= 95%%)\n",
              ll(acc.oneToOne), ll(acc.truthCount), 100 * acc.oneToOneFraction);
  std::printf("  splits: %lld true particles in %lld found pieces; merges: %lld found particles covering %lld true "
              "ones; unmatched true %lld; spurious found %lld\n",
              ll(acc.splitTruth), ll(acc.splitPieces), ll(acc.merges), ll(acc.mergedTruth), ll(acc.unmatchedTruth),
              ll(acc.spuriousFound));
  std::printf("  cracked particles broken in two or more (>= 10%% each): %lld of %lld = %.1f%%  (target <= 2%%)\n",
              ll(acc.crackedSplit), ll(acc.crackedTruth), 100 * acc.splitFraction);
  std::printf("  crack volume fraction, |found - truth|: median %.4f, mean %.4f over %lld one-to-one matches  "
              "(target median <= 0.01)\n",
              acc.medianAbsCrackFractionError, acc.meanAbsCrackFractionError, ll(acc.oneToOne));
  report.set(prefix + "particles", acc.foundCount);
  report.set(prefix + "truth_particles", acc.truthCount);
  report.set(prefix + "count_error", acc.countError);
  report.set(prefix + "one_to_one", acc.oneToOne);
  report.set(prefix + "one_to_one_fraction", acc.oneToOneFraction);
  report.set(prefix + "splits", acc.splitTruth);
  report.set(prefix + "merges", acc.merges);
  report.set(prefix + "unmatched_truth", acc.unmatchedTruth);
  report.set(prefix + "spurious_found", acc.spuriousFound);
  report.set(prefix + "cracked", acc.crackedTruth);
  report.set(prefix + "cracked_broken", acc.crackedSplit);
  report.set(prefix + "cracked_broken_fraction", acc.splitFraction);
  report.set(prefix + "crack_fraction_error_median", acc.medianAbsCrackFractionError);
}

/// The analysis end to end: a model (given, or trained on another phantom) predicts the cracks of
/// the phantom under test, and the particles and crack fractions found from them are compared with
/// the truth.
void analyseFromPrediction(const BenchArgs& a, const core::phantom::Phantom& ph,
                           const std::vector<core::analysis::TruthParticle>& truth,
                           const core::analysis::AnalysisOptions& opt, core::bench::Report& report) {
  using namespace core;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cdnet-bench-analysis-model-" + std::to_string(::getpid()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{dir};
  std::printf("\nFrom predicted cracks:\n");
  ml::Model model;
  if (!a.model.empty()) {
    model = ml::Model::load(a.model, {ml::DeviceRequest::Cpu, 0});
    report.set("model", a.model);
  } else {
    cli::PhantomTrainingSpec spec;
    spec.size = std::min(a.size, a.trainSize);
    spec.seed = a.seed + 1000;
    spec.minutes = a.trainMinutes;
    spec.outDir = dir.string();
    model = cli::trainOnPhantom(spec);
    char what[96];
    std::snprintf(what, sizeof what, "trained %g min on seed %llu", a.trainMinutes,
                  static_cast<unsigned long long>(spec.seed));
    report.set("model", std::string(what));
  }
  auto t0 = std::chrono::steady_clock::now();
  volume::Volume probs;
  {
    cli::TerminalProgress progress("Predict");
    ml::PredictOptions po;
    po.tta = a.tta;
    ml::Predictor predictor(model, po);
    probs = predictor.predict(ph.image, 0, ph.image.size().z, progress);
  }
  ml::EvaluationOptions eo;
  eo.truth = ml::TruthEncoding::BinaryMask;
  const ml::Evaluation ev = ml::evaluate(probs, ph.cracks, eo);
  std::printf("  predicted%s in %.1f s; crack Dice against the truth %.4f (precision %s, recall %s)\n",
              a.tta ? " with TTA (8 flips and rotations averaged)" : "", since(t0),
              ev.overall.dice(), cli::formatMetric(ev.overall.precision()).c_str(),
              cli::formatMetric(ev.overall.recall()).c_str());
  report.set("tta", a.tta ? 1 : 0);
  report.set("pred_crack_dice", ev.overall.dice());
  report.set("pred_crack_recall", ev.overall.recall());
  // At 0.5, the studio's and cdnet analyze's default; then at --threshold (auto: the model's
  // calibrated one, as cdnet predict --threshold auto) where that is not 0.5.
  auto analyseAt = [&](double threshold, const std::string& prefix, const char* what) {
    const analysis::CrackMask cracks = analysis::makeCrackMask(probs, threshold);
    analysis::AnalysisResult r;
    timedAnalysis(ph, cracks, opt, analysis::workerCount(), "Analysis, predicted cracks", r);
    const auto acc = analysis::compareToTruth(r.segmentation.labels, r.particles, ph.particles, truth,
                                              opt.segmentation.minVolume);
    std::printf("Accuracy against the phantom truth (predicted cracks at probability >= %.2f, %s, as the crack "
                "input):\n",
                threshold, what);
    reportAccuracy(acc, opt.segmentation.minVolume, prefix, report);
  };
  analyseAt(0.5, "pred_", "the default");
  const double t = cli::decisionThresholdFor(a.threshold, model);
  report.set("pred_at_threshold", t);
  if (t != 0.5) {
    ml::EvaluationOptions at = eo;
    at.threshold = t;
    const ml::Evaluation evAt = ml::evaluate(probs, ph.cracks, at);
    std::printf("\n  at probability >= %.2f%s: crack Dice %.4f (precision %s, recall %s)\n", t,
                cli::describeThresholdChoice(a.threshold, model).c_str(), evAt.overall.dice(),
                cli::formatMetric(evAt.overall.precision()).c_str(), cli::formatMetric(evAt.overall.recall()).c_str());
    report.set("pred_at_crack_dice", evAt.overall.dice());
    report.set("pred_at_crack_recall", evAt.overall.recall());
    analyseAt(t, "pred_at_", cli::isAutoThreshold(a.threshold) ? "the model's calibrated one" : "--threshold");
  } else {
    std::printf("  (--threshold %s is 0.5: no second analysis)\n", a.threshold.c_str());
  }
}

void run(const BenchArgs& a) {
  using namespace core;
  if (a.tta && !analysesFromPrediction(a))
    throw std::invalid_argument("--tta predicts with a model: it needs --model or --train-minutes");
  phantom::PhantomOptions po;
  po.size = {a.size, a.size, a.size};
  po.seed = a.seed;
  const int allThreads = analysis::workerCount(); // every core (or CDNET_THREADS when set)
  bench::Report report("analysis");
  report.set("threads", allThreads == 1 ? std::string("1") : "1," + std::to_string(allThreads));
  report.set("size", a.size);
  report.set("seed", a.seed);
  std::printf("cdnet bench analysis: phantom %d^3 (seed %llu); ours on 1 thread (as the single-threaded SciPy + "
              "scikit-image reference), then on %d threads\n",
              a.size, static_cast<unsigned long long>(a.seed), allThreads);
  cli::printConditions(report);
  auto t0 = std::chrono::steady_clock::now();
  phantom::Phantom ph;
  {
    cli::TerminalProgress progress("Phantom");
    ph = phantom::generatePhantom(po, progress);
  }
  std::printf("  phantom generated in %.1f s: %zu particles\n", since(t0), ph.truth.size());

  const analysis::CrackMask cracks = analysis::makeCrackMask(ph.cracks);
  analysis::AnalysisOptions opt;
  opt.segmentation.splitHeight = a.splitHeight;
  opt.segmentation.contactRatio = a.contactRatio;
  report.set("contact_ratio", a.contactRatio);
  analysis::AnalysisResult r;
  const double oursOne = timedAnalysis(ph, cracks, opt, 1, "Analysis, 1 thread", r);
  report.set("cpp_s_1_thread", oursOne);
  double oursAll = oursOne;
  if (allThreads > 1) {
    analysis::AnalysisResult again;
    oursAll = timedAnalysis(ph, cracks, opt, allThreads, "Analysis, all threads", again);
    if (again.segmentation.stats.particleCount != r.segmentation.stats.particleCount)
      std::printf("  WARNING: %u particles on 1 thread, %u on %d threads\n", r.segmentation.stats.particleCount,
                  again.segmentation.stats.particleCount, allThreads);
  }
  report.set("cpp_s_all_threads", oursAll);
  report.set("all_threads", allThreads);
  const auto& st = r.segmentation.stats;

  std::vector<analysis::TruthParticle> truth;
  for (const auto& p : ph.truth) truth.push_back({p.id, p.crackFraction()});
  const auto acc = analysis::compareToTruth(r.segmentation.labels, r.particles, ph.particles, truth,
                                            opt.segmentation.minVolume);
  std::printf("Accuracy against the phantom truth (truth cracks as the crack input):\n");
  reportAccuracy(acc, opt.segmentation.minVolume, "", report);
  if (analysesFromPrediction(a)) analyseFromPrediction(a, ph, truth, opt, report);

  auto finish = [&] { cli::printResult(report, a.json); };
  if (!a.python) {
    report.set("reference", "not run");
    return finish();
  }
  namespace fs = std::filesystem;
  if (!fs::exists(a.python3)) {
    std::printf("\nReference not run: %s is missing (apt-get install python3-scipy python3-skimage)\n", a.python3.c_str());
    report.set("reference", "missing");
    return finish();
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
  std::printf("\nRunning the SciPy + scikit-image reference (%s, one thread: OMP/OpenBLAS/MKL threads set to 1)...\n",
              a.python3.c_str());
  std::fflush(stdout);
  if (!a.keep.empty()) {
    std::ofstream f(dir / "args.json");
    f << arg;
  }
  const std::string out = runCapture("env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 " + a.python3 + " " +
                                     (dir / "bench_analysis.py").string() + " " + quoted + " 2>&1");
  const std::size_t brace = out.rfind("\n{") == std::string::npos ? out.find('{') : out.rfind("\n{") + 1;
  if (brace == std::string::npos) throw std::runtime_error("the Python reference failed: " + out);
  const auto res = nlohmann::json::parse(out.substr(brace));
  const double py = res["total"].get<double>();
  const int refParticles = res["particles"].get<int>();
  std::printf("SciPy + scikit-image, 1 thread: %.2f s (threshold %.2f, fill %.2f, watershed %.2f, merge %.2f, measure "
              "%.2f)\n",
              py, res["times"]["threshold"].get<double>(), res["times"]["fill"].get<double>(),
              res["times"]["watershed"].get<double>(), res["times"]["merge"].get<double>(),
              res["times"]["measure"].get<double>());
  std::printf("Particles: ours %u, reference %d (difference %+lld, %+.1f%%)\n", st.particleCount, refParticles,
              static_cast<long long>(st.particleCount) - refParticles,
              refParticles ? 100.0 * (double(st.particleCount) - refParticles) / refParticles : 0.0);
  std::printf("Ratio (reference time / ours), same threads (1): %.2fx  (target >= 2x)\n", py / oursOne);
  std::printf("Ratio (reference time / ours), ours on all %d threads: %.2fx\n", allThreads, py / oursAll);
  report.set("reference", "scipy+skimage");
  report.set("ref_s", py);
  report.set("ref_particles", refParticles);
  report.set("ratio_same_threads", py / oursOne);
  report.set("ratio_all_threads", py / oursAll);
  finish();
}

void setupBenchAnalysis(CLI::App& cmd) {
  auto a = std::make_shared<BenchArgs>();
  cmd.add_option("--size", a->size, "Phantom edge in voxels")->capture_default_str()->check(cli::wholeIn(32, 1024));
  cmd.add_option("--seed", a->seed, "Phantom seed")->check(cli::kSeed);
  cmd.add_flag("!--no-python", a->python, "Skip the SciPy + scikit-image reference");
  cmd.add_option("--python", a->python3, "Python with SciPy and scikit-image");
  cmd.add_option("--keep-files", a->keep, "Keep the reference's inputs (raw volumes, script) in this folder");
  cmd.add_option("--model", a->model,
                 "Also analyse from the cracks this model predicts on the phantom (a checkpoint, training folder or "
                 "TorchScript file)");
  cmd.add_option("--train-minutes", a->trainMinutes,
                 "Without --model: train a base-16 model this many minutes on another phantom (seed + 1000) and "
                 "analyse from its predicted cracks (0 = do not)")
      ->check(cli::numberIn(0, 1440, true));
  cmd.add_option("--threshold", a->threshold,
                 "With --model or --train-minutes: also analyse from the predicted cracks at this probability (auto: the "
                 "threshold calibrated when the model was trained, as cdnet predict --threshold auto); 0.5, the "
                 "default of cdnet analyze and the studio, is always analysed")
      ->capture_default_str()
      ->type_name("auto|T")
      ->check(cli::kDecisionThreshold);
  cmd.add_flag("--tta", a->tta,
               "With --model or --train-minutes: predict with test-time augmentation (the 8 flips and rotations "
               "averaged, as cdnet predict --tta; about 8x the prediction time)");
  cmd.add_option("--split-height", a->splitHeight, "Segmentation split height (as cdnet analyze --split-height)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 0.99));
  cmd.add_option("--contact-ratio", a->contactRatio, "Segmentation contact ratio (as cdnet analyze --contact-ratio)")
      ->capture_default_str()
      ->check(cli::numberIn(0, 100));
  cmd.add_option("--train-size", a->trainSize, "Slice side of the training phantom")
      ->capture_default_str()
      ->check(cli::wholeIn(64, 1024));
  cli::addJsonOption(cmd, a->json);
  cmd.callback([a] { run(*a); });
}

} // namespace

CDNET_BENCH(analysis, "Particle analysis of a phantom on 1 thread and on every core: time, accuracy, and SciPy + "
                      "scikit-image (1 thread) as reference",
            setupBenchAnalysis)
