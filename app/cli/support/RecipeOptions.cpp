#include "app/cli/support/RecipeOptions.h"

#include "app/cli/support/NumberChecks.h"

#include <cstdio>
#include <map>
#include <string>

namespace cli {

CLI::IsMember lossChoices() { return CLI::IsMember({"bce", "bce+dice", "bce+cldice"}); }

CLI::IsMember lrScheduleChoices() { return CLI::IsMember({"constant", "cosine"}); }

void addBenchLossOptions(CLI::App& cmd, std::string& loss, std::string& lrSchedule) {
  cmd.add_option("--loss", loss, "Training loss, as cdnet train --loss: bce, bce+dice or bce+cldice")
      ->capture_default_str()
      ->check(lossChoices());
  cmd.add_option("--lr-schedule", lrSchedule, "Learning-rate schedule, as cdnet train --lr-schedule")
      ->capture_default_str()
      ->check(lrScheduleChoices());
}

CLI::Option* addScaleOption(CLI::App& cmd, core::ml::AugmentOptions& a) {
  char range[64];
  std::snprintf(range, sizeof range, "%g,%g", a.scaleMin, a.scaleMax);
  return cmd.add_option_function<std::string>(
         "--aug-scale",
         [&a](const std::string& text) {
           double lo = 0, hi = 0;
           if (!parseMinMax(text, lo, hi) || !(lo >= 0.1) || !(hi >= lo) || hi > 10)
             throw CLI::ValidationError("--aug-scale", "'" + text + "': needs MIN,MAX with 0.1 <= MIN <= MAX <= 10 (e.g. 1,2.5)");
           a.scaleMin = lo;
           a.scaleMax = hi;
         },
         "Magnify every crop by a factor drawn log-uniformly from MIN to MAX (1,1 = off; default " + std::string(range) +
             "): a model for other pixel sizes (the real sample shows particles about twice as many pixels across "
             "as the phantom)")
      ->type_name("MIN,MAX");
}

void addRecipeOptions(CLI::App& cmd, core::ml::TrainOptions& o) {
  using core::ml::BestMetric;
  const std::string g = "Recipe";
  auto num = [&](const char* name, double& v, const char* help, double hi) {
    cmd.add_option(name, v, help)->capture_default_str()->check(numberIn(0, hi))->group(g);
  };
  num("--val-strip", o.valStrip,
      "Hold out the bottom share of every labelled slice for validation (best.pt, early stopping) instead of "
      "whole slices; for one or a few slices (0 = off)",
      0.9);
  cmd.add_option("--best-by", o.bestMetric, "What best.pt and early stopping watch: loss or dice (validation)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, BestMetric>{{"loss", BestMetric::Loss},
                                                                            {"dice", BestMetric::Dice}}))
      ->option_text("loss|dice (default " + core::ml::toString(o.bestMetric) + ")")
      ->group(g);
  cmd.add_option("--patience", o.patience, "Stop after this many epochs without a better validation (0 = never)")
      ->capture_default_str()
      ->check(wholeIn(0, 1000000))
      ->group(g);
  num("--weight-decay", o.weightDecay, "Adam's L2 weight decay (0 = none)", 1);
  cmd.add_option("--dropout", o.dropout, "Dropout of the network's two deepest levels (-1 = the model's; paper 0.5)")
      ->capture_default_str()
      ->check(numberIn(-1, 1, false, true))
      ->group(g);
  cmd.add_option("--weight-average", o.weightAverage,
                 "Keep an exponential moving average of the weights with this decay per step (e.g. 0.99) and "
                 "save it as the model (0 = off)")
      ->capture_default_str()
      ->check(numberIn(0, 1, false, true))
      ->group(g);
  cmd.add_flag("--freeze-encoder", o.freezeEncoder,
               "Fine-tuning (--fine-tune, --init): keep the encoder's weights fixed and train the decoder only")
      ->group(g);
  num("--aug-elastic", o.augment.elastic, "Elastic deformation of up to this many pixels (0 = off)", 64);
  addScaleOption(cmd, o.augment)->group(g);
  num("--aug-gamma", o.augment.gamma, "Gamma jitter: gamma in [e^-G, e^G] (0 = off)", 2);
  num("--aug-contrast", o.augment.contrast, "Contrast jitter: factor in [1-C, 1+C] (0 = off)", 0.9);
  num("--aug-brightness", o.augment.brightness, "Brightness jitter in standard deviations (0 = off)", 5);
  num("--aug-blur", o.augment.blur, "Gaussian blur of sigma up to this many pixels (0 = off)", 5);
  num("--aug-noise", o.augment.noise, "Gaussian noise of sigma up to this many standard deviations (0 = off)", 5);
}

} // namespace cli
