#pragma once
/// \file UNet.h
/// INTERNAL to core/ml (includes Torch): the CDNet U-Net as a LibTorch module. Only core/ml's own
/// .cpp files include this; public headers never do.
///
/// The register_module names below are checkpoint keys and the names of the exported TorchScript
/// parameters: they are frozen. Layout (CDNET.md): enc1..enc4 and bottom are two 3x3 convolutions
/// (ReLU, same padding); up4..up1 are 2x2 convolutions after nearest x2 upsampling (padded
/// (0,1,0,1) first, which equals TensorFlow's 'same'); dec4..dec1 are two 3x3 convolutions on the
/// concatenation (skip, up); head is a 3x3 convolution to 2 channels with ReLU; out a 1x1
/// convolution to 1 channel. forward() returns logits; sigmoid gives the crack probability.

#include "core/ml/ModelOptions.h"

#include <torch/torch.h>

namespace core::ml::detail {

struct DoubleConvImpl : torch::nn::Module {
  DoubleConvImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(DoubleConv);

struct UNetImpl : torch::nn::Module {
  explicit UNetImpl(const ModelOptions& options);
  /// x: N x C x H x W float (normalised; C = options.channels()), any H and W; returns N x 1 x H x W logits.
  torch::Tensor forward(const torch::Tensor& x);
  /// He-normal weights and zero biases (as the reference) from Torch's current generator, except
  /// at the output (see UNet.cpp: non-negative head weights, output near the crack prior).
  void initialiseWeights();
  /// The parameters of the encoder (enc1..enc4 and bottom), for fine-tuning with it frozen.
  std::vector<torch::Tensor> encoderParameters();

  ModelOptions options;
  DoubleConv enc1{nullptr}, enc2{nullptr}, enc3{nullptr}, enc4{nullptr}, bottom{nullptr};
  torch::nn::Conv2d up4{nullptr}, up3{nullptr}, up2{nullptr}, up1{nullptr};
  DoubleConv dec4{nullptr}, dec3{nullptr}, dec2{nullptr}, dec1{nullptr};
  torch::nn::Conv2d head{nullptr}, out{nullptr};
};
TORCH_MODULE(UNet);

/// Pads N x C x H x W on the right and bottom to multiples of kSizeMultiple: reflect where the
/// image is large enough, replicate otherwise. Mirrored exactly by the exported TorchScript.
torch::Tensor padToMultiple(const torch::Tensor& x);

/// Names of the encoder's child modules.
const std::vector<std::string>& encoderModuleNames();

} // namespace core::ml::detail
