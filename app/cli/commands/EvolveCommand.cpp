// cdnet evolve: crack evolution between two scans of the same electrode (issue 19), and
// cdnet bench evolution: its accuracy on an aged phantom pair.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/commands/EvolveFiles.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/MemoryLimit.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/TerminalProgress.h"
#include "app/cli/support/VolumeOptions.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/analysis/Evolution.h"
#include "core/analysis/EvolutionScore.h"
#include "core/phantom/PhantomAging.h"
#include "core/volume/io/VolumeIO.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <malloc.h>
#include <unistd.h>
#include <filesystem>
#include <ctime>
#include <memory>
#include <sstream>

namespace {
using namespace core;

struct EvolveArgs {
  std::string a, b, cracksA, cracksB, labelsA, labelsB, outCsv, outProfile;
  std::optional<double> threshold;
  bool affine = false, rigid = false;
  std::string transform = "auto";
  std::string memoryLimit; // --memory-limit BYTES|NK|NM|NG
  double minCorrelation = analysis::RegistrationOptions{}.minCorrelation;
  std::int64_t coarse = analysis::RegistrationOptions{}.coarseSize;
  double binWidth = 10;
  cli::VolumeOptions volume;
};

std::string str(double v) {
  std::ostringstream s;
  s.imbue(std::locale::classic());
  s << v;
  return s.str();
}

void setupEvolve(CLI::App& cmd) {
  auto args = std::make_shared<EvolveArgs>();
  cmd.description("Crack evolution between two scans of the same electrode: registers scan B onto scan A (rigid, then affine\n"
                  "where that is plausible and clearly better; multi-resolution), matches their particles by overlap, and writes per particle of A its match in\n"
                  "B, whether it fractured, crack volume and fraction in both, growth and new crack pieces, with depth, size\n"
                  "and packing from A. Particles are segmented where --labels-a/--labels-b are not given.");
  cmd.add_option("--a", args->a, "Image of scan A (the reference time point)")->required();
  cmd.add_option("--b", args->b, "Image of scan B (the later time point)")->required();
  cmd.add_option("--cracks-a", args->cracksA, "Crack volume of A (mask, labels or probability)");
  cmd.add_option("--cracks-b", args->cracksB, "Crack volume of B");
  cmd.add_option("--labels-a", args->labelsA, "Particle labels of A (segmented when not given)");
  cmd.add_option("--labels-b", args->labelsB, "Particle labels of B (segmented when not given)");
  cmd.add_option("--threshold", args->threshold, "Crack probability threshold")->check(cli::numberIn(0, 1));
  cmd.add_option("--out-csv", args->outCsv, "Per-particle CSV")->required();
  cmd.add_option("--out-profile", args->outProfile, "Depth profile of growth (CSV)");
  cmd.add_option("--bin-width", args->binWidth, "Depth-profile bin width, micrometres")->capture_default_str()->check(cli::numberIn(0, 1e9, true));
  auto* transform = cmd.add_option("--transform", args->transform,
                                   "rigid, affine, or auto: rigid, then affine kept where it is plausible and registers better "
                                   "by a clear margin")
                        ->capture_default_str()
                        ->check(CLI::IsMember({"rigid", "affine", "auto"}));
  cmd.add_flag("--affine", args->affine, "Same as --transform affine")->excludes(transform);
  cmd.add_flag("--rigid", args->rigid, "Same as --transform rigid")->excludes(transform)->excludes("--affine");
  cmd.add_option("--min-correlation", args->minCorrelation, "Refuse when the registered scans correlate less")
      ->capture_default_str()
      ->check(cli::numberIn(-1, 1));
  cmd.add_option("--coarse-size", args->coarse, "Largest size per axis of the copies registered, voxels")
      ->capture_default_str()
      ->check(cli::wholeIn(16, 4096));
  cmd.add_option("--memory-limit", args->memoryLimit,
                 "Working memory for the comparison, BYTES or e.g. 2G: with --labels-a and --labels-b it runs slab by slab "
                 "within it (the same rows as whole; the halo covers each particle, its particles in B and its packing "
                 "sphere); without a limit both time points are held whole");
  cli::addOpenOptions(cmd, args->volume);
  cmd.callback([args] {
    const EvolveArgs& a = *args;
    if (a.cracksA.empty() != a.cracksB.empty())
      throw std::invalid_argument(a.cracksA.empty() ? "no crack volume for scan A ('" + a.a + "'): give --cracks-a as well as --cracks-b"
                                                    : "no crack volume for scan B ('" + a.b + "'): give --cracks-b as well as --cracks-a");
    const std::pair<const std::string*, const char*> files[] = {{&a.a, "image of scan A"},      {&a.b, "image of scan B"},
                                                                {&a.cracksA, "crack volume of scan A"}, {&a.cracksB, "crack volume of scan B"},
                                                                {&a.labelsA, "particle labels of scan A"}, {&a.labelsB, "particle labels of scan B"}};
    for (const auto& [path, what] : files) {
      std::error_code ec;
      if (!path->empty() && !std::filesystem::exists(*path, ec))
        throw std::invalid_argument(std::string(what) + " '" + *path + "' does not exist");
    }
    cli::EvolveFileInputs in;
    in.a = a.a, in.b = a.b, in.cracksA = a.cracksA, in.cracksB = a.cracksB, in.labelsA = a.labelsA, in.labelsB = a.labelsB;
    in.threshold = a.threshold;
    in.volume = a.volume;
    in.registration.transform = cli::transformMode(a.affine ? "affine" : (a.rigid ? "rigid" : a.transform));
    in.registration.minCorrelation = a.minCorrelation;
    if (!a.memoryLimit.empty()) in.memoryLimit = cli::parseMemoryLimit(a.memoryLimit);
    in.registration.coarseSize = a.coarse;
    in.evolution.binWidthUm = a.binWidth;
    {
      const auto ia = volume::openVolume(a.a, cli::toOpenOptions(a.volume))->outputInfo(cli::toReadOptions(a.volume));
      const auto ib = volume::openVolume(a.b, cli::toOpenOptions(a.volume))->outputInfo(cli::toReadOptions(a.volume));
      if (ia.spacing != ib.spacing)
        std::fprintf(stderr, "cdnet: note: the voxel size of '%s' (%s um) differs from that of '%s' (%s um): B is resampled onto A's grid\n",
                     a.b.c_str(), str(ib.spacing.x).c_str(), a.a.c_str(), str(ia.spacing.x).c_str());
    }
    const cli::EvolveFileResult res = cli::evolveFiles(in);
    const analysis::EvolutionRun& run = res.run;
    const analysis::CsvComments comments = analysis::evolutionComments(res.provenance, res.gridA, res.gridB, run);
    analysis::writeCsv(run.result.particles, a.outCsv, comments);
    if (!a.outProfile.empty()) analysis::writeCsv(run.result.depthProfile, a.outProfile, comments);
    std::printf("registration %s\n", run.registration.describe().c_str());
    std::printf("transform: %s\n", run.registration.choice.c_str());
    std::printf("%lld particles of A matched, %lld fractured, %lld lost, %lld outside B; wrote %s\n", (long long)run.result.matched,
                (long long)run.result.fractured, (long long)run.result.lost, (long long)run.result.outside, a.outCsv.c_str());
  });
}

/// A fresh folder under the system's temporary folder, removed however the bench ends.
struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    path = std::filesystem::temp_directory_path() / ("cdnet-bench-evolution-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const char* name) const { return (path / name).string(); }
};

/// The per-particle table with the truth of each row's particle of A appended (the bench's --out-csv).
void writeWithTruth(analysis::Table t, const std::vector<analysis::EvolutionTruth>& truth, const std::string& path) {
  std::unordered_map<std::uint32_t, const analysis::EvolutionTruth*> byId;
  for (const auto& e : truth) byId[e.idA] = &e;
  const int id = t.indexOf("id_a");
  const int cf = t.addColumn("true_fractured", "", analysis::ColumnKind::Flag, "1 when the phantom fractured it");
  const int cg = t.addColumn("true_growth", "", analysis::ColumnKind::Real, "Its true crack-fraction growth");
  const int c0 = t.addColumn("true_id_b", "", analysis::ColumnKind::Integer, "Its (largest) particle in B");
  const int c1 = t.addColumn("true_fragment_id_b", "", analysis::ColumnKind::Integer, "Its second particle in B when fractured");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::int64_t r = 0; r < t.rowCount(); ++r) {
    const double v = t.value(r, id);
    const auto it = std::isfinite(v) ? byId.find(std::uint32_t(v)) : byId.end();
    const analysis::EvolutionTruth* e = it == byId.end() ? nullptr : it->second;
    t.set(r, cf, e ? double(e->fractured) : nan);
    t.set(r, cg, e ? e->growth : nan);
    t.set(r, c0, e && !e->idsB.empty() ? double(e->idsB[0]) : nan);
    t.set(r, c1, e && e->idsB.size() > 1 ? double(e->idsB[1]) : nan);
  }
  analysis::writeCsv(t, path, {{"product", std::string("CDNet Studio ") + CDNET_VERSION}, {"values", "cdnet bench evolution with the phantom's truth"}});
}

