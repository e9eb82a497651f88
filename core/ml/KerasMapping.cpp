// The Keras CDNet's convolutions onto our U-Net (KerasMapping.h).
#include "core/ml/KerasMapping.h"

#include "core/ml/detail/ModelImpl.h"

#include <stdexcept>

namespace core::ml {

namespace {

struct ConvSpec {
  std::string param; ///< our module ("enc1.conv1")
  std::int64_t k, in, out;
};

/// model.py's convolutions in creation order: two per encoder level and the bottleneck, then per
/// decoder level the 2x2 up-convolution and two 3x3, then the 3x3 head to 2 channels and the 1x1
/// output.
std::vector<ConvSpec> cdnetConvolutions(std::int64_t c, std::int64_t b) {
  std::vector<ConvSpec> s;
  const char* enc[] = {"enc1", "enc2", "enc3", "enc4", "bottom"};
  std::int64_t in = c, w = b;
  for (const char* e : enc) {
    s.push_back({std::string(e) + ".conv1", 3, in, w});
    s.push_back({std::string(e) + ".conv2", 3, w, w});
    in = w;
    w *= 2;
  }
  w = in; // 16 b
  for (int level = 4; level >= 1; --level) {
    const std::string l = std::to_string(level);
    s.push_back({"up" + l, 2, w, w / 2});
    s.push_back({"dec" + l + ".conv1", 3, w, w / 2});
    s.push_back({"dec" + l + ".conv2", 3, w / 2, w / 2});
    w /= 2;
  }
  s.push_back({"head", 3, b, 2});
  s.push_back({"out", 1, 2, 1});
  return s;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string t = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  return t + ")";
}

const KerasWeight* findWeight(const KerasLayer& layer, const std::string& kind) {
  for (const auto& w : layer.weights) {
    const auto slash = w.name.rfind('/');
    const std::string base = w.name.substr(slash == std::string::npos ? 0 : slash + 1);
    if (base.rfind(kind, 0) == 0) return &w;
  }
  return nullptr;
}

} // namespace

Model modelFromKerasLayers(const std::vector<KerasLayer>& layers, const std::string& file) {
  auto fail = [&](const std::string& why) -> std::runtime_error {
    return std::runtime_error("Keras file '" + file + "' is not the paper's CDNet (model.py): " + why);
  };
  if (layers.empty()) throw fail("it holds no layer with weights");
  const KerasWeight* first = findWeight(layers[0], "kernel");
  if (!first || first->shape.size() != 4)
    throw fail("its first layer with weights, '" + layers[0].name + "', is not a 2D convolution");
  const std::int64_t c = first->shape[2], b = first->shape[3];
  if (c < 1 || c % 2 == 0 || (c - 1) / 2 > kMaxContextSlices || b < 1 || b > 256)
    throw fail("its first convolution '" + layers[0].name + "' has kernel " + shapeText(first->shape) +
               " (expected 3 x 3 x channels x base width, with 1 channel for the 2D network)");
  const auto specs = cdnetConvolutions(c, b);

  ModelOptions options = ModelOptions::paper(static_cast<int>(b));
  options.contextSlices = static_cast<int>((c - 1) / 2);
  Model model = Model::create(options, resolveDevice(DeviceRequest::Cpu), 0);
  auto params = model.impl().net->named_parameters();
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const KerasLayer& layer = layers[i];
    const std::string where = "layer " + std::to_string(i + 1) + " '" + layer.name + "'";
    if (i >= specs.size())
      throw fail(where + " is one too many: CDNet has " + std::to_string(specs.size()) + " convolution layers");
    const ConvSpec& s = specs[i];
    const KerasWeight* kernel = findWeight(layer, "kernel");
    const KerasWeight* bias = findWeight(layer, "bias");
    const std::vector<std::int64_t> want{s.k, s.k, s.in, s.out};
    if (!kernel || !bias || layer.weights.size() != 2)
      throw fail(where + " is not a convolution with a kernel and a bias (expected " + shapeText(want) + " for " +
                 s.param + ")");
    if (kernel->shape != want || bias->shape != std::vector<std::int64_t>{s.out})
      throw fail(where + " has kernel " + shapeText(kernel->shape) + " and bias " + shapeText(bias->shape) +
                 "; CDNet needs " + shapeText(want) + " and (" + std::to_string(s.out) + ") there (" + s.param + ")");
    // Keras (kh, kw, in, out) -> Torch (out, in, kh, kw).
    auto k = torch::from_blob(const_cast<float*>(kernel->values.data()), {s.k, s.k, s.in, s.out}, torch::kFloat32);
    params[s.param + ".weight"].copy_(k.permute({3, 2, 0, 1}).contiguous());
    params[s.param + ".bias"].copy_(
        torch::from_blob(const_cast<float*>(bias->values.data()), {s.out}, torch::kFloat32));
  }
  if (layers.size() < specs.size())
    throw fail("it has " + std::to_string(layers.size()) + " convolution layers, CDNet has " +
               std::to_string(specs.size()) + " (the next would be " + specs[layers.size()].param + ", kernel " +
               shapeText({specs[layers.size()].k, specs[layers.size()].k, specs[layers.size()].in,
                          specs[layers.size()].out}) +
               ")");
  model.impl().source = file;
  return model;
}

} // namespace core::ml
