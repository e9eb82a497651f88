// Model handles: creating, loading (checkpoint or TorchScript), inference, TorchScript export.
#include "core/files/AtomicFile.h"
#include "core/ml/detail/CheckpointIO.h"
#include "core/ml/detail/ModelImpl.h"

#include "core/jobs/Warning.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace core::ml {

namespace detail {

// LibTorch 2.4 deprecated the CUDA-only autocast calls (a compile warning and a run-time warning
// on every call) in favour of ones that take the device type; 1.13 (Debian) has only the old ones.
namespace {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool cudaAutocastEnabled() { return at::autocast::is_autocast_enabled(at::kCUDA); }
void setCudaAutocast(bool on) {
  at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCUDA, on);
}
bool cpuAutocastEnabled() { return at::autocast::is_autocast_enabled(at::kCPU); }
void setCpuAutocast(bool on) {
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCPU, on);
}
#else
bool cudaAutocastEnabled() { return at::autocast::is_enabled(); }
void setCudaAutocast(bool on) {
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(on);
}
bool cpuAutocastEnabled() { return at::autocast::is_cpu_enabled(); }
void setCpuAutocast(bool on) {
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(on);
}
#endif
} // namespace

AutocastGuard::AutocastGuard(const Device& d, bool cpuBf16) {
  if (!d.cuda && cpuBf16) {
    m_cpu = true;
    m_previous = cpuAutocastEnabled();
    setCpuAutocast(true);
    m_enabled = true;
    return;
  }
  if (!d.cuda || !d.mixedPrecision) return;
  m_previous = cudaAutocastEnabled();
  setCudaAutocast(true);
  m_enabled = true;
}

AutocastGuard::~AutocastGuard() {
  if (!m_enabled) return;
  if (m_cpu) setCpuAutocast(m_previous);
  else setCudaAutocast(m_previous);
  at::autocast::clear_cache();
}

void rethrowTorchError(const std::string& context) {
  try {
    throw;
  } catch (const c10::OutOfMemoryError& e) {
    throw DeviceOutOfMemory(context + ": the GPU ran out of memory");
  } catch (const c10::Error& e) {
    std::string what = e.what_without_backtrace();
    // cuDNN and cuBLAS report memory they could not get as their own errors.
    if (what.find("out of memory") != std::string::npos || what.find("ALLOC_FAILED") != std::string::npos)
      throw DeviceOutOfMemory(context + ": the GPU ran out of memory");
    throw std::runtime_error(context + ": " + what.substr(0, what.find('\n')));
  }
}

} // namespace detail

torch::Tensor Model::Impl::logits(const torch::Tensor& x) { return net->forward(x); }

bool Model::Impl::channelsLast() const { return device.cuda && device.channelsLast; }

void Model::Impl::applyMemoryFormat() {
  if (!channelsLast() || !net) return;
  torch::NoGradGuard noGrad;
  for (auto& p : net->parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
}

namespace {
// What identifies the fp32 weights' current values: each parameter's storage and version counter
// (an optimiser step bumps the counter; loading weights may swap the storage).
std::vector<std::int64_t> weightStamp(const std::vector<torch::Tensor>& params) {
  std::vector<std::int64_t> stamp;
  stamp.reserve(2 * params.size());
  for (const auto& p : params) {
    stamp.push_back(reinterpret_cast<std::intptr_t>(p.data_ptr()));
    stamp.push_back(std::int64_t(p._version()));
  }
  return stamp;
}
} // namespace

void Model::Impl::prepareBf16() {
  torch::NoGradGuard noGrad;
  if (kind == ModelKind::Native) {
    const auto params = net->parameters();
    std::vector<std::int64_t> stamp = weightStamp(params);
    if (bf16Net && stamp == bf16Versions) return;
    // A second network in bf16 and channels-last (measured here: bf16 alone about 1.4x, with
    // channels-last about 2-3x fp32; oneDNN's bf16 convolutions want NHWC). The first block (enc1)
    // stays fp32: with it in bf16 the starter model's probabilities on a phantom moved by up to
    // 0.04, with it in fp32 by up to 0.01 (its input is the image itself, and its output feeds dec1).
    detail::UNet copy(options);
    copy->eval();
    const auto named = net->named_parameters();
    auto dst = copy->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      const bool first = named[i].key().rfind("enc1.", 0) == 0;
      torch::Tensor v = params[i].detach().to(torchDevice(), first ? torch::kFloat : torch::kBFloat16);
      dst[i].set_data(v.dim() == 4 ? v.contiguous(at::MemoryFormat::ChannelsLast) : v.contiguous());
      dst[i].set_requires_grad(false);
    }
    bf16Net = copy;
    bf16Versions = std::move(stamp);
  } else {
    std::vector<torch::Tensor> params;
    for (const auto& p : script.parameters()) params.push_back(p);
    std::vector<std::int64_t> stamp = weightStamp(params);
    if (hasBf16Script && stamp == bf16Versions) return;
    bf16Script = script.clone();
    bf16Script.to(torch::kBFloat16);
    bf16Script.eval();
    hasBf16Script = true;
    bf16Versions = std::move(stamp);
  }
}

