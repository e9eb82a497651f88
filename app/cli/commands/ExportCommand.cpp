// cdnet export: a trained CDNet as a TorchScript file for Python (torch.jit.load).
#include "app/cli/support/Command.h"
#include "app/cli/commands/BioimageioExport.h"
#include "app/cli/support/MlCommon.h"

#include "core/ml/Model.h"

#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct ExportArgs {
  std::string model, out, format = "torchscript";
};

void setupExport(CLI::App& cmd) {
  auto a = std::make_shared<ExportArgs>();
  cmd.add_option("--model", a->model, "Checkpoint or training folder (its best checkpoint)")->required();
  cmd.add_option("--out", a->out, "TorchScript file to write (.pt), or with --format bioimageio a package (.zip)")
      ->required();
  cmd.add_option("--format", a->format, "torchscript, or bioimageio (a bioimage.io model package for ilastik, "
                                        "deepImageJ and the bioimage.io tools)")
      ->check(CLI::IsMember({"torchscript", "bioimageio"}))
      ->capture_default_str();
  cmd.footer("In Python: m = torch.jit.load(FILE); p = m(x), x a float tensor N x C x H x W of slices each z-score "
             "normalised ((x - mean) / std, NaN set to 0 first); C = 1, or 2K+1 slices z-K..z+K for a 2.5D model "
             "(attribute m.cdnet_context_slices = K); p holds N x 1 x H x W crack probabilities.");
  cmd.callback([a] {
    core::ml::LoadOptions lo;
    lo.device = core::ml::DeviceRequest::Cpu;
    const core::ml::Model m = core::ml::Model::load(a->model, lo);
    if (a->format == "bioimageio") {
      exportBioimageio(m, a->out);
      std::printf("wrote %s: bioimage.io model package (rdf.yaml format 0.5.3, TorchScript weights, test tensors), "
                  "CDNet base width %d\n", a->out.c_str(), m.options().baseWidth);
      return;
    }
    m.exportTorchScript(a->out);
    const int c = m.options().channels();
    std::printf("wrote %s: TorchScript, CDNet base width %d, %d context slices, %lld parameters\n", a->out.c_str(),
                m.options().baseWidth, m.options().contextSlices, static_cast<long long>(m.parameterCount()));
    std::printf("Python: m = torch.jit.load('%s'); p = m(x)  # x: N x %d x H x W float, each slice z-scored\n",
                a->out.c_str(), c);
  });
}

} // namespace

CDNET_COMMAND(export, "Export a trained model as TorchScript for Python's torch.jit.load", setupExport)

} // namespace cli
