// The training loop (Trainer.h).
#include "core/ml/Trainer.h"

#include "core/files/AtomicFile.h"
#include "core/labels/LabelConvention.h"
#include "core/ml/Predictor.h"
#include "core/ml/detail/CheckpointIO.h"
#include "core/ml/detail/ModelImpl.h"
#include "core/ml/detail/TrainerLoss.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>

namespace fs = std::filesystem;

namespace core::ml {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void checkOptions(const TrainOptions& o) {
  if (o.batch < 1) throw std::invalid_argument("batch size must be at least 1 (got " + std::to_string(o.batch) + ")");
  if (o.crop < kSizeMultiple) throw std::invalid_argument("crop size must be at least 32 pixels");
  if (!(o.valFraction >= 0.0 && o.valFraction < 1.0))
    throw std::invalid_argument("validation fraction must be in [0, 1) (got " + std::to_string(o.valFraction) + ")");
  if (o.epochs < 0) throw std::invalid_argument("epochs must not be negative");
  if (o.maxMinutes < 0) throw std::invalid_argument("--max-minutes must not be negative");
  if (o.maxSteps < 0) throw std::invalid_argument("the step budget must not be negative");
  if (o.epochs == 0 && o.maxMinutes <= 0 && o.maxSteps == 0)
    throw std::invalid_argument("give a number of epochs, a time budget or a step budget");
  if (!(o.valStrip >= 0.0 && o.valStrip < 1.0))
    throw std::invalid_argument("the held-out strip must be in [0, 1) (got " + std::to_string(o.valStrip) + ")");
  if (o.patience < 0) throw std::invalid_argument("early-stopping patience must not be negative");
  if (!(o.weightDecay >= 0)) throw std::invalid_argument("weight decay must not be negative");
  if (!(o.dropout == -1 || (o.dropout >= 0 && o.dropout < 1)))
    throw std::invalid_argument("dropout must be in [0, 1) (or -1 for the model's)");
  if (!(o.weightAverage >= 0 && o.weightAverage < 1))
    throw std::invalid_argument("the weight-average decay must be in [0, 1) (0 = off)");
  if (!(o.learningRate > 0)) throw std::invalid_argument("learning rate must be positive");
  if (!o.resumeFrom.empty() && !o.fineTuneFrom.empty())
    throw std::invalid_argument("resume (--from) and fine-tune cannot be combined: pick one checkpoint");
  if (o.freezeEncoder && o.fineTuneFrom.empty())
    throw std::invalid_argument("freezing the encoder needs a checkpoint to fine-tune from");
  if (o.minIterationsPerEpoch < 1) throw std::invalid_argument("the minimum of steps per epoch must be at least 1");
  if (!(o.warmupFraction >= 0 && o.warmupFraction <= 0.5))
    throw std::invalid_argument("the warm-up fraction must be in [0, 0.5]");
  if (!(o.saveEveryMinutes >= 0) || o.saveEverySteps < 0 || o.keepCheckpoints < 0 || o.checkpointEvery < 0)
    throw std::invalid_argument("checkpoint intervals and counts must not be negative");
}

// Validation over whole held-out slices: masked BCE from probabilities, and the confusion at 0.5.
// The histogram of probabilities by class gives the Dice-maximising decision threshold (Calibration.h).
struct Validation {
  double loss = 0, dice = 0, precision = 0, recall = 0;
  std::int64_t voxels = 0, crackVoxels = 0;
  DiceHistogram histogram;
};

Validation validate(Model& model, const std::vector<const TrainingSlice*>& slices, jobs::CancelToken& cancel) {
  Validation v;
  Predictor predictor(model);
  double lossSum = 0;
  std::int64_t count = 0, cracks = 0, tp = 0, fp = 0, fn = 0;
  std::vector<float> prob;
  for (const TrainingSlice* s : slices) {
    prob.resize(s->image.size());
    predictor.predictNormalised(s->image.data(), s->width, s->height, prob.data(), jobs::nullProgress(), cancel);
    for (std::size_t i = 0; i < prob.size(); ++i) {
      const std::uint8_t l = s->labels[i];
      if (l == labels::kUnlabelled) continue;
      const double p = std::clamp(double(prob[i]), 1e-7, 1.0 - 1e-7);
      const bool crack = l == labels::kCrack, predicted = prob[i] >= 0.5f;
      v.histogram.add(prob[i], crack);
      lossSum += crack ? -std::log(p) : -std::log(1.0 - p);
      ++count;
      cracks += crack;
      tp += predicted && crack;
      fp += predicted && !crack;
      fn += !predicted && crack;
    }
  }
  v.loss = count ? lossSum / double(count) : kNaN;
  v.dice = (2 * tp + fp + fn) ? 2.0 * double(tp) / double(2 * tp + fp + fn) : 1.0;
  v.precision = (tp + fp) ? double(tp) / double(tp + fp) : kNaN;
  v.recall = (tp + fn) ? double(tp) / double(tp + fn) : kNaN;
  v.voxels = count;
  v.crackVoxels = cracks;
  return v;
}

void setLearningRate(torch::optim::Adam& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
  return buf;
}

void fillDisk(TrainResult& r, const detail::CheckpointSaver& saver) {
  const detail::SaveCounters& c = saver.counters();
  r.lastWrites = c.lastWrites;
  r.bestWrites = c.bestWrites;
  r.periodicWrites = c.periodicWrites;
  r.periodicRemoved = c.periodicRemoved;
  r.bytesWritten = c.bytesWritten;
  r.keptBytes = saver.keptBytes(&r.keptFiles);
}

} // namespace

