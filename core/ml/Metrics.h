#pragma once
/// \file Metrics.h
/// Segmentation metrics of a crack prediction against a reference: Dice, IoU, precision and
/// recall, over the whole volume and per slice; JSON and CSV text. Torch-free.

#include "core/volume/Volume.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::ml {

/// Voxel counts of a binary comparison (crack = positive).
struct Confusion {
  std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  void add(bool predicted, bool truth) {
    if (predicted) (truth ? tp : fp) += 1;
    else (truth ? fn : tn) += 1;
  }
  Confusion& operator+=(const Confusion& o) {
    tp += o.tp; fp += o.fp; fn += o.fn; tn += o.tn;
    return *this;
  }
  std::int64_t total() const { return tp + fp + fn + tn; }
  /// 2TP / (2TP + FP + FN); 1 when neither side has a positive voxel.
  double dice() const;
  /// TP / (TP + FP + FN); 1 when neither side has a positive voxel.
  double iou() const;
  /// TP / (TP + FP); NaN when nothing was predicted positive.
  double precision() const;
  /// TP / (TP + FN); NaN when the reference has no positive voxel.
  double recall() const;
};

/// How the reference (truth) volume is read.
enum class TruthEncoding {
  Auto,       ///< 0/1 or 0/255 binary mask, or the label convention when the value 2 occurs
  BinaryMask, ///< nonzero = crack, every voxel counts
  Convention  ///< 0 unlabelled (ignored), 1 not crack, 2 crack
};

struct EvaluationOptions {
  double threshold = 0.5; ///< float predictions: crack where p >= threshold; uint8 0..255: p/255 >= threshold
  TruthEncoding truth = TruthEncoding::Auto;
};

struct Evaluation {
  Confusion overall;
  std::vector<Confusion> perSlice;
  double threshold = 0.5;
  bool truthIsConvention = false; ///< unlabelled reference voxels were left out
};

/// Compares \p prediction (float32 probabilities, or an integer mask 0/1, 0/255, or uint8
/// probabilities 0..255) with \p truth (binary mask or label convention). Throws
/// std::runtime_error naming \p predictionName / \p truthName when sizes differ or the truth
/// holds values outside its encoding.
Evaluation evaluate(const volume::Volume& prediction, const volume::Volume& truth, const EvaluationOptions& options = {},
                    const std::string& predictionName = "prediction", const std::string& truthName = "truth");

/// {"threshold":..,"overall":{"dice":..,...},"slices":[{"z":0,...},...]}; NaN becomes null.
std::string toJson(const Evaluation& e);
/// "slice,dice,iou,precision,recall,tp,fp,fn,tn" lines, then an "all" line; NaN is empty.
std::string toCsv(const Evaluation& e);

/// Otsu's threshold of \p values (256 bins between their min and max): the baseline a grey-value
/// threshold gives (CDNET.md, Figure 3).
double otsuThreshold(const std::vector<float>& values);

} // namespace core::ml
