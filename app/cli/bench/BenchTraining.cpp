#include "app/cli/bench/BenchTraining.h"

#include "app/cli/bench/BenchBaselines.h"

#include "core/ml/Trainer.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace cli {

core::ml::TrainingData everySecondSlice(const core::phantom::Phantom& phantom, int slices, const std::string& name,
                                        int contextSlices) {
  using core::volume::Region;
  using core::volume::Volume;
  const auto size = phantom.image.size();
  if (contextSlices > 0) {
    // The phantom's own slices 0 .. 2 * slices - 1 as images, labels on the even ones only.
    const Region all{{0, 0, 0}, {size.x, size.y, 2 * slices}};
    Volume labels = core::ml::toConventionLabels(phantom.cracks.crop(all), name + " cracks");
    std::vector<bool> annotated(std::size_t(2 * slices), false);
    const std::int64_t plane = std::int64_t(size.x) * size.y;
    for (int z = 0; z < 2 * slices; ++z) {
      annotated[std::size_t(z)] = z % 2 == 0;
      if (z % 2) std::fill_n(labels.as<std::uint8_t>() + z * plane, plane, std::uint8_t(0));
    }
    return core::ml::TrainingData::fromVolumes(phantom.image.crop(all), labels, annotated, name, name + " cracks",
                                               contextSlices);
  }
  Volume images({size.x, size.y, slices}, phantom.image.type());
  Volume mask({size.x, size.y, slices}, core::volume::VoxelType::UInt8);
  for (int z = 0; z < slices; ++z) {
    images.paste(phantom.image.crop(Region{{0, 0, 2 * z}, {size.x, size.y, 1}}), {0, 0, z});
    mask.paste(phantom.cracks.crop(Region{{0, 0, 2 * z}, {size.x, size.y, 1}}), {0, 0, z});
  }
  return core::ml::TrainingData::fromVolumes(images, core::ml::toConventionLabels(mask, name + " cracks"), {true}, name,
                                             name + " cracks");
}

core::ml::Model trainOnPhantom(const PhantomTrainingSpec& s) {
  using namespace core::ml;
  core::phantom::PhantomOptions po;
  po.size = {s.size, s.size, 2 * s.slices};
  po.seed = s.seed;
  const TrainingData data = everySecondSlice(core::phantom::generatePhantom(po), s.slices, "training phantom");
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
  const TrainResult r = trainWithEpochLines(o, data);
  return Model::load(r.bestCheckpoint, {DeviceRequest::Cpu, s.threads});
}

} // namespace cli