std::string describeCheckpointDisk(const TrainResult& r, const std::string& outDir) {
  if (outDir.empty()) return "checkpoints: none kept (no output folder)";
  return "checkpoints: " + std::to_string(r.keptFiles) + " files, " + megabytes(r.keptBytes) + " kept in " + outDir +
         "; this run wrote " + std::to_string(r.checkpointWrites()) + " (" + megabytes(r.bytesWritten) + ": last.pt " +
         std::to_string(r.lastWrites) + "x, best.pt " + std::to_string(r.bestWrites) + "x, periodic " +
         std::to_string(r.periodicWrites) + "x" +
         (r.periodicRemoved ? ", " + std::to_string(r.periodicRemoved) + " older periodic removed" : std::string()) + ")";
}

double maskedBinaryCrossEntropy(const std::vector<float>& logits, const std::vector<std::uint8_t>& labels,
                                std::vector<float>* gradient) {
  if (logits.size() != labels.size()) throw std::invalid_argument("logits and labels differ in length");
  const auto n = int64_t(logits.size());
  std::vector<float> target(logits.size()), mask(logits.size());
  detail::toTargetAndMask(labels.data(), labels.size(), target.data(), mask.data());
  torch::Tensor x = torch::tensor(logits).set_requires_grad(true);
  torch::Tensor loss = detail::maskedBce(x, torch::from_blob(target.data(), {n}), torch::from_blob(mask.data(), {n}));
  if (gradient) {
    loss.backward();
    const torch::Tensor g = x.grad().contiguous();
    gradient->assign(g.data_ptr<float>(), g.data_ptr<float>() + n);
  }
  return loss.item<double>();
}

