#pragma once
/// \file ModelImpl.h
/// INTERNAL to core/ml (includes Torch): what a Model handle holds.

#include "core/ml/Calibration.h"
#include "core/ml/Model.h"
#include "core/ml/detail/FusedUNet.h"
#include "core/ml/detail/UNet.h"
#include "core/ml/detail/WinoUNet.h"

#include <torch/script.h>

namespace core::ml {

struct Model::Impl {
  ModelKind kind = ModelKind::Native;
  ModelOptions options;
  Device device;
  std::string source;
  detail::UNet net{nullptr};        ///< Native
  torch::jit::Module script;        ///< TorchScript
  bool scriptOutputsLogits = false;
  ThresholdCalibration calibration; ///< from the checkpoint or the TorchScript attributes
  /// bf16 inference copies (Model::predict with Precision::Bf16), made on first use; bf16Versions
  /// holds the fp32 parameters' version counters when the copy was made (a training step bumps them).
  detail::UNet bf16Net{nullptr};
  torch::jit::Module bf16Script;
  bool hasBf16Script = false;
  std::vector<std::int64_t> bf16Versions;
  /// fp32 CPU inference through oneDNN (detail/FusedUNet.h), made on first use and again after
  /// the weights change (fusedVersions as bf16Versions); fusedPasses counts its forward passes.
  bool fusedFp32 = true;
  std::shared_ptr<const detail::FusedUNet> fused;
  std::vector<std::int64_t> fusedVersions;
  std::int64_t fusedPasses = 0;
  /// The fused path's Winograd variant on raw oneDNN (detail/WinoUNet.h), the default where the
  /// CPU has Winograd (CDNET_WINOGRAD=0 or Model::setWinogradFp32 to switch); made and refreshed
  /// as fused; winogradPasses counts its passes.
  bool winogradFp32 = false;
  std::shared_ptr<const detail::WinoUNet> wino;
  std::vector<std::int64_t> winoVersions;
  std::int64_t winogradPasses = 0;

  torch::Device torchDevice() const {
    return device.cuda ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(device.index)) : torch::kCPU;
  }
  /// Logits of a normalised batch already on the device (native models, current mode, autocast as set).
  torch::Tensor logits(const torch::Tensor& x);
  /// Prediction runs in channels-last layout (Device::channelsLast on a GPU).
  bool channelsLast() const;
  /// Puts a native network's 4-D weights into the layout channelsLast() asks for.
  void applyMemoryFormat();
  /// Makes or refreshes the bf16 copy of the network (see bf16Net).
  void prepareBf16();
  /// fp32 prediction runs the fused path: a native network on the CPU, oneDNN present, not switched off.
  bool usesFusedFp32() const;
  /// Makes or refreshes the fused copy (see fused).
  void prepareFused();
  /// fp32 prediction runs the Winograd variant: usesFusedFp32(), asked for, and built with oneDNN.
  bool usesWinogradFp32() const;
  /// Makes or refreshes the Winograd copy (see wino).
  void prepareWinograd();
};

namespace detail {
/// Turns bf16 autocast on for its lifetime when the device asks for mixed precision (CUDA), or on
/// the CPU when \p cpuBf16 (bf16 training steps with fp32 master weights).
class AutocastGuard {
public:
  explicit AutocastGuard(const Device& d, bool cpuBf16 = false);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
  bool m_enabled = false, m_previous = false, m_cpu = false;
};

/// Rethrows the current Torch exception as DeviceOutOfMemory when it is one, else as
/// std::runtime_error with \p context prepended. Call inside a catch block.
[[noreturn]] void rethrowTorchError(const std::string& context);
} // namespace detail

} // namespace core::ml
