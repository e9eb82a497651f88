#pragma once
/// \file Precision.h
/// Numeric precision of prediction, and whether this CPU computes bfloat16 natively (AVX512_BF16
/// or AMX-BF16, detected at run time with cpuid). Torch-free.

#include <string>

namespace core::ml {

/// What the user asked for: "auto" (bf16 on a CPU that computes it natively, else fp32), "fp32",
/// or "bf16" (an error where the CPU lacks it).
enum class Precision { Auto, Fp32, Bf16 };

/// Parses "auto", "fp32" (or "float32"), "bf16" (or "bfloat16"). Throws std::invalid_argument.
Precision parsePrecision(const std::string& text);
const char* toString(Precision precision);

/// bfloat16 instructions of this CPU (and the operating system's support for their registers).
struct CpuBf16Support {
  bool avx512bf16 = false; ///< AVX512_BF16 (dot products of bf16 pairs into fp32)
  bool amxbf16 = false;    ///< AMX-BF16 tile instructions
  bool any() const { return avx512bf16 || amxbf16; }
  /// "AVX512_BF16", "AVX512_BF16, AMX-BF16" or "none".
  std::string describe() const;
};

/// The detected support (cpuid, once per process; none when the environment variable
/// CDNET_CPU_BF16 is "0"), or the one a test forced.
CpuBf16Support cpuBf16Support();

/// Testing hook: makes cpuBf16Support() return \p forced (nullptr: the detected support again).
void forceCpuBf16SupportForTesting(const CpuBf16Support* forced);

/// The precision prediction runs in: Auto is Bf16 on a CPU with cpuBf16Support().any() and Fp32
/// elsewhere (a GPU keeps its own mixed-precision setting, Device::mixedPrecision); Fp32 stays.
/// Throws std::runtime_error with a clear message when Bf16 is asked for on a CPU without it.
/// \p onGpu: the model runs on a CUDA device (Bf16 is then always allowed).
Precision resolvePrecision(Precision requested, bool onGpu);

} // namespace core::ml