bool Model::Impl::usesFusedFp32() const {
  return fusedFp32 && kind == ModelKind::Native && !device.cuda && detail::FusedUNet::available();
}

void Model::Impl::prepareFused() {
  std::vector<std::int64_t> stamp = weightStamp(net->parameters());
  if (fused && stamp == fusedVersions) return;
  fused.reset(); // the old copy's memory first
  fused = std::make_shared<const detail::FusedUNet>(net);
  fusedVersions = std::move(stamp);
}

// Only where this CPU has Winograd convolutions (oneDNN's with AVX-512, our own with AVX2 + FMA),
// and for base widths that fill 16-channel blocks: elsewhere convolutions on the 16-channel blocked
// layout fall to slow reference kernels (base 8: a 512 x 512 slice took 14-23 s against 0.2 s fused).
bool Model::Impl::usesWinogradFp32() const {
  static const bool cpuHasIt = detail::WinoUNet::cpuHasWinograd();
  return winogradFp32 && usesFusedFp32() && cpuHasIt && options.baseWidth % 16 == 0;
}

void Model::Impl::prepareWinograd() {
  std::vector<std::int64_t> stamp = weightStamp(net->parameters());
  if (wino && stamp == winoVersions) return;
  wino.reset();
  wino = std::make_shared<const detail::WinoUNet>(net);
  winoVersions = std::move(stamp);
}

bool Model::winogradFp32() const { return impl().usesWinogradFp32(); }
void Model::setWinogradFp32(bool on) { impl().winogradFp32 = on; }
std::int64_t Model::winogradFp32Passes() const { return impl().winogradPasses; }
int Model::winogradLayers() const { return impl().wino ? impl().wino->winogradLayers() : 0; }
std::pair<std::size_t, std::size_t> Model::winogradActivationBytes() const {
  return impl().wino ? impl().wino->activationBytes() : std::pair<std::size_t, std::size_t>{0, 0};
}

bool Model::fusedFp32() const { return impl().usesFusedFp32(); }
void Model::setFusedFp32(bool on) { impl().fusedFp32 = on; }
std::int64_t Model::fusedFp32Passes() const { return impl().fusedPasses; }

namespace {
// CDNET_FUSED_FP32=0 keeps fp32 prediction on eager LibTorch (a way back should oneDNN misbehave).
bool fusedFp32ByDefault() {
  const char* env = std::getenv("CDNET_FUSED_FP32");
  return !(env && std::string(env) == "0");
}
// fp32 prediction runs the Winograd variant where it can (Impl::usesWinogradFp32: measured 2.19x
// Python's eager fp32 at base 64, 1.52x at base 16 with AVX-512, docs/bench), else the fused ATen path.
// CDNET_WINOGRAD=0 turns it off.
bool winogradFp32ByDefault() {
  const char* env = std::getenv("CDNET_WINOGRAD");
  return !(env && std::string(env) == "0");
}
} // namespace

Model::Impl& Model::impl() const {
  if (!m_impl) throw std::logic_error("empty Model");
  return *m_impl;
}

ModelKind Model::kind() const { return impl().kind; }
const ModelOptions& Model::options() const { return impl().options; }
const Device& Model::device() const { return impl().device; }
const std::string& Model::source() const { return impl().source; }
const ThresholdCalibration& calibrationOf(const Model& model) { return model.impl().calibration; }

