// cdnet phantom: write a synthetic cathode volume with its ground truth.
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/commands/PhantomAged.h"
#include "app/cli/commands/PhantomFiles.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/phantom/Phantom.h"

#include <cstdio>
#include <memory>
#include <optional>

namespace {

struct PhantomArgs {
  std::string out, size = "128", type = "uint16", format = "nrrd", preview, radius, preset = "realistic";
  core::phantom::PhantomOptions options;
  std::optional<std::uint64_t> agedFrom; // --aged-from SEED (issue 19)
  core::phantom::AgingOptions aging;
};

void setupPhantom(CLI::App& cmd) {
  auto args = std::make_shared<PhantomArgs>();
  auto& o = args->options;
  cmd.description("Write a synthetic cathode volume (NMC particles of grains, carbon-binder, pores, thin cracks, blur,\n"
                  "noise and phase-contrast fringes) with its ground truth: image, crack mask (uint8 0/1), particle labels\n"
                  "(uint32 ids, cracks and pores filled) and truth.csv (per particle: id, centre and radius in voxels,\n"
                  "filled_voxels, crack_voxels, crack_fraction). Deterministic from the options and the seed.\n"
                  "Preset realistic (default): lobed particles, pores and dark inclusions inside them (not crack), cracks\n"
                  "from sub-voxel to 6 voxels wide, gaps between touching particles (crack), blur wider in z, rings,\n"
                  "streaks and drift. Preset simple: the easy phantom of the first release.");
  cmd.add_option("--out", args->out, "Output folder (created if missing)")->required();
  cmd.add_option("--size", args->size, "Size in voxels: N or X,Y,Z")->capture_default_str();
  cmd.add_option("--preset", args->preset, "realistic or simple")->capture_default_str()->check(CLI::IsMember({"realistic", "simple"}));
  cmd.add_flag("--low-signal", o.lowSignal, "A low-dose scan: less contrast, more noise (realistic preset)");
  cmd.add_option("--seed", o.seed, "Random seed")->capture_default_str()->check(cli::kSeed);
  cmd.add_option("--type", args->type, "Image voxel type: uint8, uint16 or float32")->capture_default_str();
  cmd.add_option("--format", args->format, "nrrd, tiff (multi-page), tiff-folder or hdf5")->capture_default_str();
  cmd.add_option("--preview", args->preview, "Also write a PNG of the middle XY slice, its crack mask and the particles");
  cmd.add_option("--radius", args->radius, "Particle radius range MIN,MAX in voxels (default 10,28)");
  cmd.add_option("--grain-size", o.grainSize, "Primary grain diameter, voxels")
      ->capture_default_str()
      ->check(cli::numberIn(2, 64));
  cmd.add_option("--solid-fraction", o.solidFraction, "Volume fraction of particles")
      ->capture_default_str()
      ->check(cli::numberIn(0, 0.7));
  cmd.add_option("--cracked-fraction", o.crackedFraction, "Fraction of particles that carry cracks")
      ->capture_default_str()
      ->check(cli::numberIn(0, 1));
  cmd.add_option("--noise", o.noise, "Noise scale (0 = none, 1 = realistic)")->capture_default_str()->check(cli::numberIn(0, 20));
  cmd.add_option("--spacing", o.spacing.x, "Voxel size in micrometres (isotropic)")
      ->capture_default_str()
      ->check(cli::numberIn(0, 1e9, true));
  cmd.add_option("--threads", o.threads, "Worker threads (default: every core); the result never depends on it")
      ->check(cli::wholeIn(1, cli::kMaxThreads));
  cmd.add_option("--aged-from", args->agedFrom,
                 "A time series: write scan A of this seed (OUT/a) and the same electrode after --cycles, moved a little\n"
                 "(OUT/b), with OUT/evolution_truth.csv (particle ids in A and B, fractures, crack growth)")
      ->check(cli::kSeed);
  cmd.add_option("--cycles", args->aging.cycles, "With --aged-from: charge cycles between the scans")
      ->capture_default_str()
      ->check(cli::wholeIn(0, 100000));
  cmd.callback([args] {
    auto o = args->options;
    if (args->agedFrom) o.seed = *args->agedFrom;
    o.preset = core::phantom::parsePreset(args->preset);
    if (o.lowSignal && o.preset != core::phantom::PhantomPreset::Realistic)
      throw std::invalid_argument("--low-signal needs --preset realistic");
    o.size = cli::parseSize(args->size);
    o.imageType = core::volume::parseVoxelType(args->type);
    o.spacing = {o.spacing.x, o.spacing.x, o.spacing.x};
    if (!args->radius.empty()) {
      double lo = 0, hi = 0;
      if (!cli::parseMinMax(args->radius, lo, hi))
        throw std::invalid_argument("bad --radius '" + args->radius + "' (expected MIN,MAX in voxels)");
      o.particleRadiusMin = lo;
      o.particleRadiusMax = hi;
    }
    cli::phantomFileName("image", args->format); // rejects an unknown format before any work
    if (args->agedFrom) {
      if (args->format == "tiff-folder") throw std::invalid_argument("--aged-from writes nrrd, tiff or hdf5, not tiff-folder");
      if (!args->preview.empty()) throw std::invalid_argument("--preview is not available with --aged-from");
      auto aging = args->aging;
      aging.seed = *args->agedFrom + 1000003;
      cli::writeAgedPhantom(o, aging, args->out, args->format);
      return;
    }
    cli::TerminalProgress progress("phantom");
    const cli::PhantomFiles files =
        cli::writePhantomFiles(o, args->out, args->format, args->preview, progress, core::jobs::neverCancelled());
    progress.done();
    cli::printPhantomSummary(stdout, o, files);
  });
}

} // namespace

CDNET_COMMAND(phantom, "Write a synthetic cathode volume with crack mask, particle labels and truth.csv", setupPhantom)
