// The first demo step: the synthetic cathode volume with its ground truth and a preview.
#include "app/cli/commands/Demo.h"
#include "app/cli/commands/PhantomFiles.h"

#include <cstdio>
#include <filesystem>

namespace {

void phantomStep(cli::DemoContext& ctx) {
  const std::string dir = (std::filesystem::path(ctx.outDir) / "phantom").string();
  const std::string preview = (std::filesystem::path(ctx.outDir) / "phantom.png").string();
  const cli::PhantomFiles f = cli::writePhantomFiles(ctx.phantom, dir, "nrrd", preview, *ctx.progress, *ctx.cancel);
  cli::printPhantomSummary(stdout, ctx.phantom, f);
  ctx.files["image"] = f.image;
  ctx.files["cracks"] = f.cracks;
  ctx.files["particles"] = f.particles;
  ctx.files["truth"] = f.truth;
  ctx.files["preview"] = f.preview;
}

} // namespace

CDNET_DEMO_STEP(100, phantom, "Generate a synthetic cathode volume with its crack mask and particle labels", phantomStep)
