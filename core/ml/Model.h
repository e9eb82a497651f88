#pragma once
/// \file Model.h
/// A CDNet network ready to run: the project's own U-Net (new, or from a checkpoint) or a
/// TorchScript model (exported by `cdnet export` or trained in Python). Plain C++ interface; the
/// Torch objects live behind a pimpl (STYLE.md).
///
/// Input convention: images normalised per slice (see normaliseSlice in TrainingData.h), any
/// height and width (padded to a multiple of 32 inside and cropped back). Output: crack
/// probability per pixel in [0, 1]. A TorchScript model must take N x C x H x W float and return
/// N x 1 x H x W probabilities (or logits, see LoadOptions). C = options().channels(): 1 for the
/// 2D network, 2k+1 for a 2.5D one (ModelOptions::contextSlices, stored in checkpoints and as the
/// TorchScript attribute cdnet_context_slices; a TorchScript model without it is 2D).
///
/// Thread affinity: a Model is a handle; copies share one network. Use one network from one
/// thread at a time (training and prediction run on a worker thread).

#include "core/ml/Device.h"
#include "core/ml/ModelOptions.h"
#include "core/ml/Precision.h"

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace core::ml {

/// Thrown when the device (a GPU) has no memory left for a forward pass; the Predictor catches it
/// and retries with smaller tiles.
class DeviceOutOfMemory : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

enum class ModelKind { Native, TorchScript };

/// How to open a model file.
struct LoadOptions {
  DeviceRequest device = DeviceRequest::Auto;
  int cpuThreads = 0;                ///< 0 = every core
  bool scriptOutputsLogits = false;  ///< a TorchScript model's output is logits, not probabilities
  int expectBaseWidth = 0;           ///< when > 0, a checkpoint of another base width is an error
};

class Model {
public:
  struct Impl;
  Model() = default;

  /// A new network with He-normal weights drawn from \p seed.
  static Model create(const ModelOptions& options, const Device& device, std::uint64_t seed);
  /// Opens \p path: a checkpoint file, a training directory (its best checkpoint, see
  /// resolveModelPath in Checkpoint.h; when best.pt cannot be loaded but last.pt can, last.pt with
  /// a warning through core::jobs::warn) or a TorchScript file. Throws std::runtime_error naming
  /// the file on a missing, truncated or corrupt file, a file of another kind, or a base width
  /// other than opts.expectBaseWidth.
  static Model load(const std::string& path, const LoadOptions& opts = {});

  bool empty() const { return !m_impl; }
  ModelKind kind() const;
  /// Architecture options (for a TorchScript model from elsewhere: baseWidth 0 = unknown).
  const ModelOptions& options() const;
  const Device& device() const;
  /// The file the model came from (empty for a new one).
  const std::string& source() const;
  std::int64_t parameterCount() const;

  /// Crack probabilities of \p n normalised images of options().channels() x \p height x \p width
  /// floats each (channel-major: the 2k+1 slices z-k .. z+k one after the other), in
  /// eval mode under inference mode; \p probabilities receives n * height * width floats.
  /// Throws DeviceOutOfMemory when a GPU runs out of memory, and std::runtime_error naming the
  /// file when a TorchScript model returns NaN or values outside [0, 1] (logits without
  /// LoadOptions::scriptOutputsLogits).
  void predict(const float* images, int n, int height, int width, float* probabilities) const;
  /// The same in \p precision (resolved: Fp32 or Bf16; see resolvePrecision in Precision.h). Bf16
  /// runs a bfloat16 copy of the weights in channels-last layout (made on first use and again
  /// after the fp32 weights change; the fp32 weights stay for training and export), the input cast
  /// to bf16 and the logits back to fp32 before the sigmoid. Fp32 is exactly the overload above.
  /// Fp32 of a native network on the CPU runs the fused oneDNN path (see fusedFp32()).
  void predict(const float* images, int n, int height, int width, float* probabilities, Precision precision) const;

  /// Whether fp32 prediction runs the fused path: a CDNet network on the CPU through oneDNN with
  /// weights reordered once, activations kept in oneDNN's layout, ReLU in place, and the upsample +
  /// 2x2 convolution and the skip concatenation rewritten exactly (same result as the eager
  /// LibTorch forward up to fp32 rounding, about 1e-6). Off for TorchScript models, GPUs, a
  /// LibTorch without oneDNN, the environment variable CDNET_FUSED_FP32=0, or setFusedFp32(false).
  bool fusedFp32() const;
  /// Switches the fused fp32 path off (eager LibTorch, as before) or back on; for comparisons.
  /// Shared by the handle's copies.
  void setFusedFp32(bool on);
  /// Forward passes (batches) the fused fp32 path has run so far, for tests and benchmarks.
  std::int64_t fusedFp32Passes() const;
  /// Whether fp32 prediction runs the fused path's Winograd variant instead: the same network on
  /// raw oneDNN primitives made once per input size, the 3x3 convolutions after the first through
  /// oneDNN's Winograd F(4x4, 3x3) where it has it (AVX-512), else our own F(2x2, 3x3) on AVX2 +
  /// FMA (detail/WinogradAvx2.h; direct without either). Rounds differently from direct
  /// convolution (about 1e-6 of the logits' scale). On by default where it can run: fusedFp32(),
  /// a build with oneDNN's headers (CDNET_HAVE_DNNL), a CPU with oneDNN's Winograd or AVX2 + FMA,
  /// and a base width that is a multiple of 16 (elsewhere its blocked layout falls to slow
  /// kernels); CDNET_WINOGRAD=0 turns it off.
  bool winogradFp32() const;
  /// Switches the Winograd variant on or off (shared by the handle's copies); for comparisons.
  void setWinogradFp32(bool on);
  /// Forward passes (batches) the Winograd variant has run so far, for tests and benchmarks.
  std::int64_t winogradFp32Passes() const;
  /// Convolutions of the Winograd variant's last pass that ran Winograd (0: all fell back to direct).
  int winogradLayers() const;
  /// The Winograd variant's last pass: bytes of its activation arena, and of its activations laid
  /// end to end (activations that never live at the same time share memory).
  std::pair<std::size_t, std::size_t> winogradActivationBytes() const;

  /// A copy of the weights by parameter name ("enc1.conv1.weight", ...), for checks and tests.
  std::map<std::string, std::vector<float>> weights() const;

  /// Writes the network as a checkpoint file (weights only, no optimiser state: it can be
  /// fine-tuned from, not resumed). Atomic. Native models only.
  void saveCheckpoint(const std::string& path) const;

  /// Writes a TorchScript file that Python's torch.jit.load runs: forward(x: N x C x H x W
  /// float, normalised; C = options().channels()) -> N x 1 x H x W probabilities; pads inside
  /// like this model; attributes cdnet_base_width and cdnet_context_slices describe it. Native
  /// models only. Atomic (temporary file + rename).
  void exportTorchScript(const std::string& path) const;

  /// Internal (core/ml only): the Torch objects.
  Impl& impl() const;
  explicit Model(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

private:
  static Model loadFile(const std::string& path, const LoadOptions& opts);
  std::shared_ptr<Impl> m_impl;
};

} // namespace core::ml
