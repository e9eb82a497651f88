#pragma once
/// \file FusedUNet.h
/// INTERNAL to core/ml (includes Torch): the CDNet U-Net's fp32 inference on the CPU through
/// oneDNN (MKL-DNN) directly, made once from a UNet's weights (FusedUNet.cpp says how). Exact
/// algebra, not an approximation: it differs from UNet::forward only by fp32 rounding.

#include "core/ml/detail/UNet.h"

namespace core::ml::detail {

/// The up convolution's 2x2 kernel (Cout x Cin x 2 x 2, dense fp32) rewritten for the
/// low-resolution input (FusedUNet.cpp): 4 Cout x Cin x 2 x 2, output channel o * 4 + 2a + b
/// holding output parity (a, b), to run with padding 1, crop one row and column at the top and
/// left, and pixel_shuffle by 2.
torch::Tensor lowResUpWeight(const torch::Tensor& w);

class FusedUNet {
public:
  /// Whether this LibTorch has oneDNN on the CPU (the path is unavailable otherwise).
  static bool available();
  /// Copies and reorders \p net's weights (fp32, CPU) once; \p net may change afterwards.
  explicit FusedUNet(UNet& net);
  /// Logits of x (N x C x H x W fp32 on the CPU, already padded to multiples of kSizeMultiple),
  /// N x 1 x H x W dense fp32. Call under inference mode or no-grad.
  torch::Tensor forward(const torch::Tensor& x) const;

private:
  struct Conv {
    torch::Tensor weight, bias; // weight in oneDNN's blocked layout
    int64_t padding = 0;
  };
  struct Level {
    Conv up;           ///< the up convolution rewritten for the low-resolution input (4x the outputs)
    Conv skip, fromUp; ///< the decoder's first convolution split along its input channels
    Conv second;       ///< the decoder's second convolution
  };
  Conv enc[5][2];
  Level dec[4]; // dec[0] = level 1 (full resolution) .. dec[3] = level 4
  Conv head, out;
};

} // namespace core::ml::detail
