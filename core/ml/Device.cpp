// Device choice. Light Torch headers only (no <torch/torch.h>): this file compiles fast.
#include "core/ml/Device.h"

#include <ATen/Parallel.h>
#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <torch/cuda.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace core::ml {

DeviceRequest parseDeviceRequest(const std::string& text) {
  if (text == "auto") return DeviceRequest::Auto;
  if (text == "cpu") return DeviceRequest::Cpu;
  if (text == "cuda" || text == "gpu") return DeviceRequest::Cuda;
  throw std::invalid_argument("unknown device '" + text + "' (use auto, cpu or cuda)");
}

const char* toString(DeviceRequest request) {
  switch (request) {
  case DeviceRequest::Cpu: return "cpu";
  case DeviceRequest::Cuda: return "cuda";
  case DeviceRequest::Auto: break;
  }
  return "auto";
}

std::string Device::describe() const {
  if (cuda)
    return "cuda:" + std::to_string(index) + (mixedPrecision ? " (bf16 mixed precision" : " (float32") +
           (channelsLast ? ", channels last)" : ")");
  return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
}

bool cudaAvailable() {
  try {
    return torch::cuda::is_available();
  } catch (...) {
    return false;
  }
}

void setCudnnAutotune(bool on) { at::globalContext().setBenchmarkCuDNN(on); }

namespace {
std::atomic<bool> g_threadsSet{false};

// bf16 autocast needs a GPU that runs bf16 convolutions (compute capability 8.0 and later);
// a tiny trial convolution tells without the CUDA headers.
bool cudaSupportsBf16(int index) {
  try {
    const auto opts = at::TensorOptions().device(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)))
                          .dtype(at::kBFloat16);
    at::Tensor x = at::ones({1, 8, 8, 8}, opts), w = at::ones({8, 8, 3, 3}, opts);
    at::Tensor y = at::conv2d(x, w, {}, 1, 1);
    return y.isfinite().all().item<bool>();
  } catch (...) {
    return false;
  }
}
} // namespace

void setCpuThreads(int threads) {
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  // Denormal floats (tiny activations and gradients late in training) are many times slower on
  // x86; flush them to zero. Threads started later (LibTorch's pool) inherit the setting.
  at::globalContext().setFlushDenormal(true);
  at::set_num_threads(threads);
  g_threadsSet = true;
}

int cpuThreads() { return at::get_num_threads(); }

Device resolveDevice(DeviceRequest request, int threads) {
  Device d;
  const bool haveCuda = request != DeviceRequest::Cpu && cudaAvailable();
  if (request == DeviceRequest::Cuda && !haveCuda)
    throw std::runtime_error("--device cuda was requested but no CUDA GPU is available "
                             "(this LibTorch build or this machine has none); use --device cpu or auto");
  if (haveCuda) {
    d.cuda = true;
    d.index = 0;
    d.mixedPrecision = cudaSupportsBf16(0);
  }
  if (threads > 0 || !g_threadsSet) setCpuThreads(threads);
  return d;
}

} // namespace core::ml
