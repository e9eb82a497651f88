#include "core/ml/RuntimeInfo.h"

#include "core/ml/Device.h"

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/version.h>

namespace core::ml {

TorchRuntimeInfo torchRuntimeInfo() {
  TorchRuntimeInfo info;
  info.version = TORCH_VERSION;
  info.builtWithCuda = at::hasCUDA();
  info.cudaDevices = info.builtWithCuda ? static_cast<int>(torch::cuda::device_count()) : 0;
  if (info.cudaDevices > 0) info.cudaStartError = cudaStartError();
  return info;
}

} // namespace core::ml
