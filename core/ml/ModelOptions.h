#pragma once
/// \file ModelOptions.h
/// What defines a CDNet network (CDNET.md, "Network"): the paper's 2D U-Net with the base width as
/// an option. Plain types only (no Torch), so the window and the command line can hold them.

#include <cstdint>
#include <string>

namespace core::ml {

/// Options of the CDNet U-Net. Preset "paper" is the published architecture (base width 64,
/// about 31 M parameters); smaller base widths (32, 16, ...) keep the same layout at a fraction
/// of the cost (parameters scale with the square of the width, FLOPs too).
struct ModelOptions {
  std::string preset = "paper"; ///< the architecture family; only "paper" exists
  int baseWidth = 64;           ///< channels of the first level; levels have 1, 2, 4, 8, 16 times it
  double dropout = 0.5;         ///< dropout after the fourth level and the bottleneck (training only)
  /// 2.5D input: the network sees slice z and its \p contextSlices neighbours on each side as
  /// 2k+1 channels (z-k .. z+k, in that order, each normalised on its own). 0 = the paper's 2D
  /// network (one channel). Neighbours past a volume end are mirrored (z = -1 reads slice 1), so a
  /// volume needs at least 2k+1 slices; a single 2D image needs k = 0.
  int contextSlices = 0;

  /// Input channels of the network: 2 * contextSlices + 1.
  int channels() const { return 2 * contextSlices + 1; }

  /// The paper's network at \p baseWidth.
  static ModelOptions paper(int baseWidth = 64);
  /// Throws std::invalid_argument with a readable message on an unknown preset, a base width
  /// outside [1, 256], a dropout outside [0, 1) or context slices outside [0, 8].
  void validate() const;
  bool operator==(const ModelOptions& o) const {
    return preset == o.preset && baseWidth == o.baseWidth && dropout == o.dropout &&
           contextSlices == o.contextSlices;
  }
  bool operator!=(const ModelOptions& o) const { return !(*this == o); }
};

/// Number of trainable parameters of the network (exact, computed from the layout).
std::int64_t parameterCount(const ModelOptions& options);

/// Floating-point operations (multiply and add counted as two) of one forward pass over an
/// image of \p height x \p width pixels (after padding to a multiple of 32). Convolutions only;
/// activations, pooling and upsampling are negligible.
double forwardFlops(const ModelOptions& options, std::int64_t height, std::int64_t width);

/// Largest ModelOptions::contextSlices.
constexpr int kMaxContextSlices = 8;

/// Inputs are padded to a multiple of this (four 2x2 poolings need 16; the paper uses 32).
constexpr int kSizeMultiple = 32;

} // namespace core::ml