namespace {

/// The network of a run: new, resumed (weights, epoch, history, recipe) or fine-tuned (weights).
/// Adjusts \p o to the checkpoint's model and recipe; \p info and \p startEpoch describe a resumed run.
void loadNetwork(TrainOptions& o, Model::Impl& impl, CheckpointInfo& info, int& startEpoch,
                 const std::function<void(const std::string&)>& message) {
  const torch::Device dev = impl.torchDevice();
  const std::string& from = !o.resumeFrom.empty() ? o.resumeFrom : o.fineTuneFrom;
  if (from.empty()) {
    torch::manual_seed(o.seed);
    impl.net = detail::UNet(o.model);
    impl.net->to(dev);
    return;
  }
  const std::string path = resolveModelPath(from);
  auto loaded = detail::loadCheckpoint(path, dev);
  if (loaded.info.model.baseWidth != o.model.baseWidth)
    throw std::runtime_error("checkpoint '" + path + "' holds a model of base width " +
                             std::to_string(loaded.info.model.baseWidth) + ", not the base width " +
                             std::to_string(o.model.baseWidth) + " asked for");
  o.model = loaded.info.model;
  impl.net = loaded.net;
  if (o.resumeFrom.empty()) {
    message("fine-tuning from '" + path + "'" + (o.freezeEncoder ? " with the encoder frozen" : ""));
    return;
  }
  info = loaded.info;
  startEpoch = info.epoch;
  o.freezeEncoder = info.training.freezeEncoder;
  // The recipe continues (a version-1 checkpoint reads as bce and a constant rate, as it trained).
  o.loss = info.training.loss;
  o.lrSchedule = info.training.lrSchedule;
  o.warmupFraction = info.training.warmupFraction;
  message("resuming '" + path + "' after epoch " + std::to_string(startEpoch) + " (loss " + toString(o.loss) + ", " +
          toString(o.lrSchedule) + " learning rate restarted over this run's budget)");
}

/// Held-out slices: the last ones, as the reference does (neighbouring slices are alike, so a
/// random split would flatter the metrics).
void splitSlices(const TrainingData& data, double valFraction, std::vector<const TrainingSlice*>& train,
                 std::vector<const TrainingSlice*>& val) {
  const int n = int(data.slices.size());
  int nVal = 0;
  if (valFraction > 0 && n >= 2) nVal = std::clamp(int(std::lround(n * valFraction)), 1, n - 1);
  for (int i = 0; i < n; ++i) (i < n - nVal ? train : val).push_back(&data.slices[std::size_t(i)]);
}

/// Crop side and steps per epoch: enough batches to cover the training slices' area once.
std::pair<int, int> cropAndSteps(const TrainOptions& o, const std::vector<const TrainingSlice*>& train) {
  int minW = train[0]->width, minH = train[0]->height;
  double trainArea = 0;
  for (const auto* s : train) {
    minW = std::min(minW, s->width);
    minH = std::min(minH, s->height);
    trainArea += double(s->width) * s->height;
  }
  const int crop = cropSizeFor(o.crop, minW, minH);
  const int perEpoch =
      o.iterationsPerEpoch > 0
          ? o.iterationsPerEpoch
          : std::max(o.minIterationsPerEpoch, int(std::ceil(trainArea / (double(o.batch) * crop * crop))));
  return {crop, perEpoch};
}

/// The validation and timing columns of an epoch that ended, and the decision threshold of its
/// weights: chosen on the validation data, or without it on the training slices (predicted once
/// more for it, about what validation would cost).
EpochMetrics epochMetrics(Model& model, const std::vector<const TrainingSlice*>& val,
                          const std::vector<const TrainingSlice*>& train, jobs::CancelToken& cancel) {
  EpochMetrics em;
  em.hasValidation = !val.empty();
  if (!em.hasValidation) em.calibration = validate(model, train, cancel).histogram.calibrate("training");
  if (em.hasValidation) {
    const Validation v = validate(model, val, cancel);
    em.calibration = v.histogram.calibrate("validation");
    em.valLoss = v.loss;
    em.valDice = v.dice;
    em.valPrecision = v.precision;
    em.valRecall = v.recall;
    em.valVoxels = v.voxels;
    em.valCrackVoxels = v.crackVoxels;
    em.valSlices = int(val.size());
  } else {
    em.valLoss = em.valDice = em.valPrecision = em.valRecall = kNaN;
  }
  return em;
}

/// One optimiser step on a batch of augmented crops; returns the loss.
class StepRunner {
public:
  StepRunner(const TrainOptions& o, Model::Impl& impl, torch::optim::Adam& optimizer, int crop, bool cpuBf16)
      : m_o(o), m_impl(impl), m_optimizer(optimizer), m_crop(crop), m_channels(o.model.channels()),
        m_cpuBf16(cpuBf16), m_cropPixels(std::size_t(crop) * std::size_t(crop)),
        m_images(std::size_t(o.batch) * std::size_t(m_channels) * m_cropPixels),
        m_labels(std::size_t(o.batch) * m_cropPixels), m_target(m_labels.size()), m_mask(m_labels.size()) {}

