// The training losses and the learning-rate schedule (TrainerLoss.h).
#include "core/ml/detail/TrainerLoss.h"

#include "core/labels/LabelConvention.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace core::ml {

namespace {

// Smoothing of the Dice-like ratios (as in the clDice paper's code): an empty crop (no crack in
// the truth, none predicted) scores 1, not 0 / 0.
constexpr double kSmooth = 1.0;

// Runs \p lossOf on the plain arrays as a 1 x 1 x height x width batch; fills \p gradient.
template <class F>
double onArrays(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels, int width, int height,
                std::vector<float>* gradient, F lossOf) {
  if (logits.size() != labels.size()) throw std::invalid_argument("logits and labels differ in length");
  if (std::int64_t(width) * height != std::int64_t(logits.size()))
    throw std::invalid_argument("width x height differs from the number of logits");
  const auto n = std::int64_t(logits.size());
  std::vector<float> target(logits.size()), mask(logits.size());
  detail::toTargetAndMask(labels.data(), labels.size(), target.data(), mask.data());
  const std::vector<int64_t> shape{1, 1, height, width};
  torch::Tensor x = torch::tensor(logits).reshape(shape).set_requires_grad(true);
  torch::Tensor loss = lossOf(x, torch::from_blob(target.data(), shape), torch::from_blob(mask.data(), shape));
  if (gradient) {
    loss.backward();
    const torch::Tensor g = x.grad().contiguous();
    gradient->assign(g.data_ptr<float>(), g.data_ptr<float>() + n);
  }
  return loss.item<double>();
}

torch::Tensor softErode(const torch::Tensor& x) {
  using torch::nn::functional::max_pool2d;
  using torch::nn::functional::MaxPool2dFuncOptions;
  const torch::Tensor a = -max_pool2d(-x, MaxPool2dFuncOptions({3, 1}).stride(1).padding({1, 0}));
  const torch::Tensor b = -max_pool2d(-x, MaxPool2dFuncOptions({1, 3}).stride(1).padding({0, 1}));
  return torch::min(a, b);
}

torch::Tensor softDilate(const torch::Tensor& x) {
  using torch::nn::functional::max_pool2d;
  using torch::nn::functional::MaxPool2dFuncOptions;
  return max_pool2d(x, MaxPool2dFuncOptions(3).stride(1).padding(1));
}

torch::Tensor softOpen(const torch::Tensor& x) { return softDilate(softErode(x)); }

torch::Tensor softDiceTerm(const torch::Tensor& p, const torch::Tensor& t) {
  return 1.0 - (2.0 * (p * t).sum() + kSmooth) / (p.sum() + t.sum() + kSmooth);
}

torch::Tensor softClDiceTerm(const torch::Tensor& p, const torch::Tensor& t) {
  const torch::Tensor skelP = detail::softSkeleton(p), skelT = detail::softSkeleton(t);
  const torch::Tensor precision = ((skelP * t).sum() + kSmooth) / (skelP.sum() + kSmooth);
  const torch::Tensor sensitivity = ((skelT * p).sum() + kSmooth) / (skelT.sum() + kSmooth);
  return 1.0 - 2.0 * precision * sensitivity / (precision + sensitivity);
}

} // namespace

namespace detail {

void toTargetAndMask(const std::uint8_t* labels, std::size_t n, float* target, float* mask) {
  for (std::size_t i = 0; i < n; ++i) {
    target[i] = labels[i] == labels::kCrack ? 1.0f : 0.0f;
    mask[i] = labels[i] == labels::kUnlabelled ? 0.0f : 1.0f;
  }
}

torch::Tensor maskedBce(const torch::Tensor& logits, const torch::Tensor& target, const torch::Tensor& mask) {
  torch::Tensor perVoxel =
      torch::binary_cross_entropy_with_logits(logits.to(torch::kFloat), target, {}, {}, at::Reduction::None);
  return (perVoxel * mask).sum() / mask.sum().clamp_min(1.0);
}

torch::Tensor softSkeleton(const torch::Tensor& image, int iterations) {
  torch::Tensor img = image;
  torch::Tensor skel = torch::relu(img - softOpen(img));
  for (int i = 0; i < iterations; ++i) {
    img = softErode(img);
    const torch::Tensor delta = torch::relu(img - softOpen(img));
    skel = skel + torch::relu(delta - skel * delta);
  }
  return skel;
}

torch::Tensor maskedLoss(LossKind kind, const torch::Tensor& logits, const torch::Tensor& target,
                         const torch::Tensor& mask) {
  torch::Tensor loss = maskedBce(logits, target, mask);
  if (kind == LossKind::Bce) return loss;
  // p * mask: an unlabelled voxel adds nothing to a sum and gets no gradient.
  const torch::Tensor p = torch::sigmoid(logits.to(torch::kFloat)) * mask;
  const torch::Tensor t = target * mask;
  return loss + (kind == LossKind::BceDice ? softDiceTerm(p, t) : softClDiceTerm(p, t));
}

} // namespace detail

std::string toString(LossKind loss) {
  switch (loss) {
  case LossKind::Bce: return "bce";
  case LossKind::BceDice: return "bce+dice";
  case LossKind::BceClDice: return "bce+cldice";
  }
  return "bce";
}

std::string toString(LrSchedule schedule) { return schedule == LrSchedule::Cosine ? "cosine" : "constant"; }

LossKind parseLossKind(const std::string& name) {
  for (LossKind k : {LossKind::Bce, LossKind::BceDice, LossKind::BceClDice})
    if (toString(k) == name) return k;
  throw std::invalid_argument("unknown loss '" + name + "' (choose bce, bce+dice or bce+cldice)");
}

LrSchedule parseLrSchedule(const std::string& name) {
  for (LrSchedule s : {LrSchedule::Constant, LrSchedule::Cosine})
    if (toString(s) == name) return s;
  throw std::invalid_argument("unknown learning-rate schedule '" + name + "' (choose constant or cosine)");
}

double scheduledLearningRate(LrSchedule schedule, double base, double fraction, double warmupFraction) {
  if (schedule == LrSchedule::Constant) return base;
  const double f = std::clamp(fraction, 0.0, 1.0), w = std::clamp(warmupFraction, 0.0, 0.5);
  if (f < w) return base * (0.1 + 0.9 * f / w);
  const double end = base * 0.01;
  const double c = w < 1.0 ? (f - w) / (1.0 - w) : 1.0;
  return end + 0.5 * (base - end) * (1.0 + std::cos(M_PI * c));
}

double maskedSoftDiceLoss(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                          std::vector<float>* gradient) {
  return onArrays(logits, labels, int(logits.size()), 1, gradient, [](auto& x, auto t, auto m) {
    return softDiceTerm(torch::sigmoid(x) * m, t * m);
  });
}

double maskedSoftClDiceLoss(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels, int width,
                            int height, std::vector<float>* gradient) {
  return onArrays(logits, labels, width, height, gradient, [](auto& x, auto t, auto m) {
    return softClDiceTerm(torch::sigmoid(x) * m, t * m);
  });
}

std::vector<float> softSkeleton(const std::vector<float>& image, int width, int height, int iterations) {
  if (std::int64_t(width) * height != std::int64_t(image.size()))
    throw std::invalid_argument("width x height differs from the image's size");
  std::vector<float> copy = image;
  const torch::Tensor s =
      detail::softSkeleton(torch::from_blob(copy.data(), {1, 1, height, width}), iterations).contiguous();
  return {s.data_ptr<float>(), s.data_ptr<float>() + s.numel()};
}

} // namespace core::ml
