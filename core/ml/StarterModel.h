#pragma once
/// \file StarterModel.h
/// The starter model that ships with the program: a small CDNet (base width 16) pretrained by
/// `cdnet pretrain` on realistic phantoms (models/README.md says how, with which seed). It gives a
/// first prediction before a user has labelled anything, and training in the studio and
/// `cdnet train --fine-tune` start from it unless told otherwise. Torch-free.

#include <string>

namespace core::ml {

/// File name of the starter model inside its folder.
constexpr const char* kStarterModelFile = "starter-b16.pt";
/// Base width of the starter model.
constexpr int kStarterBaseWidth = 16;

/// Where the starter model is: $CDNET_STARTER_MODEL when set (empty = none: for tests of the
/// "no starter" path), else <folder of the executable>/../share/cdnet/models/starter-b16.pt (the
/// installed package, and the build tree, which copies it there). Empty when no file is there.
std::string findStarterModel();

/// The places findStarterModel() looks, for messages ("looked in ...").
std::string starterModelSearchPath();

} // namespace core::ml
