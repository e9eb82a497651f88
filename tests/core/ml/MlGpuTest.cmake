# test_ml_gpu (label gpu): CDNet on an NVIDIA GPU. Qt-free, so that both the full build
# (tests/core/ml/CMakeLists.txt) and the ML-only build of a bare GPU machine (CDNET_ML_ONLY, see
# packaging/gpu-check.sh) include this file. Exits 77 (skipped) without a CUDA device; the one
# test on tests/skip-allowlist.txt.
include(CheckCXXSourceCompiles)
# The CUDA caching allocator's memory fraction caps GPU memory for the out-of-memory case; its
# headers need CUDA's, which only a CUDA LibTorch build brings. Otherwise the test takes the
# memory with ballast (GpuMemoryCap.cpp).
set(_src [=[
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
int main() {
  std::size_t f = 0, t = 0;
  if (cudaMemGetInfo(&f, &t) != cudaSuccess) return 1;
  c10::cuda::CUDACachingAllocator::emptyCache();
  c10::cuda::CUDACachingAllocator::setMemoryFraction(0.5, 0);
  return 0;
}
]=])
set(CMAKE_REQUIRED_LIBRARIES ${TORCH_LIBRARIES})
set(CMAKE_REQUIRED_FLAGS "${TORCH_CXX_FLAGS}")
set(CMAKE_REQUIRED_QUIET ON)
check_cxx_source_compiles("${_src}" CDNET_CUDA_ALLOCATOR_API)
unset(CMAKE_REQUIRED_LIBRARIES)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_QUIET)
if(CDNET_CUDA_ALLOCATOR_API)
  message(STATUS "test_ml_gpu: memory cap through the CUDA caching allocator's memory fraction")
else()
  message(STATUS "test_ml_gpu: memory cap through ballast (no CUDA allocator headers)")
endif()

add_executable(test_ml_gpu ${CMAKE_CURRENT_LIST_DIR}/test_ml_gpu.cpp ${CMAKE_CURRENT_LIST_DIR}/GpuMemoryCap.cpp)
target_include_directories(test_ml_gpu PRIVATE ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(test_ml_gpu PRIVATE cdnet_ml ${TORCH_LIBRARIES})
target_compile_options(test_ml_gpu PRIVATE ${TORCH_CXX_FLAGS})
if(CDNET_CUDA_ALLOCATOR_API)
  target_compile_definitions(test_ml_gpu PRIVATE CDNET_CUDA_ALLOCATOR_API=1)
endif()
cdnet_target_defaults(test_ml_gpu)
add_test(NAME test_ml_gpu COMMAND test_ml_gpu)
set_tests_properties(test_ml_gpu PROPERTIES LABELS gpu SKIP_RETURN_CODE 77 TIMEOUT 300
                     ENVIRONMENT "CDNET_TEST=1;OMP_WAIT_POLICY=PASSIVE")
