// cdnet import-keras: a checkpoint of the paper's Keras code (train.py's ModelCheckpoint, whole
// model or weights only) as our checkpoint.
#include "app/cli/support/Command.h"

#include "core/ml/keras/KerasImport.h"

#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct ImportKerasArgs {
  std::string input, out;
};

void setupImportKeras(CLI::App& cmd) {
  auto a = std::make_shared<ImportKerasArgs>();
  cmd.add_option("model", a->input, "Keras HDF5 file written by the paper's train.py (.hdf5, .h5)")->required();
  cmd.add_option("--out", a->out, "Checkpoint to write (.pt): cdnet predict, train --fine-tune and the studio open it")
      ->required();
  cmd.footer("The 24 convolutions of the paper's model.py are mapped in order onto the paper preset (base width from "
             "the first layer); a file of another network is refused, naming the first layer that does not fit.");
  cmd.callback([a] {
    const core::ml::Model m = core::ml::keras::importKeras(a->input);
    m.saveCheckpoint(a->out);
    std::printf("wrote %s: CDNet base width %d, %d context slices, %lld parameters, from Keras file %s\n",
                a->out.c_str(), m.options().baseWidth, m.options().contextSlices,
                static_cast<long long>(m.parameterCount()), a->input.c_str());
  });
}

const bool registered = registerCommand("import-keras", "Convert a checkpoint of the paper's Keras CDNet (HDF5) to ours",
                                        setupImportKeras);

} // namespace

} // namespace cli
