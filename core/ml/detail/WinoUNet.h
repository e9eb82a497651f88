#pragma once
/// \file WinoUNet.h
/// INTERNAL to core/ml (includes Torch; oneDNN stays in WinoUNet.cpp): the fused fp32 U-Net
/// (FusedUNet.h: the same exact rewrites) on raw oneDNN primitives, with the 3x3 convolutions
/// after the first through oneDNN's Winograd F(4x4, 3x3) (jit_wino_4x3, AVX-512), or where oneDNN
/// has none, our own F(2x2, 3x3) on AVX2 + FMA (WinogradAvx2.h, on AVX2's nChw8c layout); both
/// round differently from direct convolution (measured about 3e-6 of the output scale per layer).
/// Built only with CDNET_HAVE_DNNL (CMake: dnnl.hpp found and LibTorch linking the same system
/// libdnnl.so.2); available() is false otherwise.

#include "core/ml/detail/UNet.h"

#include <cstdint>
#include <memory>
#include <utility>

namespace core::ml::detail {

class WinoUNet {
public:
  /// Whether this build has the raw oneDNN path (CDNET_HAVE_DNNL).
  static bool available();
  /// Whether this CPU runs Winograd convolutions: oneDNN's (AVX-512 with oneDNN 2.x; honours
  /// ONEDNN_MAX_CPU_ISA) or our own (AVX2 + FMA); false without CDNET_HAVE_DNNL. Without it
  /// every layer runs direct.
  static bool cpuHasWinograd();
  /// Copies \p net's weights (fp32, CPU); \p net may change afterwards. Throws without oneDNN.
  explicit WinoUNet(UNet& net);
  ~WinoUNet();
  WinoUNet(const WinoUNet&) = delete;
  WinoUNet& operator=(const WinoUNet&) = delete;
  /// Logits of x (N x C x H x W fp32 on the CPU, padded to multiples of kSizeMultiple),
  /// N x 1 x H x W dense fp32. Primitives and buffers are made once per N x H x W and kept (the
  /// three sizes used last).
  /// Not reentrant: concurrent calls are serialised.
  torch::Tensor forward(const torch::Tensor& x) const;
  /// Convolutions of the last forward() that ran Winograd, oneDNN's or our own (0 when every one
  /// fell back to direct).
  int winogradLayers() const;
  /// Bytes of the last forward()'s activation arena, and of its activations laid end to end
  /// (what the arena saves: activations that are never alive together share memory).
  std::pair<std::size_t, std::size_t> activationBytes() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace core::ml::detail