std::int64_t Model::parameterCount() const {
  std::int64_t n = 0;
  if (impl().kind == ModelKind::Native) {
    for (const auto& p : impl().net->parameters()) n += p.numel();
  } else {
    for (const auto& p : impl().script.parameters()) n += p.numel();
  }
  return n;
}

Model Model::create(const ModelOptions& options, const Device& device, std::uint64_t seed) {
  options.validate();
  auto impl = std::make_shared<Impl>();
  impl->fusedFp32 = fusedFp32ByDefault();
  impl->winogradFp32 = winogradFp32ByDefault();
  impl->kind = ModelKind::Native;
  impl->options = options;
  impl->device = device;
  torch::manual_seed(seed);
  impl->net = detail::UNet(options);
  impl->net->to(impl->torchDevice());
  impl->applyMemoryFormat();
  return Model(std::move(impl));
}

Model Model::load(const std::string& pathOrDir, const LoadOptions& opts) {
  const std::string path = resolveModelPath(pathOrDir);
  std::error_code ec;
  const fs::path last = fs::path(pathOrDir) / lastCheckpointName();
  if (fs::is_directory(pathOrDir, ec) && fs::path(path) != last && fs::is_regular_file(last, ec)) {
    // A training folder: its best checkpoint, or its last one when the best is damaged.
    try {
      return loadFile(path, opts);
    } catch (const DeviceOutOfMemory&) {
      throw;
    } catch (const std::runtime_error& e) {
      Model model;
      try {
        model = loadFile(last.string(), opts);
      } catch (const std::exception&) {
        throw e; // both damaged: the best checkpoint's error
      }
      jobs::warn(std::string(e.what()) + "; using '" + last.string() + "' instead");
      return model;
    }
  }
  return loadFile(path, opts);
}

Model Model::loadFile(const std::string& path, const LoadOptions& opts) {
  const Device device = resolveDevice(opts.device, opts.cpuThreads);
  std::error_code ec;
  if (fs::file_size(path, ec) == 0) throw std::runtime_error("model file '" + path + "' is empty");
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    throw std::runtime_error("model file '" + path + "' is damaged, truncated or not a model (" +
                             what.substr(0, what.find('\n')) + ")");
  } catch (const std::exception& e) {
    throw std::runtime_error("model file '" + path + "' is damaged, truncated or not a model (" + e.what() + ")");
  }
  auto impl = std::make_shared<Impl>();
  impl->fusedFp32 = fusedFp32ByDefault();
  impl->winogradFp32 = winogradFp32ByDefault();
  impl->device = device;
  impl->source = path;
  if (detail::isCheckpointArchive(module)) {
    module = torch::jit::Module(); // free it before reading the weights again
    const CheckpointInfo info = readCheckpointInfo(path);
    if (opts.expectBaseWidth > 0 && info.model.baseWidth != opts.expectBaseWidth)
      throw std::runtime_error("checkpoint '" + path + "' holds a model of base width " +
                               std::to_string(info.model.baseWidth) + ", not the base width " +
                               std::to_string(opts.expectBaseWidth) + " asked for");
    auto loaded = detail::loadCheckpoint(path, impl->torchDevice());
    impl->kind = ModelKind::Native;
    impl->options = loaded.info.model;
    impl->calibration = loaded.info.calibration;
    impl->net = loaded.net;
    impl->applyMemoryFormat();
    return Model(std::move(impl));
  }
  if (!module.find_method("forward"))
    throw std::runtime_error("'" + path + "' is neither a CDNet checkpoint nor a TorchScript model (no forward method)");
  impl->kind = ModelKind::TorchScript;
  impl->options.baseWidth = module.hasattr("cdnet_base_width") ? int(module.attr("cdnet_base_width").toInt()) : 0;
  if (opts.expectBaseWidth > 0 && impl->options.baseWidth != 0 && impl->options.baseWidth != opts.expectBaseWidth)
    throw std::runtime_error("TorchScript model '" + path + "' has base width " +
                             std::to_string(impl->options.baseWidth) + ", not the base width " +
                             std::to_string(opts.expectBaseWidth) + " asked for");
  if (module.hasattr("cdnet_context_slices")) impl->options.contextSlices = int(module.attr("cdnet_context_slices").toInt());
  impl->scriptOutputsLogits = opts.scriptOutputsLogits;
  if (module.hasattr("cdnet_output")) impl->scriptOutputsLogits = module.attr("cdnet_output").toStringRef() == "logits";
  if (module.hasattr("cdnet_decision_threshold")) { // exported by cdnet from a calibrated checkpoint
    const double t = module.attr("cdnet_decision_threshold").toDouble();
    if (!(t > 0 && t < 1))
      throw std::runtime_error("TorchScript model '" + path + "' has a decision threshold outside (0, 1)");
    impl->calibration.threshold = t;
    impl->calibration.source =
        module.hasattr("cdnet_threshold_source") ? module.attr("cdnet_threshold_source").toStringRef() : "export";
  }
  module.eval();
  module.to(impl->torchDevice());
  impl->script = module;
  return Model(std::move(impl));
}

