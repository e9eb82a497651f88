// cdnet evaluate: Dice, IoU, precision and recall, clDice and boundary F1 of a prediction against a
// reference mask or labels, overall and per slice, slab by slab; JSON and CSV.
#include "app/cli/support/Command.h"
#include "app/cli/support/DecisionThreshold.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/MlCommon.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/files/AtomicFile.h"
#include "core/ml/Metrics.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

namespace cli {

namespace {

using namespace core::ml;
using core::volume::Volume;

struct EvaluateArgs {
  std::string prediction, truth, json, csv, truthAs = "auto", slices = ":", model;
  std::string threshold = "0.5"; // auto: the --model's calibrated threshold (0.5 without --model)
};

std::string sizeText(const core::volume::Size3& s) {
  return std::to_string(s.x) + " x " + std::to_string(s.y) + " x " + std::to_string(s.z);
}

void writeText(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fputs(text.c_str(), stdout);
    return;
  }
  core::files::writeFileAtomically(path, text);
}

void runEvaluate(const EvaluateArgs& a) {
  ThresholdCalibration calibration; // 0.5 without --model
  if (!a.model.empty() && isAutoThreshold(a.threshold)) calibration = calibrationOf(Model::load(a.model, {DeviceRequest::Cpu, 1}));
  const double threshold = decisionThresholdFor(a.threshold, calibration);
  const std::string thresholdChoice =
      a.model.empty() ? std::string() : describeThresholdChoice(a.threshold, calibration);
  if (isAutoThreshold(a.threshold) && a.model.empty())
    throw std::invalid_argument("--threshold auto needs --model: the model whose calibrated threshold to use");
  auto pred = core::volume::openVolume(a.prediction);
  auto truth = core::volume::openVolume(a.truth);
  const auto ps = pred->info().size, ts = truth->info().size;
  if (ps != ts)
    throw std::runtime_error("prediction '" + a.prediction + "' (" + sizeText(ps) + ") and reference '" + a.truth + "' (" +
                             sizeText(ts) + ") differ in size");
  std::int64_t z0 = 0, z1 = 0;
  parseSliceRange(a.slices, ts.z, z0, z1);
  const std::uint64_t slabBytes = 256ull << 20;
  const std::int64_t perSlab =
      std::max<std::int64_t>(1, std::int64_t(slabBytes / std::max<std::uint64_t>(1, pred->info().sliceBytes() +
                                                                                        truth->info().sliceBytes())));
  EvaluationOptions eo;
  eo.threshold = threshold;
  TerminalProgress progress("evaluate");
  // The reference's encoding over the whole range: a value 2 anywhere makes it labels.
  if (a.truthAs == "auto") {
    bool convention = false, has255 = false;
    for (std::int64_t z = z0; z < z1; z += perSlab) {
      const Volume t = truth->readSlab(z, std::min(z1, z + perSlab));
      convention = convention || detectLabelEncoding(t, a.truth) == LabelEncoding::Convention;
      has255 = has255 || core::volume::computeStats(t).max == 255;
      progress.setProgress(0.3 * double(z - z0) / double(z1 - z0), "Reading the reference");
    }
    if (convention && has255)
      throw std::runtime_error("reference '" + a.truth + "' mixes 255 with the value 2: neither a binary mask nor labels");
    eo.truth = convention ? TruthEncoding::Convention : TruthEncoding::BinaryMask;
  } else if (a.truthAs == "mask") {
    eo.truth = TruthEncoding::BinaryMask;
  } else if (a.truthAs == "labels") {
    eo.truth = TruthEncoding::Convention;
  } else {
    throw std::invalid_argument("--truth-as must be auto, mask or labels");
  }
  Evaluation all;
  all.threshold = threshold;
  all.truthIsConvention = eo.truth == TruthEncoding::Convention;
  for (std::int64_t z = z0; z < z1; z += perSlab) {
    const std::int64_t ze = std::min(z1, z + perSlab);
    const Evaluation e = evaluate(pred->readSlab(z, ze), truth->readSlab(z, ze), eo, a.prediction, a.truth);
    all.append(e);
    progress.setProgress(0.3 + 0.7 * double(ze - z0) / double(z1 - z0), "Comparing");
  }
  progress.done();
  if (!a.json.empty()) writeText(a.json, toJson(all));
  if (!a.csv.empty()) writeText(a.csv, toCsv(all));
  if (a.json == "-" || a.csv == "-") return;
  const Confusion& c = all.overall;
  std::printf("Dice %s  IoU %s  precision %s  recall %s\n", formatMetric(c.dice()).c_str(), formatMetric(c.iou()).c_str(),
              formatMetric(c.precision()).c_str(), formatMetric(c.recall()).c_str());
  const ThinCounts& t = all.overallThin;
  std::printf("clDice %s (topology precision %s, sensitivity %s)  boundary F1 %s at 1 voxel (precision %s, recall %s)\n",
              formatMetric(t.clDice()).c_str(), formatMetric(t.topologyPrecision()).c_str(),
              formatMetric(t.topologySensitivity()).c_str(), formatMetric(t.boundaryF1()).c_str(),
              formatMetric(t.boundaryPrecision()).c_str(), formatMetric(t.boundaryRecall()).c_str());
  std::printf("relaxed F1 %s at 1 voxel (share of the prediction within 1 voxel of the reference %s, of the reference "
              "within 1 voxel of the prediction %s)\n",
              formatMetric(t.relaxedF1()).c_str(), formatMetric(t.relaxedPrecision()).c_str(),
              formatMetric(t.relaxedRecall()).c_str());
  std::printf("%lld voxels compared (%s), %lld crack in the reference, %lld predicted; threshold %g%s\n",
              static_cast<long long>(c.total()), all.truthIsConvention ? "labelled voxels of the labels" : "binary mask",
              static_cast<long long>(c.tp + c.fn), static_cast<long long>(c.tp + c.fp), threshold,
              thresholdChoice.c_str());
  if (all.perSlice.size() > 1) {
    std::size_t worst = 0;
    for (std::size_t i = 1; i < all.perSlice.size(); ++i)
      if (all.perSlice[i].dice() < all.perSlice[worst].dice()) worst = i;
    std::printf("lowest slice Dice %s at slice %lld\n", formatMetric(all.perSlice[worst].dice()).c_str(),
                static_cast<long long>(z0 + std::int64_t(worst)));
  }
}

void setupEvaluate(CLI::App& cmd) {
  auto a = std::make_shared<EvaluateArgs>();
  cmd.add_option("--prediction", a->prediction,
                 "Prediction: float32 probabilities, uint8 probabilities (0..255) or a 0/1 or 0/255 mask")
      ->required();
  cmd.add_option("--truth", a->truth, "Reference: a binary mask (0/1, 0/255) or labels (0 unlabelled, 1, 2 crack)")
      ->required();
  cmd.add_option("--threshold", a->threshold,
                 "Crack where the probability >= T; auto: the decision threshold calibrated when --model was trained "
                 "(0.5 without --model or for a model without one)")
      ->capture_default_str()
      ->type_name("auto|T")
      ->check(kDecisionThreshold);
  cmd.add_option("--model", a->model,
                 "The model that made the prediction (checkpoint, training folder or TorchScript): --threshold auto "
                 "uses its calibrated threshold")
      ->type_name("MODEL");
  cmd.add_option("--truth-as", a->truthAs, "How to read the reference: auto, mask or labels")->capture_default_str();
  cmd.add_option("--slices", a->slices, "Slice range A:B")->capture_default_str();
  cmd.add_option("--json", a->json, "Write overall and per-slice metrics as JSON to this file ('-' = stdout)");
  cmd.add_option("--csv", a->csv, "Write per-slice metrics as CSV to this file ('-' = stdout)");
  cmd.footer("Dice and IoU are 1 where neither side has a crack voxel; precision and recall are undefined (null / "
             "empty) where their denominator is 0. With labels as the reference, unlabelled voxels are left out.\n"
             "clDice compares centrelines (2D skeletons per slice): 2 Tprec Tsens / (Tprec + Tsens) with Tprec the share "
             "of the prediction's skeleton inside the reference and Tsens the share of the reference's skeleton inside "
             "the prediction. Boundary F1: boundary pixels of each side within 1 voxel (8-neighbourhood, per slice) of "
             "the other's. Both are 1 where neither side has a crack and 0 where only one has; summed over slices.");
  cmd.callback([a] { runEvaluate(*a); });
}

} // namespace

CDNET_COMMAND(evaluate,
              "Dice, IoU, precision, recall, clDice and boundary F1 of a prediction against a reference, overall and per slice",
              setupEvaluate)

} // namespace cli