  double step(const std::vector<const TrainingSlice*>& train, std::mt19937_64& rng) {
    // 2.5D: 2k+1 neighbour slices per crop, warped alike.
    std::uniform_int_distribution<std::size_t> pickSlice(0, train.size() - 1);
    for (int b = 0; b < m_o.batch; ++b)
      sampleCrop(*train[pickSlice(rng)], m_crop, m_o.augment, rng,
                 m_images.data() + std::size_t(b) * std::size_t(m_channels) * m_cropPixels,
                 m_labels.data() + std::size_t(b) * m_cropPixels);
    detail::toTargetAndMask(m_labels.data(), m_labels.size(), m_target.data(), m_mask.data());
    const torch::Device dev = m_impl.torchDevice();
    const auto shape = std::vector<int64_t>{m_o.batch, 1, m_crop, m_crop};
    torch::Tensor x = torch::from_blob(m_images.data(), {m_o.batch, m_channels, m_crop, m_crop}, torch::kFloat).to(dev);
    torch::Tensor t = torch::from_blob(m_target.data(), shape, torch::kFloat).to(dev);
    torch::Tensor m = torch::from_blob(m_mask.data(), shape, torch::kFloat).to(dev);
    try {
      torch::Tensor logits;
      {
        detail::AutocastGuard autocast(m_impl.device, m_cpuBf16);
        logits = m_impl.net->forward(x);
      }
      if (m_cpuBf16) logits = logits.to(torch::kFloat); // the loss in fp32
      torch::Tensor loss = detail::maskedLoss(m_o.loss, logits, t, m);
      m_optimizer.zero_grad();
      loss.backward();
      m_optimizer.step();
      return loss.item<double>();
    } catch (const c10::Error&) {
      try {
        detail::rethrowTorchError("training step");
      } catch (const DeviceOutOfMemory& e) {
        throw DeviceOutOfMemory(std::string(e.what()) + "; use a smaller batch or crop size");
      }
    }
    return 0; // not reached: rethrowTorchError throws
  }

private:
  const TrainOptions& m_o;
  Model::Impl& m_impl;
  torch::optim::Adam& m_optimizer;
  int m_crop, m_channels;
  bool m_cpuBf16;
  std::size_t m_cropPixels;
  std::vector<float> m_images;
  std::vector<std::uint8_t> m_labels;
  std::vector<float> m_target, m_mask;
};

/// Exponential moving average of the network's weights (Polyak averaging): update() after every
/// step while the network holds its newest weights; show(true) puts the average into the network
/// (for validation and checkpoints), show(false) the newest weights back. Off (decay 0) it does nothing.
/// The network has no batch-norm statistics, so averaging the parameters averages the model.
class WeightAverage {
public:
  WeightAverage(detail::UNet& net, double decay) : m_net(net), m_decay(decay) {
    if (m_decay <= 0) return;
    torch::NoGradGuard noGrad;
    for (const auto& p : m_net->parameters()) m_other.push_back(p.detach().clone());
  }

  void update() {
    if (m_decay <= 0) return;
    ++m_updates;
    const double d = std::min(m_decay, (1.0 + double(m_updates)) / (10.0 + double(m_updates)));
    torch::NoGradGuard noGrad;
    const auto params = m_net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) m_other[i].mul_(d).add_(params[i].detach(), 1.0 - d);
  }

  void show(bool average) {
    if (m_decay <= 0 || average == m_showing) return;
    torch::NoGradGuard noGrad;
    const auto params = m_net->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      torch::Tensor held = params[i].detach().clone();
      params[i].detach().copy_(m_other[i]);
      m_other[i] = held;
    }
    m_showing = average;
  }

private:
  detail::UNet& m_net;
  double m_decay;
  std::int64_t m_updates = 0;
  bool m_showing = false;              ///< the network holds the average, m_other the newest weights
  std::vector<torch::Tensor> m_other;  ///< the average while the network trains; the newest weights while it shows the average
};

/// Parameters to optimise (a frozen encoder is left out and gets no gradient).
std::vector<torch::Tensor> trainableParameters(detail::UNet& net, bool freezeEncoder) {
  if (freezeEncoder)
    for (auto& p : net->encoderParameters()) p.set_requires_grad(false);
  std::vector<torch::Tensor> params;
  for (auto& p : net->parameters())
    if (p.requires_grad()) params.push_back(p);
  return params;
}

