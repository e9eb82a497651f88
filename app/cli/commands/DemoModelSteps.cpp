// Demo steps after the phantom: train a small CDNet on a few of its slices, predict the cracks of
// slices it never saw and compare with a grey threshold (the paper's Figure 3), then measure the
// particles from the predicted cracks. Sized to finish in about a minute on two CPU cores.
#include "app/cli/commands/Demo.h"

#include "core/analysis/Analysis.h"
#include "core/analysis/Csv.h"
#include "core/analysis/Evaluation.h"
#include "core/labels/LabelConvention.h"
#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingData.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace {

namespace fs = std::filesystem;
using core::volume::Volume;

// Slices [0, kTrainDepth) may train (every 4th is labelled); slices from kTrainDepth on are unseen.
constexpr std::int64_t kTrainStride = 4;
constexpr double kTrainDepthFraction = 0.625;
double trainDepthFraction() { return kTrainDepthFraction; }

void trainStep(cli::DemoContext& ctx) {
  const Volume image = core::volume::readVolume(ctx.files.at("image"));
  const Volume cracks = core::volume::readVolume(ctx.files.at("cracks"));
  const std::int64_t depth = image.size().z, trainDepth = std::int64_t(double(depth) * trainDepthFraction());

  // Labels as a user would give them: whole slices, fully annotated, on every 4th slice.
  Volume labels(image.size(), core::volume::VoxelType::UInt8);
  std::vector<bool> annotated(std::size_t(depth), false);
  const std::int64_t slice = image.size().x * image.size().y;
  for (std::int64_t z = 0; z < trainDepth; z += kTrainStride) {
    annotated[std::size_t(z)] = true;
    const std::uint8_t* c = cracks.as<std::uint8_t>() + z * slice;
    std::uint8_t* l = labels.as<std::uint8_t>() + z * slice;
    for (std::int64_t i = 0; i < slice; ++i) l[i] = c[i] ? core::labels::kCrack : core::labels::kNotCrack;
  }
  const auto data = core::ml::TrainingData::fromVolumes(image, labels, annotated, ctx.files.at("image"), "demo labels");

  core::ml::TrainOptions opts;
  opts.model = core::ml::ModelOptions::paper(8);
  opts.epochs = ctx.trainEpochs;
  opts.maxMinutes = ctx.trainEpochs > 0 ? 0 : ctx.trainMinutes;
  opts.batch = 4;
  opts.crop = 96;
  opts.learningRate = 2e-3;
  opts.valFraction = 0.25;
  opts.device = core::ml::DeviceRequest::Cpu;
  opts.checkpointEvery = 0;
  opts.outDir = (fs::path(ctx.outDir) / "model").string();
  core::ml::TrainCallbacks cb;
  cb.onEpoch = [](const core::ml::EpochMetrics& m) {
    std::printf("  epoch %3d  train loss %.4f  validation loss %.4f  Dice %.3f  (%.0f s)\n", m.epoch, m.trainLoss,
                m.valLoss, m.valDice, m.elapsedSeconds);
    std::fflush(stdout);
  };
  if (ctx.trainEpochs > 0)
    std::printf("Training CDNet (base width 8) for %d epochs on %zu labelled slices...\n", ctx.trainEpochs,
                data.slices.size());
  else
    std::printf("Training CDNet (base width 8) for %.1f min on %zu labelled slices...\n", ctx.trainMinutes,
                data.slices.size());
  const core::ml::TrainResult r = core::ml::Trainer(opts, cb).run(data, *ctx.progress, *ctx.cancel);
  ctx.files["model"] = r.bestCheckpoint;
  std::printf("  best checkpoint: %s\n", r.bestCheckpoint.c_str());
}

double diceOf(const Volume& prediction, const Volume& truth) {
  return core::ml::evaluate(prediction, truth).overall.dice();
}

