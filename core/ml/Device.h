#pragma once
/// \file Device.h
/// The one place that decides where CDNet runs (STYLE.md, "LibTorch code").

#include <string>

namespace core::ml {

/// What the user asked for: "auto" (CUDA when present, else CPU), "cpu" or "cuda".
enum class DeviceRequest { Auto, Cpu, Cuda };

/// Parses "auto", "cpu", "cuda" (or "gpu"). Throws std::invalid_argument on anything else.
DeviceRequest parseDeviceRequest(const std::string& text);
const char* toString(DeviceRequest request);

/// A resolved device.
struct Device {
  bool cuda = false;
  int index = 0;          ///< CUDA device index
  bool mixedPrecision = false; ///< bfloat16 autocast is used (CUDA with bf16 support only)
  /// Prediction keeps weights and activations in channels-last (NHWC) layout (CUDA only; off by
  /// default until cdnet-ml-bench on a GPU shows that it helps).
  bool channelsLast = false;
  /// "cpu (2 threads)" or "cuda:0 (bf16 mixed precision)".
  std::string describe() const;
};

/// True when LibTorch sees at least one CUDA device.
bool cudaAvailable();

/// cuDNN autotuning (benchmark mode): the first forward pass of each input shape tries the
/// convolution algorithms and keeps the fastest. Pays off with fixed tile sizes. Process-wide.
void setCudnnAutotune(bool on);

/// Resolves \p request. Throws std::runtime_error with a clear message when CUDA is requested
/// and no GPU (or no CUDA-enabled LibTorch) is present. On CPU, sets LibTorch's thread count to
/// \p cpuThreads (0 = every core) once per process unless the caller set one before.
Device resolveDevice(DeviceRequest request, int cpuThreads = 0);

/// Sets LibTorch's intra-op thread count (0 = every core of this machine). Any thread.
void setCpuThreads(int threads);
/// LibTorch's intra-op thread count.
int cpuThreads();

} // namespace core::ml