/// Wall times of an epoch: its own, the run's so far, and the estimate of what remains (epochs
/// or time budget, whichever ends first; 0 when the budget ran out).
void timeEpoch(EpochMetrics& em, Clock::time_point epochStart, Clock::time_point start, int done, int epochs,
               double budget, bool timeUp) {
  em.seconds = secondsSince(epochStart);
  em.elapsedSeconds = secondsSince(start);
  double remaining = epochs > 0 ? em.elapsedSeconds / done * (epochs - done) : std::numeric_limits<double>::infinity();
  if (budget > 0) remaining = std::min(remaining, std::max(0.0, budget - em.elapsedSeconds));
  em.remainingSeconds = timeUp ? 0.0 : remaining;
}

/// The options beyond the paper's recipe that this run uses ("" when none).
std::string describeRecipeExtras(const TrainOptions& o) {
  std::string e;
  auto num = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return std::string(b);
  };
  if (o.valStrip > 0) e += "; validation on the bottom " + num(100 * o.valStrip) + "% of every slice";
  if (o.patience > 0 || o.bestMetric != BestMetric::Loss)
    e += "; best by validation " + toString(o.bestMetric) +
         (o.patience > 0 ? ", early stop after " + std::to_string(o.patience) + " epochs without one" : "");
  if (o.maxSteps > 0) e += "; at most " + std::to_string(o.maxSteps) + " steps";
  if (o.weightDecay > 0) e += "; weight decay " + num(o.weightDecay);
  if (o.dropout >= 0) e += "; dropout " + num(o.dropout);
  if (o.weightAverage > 0) e += "; weight average (decay " + num(o.weightAverage) + ")";
  const AugmentOptions& a = o.augment;
  if (a.enabled && a.elastic > 0) e += "; elastic " + num(a.elastic) + " px";
  if (a.enabled && a.hasScale()) e += "; magnified " + num(a.scaleMin) + "-" + num(a.scaleMax) + "x";
  if (a.enabled && a.hasIntensity())
    e += "; intensity jitter (gamma " + num(a.gamma) + ", contrast " + num(a.contrast) + ", brightness " +
         num(a.brightness) + ", blur " + num(a.blur) + ", noise " + num(a.noise) + ")";
  return e;
}

/// "device ...; N training and M validation slices; crops ...": the first line of a run.
std::string describeSetup(const TrainOptions& o, const TrainResult& r, int crop, int perEpoch) {
  return "device " + r.device + "; " + std::to_string(r.trainSlices) + " training and " +
         std::to_string(r.validationSlices) + " validation slices; crops " + std::to_string(crop) + " x " +
         std::to_string(crop) + ", batch " + std::to_string(o.batch) + ", " + std::to_string(perEpoch) +
         " iterations per epoch; loss " + toString(o.loss) + ", " + toString(o.lrSchedule) + " learning rate " +
         std::to_string(o.learningRate) + describeRecipeExtras(o);
}

/// Disk use and the checkpoints a finished run leaves (best.pt of an earlier run in the folder
/// when this one wrote none).
void finishRun(TrainResult& result, const detail::CheckpointSaver& saver, const std::string& outDir) {
  fillDisk(result, saver);
  result.bestCheckpoint = saver.bestPath();
  result.lastCheckpoint = saver.lastPath();
  if (result.bestCheckpoint.empty() && !outDir.empty()) {
    const fs::path b = fs::path(outDir) / bestCheckpointName();
    if (fs::exists(b)) result.bestCheckpoint = b.string();
  }
}

} // namespace

ThresholdCalibration TrainResult::bestCalibration() const {
  for (const EpochMetrics& m : history)
    if (m.epoch == bestEpoch) return m.calibration;
  return lastCalibration();
}

ThresholdCalibration TrainResult::lastCalibration() const {
  return history.empty() ? ThresholdCalibration{} : history.back().calibration;
}

std::string describeCalibration(const TrainResult& r) {
  const ThresholdCalibration best = r.bestCalibration(), last = r.lastCalibration();
  std::string s = "decision threshold (Dice-maximising in [0.2, 0.8]): ";
  if (r.bestEpoch > 0 && r.bestEpoch != (r.history.empty() ? 0 : r.history.back().epoch))
    return s + "best.pt (epoch " + std::to_string(r.bestEpoch) + ") " + best.describe() + "; last.pt " + last.describe();
  return s + last.describe();
}