void predictStep(cli::DemoContext& ctx) {
  const Volume image = core::volume::readVolume(ctx.files.at("image"));
  const Volume cracks = core::volume::readVolume(ctx.files.at("cracks"));
  const std::int64_t depth = image.size().z, trainDepth = std::int64_t(double(depth) * trainDepthFraction());

  core::ml::Predictor predictor(core::ml::Model::load(ctx.files.at("model")));
  Volume probability = predictor.predict(image, 0, depth, *ctx.progress, *ctx.cancel);
  probability.setSpacing(image.spacing());
  const std::string out = (fs::path(ctx.outDir) / "prediction.nrrd").string();
  core::volume::writeVolume(probability, out);
  ctx.files["prediction"] = out;

  // Unseen slices only: CDNet against the best a grey threshold (Otsu) can do.
  const core::volume::Region unseen{{0, 0, trainDepth}, {image.size().x, image.size().y, depth - trainDepth}};
  const Volume p = probability.crop(unseen), t = cracks.crop(unseen), img = image.crop(unseen);
  const Volume greyVolume = img.convertTo(core::volume::VoxelType::Float32);
  const std::vector<float> grey(greyVolume.as<float>(), greyVolume.as<float>() + greyVolume.voxelCount());
  const double otsu = core::ml::otsuThreshold(grey);
  Volume dark(img.size(), core::volume::VoxelType::UInt8);
  for (std::int64_t i = 0; i < img.voxelCount(); ++i) dark.as<std::uint8_t>()[i] = grey[std::size_t(i)] < otsu ? 1 : 0;
  std::printf("Prediction written to %s\n", out.c_str());
  std::printf("  Dice on %lld unseen slices: CDNet %.3f, Otsu threshold %.3f\n", (long long)(depth - trainDepth),
              diceOf(p, t), diceOf(dark, t));
}

// The phantom's truth table: id and crack_fraction of each particle.
std::vector<core::analysis::TruthParticle> readTruth(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<core::analysis::TruthParticle> truth;
  int idColumn = -1, fractionColumn = -1;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (idColumn < 0) {
      for (int i = 0; i < int(cells.size()); ++i) {
        if (cells[std::size_t(i)] == "id") idColumn = i;
        if (cells[std::size_t(i)] == "crack_fraction") fractionColumn = i;
      }
      if (idColumn < 0 || fractionColumn < 0) throw std::runtime_error("'" + path + "' has no id or crack_fraction column");
      continue;
    }
    if (int(cells.size()) <= std::max(idColumn, fractionColumn)) throw std::runtime_error("'" + path + "': short row");
    truth.push_back({std::uint32_t(std::stoul(cells[std::size_t(idColumn)])), std::stod(cells[std::size_t(fractionColumn)])});
  }
  return truth;
}

void analyzeStep(cli::DemoContext& ctx) {
  const Volume image = core::volume::readVolume(ctx.files.at("image"));
  const Volume prediction = core::volume::readVolume(ctx.files.at("prediction"));
  const auto mask = core::analysis::makeCrackMask(prediction, 0.5);
  core::analysis::AnalysisOptions opts;
  const auto result = core::analysis::analyzeVolume(image, mask.mask, opts, *ctx.progress, *ctx.cancel);
  const std::string csv = (fs::path(ctx.outDir) / "particles.csv").string();
  const auto comments = core::analysis::analysisComments(
      result, opts, {ctx.files.at("image"), "model " + ctx.files.at("model") + ", threshold 0.5"}, image);
  core::analysis::writeCsv(result.particles, csv, comments);
  ctx.files["particles_csv"] = csv;
  const auto truth = readTruth(ctx.files.at("truth"));
  std::printf("Particles: %lld found (phantom truth: %zu), table written to %s\n",
              (long long)result.particles.rowCount(), truth.size(), csv.c_str());
  // Against the truth, so that splits and merges cannot cancel out in the count.
  const Volume truthLabels = core::volume::readVolume(ctx.files.at("particles"));
  const auto acc = core::analysis::compareToTruth(result.segmentation.labels, result.particles, truthLabels, truth,
                                                  opts.segmentation.minVolume);
  std::printf("  against the %lld true particles of at least %lld voxels: %lld one-to-one (IoU >= 0.5), %lld split, "
              "%lld merges, %lld unmatched, %lld spurious; crack fraction error median %.4f\n",
              (long long)acc.truthCount, (long long)opts.segmentation.minVolume, (long long)acc.oneToOne,
              (long long)acc.splitTruth, (long long)acc.merges, (long long)acc.unmatchedTruth,
              (long long)acc.spuriousFound, acc.medianAbsCrackFractionError);
}

} // namespace

CDNET_DEMO_STEP(200, train, "Train a small CDNet on every 4th slice of the first part of the phantom", trainStep)
CDNET_DEMO_STEP(250, predict, "Predict the cracks and compare with a grey threshold on unseen slices", predictStep)
CDNET_DEMO_STEP(300, analyze, "Segment the particles and measure their cracks", analyzeStep)
