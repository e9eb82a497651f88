// Device choice. Light Torch headers only (no <torch/torch.h>): this file compiles fast.
#include "core/ml/Device.h"

#include "core/jobs/Warning.h"

#include <ATen/Parallel.h>
#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <torch/cuda.h>

#include <atomic>
#include <mutex>
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

// A tiny trial convolution of \p type on GPU \p index: empty when it runs, else the first line of
// LibTorch's error. Needs no CUDA headers.
std::string trialConvolution(int index, at::ScalarType type) {
  try {
    const auto opts = at::TensorOptions().device(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index))).dtype(type);
    at::Tensor x = at::ones({1, 8, 8, 8}, opts), w = at::ones({8, 8, 3, 3}, opts);
    at::Tensor y = at::conv2d(x, w, {}, 1, 1);
    if (!y.isfinite().all().item<bool>()) return "the result is not finite";
    return {};
  } catch (const std::exception& e) {
    const std::string what = e.what();
    return what.substr(0, what.find('\n'));
  } catch (...) {
    return "unknown error";
  }
}

// What GPU 0 can do, tried once per process: a GPU that LibTorch lists can still fail to start
// (a driver older than the CUDA runtime, a GPU this build has no kernels for, no memory left).
// bf16 autocast needs a GPU that runs bf16 convolutions (compute capability 8.0 and later).
struct CudaTrial {
  std::string startError; ///< empty when float32 work runs on GPU 0
  bool bf16 = false;
};
const CudaTrial& cudaTrial() {
  static const CudaTrial trial = [] {
    CudaTrial t;
    t.startError = trialConvolution(0, at::kFloat);
    t.bf16 = t.startError.empty() && trialConvolution(0, at::kBFloat16).empty();
    return t;
  }();
  return trial;
}
} // namespace

std::string cudaStartError() { return cudaAvailable() ? cudaTrial().startError : std::string(); }

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
  bool haveCuda = request != DeviceRequest::Cpu && cudaAvailable();
  if (request == DeviceRequest::Cuda && !haveCuda)
    throw std::runtime_error("--device cuda was requested but no CUDA GPU is available "
                             "(this LibTorch build or this machine has none); use --device cpu or auto");
  if (haveCuda && !cudaTrial().startError.empty()) {
    const std::string why = "CUDA failed to start on GPU 0: " + cudaTrial().startError;
    if (request == DeviceRequest::Cuda) throw std::runtime_error("--device cuda was requested but " + why);
    // Auto: the CPU, and a message (the studio shows warnings in its status bar), once per process.
    static std::once_flag warned;
    std::call_once(warned, [&] { jobs::warn(why + "; training and prediction run on the CPU"); });
    haveCuda = false;
  }
  if (haveCuda) {
    d.cuda = true;
    d.index = 0;
    d.mixedPrecision = cudaTrial().bf16;
  }
  if (threads > 0 || !g_threadsSet) setCpuThreads(threads);
  return d;
}

} // namespace core::ml
