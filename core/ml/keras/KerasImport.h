#pragma once
/// \file KerasImport.h
/// Reads what the paper's Keras train.py writes (ModelCheckpoint: a whole model with its weights
/// under /model_weights, or weights only at the root; per layer the attribute weight_names and the
/// datasets <layer>/<layer>/kernel:0, bias:0) and turns it into our native CDNet
/// (KerasMapping.h). TensorFlow's 'same' padding of the 2x2 up-convolutions (the extra pixel at
/// the bottom and right) is what our U-Net does already.

#include "core/ml/KerasMapping.h"

#include <string>
#include <vector>

namespace core::ml::keras {

/// The layers with weights of a Keras HDF5 file, in the file's layer order. Throws
/// std::runtime_error naming \p path when it is missing, not HDF5, truncated or not a Keras file.
std::vector<KerasLayer> readKerasLayers(const std::string& path);

/// readKerasLayers + modelFromKerasLayers.
Model importKeras(const std::string& path);

} // namespace core::ml::keras
