// The CDNet U-Net in LibTorch (detail/UNet.h).
#include "core/ml/detail/UNet.h"

#include <cmath>

namespace core::ml::detail {

namespace F = torch::nn::functional;

namespace {
torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t k) {
  // 3x3 with integer padding 1 is 'same'; 2x2 convolutions get an explicit (0,1,0,1) pad in
  // forward() instead (padding='same' breaks optimize_for_inference in 1.13: platform facts).
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).padding(k == 3 ? 1 : 0));
}

torch::Tensor upConv(torch::nn::Conv2d& c, const torch::Tensor& x) {
  auto up = F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0})
                                  .mode(torch::kNearest));
  return torch::relu(c->forward(F::pad(up, F::PadFuncOptions({0, 1, 0, 1}))));
}
} // namespace

DoubleConvImpl::DoubleConvImpl(int64_t in, int64_t out) {
  conv1 = register_module("conv1", conv(in, out, 3));
  conv2 = register_module("conv2", conv(out, out, 3));
}

torch::Tensor DoubleConvImpl::forward(const torch::Tensor& x) {
  return torch::relu(conv2->forward(torch::relu(conv1->forward(x))));
}

UNetImpl::UNetImpl(const ModelOptions& o) : options(o) {
  options.validate();
  const int64_t b = o.baseWidth;
  enc1 = register_module("enc1", DoubleConv(o.channels(), b));
  enc2 = register_module("enc2", DoubleConv(b, 2 * b));
  enc3 = register_module("enc3", DoubleConv(2 * b, 4 * b));
  enc4 = register_module("enc4", DoubleConv(4 * b, 8 * b));
  bottom = register_module("bottom", DoubleConv(8 * b, 16 * b));
  up4 = register_module("up4", conv(16 * b, 8 * b, 2));
  dec4 = register_module("dec4", DoubleConv(16 * b, 8 * b));
  up3 = register_module("up3", conv(8 * b, 4 * b, 2));
  dec3 = register_module("dec3", DoubleConv(8 * b, 4 * b));
  up2 = register_module("up2", conv(4 * b, 2 * b, 2));
  dec2 = register_module("dec2", DoubleConv(4 * b, 2 * b));
  up1 = register_module("up1", conv(2 * b, b, 2));
  dec1 = register_module("dec1", DoubleConv(2 * b, b));
  head = register_module("head", conv(b, 2, 3));
  out = register_module("out", conv(2, 1, 1));
  initialiseWeights();
}

void UNetImpl::initialiseWeights() {
  torch::NoGradGuard noGrad;
  for (auto& p : named_parameters()) {
    if (p.key().size() >= 6 && p.key().compare(p.key().size() - 6, 6, "weight") == 0)
      torch::nn::init::kaiming_normal_(p.value(), 0.0, torch::kFanIn, torch::kReLU);
    else
      p.value().zero_();
  }
  // Two departures from the reference's He-normal everywhere, both at the output only:
  // - the head's two ReLU channels see only non-negative features; with He-normal signs a
  //   channel whose weights sum negative is dead everywhere from the first step (both were dead
  //   for about a quarter of seeds, leaving only the output bias to learn). Non-negative starting
  //   weights keep both alive; training gives them their signs.
  // - the output starts near the crack prior (about 5%) with small weights, instead of random
  //   logits of several units that cost the first hundred steps (Lin et al., focal loss, 2017).
  head->weight.abs_();
  out->weight.mul_(0.1);
  out->bias.fill_(std::log(0.05 / 0.95));
}

torch::Tensor padToMultiple(const torch::Tensor& x) {
  const int64_t h = x.size(2), w = x.size(3);
  const int64_t ph = (kSizeMultiple - h % kSizeMultiple) % kSizeMultiple;
  const int64_t pw = (kSizeMultiple - w % kSizeMultiple) % kSizeMultiple;
  if (ph == 0 && pw == 0) return x;
  if (ph < h && pw < w) return torch::reflection_pad2d(x, {0, pw, 0, ph});
  return torch::replication_pad2d(x, {0, pw, 0, ph});
}

torch::Tensor UNetImpl::forward(const torch::Tensor& input) {
  const int64_t h = input.size(2), w = input.size(3);
  const torch::Tensor x = padToMultiple(input);
  const double p = options.dropout;
  auto pool = [](const torch::Tensor& t) { return torch::max_pool2d(t, {2, 2}, {2, 2}); };
  auto e1 = enc1->forward(x);
  // bf16 inference keeps the first block in fp32 (Model::Impl::prepareBf16): the rest in its type.
  const auto bodyType = enc2->conv1->weight.scalar_type();
  if (e1.scalar_type() != bodyType) e1 = e1.to(bodyType);
  auto e2 = enc2->forward(pool(e1));
  auto e3 = enc3->forward(pool(e2));
  auto e4 = torch::dropout(enc4->forward(pool(e3)), p, is_training());
  auto bt = torch::dropout(bottom->forward(pool(e4)), p, is_training());
  auto d4 = dec4->forward(torch::cat({e4, upConv(up4, bt)}, 1));
  auto d3 = dec3->forward(torch::cat({e3, upConv(up3, d4)}, 1));
  auto d2 = dec2->forward(torch::cat({e2, upConv(up2, d3)}, 1));
  auto d1 = dec1->forward(torch::cat({e1, upConv(up1, d2)}, 1));
  auto logits = out->forward(torch::relu(head->forward(d1)));
  if (logits.size(2) != h || logits.size(3) != w)
    logits = logits.slice(2, 0, h).slice(3, 0, w);
  return logits;
}

const std::vector<std::string>& encoderModuleNames() {
  static const std::vector<std::string> names{"enc1", "enc2", "enc3", "enc4", "bottom"};
  return names;
}

std::vector<torch::Tensor> UNetImpl::encoderParameters() {
  std::vector<torch::Tensor> params;
  for (const auto& name : encoderModuleNames())
    for (auto& p : named_children()[name]->parameters()) params.push_back(p);
  return params;
}

} // namespace core::ml::detail
