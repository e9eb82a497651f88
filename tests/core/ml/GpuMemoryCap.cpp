// GpuMemoryCap.h. The allocator API needs CUDA's headers, which only a CUDA LibTorch build has:
// MlGpuTest.cmake defines CDNET_CUDA_ALLOCATOR_API when they compile and link.
#include "GpuMemoryCap.h"

#include "core/ml/Model.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#ifdef CDNET_CUDA_ALLOCATOR_API
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace mltest {

struct GpuMemoryCap::State {
  std::string how;
  std::vector<at::Tensor> ballast;
  bool fraction = false;
};

GpuMemoryCap::GpuMemoryCap() : m(std::make_unique<State>()) {}

namespace {
bool outOfMemory(const std::function<void()>& f) {
  try {
    f();
    return false;
  } catch (const core::ml::DeviceOutOfMemory&) {
    return true;
  }
}
} // namespace

std::unique_ptr<GpuMemoryCap> GpuMemoryCap::between(const std::function<void()>& fits,
                                                    const std::function<void()>& fails) {
  std::unique_ptr<GpuMemoryCap> cap(new GpuMemoryCap);
#ifdef CDNET_CUDA_ALLOCATOR_API
  std::size_t freeBytes = 0, totalBytes = 0;
  if (cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess || totalBytes == 0)
    throw std::runtime_error("cudaMemGetInfo failed");
  cap->m->fraction = true;
  for (double budget = 8.0 * (1 << 30); budget >= 32.0 * (1 << 20); budget /= 2) {
    c10::cuda::CUDACachingAllocator::emptyCache();
    c10::cuda::CUDACachingAllocator::setMemoryFraction(budget / double(totalBytes), 0);
    if (!outOfMemory(fits) && outOfMemory(fails)) {
      cap->m->how = "caching allocator memory fraction " + std::to_string(budget / double(totalBytes)) + " (" +
                    std::to_string(std::int64_t(budget) >> 20) + " MiB of " + std::to_string(totalBytes >> 20) + " MiB)";
      return cap;
    }
  }
  throw std::runtime_error("no memory fraction lets the small pass run and the large one fail");
#else
  // Every 64 MiB block the device gives (an out-of-memory ends the loop), then back one at a time.
  constexpr std::int64_t kBlock = std::int64_t(64) << 20;
  const auto opts = at::TensorOptions().device(at::kCUDA, 0).dtype(at::kByte);
  try {
    for (int i = 0; i < (1 << 14); ++i) cap->m->ballast.push_back(at::empty({kBlock}, opts));
  } catch (const c10::Error&) {
  }
  const std::size_t taken = cap->m->ballast.size();
  while (!cap->m->ballast.empty() && outOfMemory(fits)) cap->m->ballast.pop_back();
  if (cap->m->ballast.empty() || !outOfMemory(fails))
    throw std::runtime_error("no amount of ballast lets the small pass run and the large one fail (took " +
                             std::to_string(taken) + " blocks of 64 MiB)");
  cap->m->how = "ballast of " + std::to_string(cap->m->ballast.size()) + " of " + std::to_string(taken) +
                " blocks of 64 MiB (the CUDA allocator API was not found at build time)";
  return cap;
#endif
}

GpuMemoryCap::~GpuMemoryCap() {
#ifdef CDNET_CUDA_ALLOCATOR_API
  if (m->fraction) {
    c10::cuda::CUDACachingAllocator::setMemoryFraction(1.0, 0);
    c10::cuda::CUDACachingAllocator::emptyCache();
  }
#endif
  m->ballast.clear();
}

std::string GpuMemoryCap::describe() const { return m->how; }

void setStrictFloat32OnGpu(bool strict) {
  at::globalContext().setAllowTF32CuDNN(!strict);
  at::globalContext().setAllowTF32CuBLAS(!strict);
}

} // namespace mltest
