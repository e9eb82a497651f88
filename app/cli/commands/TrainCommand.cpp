// cdnet train: train CDNet on an image volume and its labels (or a binary mask), resume a run or
// fine-tune a checkpoint; prints one line of metrics per epoch.
#include "app/cli/support/Command.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/RecipeOptions.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/ml/Checkpoint.h"
#include "core/ml/StarterModel.h"
#include "core/ml/Trainer.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace cli {

namespace {

using namespace core::ml;

/// What the command line sets: the engine's options (bound to their flags, filled nowhere else) and
/// the few choices that need parsing or a checkpoint to resolve.
struct TrainArgs {
  TrainOptions o = [] {
    TrainOptions t;
    t.epochs = 0; // --epochs unset: 50 unless --max-minutes is given (runTrain)
    return t;
  }();
  std::string images, labels, labelsAs = "auto";
  std::string loss = toString(TrainOptions{}.loss), lrSchedule = toString(TrainOptions{}.lrSchedule);
  std::string precision = "fp32";
  VolumeOptions volume;
  DeviceArgs device;
  int contextSlices = -1; // --context: -1 = the checkpoint's, else 0
  int baseWidth = 0;      // 0 = the checkpoint's, else the paper's
  bool fullyAnnotated = false, noAugment = false;
  CLI::Option* fineTuneOption = nullptr;
};

void runTrain(TrainArgs a) {
  // --fine-tune without a file: the starter model that ships with the program.
  TrainOptions o = a.o;
  if (a.fineTuneOption && a.fineTuneOption->count() > 0 && o.fineTuneFrom.empty()) {
    o.fineTuneFrom = findStarterModel();
    if (o.fineTuneFrom.empty())
      throw std::runtime_error("--fine-tune without a checkpoint starts from the starter model, but there is none at " +
                               starterModelSearchPath() + "; give a checkpoint, or leave --fine-tune out");
    std::printf("fine-tuning the starter model %s\n", o.fineTuneFrom.c_str());
  }
  if (o.epochs == 0 && o.maxMinutes <= 0 && o.maxSteps == 0) o.epochs = 50;
  o.device = a.device.request();
  o.cpuThreads = a.device.threads;
  o.precision = parsePrecision(a.precision);
  o.loss = parseLossKind(a.loss);
  o.lrSchedule = parseLrSchedule(a.lrSchedule);
  o.augment.enabled = !a.noAugment;
  // The architecture: as asked, else as the checkpoint has it, else the paper's.
  const std::string start = !o.resumeFrom.empty() ? o.resumeFrom : o.fineTuneFrom;
  if (!start.empty()) {
    const std::string path = resolveModelPath(start);
    const CheckpointInfo info = readCheckpointInfo(path);
    if (a.baseWidth > 0 && a.baseWidth != info.model.baseWidth)
      throw std::runtime_error("checkpoint '" + path + "' holds a model of base width " +
                               std::to_string(info.model.baseWidth) + ", not the base width " +
                               std::to_string(a.baseWidth) + " asked for");
    if (a.contextSlices >= 0 && a.contextSlices != info.model.contextSlices)
      throw std::runtime_error("checkpoint '" + path + "' holds a model with " +
                               std::to_string(info.model.contextSlices) + " context slices, not the " +
                               std::to_string(a.contextSlices) + " asked for (--context)");
    o.model = info.model;
  } else {
    if (a.baseWidth > 0) o.model.baseWidth = a.baseWidth;
    o.model.contextSlices = std::max(0, a.contextSlices);
  }
  o.model.validate();
  resolvePrecision(o.precision, resolveDevice(o.device, o.cpuThreads).cuda); // clear errors before any file is read

  // Images and labels, checked against each other and the label convention.
  const core::volume::ReadOptions ro = toReadOptions(a.volume);
  core::volume::ReadOptions labelRead = ro;
  labelRead.mode = core::volume::DownsampleMode::Nearest;
  TerminalProgress reading("reading");
  const core::volume::Volume images = core::volume::readVolume(a.images, toOpenOptions(a.volume), ro, reading);
  const core::volume::Volume rawLabels = core::volume::readVolume(a.labels, {}, labelRead, reading);
  reading.done();
  LabelEncoding storage;
  LabelEncoding* forced = parseLabelEncoding(a.labelsAs, storage);
  if (!forced && core::volume::computeStats(rawLabels).max == 0)
    throw std::runtime_error("labels '" + a.labels + "' have no labelled voxel at all (every value is 0); label crack "
                             "(2) and not-crack (1) voxels, or pass --labels-as mask for a mask without cracks");
  const LabelEncoding encoding = forced ? *forced : detectLabelEncoding(rawLabels, a.labels);
  const core::volume::Volume labels = toConventionLabels(rawLabels, a.labels, forced);
  const bool fully = a.fullyAnnotated || encoding == LabelEncoding::BinaryMask;
  const TrainingData data = TrainingData::fromVolumes(images, labels, {fully}, a.images, a.labels,
                                                      o.model.contextSlices);
  std::printf("training data: %zu labelled slices of %lld x %lld, %lld labelled voxels, %.2f%% crack (%s)\n",
              data.slices.size(), static_cast<long long>(images.size().x), static_cast<long long>(images.size().y),
              static_cast<long long>(data.labelledCount()),
              100.0 * double(data.crackCount()) / double(std::max<std::int64_t>(1, data.labelledCount())),
              encoding == LabelEncoding::BinaryMask ? "binary mask, fully annotated"
                                                    : (fully ? "labels, fully annotated" : "labels, sparse"));

  TerminalProgress progress("train");
  TrainCallbacks cb;
  cb.onMessage = [&](const std::string& m) {
    progress.done();
    std::printf("%s\n", m.c_str());
    std::fflush(stdout);
  };
  cb.onEpoch = [&](const EpochMetrics& m) {
    progress.done();
    std::printf("epoch %4d  train loss %s  val loss %s  Dice %s  precision %s  recall %s  %s  (left %s)\n", m.epoch,
                formatMetric(m.trainLoss).c_str(), formatMetric(m.valLoss).c_str(), formatMetric(m.valDice).c_str(),
                formatMetric(m.valPrecision).c_str(), formatMetric(m.valRecall).c_str(), formatDuration(m.seconds).c_str(),
                formatDuration(m.remainingSeconds).c_str());
    std::fflush(stdout);
  };
  const TrainResult r = Trainer(o, cb).run(data, progress, interruptToken());
  progress.done();
  std::printf("%s%s; checkpoints in %s (best: %s)\n",
              r.stoppedByTime ? "time budget reached" : r.stoppedEarly ? "stopped early" : "done",
              r.history.empty() ? "" : (", " + std::to_string(r.history.back().epoch) + " epochs").c_str(), o.outDir.c_str(),
              r.bestCheckpoint.empty() ? "none" : r.bestCheckpoint.c_str());
}

void setupTrain(CLI::App& cmd) {
  auto a = std::make_shared<TrainArgs>();
  cmd.add_option("--images", a->images, "Image volume (any format cdnet reads, a single 2D image too)")->required();
  cmd.add_option("--labels", a->labels,
                 "Labels of the same size: 0 unlabelled, 1 not crack, 2 crack; or a binary mask (0/1, 0/255), taken "
                 "as fully annotated")
      ->required();
  cmd.add_option("--out", a->o.outDir, "Folder that receives the checkpoints (best.pt, last.pt, epoch-NNNN.pt)")->required();
  cmd.add_option("--from", a->o.resumeFrom, "Resume this checkpoint (weights, optimiser, epoch, history continue)");
  a->fineTuneOption = cmd.add_option("--fine-tune", a->o.fineTuneFrom,
                                     "Start from this checkpoint's weights on new labels (a new run); without a file, "
                                     "from the starter model that ships with cdnet")
                          ->expected(0, 1);
  cmd.add_option("--precision", a->precision,
                 "Training steps on the CPU: fp32, bf16 (bf16 forward and backward, fp32 weights; an error on a CPU "
                 "without AVX512_BF16 or AMX) or auto (bf16 where the CPU has it)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  cmd.add_option("--base-width", a->baseWidth, "Channels of the first level: 64 is the paper's network; 32 or 16 "
                                               "for CPUs (default 64, or the checkpoint's)")
      ->check(wholeIn(1, 256));
  cmd.add_option("--context", a->contextSlices,
                 "2.5D input: neighbour slices on each side the network also sees (2K+1 channels; 0 = 2D, the "
                 "default, or the checkpoint's); the images need at least 2K+1 slices")
      ->check(wholeIn(0, kMaxContextSlices));
  cmd.add_option("--epochs", a->o.epochs, "Epochs to run (default 50 unless --max-minutes is given)")
      ->check(wholeIn(1, 1000000));
  cmd.add_option("--max-minutes", a->o.maxMinutes, "Stop after this many minutes (with --epochs: whichever comes first)")
      ->check(numberIn(0, 525600, true));
  cmd.add_option("--max-steps", a->o.maxSteps, "Stop after this many optimiser steps (equal work on a busy machine)")
      ->check(wholeIn(1, 1000000000));
  cmd.add_option("--batch", a->o.batch, "Crops per step")->capture_default_str()->check(wholeIn(1, 4096));
  cmd.add_option("--crop-size", a->o.crop, "Side of the training crops in pixels, a multiple of 32 (rounded down)")
      ->capture_default_str()
      ->check(wholeIn(32, 8192));
  cmd.add_option("--val-fraction", a->o.valFraction, "Share of labelled slices (the last ones) held out for validation")
      ->capture_default_str()
      ->check(numberIn(0, 1, false, true));
  cmd.add_option("--lr", a->o.learningRate, "Adam learning rate")->capture_default_str()->check(numberIn(0, 1, true));
  cmd.add_option("--seed", a->o.seed, "Random seed; the same seed repeats a CPU run exactly")
      ->capture_default_str()
      ->check(kSeed);
  cmd.add_option("--loss", a->loss,
                 "Training loss over labelled voxels: bce (the paper's), bce+dice (plus soft Dice) or bce+cldice "
                 "(plus soft centreline Dice; experimental, see README); a resumed run keeps its checkpoint's")
      ->capture_default_str()
      ->check(lossChoices());
  cmd.add_option("--lr-schedule", a->lrSchedule,
                 "constant, or cosine (short warm-up, then down to 1/100 over the time or epoch budget)")
      ->capture_default_str()
      ->check(lrScheduleChoices());
  cmd.add_option("--save-every-minutes", a->o.saveEveryMinutes,
                 "Write last.pt and best.pt at most this often (and always at the end, also on Ctrl-C); "
                 "0 = after every epoch")
      ->capture_default_str()
      ->check(numberIn(0, 525600));
  cmd.add_option("--save-every-steps", a->o.saveEverySteps, "Also write them after this many steps (0 = by time only)")
      ->capture_default_str()
      ->check(wholeIn(0, 1000000000));
  cmd.add_option("--checkpoint-every", a->o.checkpointEvery, "Also keep a checkpoint every N epochs (0 = never)")
      ->capture_default_str()
      ->check(wholeIn(0, 1000000));
  cmd.add_option("--keep-checkpoints", a->o.keepCheckpoints,
                 "Keep only the newest N of those periodic checkpoints, deleting older ones (0 = keep all)")
      ->capture_default_str()
      ->check(wholeIn(0, 1000000));
  cmd.add_option("--iterations-per-epoch", a->o.iterationsPerEpoch,
                 "Steps per epoch (default: enough crops to cover the training slices once, at least 20)")
      ->check(wholeIn(1, 10000000));
  cmd.add_option("--labels-as", a->labelsAs, "How to read --labels: auto, mask or labels")->capture_default_str();
  cmd.add_flag("--fully-annotated", a->fullyAnnotated, "Unlabelled voxels (0) count as not crack on every slice");
  cmd.add_flag("--no-augment", a->noAugment, "No rotation, shear, zoom, flips, elastic deformation or intensity jitter (crops only)");
  addRecipeOptions(cmd, a->o);
  addDeviceOptions(cmd, a->device);
  addOpenOptions(cmd, a->volume);
  cmd.footer("Validation uses the last --val-fraction of the labelled slices. Checkpoints are written atomically "
             "and by time, not every epoch; stopping (Ctrl-C) writes last.pt of the newest weights. The run ends with "
             "a line saying how much disk its checkpoints keep and how much it wrote.");
  cmd.callback([a] { runTrain(*a); });
}

} // namespace

CDNET_COMMAND(train, "Train CDNet on images and crack labels (or resume / fine-tune a checkpoint)", setupTrain)

} // namespace cli
