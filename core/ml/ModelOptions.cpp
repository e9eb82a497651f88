#include "core/ml/ModelOptions.h"

#include <stdexcept>

namespace core::ml {

ModelOptions ModelOptions::paper(int baseWidth) {
  ModelOptions o;
  o.baseWidth = baseWidth;
  return o;
}

void ModelOptions::validate() const {
  if (preset != "paper")
    throw std::invalid_argument("unknown model preset '" + preset + "' (the only preset is 'paper')");
  if (baseWidth < 1 || baseWidth > 256)
    throw std::invalid_argument("base width " + std::to_string(baseWidth) + " is outside 1..256");
  if (!(dropout >= 0.0 && dropout < 1.0))
    throw std::invalid_argument("dropout " + std::to_string(dropout) + " is outside [0, 1)");
  if (contextSlices < 0 || contextSlices > kMaxContextSlices)
    throw std::invalid_argument("context slices " + std::to_string(contextSlices) + " is outside 0.." +
                                std::to_string(kMaxContextSlices));
}

namespace {

// Visits every convolution of the network as (in, out, kernel, scale), scale = 2^level (1 = full size).
template <class F> void forEachConv(const ModelOptions& o, F&& f) {
  const std::int64_t b = o.baseWidth;
  std::int64_t in = o.channels();
  for (int level = 0; level < 5; ++level) { // encoder and bottleneck: two 3x3 each
    const std::int64_t c = b << level;
    f(in, c, 3, level);
    f(c, c, 3, level);
    in = c;
  }
  for (int level = 3; level >= 0; --level) { // decoder: 2x2 up-convolution, then two 3x3
    const std::int64_t c = b << level;
    f(2 * c, c, 2, level);
    f(2 * c, c, 3, level);
    f(c, c, 3, level);
  }
  f(b, 2, 3, 0); // head
  f(2, 1, 1, 0); // output
}

} // namespace

std::int64_t parameterCount(const ModelOptions& options) {
  std::int64_t n = 0;
  forEachConv(options, [&](std::int64_t in, std::int64_t out, std::int64_t k, int) { n += in * out * k * k + out; });
  return n;
}

double forwardFlops(const ModelOptions& options, std::int64_t height, std::int64_t width) {
  const auto up = [](std::int64_t v) { return (v + kSizeMultiple - 1) / kSizeMultiple * kSizeMultiple; };
  const double pixels = double(up(height)) * double(up(width));
  double flops = 0;
  forEachConv(options, [&](std::int64_t in, std::int64_t out, std::int64_t k, int level) {
    flops += 2.0 * double(in * out * k * k) * pixels / double(std::int64_t(1) << (2 * level));
  });
  return flops;
}

} // namespace core::ml