namespace {
// A TorchScript model from elsewhere may return logits, or NaN from a broken export: its output
// is checked on every batch (a min/max over the output, negligible next to the network).
void checkProbabilities(const torch::Tensor& p, const Model::Impl& m) {
  if (torch::isnan(p).any().item<bool>())
    throw std::runtime_error("TorchScript model '" + m.source +
                             "' returned NaN (not a number) for a normalised image: the model is broken");
  const double lo = p.min().item<double>(), hi = p.max().item<double>();
  constexpr double kSlack = 1e-3; // rounding in reduced precision
  if (lo < -kSlack || hi > 1 + kSlack) {
    std::ostringstream os;
    os << "TorchScript model '" << m.source << "' returned values from " << lo << " to " << hi
       << ", not probabilities in [0, 1]"
       << (m.scriptOutputsLogits ? ""
                                 : ": if it returns logits, pass --script-logits or give the model the attribute "
                                   "cdnet_output = \"logits\"");
    throw std::runtime_error(os.str());
  }
}
} // namespace

void Model::predict(const float* images, int n, int height, int width, float* probabilities) const {
  predict(images, n, height, width, probabilities, Precision::Fp32);
}

void Model::predict(const float* images, int n, int height, int width, float* probabilities,
                    Precision precision) const {
  Impl& m = impl();
  if (n <= 0 || height <= 0 || width <= 0) throw std::invalid_argument("Model::predict: empty input");
  if (precision == Precision::Auto) throw std::logic_error("Model::predict: resolve the precision first");
  const bool bf16 = precision == Precision::Bf16;
  const bool wino = !bf16 && m.usesWinogradFp32();
  const bool fused = !bf16 && !wino && m.usesFusedFp32();
  torch::Tensor p;
  try {
    if (bf16) m.prepareBf16(); // outside inference mode: the copy is ordinary tensors
    if (fused) m.prepareFused();
    if (wino) m.prepareWinograd();
    torch::InferenceMode inference;
    torch::Tensor x = torch::from_blob(const_cast<float*>(images), {n, m.options.channels(), height, width}, torch::kFloat)
                          .to(m.torchDevice());
    if (m.channelsLast()) x = x.contiguous(at::MemoryFormat::ChannelsLast);
    if (bf16 && m.kind == ModelKind::Native) {
      // Padded here in fp32 (reflection padding has no bf16 kernel on the CPU in 1.13).
      x = detail::padToMultiple(x).contiguous(at::MemoryFormat::ChannelsLast); // fp32 into the fp32 first block
      p = m.bf16Net->forward(x).slice(2, 0, height).slice(3, 0, width);
      p = torch::sigmoid(p.to(torch::kFloat));
    } else if (bf16) {
      p = m.bf16Script.forward({detail::padToMultiple(x).to(torch::kBFloat16)}).toTensor().to(torch::kFloat);
      if (p.dim() != 4 || p.size(0) != n || p.size(1) != 1 || p.size(2) < height || p.size(3) < width)
        throw std::runtime_error("TorchScript model '" + m.source + "' returned a tensor of shape " +
                                 c10::str(p.sizes()) + "; expected N x 1 x H x W");
      p = p.slice(2, 0, height).slice(3, 0, width);
      if (m.scriptOutputsLogits) p = torch::sigmoid(p);
      checkProbabilities(p, m);
    } else if (wino) {
      p = torch::sigmoid(m.wino->forward(detail::padToMultiple(x)).slice(2, 0, height).slice(3, 0, width));
      ++m.winogradPasses;
    } else if (fused) {
      p = m.fused->forward(detail::padToMultiple(x)).slice(2, 0, height).slice(3, 0, width);
      p = torch::sigmoid(p);
      ++m.fusedPasses;
    } else if (m.kind == ModelKind::Native) {
      const bool wasTraining = m.net->is_training();
      m.net->eval();
      {
        detail::AutocastGuard autocast(m.device);
        p = m.net->forward(x);
      }
      m.net->train(wasTraining);
      p = torch::sigmoid(p.to(torch::kFloat));
    } else {
      detail::AutocastGuard autocast(m.device);
      p = m.script.forward({detail::padToMultiple(x)}).toTensor().to(torch::kFloat);
      if (p.dim() != 4 || p.size(0) != n || p.size(1) != 1 || p.size(2) < height || p.size(3) < width)
        throw std::runtime_error("TorchScript model '" + m.source + "' returned a tensor of shape " +
                                 c10::str(p.sizes()) + "; expected N x 1 x H x W");
      p = p.slice(2, 0, height).slice(3, 0, width);
      if (m.scriptOutputsLogits) p = torch::sigmoid(p);
      checkProbabilities(p, m);
    }
    p = p.to(torch::kCPU).contiguous();
  } catch (const std::runtime_error&) {
    throw;
  } catch (const c10::Error&) {
    detail::rethrowTorchError("prediction");
  }
  std::memcpy(probabilities, p.data_ptr<float>(), sizeof(float) * std::size_t(n) * height * width);
}

