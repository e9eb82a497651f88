#pragma once
// A real GPU memory limit for test_ml_gpu's out-of-memory case, and float32 without
// TensorFloat-32 for its comparisons with the CPU. Torch-free header; GpuMemoryCap.cpp uses
// LibTorch and, where the build found them (CDNET_CUDA_ALLOCATOR_API), the CUDA allocator headers.
#include <functional>
#include <memory>
#include <string>

namespace mltest {

class GpuMemoryCap {
public:
  /// Limits what this process can take on GPU 0 to a budget in which \p fits runs and \p fails
  /// throws core::ml::DeviceOutOfMemory. With the CUDA allocator API: the caching allocator's
  /// memory fraction (c10::cuda::CUDACachingAllocator::setMemoryFraction), halved from 8 GiB down
  /// to 32 MiB until it does; without it: the device's memory taken in 64 MiB blocks, given back
  /// one at a time until \p fits runs. Either way allocations beyond it fail as on a full GPU.
  /// Throws std::runtime_error when no budget separates the two.
  static std::unique_ptr<GpuMemoryCap> between(const std::function<void()>& fits, const std::function<void()>& fails);
  ~GpuMemoryCap(); ///< lifts the limit
  std::string describe() const;

private:
  GpuMemoryCap();
  struct State;
  std::unique_ptr<State> m;
};

/// Convolutions and matrix products on the GPU in true float32 (PyTorch lets cuDNN use
/// TensorFloat-32 by default). Process-wide.
void setStrictFloat32OnGpu(bool strict);

} // namespace mltest
