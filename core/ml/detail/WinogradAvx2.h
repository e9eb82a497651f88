#pragma once
/// \file WinogradAvx2.h
/// INTERNAL to core/ml: our own Winograd F(2x2, 3x3) convolution (3x3, stride 1, pad 1) on fp32
/// activations in oneDNN's blocked layouts (nChw8c, AVX2's, or nChw16c), for CPUs with AVX2 and FMA where oneDNN has no Winograd
/// (its kernels need AVX-512). Used by WinoUNet.cpp. No Torch and no oneDNN in this header.
///
/// The image is cut into 2x2 output tiles; each thread takes blocks of tiles, transforms their 4x4
/// input patches (V = B^T d B), multiplies them per position (16 GEMMs of tiles x Cin by Cin x
/// Cout against U = G g G^T, transformed once here) with a 6 x 16 AVX2/FMA register block, and
/// transforms back (A^T M A) with bias, optional accumulation and ReLU. 2.25x fewer multiplies
/// than direct convolution; rounding differs from direct by about 1e-6 relative.

#include <cstdint>
#include <vector>

namespace core::ml::detail {

/// Whether this CPU has AVX2 and FMA (the instructions WinogradAvx2Conv runs).
bool cpuHasAvx2Fma();

class WinogradAvx2Conv {
public:
  /// \p weight Cout x Cin x 3 x 3 dense (OIHW), \p bias Cout values or nullptr; \p lanes: the
  /// activations' channel blocks, 8 (nChw8c) or 16 (nChw16c).
  WinogradAvx2Conv(const float* weight, const float* bias, std::int64_t cout, std::int64_t cin, std::int64_t lanes);
  /// dst = conv(src) + bias (+ dst's previous values when \p accumulate), then ReLU when \p relu.
  /// src: N x Cin x H x W, dst: N x Cout x H x W, both nChw<lanes>c (channels padded; the
  /// padding of src must hold finite values, oneDNN keeps it zero; dst's padding is written zero).
  /// src and dst must not overlap. Threads: at::parallel_for. Call only where cpuHasAvx2Fma().
  void run(const float* src, float* dst, std::int64_t n, std::int64_t h, std::int64_t w, bool relu,
           bool accumulate) const;
  std::int64_t inChannels() const { return m_cin; }
  std::int64_t outChannels() const { return m_cout; }

private:
  std::int64_t m_cin, m_cout, m_lanes, m_cinPad, m_coutPad; // Cin padded to lanes, Cout to 16
  std::vector<float> m_u;    // [16 positions][Cout / 16][Cin padded][16 output channels]
  std::vector<float> m_bias; // Cout padded, zeros past Cout
};

} // namespace core::ml::detail
