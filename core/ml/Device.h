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

/// Why CUDA fails to start on GPU 0 although LibTorch lists it (a driver older than the CUDA
/// runtime, a GPU this build has no kernels for, no memory left), from a tiny trial convolution
/// made once per process; empty when it starts or there is no CUDA device.
std::string cudaStartError();

/// cuDNN autotuning (benchmark mode): the first forward pass of each input shape tries the
/// convolution algorithms and keeps the fastest. Pays off with fixed tile sizes. Process-wide.
void setCudnnAutotune(bool on);

/// Resolves \p request. Throws std::runtime_error with a clear message when CUDA is requested
/// and no GPU (or no CUDA-enabled LibTorch) is present or CUDA fails to start (cudaStartError);
/// Auto then falls back to the CPU, after a CUDA start failure with a warning (core::jobs::warn,
/// once per process; the studio shows it in its status bar). On CPU, sets LibTorch's thread count to
/// \p cpuThreads (0 = every core) once per process unless the caller set one before.
Device resolveDevice(DeviceRequest request, int cpuThreads = 0);

/// Sets LibTorch's intra-op thread count (0 = every core of this machine). Any thread.
void setCpuThreads(int threads);
/// LibTorch's intra-op thread count.
int cpuThreads();

} // namespace core::ml
