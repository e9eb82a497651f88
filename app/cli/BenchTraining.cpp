#include "BenchTraining.h"

#include "MlCommon.h"
#include "TerminalProgress.h"

#include "core/ml/Trainer.h"
#include "core/phantom/Phantom.h"

#include <cstdio>

namespace cli {

core::ml::Model trainOnPhantom(const PhantomTrainingSpec& s) {
  using namespace core::ml;
  using core::volume::Region;
  using core::volume::Volume;
  core::phantom::PhantomOptions po;
  po.size = {s.size, s.size, 2 * s.slices};
  po.seed = s.seed;
  const core::phantom::Phantom ph = core::phantom::generatePhantom(po);
  Volume images({s.size, s.size, s.slices}, ph.image.type());
  Volume mask({s.size, s.size, s.slices}, core::volume::VoxelType::UInt8);
  for (int z = 0; z < s.slices; ++z) {
    images.paste(ph.image.crop(Region{{0, 0, 2 * z}, {s.size, s.size, 1}}), {0, 0, z});
    mask.paste(ph.cracks.crop(Region{{0, 0, 2 * z}, {s.size, s.size, 1}}), {0, 0, z});
  }
  const TrainingData data = TrainingData::fromVolumes(images, toConventionLabels(mask, "phantom cracks"), {true},
                                                      "training phantom", "training phantom cracks");
  TrainOptions o;
  o.model = ModelOptions::paper(s.baseWidth);
  o.epochs = 0;
  o.maxMinutes = s.minutes;
  o.crop = 128;
  o.learningRate = 1e-3;
  o.valFraction = 0.125;
  o.device = DeviceRequest::Cpu;
  o.cpuThreads = s.threads;
  o.seed = s.seed;
  o.outDir = s.outDir;
  o.checkpointEvery = 0;
  std::printf("training a base-%d model for %.1f min on %d slices of a %d x %d phantom (seed %llu)\n", s.baseWidth,
              s.minutes, s.slices, s.size, s.size, static_cast<unsigned long long>(s.seed));
  TerminalProgress progress("train");
  TrainCallbacks cb;
  cb.onEpoch = [&](const EpochMetrics& m) {
    progress.done();
    std::printf("  epoch %3d  train loss %s  val Dice %s  %s elapsed\n", m.epoch, formatMetric(m.trainLoss).c_str(),
                formatMetric(m.valDice).c_str(), formatDuration(m.elapsedSeconds).c_str());
    std::fflush(stdout);
  };
  const TrainResult r = Trainer(o, cb).run(data, progress);
  progress.done();
  return Model::load(r.bestCheckpoint, {DeviceRequest::Cpu, s.threads});
}

} // namespace cli
