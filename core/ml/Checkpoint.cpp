// Checkpoint files: a LibTorch archive with the weights ("model"), the optimiser ("optimizer")
// and metadata as typed attributes (no JSON library needed on a bare LibTorch machine).
#include "core/ml/detail/CheckpointIO.h"

#include "core/files/AtomicFile.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace core::ml {

namespace {

const char* const kFormatKey = "cdnet_format";
const char* const kFormatValue = "cdnet-checkpoint";

std::runtime_error damaged(const std::string& path, const std::string& why) {
  return std::runtime_error("checkpoint '" + path + "' is damaged or truncated (" + why + ")");
}

// FNV-1a over the bytes of every parameter in name order: detects silent corruption that the
// zip container does not.
std::int64_t weightsChecksum(detail::UNet& net) {
  std::uint64_t h = 1469598103934665603ull;
  for (const auto& p : net->named_parameters()) {
    for (char c : p.key()) h = (h ^ std::uint8_t(c)) * 1099511628211ull;
    const torch::Tensor t = p.value().detach().to(torch::kCPU, torch::kFloat).contiguous();
    const auto* b = static_cast<const std::uint8_t*>(t.data_ptr());
    const std::size_t n = std::size_t(t.numel()) * sizeof(float);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}

void writeHistory(torch::serialize::OutputArchive& a, const std::vector<EpochMetrics>& hist) {
  std::vector<double> cols[11];
  for (const auto& m : hist) {
    const double v[11] = {double(m.epoch), double(m.iterations), m.trainLoss, m.valLoss, m.valDice, m.valPrecision,
                          m.valRecall, m.seconds, m.elapsedSeconds, m.remainingSeconds, m.hasValidation ? 1.0 : 0.0};
    for (int i = 0; i < 11; ++i) cols[i].push_back(v[i]);
  }
  for (int i = 0; i < 11; ++i) a.write("history_" + std::to_string(i), c10::IValue(cols[i]));
}

std::vector<EpochMetrics> readHistory(torch::serialize::InputArchive& a) {
  std::vector<double> cols[11];
  for (int i = 0; i < 11; ++i) {
    c10::IValue v;
    a.read("history_" + std::to_string(i), v);
    cols[i] = v.toDoubleVector();
  }
  std::vector<EpochMetrics> hist(cols[0].size());
  for (std::size_t k = 0; k < hist.size(); ++k) {
    auto& m = hist[k];
    for (int i = 0; i < 11; ++i)
      if (cols[i].size() != hist.size()) throw std::runtime_error("history columns differ in length");
    m.epoch = int(cols[0][k]);
    m.iterations = std::int64_t(cols[1][k]);
    m.trainLoss = cols[2][k];
    m.valLoss = cols[3][k];
    m.valDice = cols[4][k];
    m.valPrecision = cols[5][k];
    m.valRecall = cols[6][k];
    m.seconds = cols[7][k];
    m.elapsedSeconds = cols[8][k];
    m.remainingSeconds = cols[9][k];
    m.hasValidation = cols[10][k] != 0.0;
  }
  return hist;
}

template <class T> T readValue(torch::serialize::InputArchive& a, const char* key);
template <> std::int64_t readValue(torch::serialize::InputArchive& a, const char* key) {
  c10::IValue v;
  a.read(key, v);
  return v.toInt();
}
template <> double readValue(torch::serialize::InputArchive& a, const char* key) {
  c10::IValue v;
  a.read(key, v);
  return v.toDouble();
}
template <> std::string readValue(torch::serialize::InputArchive& a, const char* key) {
  c10::IValue v;
  a.read(key, v);
  return v.toStringRef();
}

void loadArchive(torch::serialize::InputArchive& a, const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error("checkpoint '" + path + "' does not exist");
  if (fs::is_directory(path, ec)) throw std::runtime_error("checkpoint '" + path + "' is a directory, not a file");
  if (fs::file_size(path, ec) == 0) throw damaged(path, "the file is empty");
  try {
    a.load_from(path, torch::kCPU);
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    throw damaged(path, what.substr(0, what.find('\n')));
  }
}

CheckpointInfo readInfo(torch::serialize::InputArchive& a, const std::string& path) {
  c10::IValue format;
  if (!a.try_read(kFormatKey, format) || !format.isString() || format.toStringRef() != kFormatValue)
    throw std::runtime_error("'" + path + "' is not a CDNet checkpoint");
  CheckpointInfo info;
  try {
    info.formatVersion = int(readValue<std::int64_t>(a, "cdnet_format_version"));
    if (info.formatVersion > kCheckpointFormatVersion)
      throw std::runtime_error("checkpoint '" + path + "' has format version " + std::to_string(info.formatVersion) +
                               "; this program reads up to version " + std::to_string(kCheckpointFormatVersion) +
                               " (update CDNet Studio)");
    info.role = readValue<std::string>(a, "role");
    info.model.preset = readValue<std::string>(a, "model_preset");
    info.model.baseWidth = int(readValue<std::int64_t>(a, "model_base_width"));
    info.model.dropout = readValue<double>(a, "model_dropout");
    c10::IValue context; // absent in checkpoints from before 2.5D input: a 2D model
    if (a.try_read("model_context_slices", context)) info.model.contextSlices = int(context.toInt());
    info.training.batch = int(readValue<std::int64_t>(a, "train_batch"));
    info.training.crop = int(readValue<std::int64_t>(a, "train_crop"));
    info.training.learningRate = readValue<double>(a, "train_learning_rate");
    info.training.valFraction = readValue<double>(a, "train_val_fraction");
    info.training.seed = std::uint64_t(readValue<std::int64_t>(a, "train_seed"));
    info.training.freezeEncoder = readValue<std::int64_t>(a, "train_freeze_encoder") != 0;
    if (info.formatVersion >= 2) {
      info.training.loss = parseLossKind(readValue<std::string>(a, "train_loss"));
      info.training.lrSchedule = parseLrSchedule(readValue<std::string>(a, "train_lr_schedule"));
      info.training.warmupFraction = readValue<double>(a, "train_warmup_fraction");
      info.training.iterationsPerEpoch = int(readValue<std::int64_t>(a, "train_iterations_per_epoch"));
      info.training.saveEveryMinutes = readValue<double>(a, "train_save_every_minutes");
      info.training.saveEverySteps = int(readValue<std::int64_t>(a, "train_save_every_steps"));
      info.training.checkpointEvery = int(readValue<std::int64_t>(a, "train_checkpoint_every"));
      info.training.keepCheckpoints = int(readValue<std::int64_t>(a, "train_keep_checkpoints"));
    } // version 1: the defaults of TrainingRecord, which are how version 1 trained
    info.epoch = int(readValue<std::int64_t>(a, "epoch"));
    info.iterations = readValue<std::int64_t>(a, "iterations");
    info.bestLoss = readValue<double>(a, "best_loss");
    info.normalisation = readValue<std::string>(a, "normalisation");
    info.history = readHistory(a);
    c10::IValue threshold; // absent before calibration: 0.5, not calibrated
    if (a.try_read("decision_threshold", threshold)) {
      info.calibration.threshold = threshold.toDouble();
      if (!(info.calibration.threshold > 0 && info.calibration.threshold < 1))
        throw std::runtime_error("checkpoint '" + path + "' has a decision threshold outside (0, 1)");
      info.calibration.source = readValue<std::string>(a, "threshold_source");
      info.calibration.dice = readValue<double>(a, "threshold_dice");
      info.calibration.diceAtHalf = readValue<double>(a, "threshold_dice_at_half");
      info.calibration.voxels = readValue<std::int64_t>(a, "threshold_voxels");
      info.calibration.crackVoxels = readValue<std::int64_t>(a, "threshold_crack_voxels");
    }
    info.model.validate();
  } catch (const std::runtime_error&) {
    throw;
  } catch (const std::exception& e) {
    throw damaged(path, std::string("metadata: ") + e.what());
  } catch (...) {
    throw damaged(path, "unreadable metadata");
  }
  return info;
}

} // namespace

std::string bestCheckpointName() { return "best.pt"; }
std::string lastCheckpointName() { return "last.pt"; }
std::string epochCheckpointName(int epoch) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "epoch-%04d.pt", epoch);
  return buf;
}

