#pragma once
/// \file KerasMapping.h
/// The paper's Keras CDNet (model.py of Fu et al. 2022) as our native network: its 24
/// convolution layers, in the order model.py creates them, onto the "paper" preset. Plain types
/// only; reading the Keras HDF5 file is core/ml/keras/KerasImport.h.

#include "core/ml/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

/// One weight array of a Keras layer ("conv2d_1/kernel:0"), as stored: row-major, \p shape.
struct KerasWeight {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

/// A Keras layer that has weights, in the file's layer order.
struct KerasLayer {
  std::string name;
  std::vector<KerasWeight> weights;
};

/// A native CDNet (on the CPU) holding the weights of \p layers: Keras kernels (kh, kw, in, out)
/// become (out, in, kh, kw). The base width is the first layer's output channels and the
/// context slices follow from its input channels (1 = the paper's 2D network). Throws
/// std::runtime_error naming \p file and the first layer that does not fit the architecture
/// (another kind of layer, another kernel size or channel count, a layer too many or too few).
Model modelFromKerasLayers(const std::vector<KerasLayer>& layers, const std::string& file);

} // namespace core::ml