void setupBenchEvolution(CLI::App& cmd) {
  auto size = std::make_shared<std::int64_t>(128);
  auto cycles = std::make_shared<int>(100);
  auto seed = std::make_shared<std::uint64_t>(1);
  auto affine = std::make_shared<bool>(false);
  auto transform = std::make_shared<std::string>("auto");
  auto memoryLimit = std::make_shared<std::string>();
  auto segment = std::make_shared<bool>(false);
  auto json = std::make_shared<std::string>();
  auto outCsv = std::make_shared<std::string>();
  auto threads = std::make_shared<int>(0);
  auto minPiece = std::make_shared<double>(analysis::EvolutionOptions{}.minPieceShare);
  auto minCut = std::make_shared<double>(analysis::EvolutionOptions{}.minCutCoverage);
  // One line: `cdnet bench --help` lists the subcommands with it. The rest goes to the footer.
  cmd.description("Crack evolution on an aged phantom pair: registration error, matching, growth, fractures");
  cmd.footer("The aged pair comes from cdnet phantom --aged-from. Printed: registration error over particle centroids, share\n"
             "of particles matched correctly, median error of the crack-fraction growth, recall of fractured particles. Uses\n"
             "the phantom's particle labels and crack masks for both scans (--segment: the analysis's particles instead, each\n"
             "scored as the true particles it holds most of: a fractured particle kept as one label matches its halves, a\n"
             "merge counts against every particle in it).");
  cmd.add_option("--size", *size, "Scan size, voxels per axis")->capture_default_str()->check(cli::wholeIn(32, 1024));
  cmd.add_option("--cycles", *cycles, "Cycles between the scans")->capture_default_str()->check(cli::wholeIn(0, 100000));
  cmd.add_option("--seed", *seed, "Phantom seed")->capture_default_str()->check(cli::kSeed);
  auto* transformOpt = cmd.add_option("--transform", *transform, "rigid, affine or auto (as cdnet evolve)")
                          ->capture_default_str()
                          ->check(CLI::IsMember({"rigid", "affine", "auto"}));
  cmd.add_flag("--affine", *affine, "Same as --transform affine")->excludes(transformOpt);
  cmd.add_flag("--segment", *segment, "Segment the particles of both scans (cdnet analyze) instead of using the phantom's labels");
  cmd.add_option("--threads", *threads, "Worker threads of the phantom, the analysis and ITK (0: every core)")
      ->capture_default_str()
      ->check(cli::wholeIn(0, 256));
  cmd.add_option("--min-piece-share", *minPiece, "Share of a particle's eroded material a piece cut off by cracks must hold (solid_pieces columns)")
      ->capture_default_str()
      ->check(cli::numberIn(0, 1));
  cmd.add_option("--min-cut-coverage", *minCut, "Share of a particle's material on the plane of its new cracks that must be crack (fractured)")
      ->capture_default_str()
      ->check(cli::numberIn(0, 1));
  cmd.add_option("--memory-limit", *memoryLimit, "As cdnet evolve --memory-limit (default: none, both time points whole)");
  cmd.add_option("--out-csv", *outCsv, "Also write the per-particle table with the truth (true_fractured, true_growth, true_ids_b)");
  cli::addJsonOption(cmd, *json);
  cmd.callback([=] {
    if (*threads > 0) { // before the first parallel loop and the first ITK filter read them
      ::setenv("CDNET_THREADS", std::to_string(*threads).c_str(), 1);
      ::setenv("ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS", std::to_string(*threads).c_str(), 1);
    }
    bench::Report report("evolution");
    report.set("threads", *threads > 0 ? std::to_string(*threads) : std::string("all"));
    report.set("size", *size);
    report.set("cycles", *cycles);
    report.set("seed", std::to_string(*seed));
    report.set("labels", *segment ? "segmented" : "truth");
    report.set("transform", *affine ? std::string("affine") : *transform);
    report.set("memory_limit", memoryLimit->empty() ? std::string("none") : *memoryLimit);
    report.set("min_piece_share", *minPiece);
    report.set("min_cut_coverage", *minCut);
    cli::printConditions(report);
    const auto t0 = std::chrono::steady_clock::now();
    phantom::PhantomOptions o;
    o.seed = *seed;
    o.threads = *threads;
    phantom::AgingOptions aging;
    aging.cycles = *cycles;
    aging.seed = *seed + 1000003;
    aging.margin = phantom::agingMargin({*size, *size, *size}, aging);
    o.size = {*size + 2 * aging.margin, *size + 2 * aging.margin, *size + 2 * aging.margin};
    // The pair goes to files and the phantom is freed: the comparison runs as cdnet evolve does
    // (coarse-level registration, B resampled slab by slab), so its peak memory is its own.
    const TempFolder dir;
    std::vector<volume::Vec3> pa, pb;
    std::vector<analysis::EvolutionTruth> truth;
    volume::VolumeInfo infoA, infoB;
    std::uint64_t scanBytes = 0;
    {
      const phantom::AgedPhantom pair = phantom::agePhantom(phantom::generatePhantom(o), aging);
      pair.interiorCentroids(1, pa, pb);
      for (const auto& p : pair.particles) truth.push_back({p.idA, p.idsB, p.fractured, p.crackFractionB() - p.crackFractionA()});
      infoA = pair.first.image.info();
      infoB = pair.scan.image.info();
      scanBytes = pair.first.image.bytes() + pair.first.cracks.bytes() + pair.first.particles.bytes();
      const std::pair<const volume::Volume*, const char*> files[] = {
          {&pair.first.image, "a-image.nrrd"}, {&pair.first.cracks, "a-cracks.nrrd"}, {&pair.first.particles, "a-labels.nrrd"},
          {&pair.scan.image, "b-image.nrrd"},  {&pair.scan.cracks, "b-cracks.nrrd"},  {&pair.scan.particles, "b-labels.nrrd"}};
      for (const auto& [v, name] : files) volume::writeVolume(*v, dir.file(name));
    }
    const double phantomS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cli::EvolveFileInputs in;
    in.a = dir.file("a-image.nrrd"), in.b = dir.file("b-image.nrrd");
    in.cracksA = dir.file("a-cracks.nrrd"), in.cracksB = dir.file("b-cracks.nrrd");
    if (!*segment) in.labelsA = dir.file("a-labels.nrrd"), in.labelsB = dir.file("b-labels.nrrd");
    in.registration.transform = cli::transformMode(*affine ? "affine" : *transform);
    in.evolution.minPieceShare = *minPiece;
    in.evolution.minCutCoverage = *minCut;
    if (!memoryLimit->empty()) in.memoryLimit = cli::parseMemoryLimit(*memoryLimit);
    in.verbose = false;
    malloc_trim(0); // hand the phantom's freed heap back (cdnet keeps freed memory: mallopt in main)
    const std::uint64_t rssBefore = core::bench::procStatusBytes("VmRSS:");
    const bool peakReset = core::bench::resetPeakRss();
    const auto t1 = std::chrono::steady_clock::now();
    cli::EvolveFileResult res = cli::evolveFiles(in);
    const double evolveS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const std::uint64_t peak = core::bench::procStatusBytes("VmHWM:");
    analysis::EvolutionRun& run = res.run;
    if (*segment) { // score in the phantom's ids (inTrueIds)
      const volume::Volume trueA = volume::readVolume(dir.file("a-labels.nrrd"));
      const volume::Volume trueB = analysis::resampleOnto(volume::readVolume(dir.file("b-labels.nrrd")), run.registration, infoA);
      run.result.particles = analysis::inTrueIds(run.result.particles, analysis::representedIds(res.labelsA, trueA),
                                                 analysis::representedIds(res.labelsB, trueB));
    }
    // Registration error over the centroids of the particles of A that touch no face.
    const auto map = run.registration.indexMap(infoA, infoB);
    const analysis::EvolutionScore sc = analysis::scoreEvolution(run.result.particles, truth);
    if (!outCsv->empty()) writeWithTruth(run.result.particles, truth, *outCsv);
    std::printf("registration: %s (%.1f s; coarse levels: A %d, B %d)\n", run.registration.describe().c_str(),
                run.registration.seconds, res.coarseLevelA, res.coarseLevelB);
    std::printf("particles evaluated %lld, matched correctly %lld, fractured %lld of %lld found (%lld false)\n",
                (long long)sc.evaluated, (long long)sc.matchedCorrectly, (long long)sc.fracturedFound,
                (long long)sc.fracturedTruth, (long long)sc.falseFractures);
    const double mib = 1024.0 * 1024.0;
    std::printf("memory: peak %.0f MiB during the comparison (%s), %.0f MiB before it; one scan's image, cracks and labels: %.0f MiB\n",
                double(peak) / mib, peakReset ? "peak reset before it" : "process peak: /proc/self/clear_refs not writable",
                double(rssBefore) / mib, double(scanBytes) / mib);
    std::printf("comparison: %lld slab(s) of %lld slices, halo %lld, about %llu MiB each by the estimate\n",
                (long long)res.plan.slabs, (long long)res.plan.slabSlices, (long long)res.plan.halo,
                (unsigned long long)(res.plan.slabBytes >> 20));
    report.set("particles", sc.evaluated);
    report.set("registration_rms_voxels", analysis::registrationRms(map, pa, pb));
    report.set("motion_rms_voxels", analysis::registrationRms({}, pa, pb));
    report.set("matched_pct", 100.0 * sc.matchedShare);
    report.set("growth_median_error", sc.medianGrowthError);
    report.set("fractured", sc.fracturedTruth);
    report.set("fractured_recall", sc.fracturedRecall);
    report.set("false_fractures", sc.falseFractures);
    report.set("correlation", run.registration.correlation);
    report.set("transform_used", run.registration.affine ? "affine" : "rigid");
    report.set("rigid_correlation", run.registration.rigidCorrelation);
    report.set("affine_correlation", run.registration.affineCorrelation);
    report.set("affine_shift_voxels", run.registration.affineShiftVoxels);
    report.set("phantom_s", phantomS);
    report.set("registration_s", run.registration.seconds);
    report.set("peak_rss_mib", double(peak) / mib);
    report.set("scan_mib", double(scanBytes) / mib);
    report.set("evolve_s", evolveS);
    report.set("slabs", res.plan.slabs);
    report.set("halo", res.plan.halo);
    cli::printResult(report, *json);
  });
}

} // namespace

CDNET_COMMAND(evolve, "Crack evolution between two scans: registration, particle matching, growth per particle", setupEvolve)
CDNET_BENCH(evolution, "Crack evolution on an aged phantom pair: registration error, matching, growth, fractures", setupBenchEvolution)