std::map<std::string, std::vector<float>> Model::weights() const {
  std::map<std::string, std::vector<float>> out;
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    out[name].assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  if (impl().kind == ModelKind::Native) {
    for (const auto& p : impl().net->named_parameters()) add(p.key(), p.value());
  } else {
    for (const auto& p : impl().script.named_parameters()) add(p.name, p.value);
  }
  return out;
}

void Model::saveCheckpoint(const std::string& path) const {
  Impl& m = impl();
  if (m.kind != ModelKind::Native)
    throw std::runtime_error("a TorchScript model cannot be saved as a CDNet checkpoint");
  CheckpointInfo info;
  info.role = "saved";
  info.model = m.options;
  info.bestLoss = std::numeric_limits<double>::quiet_NaN();
  info.calibration = m.calibration;
  detail::writeCheckpoint(path, m.net, nullptr, info);
}

namespace {

const char* const kScriptSource = R"(
def double_conv(self, x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) -> Tensor:
    x = torch.relu(torch.conv2d(x, w1, b1, [1, 1], [1, 1]))
    return torch.relu(torch.conv2d(x, w2, b2, [1, 1], [1, 1]))

def up_conv(self, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    x = torch.upsample_nearest2d(x, [x.size(2) * 2, x.size(3) * 2])
    x = torch.constant_pad_nd(x, [0, 1, 0, 1], 0.0)
    return torch.relu(torch.conv2d(x, w, b, [1, 1], [0, 0]))

def forward(self, x: Tensor) -> Tensor:
    h = x.size(2)
    w = x.size(3)
    ph = (32 - h % 32) % 32
    pw = (32 - w % 32) % 32
    if ph > 0 or pw > 0:
        if ph < h and pw < w:
            x = torch.reflection_pad2d(x, [0, pw, 0, ph])
        else:
            x = torch.replication_pad2d(x, [0, pw, 0, ph])
    e1 = self.double_conv(x, self.enc1.conv1.weight, self.enc1.conv1.bias, self.enc1.conv2.weight, self.enc1.conv2.bias)
    p = torch.max_pool2d(e1, [2, 2], [2, 2])
    e2 = self.double_conv(p, self.enc2.conv1.weight, self.enc2.conv1.bias, self.enc2.conv2.weight, self.enc2.conv2.bias)
    p = torch.max_pool2d(e2, [2, 2], [2, 2])
    e3 = self.double_conv(p, self.enc3.conv1.weight, self.enc3.conv1.bias, self.enc3.conv2.weight, self.enc3.conv2.bias)
    p = torch.max_pool2d(e3, [2, 2], [2, 2])
    e4 = self.double_conv(p, self.enc4.conv1.weight, self.enc4.conv1.bias, self.enc4.conv2.weight, self.enc4.conv2.bias)
    p = torch.max_pool2d(e4, [2, 2], [2, 2])
    bt = self.double_conv(p, self.bottom.conv1.weight, self.bottom.conv1.bias, self.bottom.conv2.weight, self.bottom.conv2.bias)
    u = self.up_conv(bt, self.up4.weight, self.up4.bias)
    d = self.double_conv(torch.cat([e4, u], 1), self.dec4.conv1.weight, self.dec4.conv1.bias, self.dec4.conv2.weight, self.dec4.conv2.bias)
    u = self.up_conv(d, self.up3.weight, self.up3.bias)
    d = self.double_conv(torch.cat([e3, u], 1), self.dec3.conv1.weight, self.dec3.conv1.bias, self.dec3.conv2.weight, self.dec3.conv2.bias)
    u = self.up_conv(d, self.up2.weight, self.up2.bias)
    d = self.double_conv(torch.cat([e2, u], 1), self.dec2.conv1.weight, self.dec2.conv1.bias, self.dec2.conv2.weight, self.dec2.conv2.bias)
    u = self.up_conv(d, self.up1.weight, self.up1.bias)
    d = self.double_conv(torch.cat([e1, u], 1), self.dec1.conv1.weight, self.dec1.conv1.bias, self.dec1.conv2.weight, self.dec1.conv2.bias)
    y = torch.relu(torch.conv2d(d, self.head.weight, self.head.bias, [1, 1], [1, 1]))
    y = torch.conv2d(y, self.out.weight, self.out.bias, [1, 1], [0, 0])
    return torch.sigmoid(y[:, :, :h, :w])
)";

// Mirrors a C++ module tree as TorchScript modules holding copies of its parameters.
void copyTree(torch::nn::Module& src, torch::jit::Module& dst, const std::shared_ptr<torch::jit::CompilationUnit>& cu,
              const std::string& prefix) {
  for (const auto& p : src.named_parameters(/*recurse=*/false))
    dst.register_parameter(p.key(), p.value().detach().to(torch::kCPU, torch::kFloat).clone(), false);
  for (const auto& child : src.named_children()) {
    const std::string cls = prefix + "_" + child.key();
    torch::jit::Module sub(c10::QualifiedName("__torch__.cdnet." + cls), cu, true);
    copyTree(*child.value(), sub, cu, cls);
    dst.register_module(child.key(), sub);
  }
}

} // namespace