Trainer::Trainer(TrainOptions options, TrainCallbacks callbacks)
    : m_options(std::move(options)), m_callbacks(std::move(callbacks)) {}

TrainResult Trainer::run(const TrainingData& data, jobs::ProgressSink& progress, jobs::CancelToken& cancel) {
  TrainOptions o = m_options;
  checkOptions(o);
  o.model.validate();
  if (data.slices.empty()) throw std::runtime_error("no labelled slice to train on");
  const auto start = Clock::now();
  auto message = [&](const std::string& m) {
    if (m_callbacks.onMessage) m_callbacks.onMessage(m);
  };

  auto impl = std::make_shared<Model::Impl>();
  impl->device = resolveDevice(o.device, o.cpuThreads);
  CheckpointInfo info;
  int startEpoch = 0;
  loadNetwork(o, *impl, info, startEpoch, message);
  if (o.dropout >= 0) o.model.dropout = impl->net->options.dropout = o.dropout;
  impl->options = o.model;
  if (data.channels() != o.model.channels())
    throw std::runtime_error("the training data has " + std::to_string(data.channels()) +
                             " input channel(s) but the model takes " + std::to_string(o.model.channels()) +
                             " (context slices " + std::to_string(o.model.contextSlices) +
                             "): a 2.5D model trains on slices with their neighbours (cdnet train --context " +
                             std::to_string(o.model.contextSlices) + ")");
  Model model(impl);
  detail::UNet& net = impl->net;
  torch::manual_seed(o.seed + std::uint64_t(startEpoch) * 7919u);
  std::mt19937_64 rng(o.seed * 6364136223846793005ull + std::uint64_t(startEpoch) + 1);

  std::vector<const TrainingSlice*> train, val;
  TrainingData stripTrain, stripVal; // with valStrip: the slices' upper rows and their bottom strips
  if (o.valStrip > 0) {
    holdOutStrips(data, o.valStrip, stripTrain, stripVal);
    for (const auto& sl : stripTrain.slices) train.push_back(&sl);
    for (const auto& sl : stripVal.slices) val.push_back(&sl);
  } else {
    splitSlices(data, o.valFraction, train, val);
  }
  const auto [crop, perEpoch] = cropAndSteps(o, train);

  torch::optim::Adam optimizer(trainableParameters(net, o.freezeEncoder),
                               torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay));
  if (!o.resumeFrom.empty()) detail::loadOptimizerState(resolveModelPath(o.resumeFrom), optimizer);

  const bool cpuBf16 = !impl->device.cuda && resolvePrecision(o.precision, false) == Precision::Bf16;
  TrainResult result;
  result.trainSlices = int(train.size());
  result.validationSlices = int(val.size());
  result.device = impl->device.describe() + (cpuBf16 ? ", bf16 steps" : "");
  result.parameters = model.parameterCount();
  result.history = info.history;
  message(describeSetup(o, result, crop, perEpoch));

  info.model = o.model;
  info.training = {o.batch,          crop,        o.learningRate,     o.valFraction,    o.seed,
                   o.freezeEncoder,  o.loss,      o.lrSchedule,       o.warmupFraction, perEpoch,
                   o.saveEveryMinutes, o.saveEverySteps, o.checkpointEvery, o.keepCheckpoints};
  if (startEpoch == 0) info.bestLoss = std::numeric_limits<double>::infinity();
  if (!o.outDir.empty()) {
    fs::create_directories(o.outDir);
    // A killed earlier run may have left the temporary of a periodic checkpoint this run never writes.
    files::removeStaleTemporariesIn(o.outDir);
  }
  detail::CheckpointSaver saver({o.outDir, o.saveEveryMinutes * 60.0, o.saveEverySteps, o.checkpointEvery,
                                 o.keepCheckpoints},
                                net, optimizer);

  const double budget = o.maxMinutes * 60.0;
  StepRunner stepper(o, *impl, optimizer, crop, cpuBf16);
  WeightAverage average(net, o.weightAverage);
  std::int64_t iteration = info.iterations;
  const std::int64_t firstIteration = iteration;
  bool timeUp = false, stepsUp = false;
  EarlyStopping stopper(o.patience, o.bestMetric == BestMetric::Loss ? info.bestLoss
                                                                     : std::numeric_limits<double>::infinity());
  // Share of this run's budget (epochs or time, whichever ends first) done after \p it steps of \p epoch.
  auto doneFraction = [&](int epoch, int it) {
    double f = o.epochs > 0 ? (double(epoch - startEpoch - 1) + double(it) / perEpoch) / o.epochs : 0.0;
    if (budget > 0) f = std::max(f, secondsSince(start) / budget);
    if (o.maxSteps > 0) f = std::max(f, double(iteration - firstIteration) / double(o.maxSteps));
    return f;
  };

  try {
    for (int epoch = startEpoch + 1; o.epochs == 0 || epoch <= startEpoch + o.epochs; ++epoch) {
      const auto epochStart = Clock::now();
      average.show(false);
      net->train();
      double lossSum = 0;
      int steps = 0;
      for (int it = 1; it <= perEpoch; ++it) {
        cancel.throwIfCancelled();
        setLearningRate(optimizer,
                        scheduledLearningRate(o.lrSchedule, o.learningRate, doneFraction(epoch, it - 1), o.warmupFraction));
        const double lossValue = stepper.step(train, rng);
        average.update();
        ++steps;
        ++iteration;
        lossSum += lossValue;
        if (m_callbacks.onIteration) m_callbacks.onIteration({epoch, it, perEpoch, iteration, lossValue});
        progress.setProgress(std::min(0.99, doneFraction(epoch, it)), "Epoch " + std::to_string(epoch) + ", iteration " +
                                                                          std::to_string(it) + "/" + std::to_string(perEpoch));
        if (budget > 0 && secondsSince(start) >= budget) {
          timeUp = true;
          break;
        }
        if (o.maxSteps > 0 && iteration - firstIteration >= o.maxSteps) {
          stepsUp = true;
          break;
        }
      }

      average.show(true); // validation and checkpoints see the averaged weights (the trained model)
      EpochMetrics em = epochMetrics(model, val, train, cancel);
      em.epoch = epoch;
      em.iterations = iteration;
      em.trainLoss = steps ? lossSum / steps : kNaN;
      timeEpoch(em, epochStart, start, epoch - startEpoch, o.epochs, budget, timeUp || stepsUp);
      result.history.push_back(em);

      info.history = result.history;
      info.epoch = epoch;
      info.iterations = iteration;
      info.calibration = em.calibration; // for the weights this epoch's checkpoints hold
      const bool best =
          stopper.record(epoch, selectionScore(o.bestMetric, em.hasValidation, em.trainLoss, em.valLoss, em.valDice));
      if (best && o.bestMetric == BestMetric::Loss) info.bestLoss = stopper.best();
      if (best) result.bestEpoch = epoch;
      cancel.throwIfCancelled();
      saver.epochEnded(info, best);
      if (m_callbacks.onEpoch) m_callbacks.onEpoch(em);
      if (timeUp || stepsUp) break;
      if (stopper.shouldStop()) {
        result.stoppedEarly = true;
        message("early stop: no better validation " + toString(o.bestMetric) + " for " + std::to_string(o.patience) +
                " epochs (best: epoch " + std::to_string(stopper.bestEpoch()) + ")");
        break;
      }
    }
  } catch (const jobs::Cancelled&) {
    // A stop keeps the newest weights: last.pt (when an epoch of this run ended, so the file
    // describes a finished epoch) and a best.pt held back by the saving interval.
    if (info.epoch > startEpoch) {
      average.show(true);
      info.iterations = iteration;
      saver.finish(info);
    }
    fillDisk(result, saver);
    message(describeCheckpointDisk(result, o.outDir));
    throw;
  }
  average.show(true);
  saver.finish(info);
  finishRun(result, saver, o.outDir);
  message(describeCalibration(result));
  message(describeCheckpointDisk(result, o.outDir));
  result.stoppedByTime = timeUp;
  progress.setProgress(1.0, "Done");
  return result;
}

} // namespace core::ml
