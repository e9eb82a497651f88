#pragma once
/// \file RuntimeInfo.h
/// What LibTorch this program runs on and whether it can use a GPU. Torch-free header.

#include <string>

namespace core::ml {

/// LibTorch's version and its CUDA support, for Help > About, `--version` and bug reports.
struct TorchRuntimeInfo {
  std::string version;        ///< LibTorch version, e.g. "1.13.0"
  bool builtWithCuda = false; ///< this LibTorch was compiled with CUDA (Debian's is CPU only)
  int cudaDevices = 0;        ///< CUDA devices LibTorch sees now (0 without a GPU or a CUDA build)
  /// Why CUDA fails to start although a device is listed (Device.h cudaStartError); empty when
  /// it starts or there is no device.
  std::string cudaStartError;
  /// True when training and prediction on device "auto" run on a GPU (a CUDA device that starts).
  bool cudaInUse() const { return cudaDevices > 0 && cudaStartError.empty(); }
};

/// Queries LibTorch (cheap; no GPU memory is allocated). Any thread.
TorchRuntimeInfo torchRuntimeInfo();

} // namespace core::ml