std::string resolveModelPath(const std::string& p) {
  std::error_code ec;
  if (!fs::exists(p, ec)) throw std::runtime_error("model '" + p + "' does not exist");
  if (!fs::is_directory(p, ec)) return p;
  for (const auto& name : {bestCheckpointName(), lastCheckpointName()}) {
    const fs::path f = fs::path(p) / name;
    if (fs::is_regular_file(f, ec)) return f.string();
  }
  throw std::runtime_error("model directory '" + p + "' holds no checkpoint (neither " + bestCheckpointName() +
                           " nor " + lastCheckpointName() + ")");
}

CheckpointInfo readCheckpointInfo(const std::string& path) {
  torch::serialize::InputArchive a;
  loadArchive(a, path);
  return readInfo(a, path);
}

namespace detail {

bool isCheckpointArchive(const torch::jit::Module& module) { return module.hasattr(kFormatKey); }

namespace {

// Builds the archive of a checkpoint in the layout of \p formatVersion (1: without the recipe).
void fillArchive(torch::serialize::OutputArchive& a, UNet& net, torch::optim::Optimizer* optimizer,
                 const CheckpointInfo& info, int formatVersion) {
  a.write(kFormatKey, c10::IValue(std::string(kFormatValue)));
  a.write("cdnet_format_version", c10::IValue(std::int64_t(formatVersion)));
  a.write("role", c10::IValue(info.role));
  a.write("model_preset", c10::IValue(info.model.preset));
  a.write("model_base_width", c10::IValue(std::int64_t(info.model.baseWidth)));
  a.write("model_dropout", c10::IValue(info.model.dropout));
  a.write("model_context_slices", c10::IValue(std::int64_t(info.model.contextSlices)));
  const TrainingRecord& t = info.training;
  a.write("train_batch", c10::IValue(std::int64_t(t.batch)));
  a.write("train_crop", c10::IValue(std::int64_t(t.crop)));
  a.write("train_learning_rate", c10::IValue(t.learningRate));
  a.write("train_val_fraction", c10::IValue(t.valFraction));
  a.write("train_seed", c10::IValue(std::int64_t(t.seed)));
  a.write("train_freeze_encoder", c10::IValue(std::int64_t(t.freezeEncoder ? 1 : 0)));
  if (formatVersion >= 2) {
    a.write("train_loss", c10::IValue(toString(t.loss)));
    a.write("train_lr_schedule", c10::IValue(toString(t.lrSchedule)));
    a.write("train_warmup_fraction", c10::IValue(t.warmupFraction));
    a.write("train_iterations_per_epoch", c10::IValue(std::int64_t(t.iterationsPerEpoch)));
    a.write("train_save_every_minutes", c10::IValue(t.saveEveryMinutes));
    a.write("train_save_every_steps", c10::IValue(std::int64_t(t.saveEverySteps)));
    a.write("train_checkpoint_every", c10::IValue(std::int64_t(t.checkpointEvery)));
    a.write("train_keep_checkpoints", c10::IValue(std::int64_t(t.keepCheckpoints)));
  }
  a.write("epoch", c10::IValue(std::int64_t(info.epoch)));
  a.write("iterations", c10::IValue(info.iterations));
  a.write("best_loss", c10::IValue(info.bestLoss));
  a.write("normalisation", c10::IValue(info.normalisation));
  writeHistory(a, info.history);
  if (formatVersion >= 2) {
    const ThresholdCalibration& c = info.calibration;
    a.write("decision_threshold", c10::IValue(c.threshold));
    a.write("threshold_source", c10::IValue(c.source));
    a.write("threshold_dice", c10::IValue(c.dice));
    a.write("threshold_dice_at_half", c10::IValue(c.diceAtHalf));
    a.write("threshold_voxels", c10::IValue(c.voxels));
    a.write("threshold_crack_voxels", c10::IValue(c.crackVoxels));
  }
  a.write("weights_checksum", c10::IValue(weightsChecksum(net)));
  torch::serialize::OutputArchive model;
  net->save(model);
  a.write("model", model);
  if (optimizer) {
    torch::serialize::OutputArchive opt;
    optimizer->save(opt);
    a.write("optimizer", opt);
  }
}

// Writes \p save's output atomically to \p path; returns the bytes written.
template <class Save> std::uint64_t writeAtomically(const std::string& path, Save save) {
  // Torch writes the archive through this function into the temporary file. A failed write must
  // not be reported to Torch: its archive writer then throws again from its destructor, which
  // aborts the process. So the first error is kept, the rest of the archive is discarded, and the
  // error is thrown once Torch is done.
  core::files::AtomicFile file(path);
  std::string error;
  std::uint64_t bytes = 0;
  try {
    save([&](const void* data, std::size_t n) -> std::size_t {
      if (!error.empty()) return n;
      try {
        file.write(data, n);
        bytes += n;
      } catch (const std::exception& e) {
        error = e.what();
      }
      return n;
    });
  } catch (const std::exception& e) {
    if (error.empty()) error = "cannot write checkpoint '" + path + "': " + e.what();
  }
  if (!error.empty()) throw std::runtime_error(error);
  file.commit();
  return bytes;
}

} // namespace

std::uint64_t writeCheckpoint(const std::string& path, UNet& net, torch::optim::Optimizer* optimizer,
                              const CheckpointInfo& info, int formatVersion) {
  torch::serialize::OutputArchive a;
  fillArchive(a, net, optimizer, info, formatVersion);
  return writeAtomically(path, [&](const std::function<std::size_t(const void*, std::size_t)>& w) { a.save_to(w); });
}

std::string serializeCheckpoint(UNet& net, torch::optim::Optimizer* optimizer, const CheckpointInfo& info) {
  torch::serialize::OutputArchive a;
  fillArchive(a, net, optimizer, info, kCheckpointFormatVersion);
  std::string bytes;
  a.save_to([&](const void* data, std::size_t n) -> std::size_t {
    bytes.append(static_cast<const char*>(data), n);
    return n;
  });
  return bytes;
}

std::uint64_t writeCheckpointBytes(const std::string& path, const std::string& bytes) {
  return writeAtomically(path, [&](const std::function<std::size_t(const void*, std::size_t)>& w) {
    w(bytes.data(), bytes.size());
  });
}

LoadedCheckpoint loadCheckpoint(const std::string& path, const torch::Device& device) {
  torch::serialize::InputArchive a;
  loadArchive(a, path);
  LoadedCheckpoint out;
  out.info = readInfo(a, path);
  out.net = UNet(out.info.model);
  try {
    torch::serialize::InputArchive model;
    a.read("model", model);
    out.net->load(model);
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    throw damaged(path, "weights: " + what.substr(0, what.find('\n')));
  }
  if (weightsChecksum(out.net) != readValue<std::int64_t>(a, "weights_checksum"))
    throw damaged(path, "the weights do not match their checksum");
  out.net->to(device);
  return out;
}

void loadOptimizerState(const std::string& path, torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive a;
  loadArchive(a, path);
  torch::serialize::InputArchive opt;
  if (!a.try_read("optimizer", opt))
    throw std::runtime_error("checkpoint '" + path + "' holds no optimiser state, so it cannot be resumed; "
                             "fine-tune from it instead");
  try {
    optimizer.load(opt);
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    throw damaged(path, "optimiser state: " + what.substr(0, what.find('\n')));
  }
}

} // namespace detail
} // namespace core::ml
