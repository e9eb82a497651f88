// The U-Net's fp32 CPU inference through oneDNN directly (detail/FusedUNet.h).
//
// Eager LibTorch runs each convolution through oneDNN too, but converts its input and output
// between NCHW and oneDNN's blocked layout on every call, reorders the weights on every call and
// makes a separate pass for each ReLU. Here the weights are reordered once, activations stay in
// the blocked layout (mkldnn tensors) and ReLU runs in place on them. Two exact rewrites remove
// the ops oneDNN tensors lack:
// - "nearest 2x upsample, pad (0,1,0,1), 2x2 convolution" is one 2x2 convolution of the
//   low-resolution input with 4x the output channels (one group per output parity (a, b): output
//   pixel (2i+a, 2j+b) reads upsampled rows 2i+a+dy, that is input rows i + (a+dy)/2, so the taps
//   that land on the same input pixel are summed), followed by pixel_shuffle. No upsampled tensor
//   is made. (A 9/16 variant, one convolution per parity with 1, 2 or 4 taps, needs four
//   convolutions and four interleaving passes; not tried.)
// - the decoder's first convolution on cat(skip, up) is the sum of two convolutions, one per half
//   of its input channels: no concatenation, no conversion of the skip tensor.
// Measured (Python prototype of the same ops, 1 thread, CPU time, base 16): plain oneDNN with dense
// upsample/cat 0.91x eager, with the up rewrite 1.14x, with the split as well 1.22x.
#include "core/ml/detail/FusedUNet.h"

#include <ATen/Context.h>
#include <ATen/ops/mkldnn_convolution.h>
#include <ATen/ops/mkldnn_reorder_conv2d_weight.h>

namespace core::ml::detail {

namespace {

torch::Tensor packed(const torch::Tensor& w, int64_t padding) {
  return at::mkldnn_reorder_conv2d_weight(w.to_mkldnn(), {padding, padding}, {1, 1}, {1, 1}, 1);
}

torch::Tensor dense(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat).contiguous(); }

} // namespace

torch::Tensor lowResUpWeight(const torch::Tensor& w) {
  const int64_t co = w.size(0), ci = w.size(1);
  torch::Tensor k = torch::zeros({co, 4, ci, 2, 2});
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (int dy = 0; dy < 2; ++dy)
        for (int dx = 0; dx < 2; ++dx)
          k.select(1, 2 * a + b).select(2, (a + dy) / 2).select(2, (b + dx) / 2) += w.select(2, dy).select(2, dx);
  return k.reshape({co * 4, ci, 2, 2}).contiguous();
}

bool FusedUNet::available() { return at::hasMKLDNN(); }

FusedUNet::FusedUNet(UNet& net) {
  torch::NoGradGuard noGrad;
  auto make = [](const torch::nn::Conv2d& c) {
    Conv r;
    r.padding = c->weight.size(2) == 3 ? 1 : 0;
    r.weight = packed(dense(c->weight), r.padding);
    r.bias = dense(c->bias);
    return r;
  };
  const DoubleConv encoders[5] = {net->enc1, net->enc2, net->enc3, net->enc4, net->bottom};
  for (int i = 0; i < 5; ++i) {
    enc[i][0] = make(encoders[i]->conv1);
    enc[i][1] = make(encoders[i]->conv2);
  }
  const torch::nn::Conv2d ups[4] = {net->up1, net->up2, net->up3, net->up4};
  const DoubleConv decoders[4] = {net->dec1, net->dec2, net->dec3, net->dec4};
  for (int l = 0; l < 4; ++l) {
    // The up convolution on the low-resolution input (see the top of this file). Output parity
    // group g = 2a + b becomes channels o * 4 + g, the order pixel_shuffle reads.
    // Padding 1 on both sides and the output cropped by one at the top and left: output (i, j)
    // then reads input rows i, i+1 and columns j, j+1, zero past the end (the (0,1,0,1) pad).
    dec[l].up.padding = 1;
    dec[l].up.weight = packed(lowResUpWeight(dense(ups[l]->weight)), 1);
    dec[l].up.bias = dense(ups[l]->bias).repeat_interleave(4);
    const torch::Tensor w1 = dense(decoders[l]->conv1->weight);
    const int64_t half = w1.size(1) / 2; // cat(skip, up): the skip's channels first
    dec[l].skip.padding = dec[l].fromUp.padding = 1;
    dec[l].skip.weight = packed(w1.narrow(1, 0, half).contiguous(), 1);
    dec[l].skip.bias = dense(decoders[l]->conv1->bias);
    dec[l].fromUp.weight = packed(w1.narrow(1, half, half).contiguous(), 1);
    dec[l].second = make(decoders[l]->conv2);
  }
  head = make(net->head);
  out = make(net->out);
}

torch::Tensor FusedUNet::forward(const torch::Tensor& input) const {
  auto conv = [](const torch::Tensor& x, const Conv& c, bool relu) {
    const c10::optional<torch::Tensor> bias = c.bias.defined() ? c10::optional<torch::Tensor>(c.bias) : c10::nullopt;
    torch::Tensor y = at::mkldnn_convolution(x, c.weight, bias, {c.padding, c.padding}, {1, 1}, {1, 1}, 1);
    return relu ? y.relu_() : y;
  };
  auto pool = [](const torch::Tensor& t) { return torch::max_pool2d(t, {2, 2}, {2, 2}); };
  torch::Tensor skips[4];
  torch::Tensor x = input.contiguous().to_mkldnn();
  for (int i = 0; i < 5; ++i) {
    if (i > 0) x = pool(x);
    x = conv(conv(x, enc[i][0], true), enc[i][1], true);
    if (i < 4) skips[i] = x;
  }
  for (int l = 3; l >= 0; --l) {
    const int64_t h = x.size(2), w = x.size(3);
    torch::Tensor u = conv(x, dec[l].up, true).to_dense().narrow(2, 1, h).narrow(3, 1, w);
    u = torch::pixel_shuffle(u, 2).contiguous().to_mkldnn();
    torch::Tensor y = conv(skips[l], dec[l].skip, false);
    y.add_(conv(u, dec[l].fromUp, false));
    x = conv(y.relu_(), dec[l].second, true);
    skips[l] = torch::Tensor();
  }
  return conv(conv(x, head, true), out, false).to_dense();
}

} // namespace core::ml::detail