void Model::exportTorchScript(const std::string& path) const {
  Impl& m = impl();
  if (m.kind != ModelKind::Native)
    throw std::runtime_error("only CDNet models can be exported; '" + m.source + "' is already TorchScript");
  torch::jit::Module top(c10::QualifiedName("__torch__.cdnet.CDNet"));
  const auto cu = top._ivalue()->compilation_unit();
  copyTree(*m.net, top, cu, "CDNet");
  top.register_attribute("cdnet_output", c10::StringType::get(), std::string("probability"));
  top.register_attribute("cdnet_base_width", c10::IntType::get(), std::int64_t(m.options.baseWidth));
  top.register_attribute("cdnet_context_slices", c10::IntType::get(), std::int64_t(m.options.contextSlices));
  top.register_attribute("cdnet_normalisation", c10::StringType::get(), std::string("zscore-per-slice"));
  if (m.calibration.calibrated()) {
    top.register_attribute("cdnet_decision_threshold", c10::FloatType::get(), m.calibration.threshold);
    top.register_attribute("cdnet_threshold_source", c10::StringType::get(), m.calibration.source);
  }
  try {
    top.define(kScriptSource);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot build the TorchScript model: ") + e.what());
  }
  top.eval();
  std::ostringstream bytes;
  try {
    top.save(bytes);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write TorchScript model '" + path + "': " + e.what());
  }
  core::files::writeFileAtomically(path, bytes.str());
}

} // namespace core::ml
