#pragma once
/// \file Metrics.h
/// Segmentation metrics of a crack prediction against a reference: Dice, IoU, precision and
/// recall, and the thin-structure metrics clDice (centreline Dice), boundary F1 and relaxed F1 at
/// one-voxel tolerance, over the whole volume and per slice; JSON and CSV text. Torch-free.

#include "core/volume/Volume.h"

#include <cstdint>
#include <string>
#include <utility>
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

/// Pixel counts of the thin-structure metrics of one or more 2D slices (summed over slices, so the
/// volume's values are micro-averages). P = predicted crack, T = reference crack, S(.) = the
/// skeleton of a mask per 2D slice (Zhang-Suen thinning, 8-connected; a component that thinning
/// would erase entirely, such as a 2x2 block, keeps one pixel, so S(X) is empty only when X is).
/// Boundary of X: the pixels of X with a 4-neighbour outside X (pixels beyond the slice edge count
/// as outside). With labels as the reference, only pixels on labelled voxels are counted.
struct ThinCounts {
  std::int64_t predSkeleton = 0, predSkeletonInTruth = 0;   ///< |S(P)|, |S(P) n T|
  std::int64_t truthSkeleton = 0, truthSkeletonInPred = 0;  ///< |S(T)|, |S(T) n P|
  std::int64_t predBoundary = 0, predBoundaryMatched = 0;   ///< boundary of P; those within 1 px (8-neighbourhood) of T's boundary
  std::int64_t truthBoundary = 0, truthBoundaryMatched = 0; ///< boundary of T; those within 1 px of P's boundary
  std::int64_t predPixels = 0, predNearTruth = 0;           ///< |P|; pixels of P within 1 px (8-neighbourhood) of T
  std::int64_t truthPixels = 0, truthNearPred = 0;          ///< |T|; pixels of T within 1 px of P
  ThinCounts& operator+=(const ThinCounts& o);
  /// |S(P) n T| / |S(P)|; NaN when nothing was predicted.
  double topologyPrecision() const;
  /// |S(T) n P| / |S(T)|; NaN when the reference has no crack.
  double topologySensitivity() const;
  /// 2 Tprec Tsens / (Tprec + Tsens); 1 when neither side has a crack, 0 when only one has (or
  /// both terms are 0).
  double clDice() const;
  /// Share of P's boundary within 1 px of T's boundary; NaN when P is empty.
  double boundaryPrecision() const;
  /// Share of T's boundary within 1 px of P's boundary; NaN when T is empty.
  double boundaryRecall() const;
  /// Harmonic mean of the two; 1 when neither side has a crack, 0 when only one has.
  double boundaryF1() const;
  /// Relaxed precision (the tolerance measure of crack and road detection): the share of P within
  /// 1 px of T; NaN when P is empty.
  double relaxedPrecision() const;
  /// Relaxed recall: the share of T within 1 px of P; NaN when T is empty.
  double relaxedRecall() const;
  /// Harmonic mean of the two: Dice that forgives a crack marked one pixel off (a one-pixel
  /// crack of sub-pixel width has no better-defined position); 1 when neither side has a crack.
  double relaxedF1() const;
};

/// Thin-structure counts of one 2D slice: \p predicted and \p truth are width * height bytes,
/// nonzero = crack; \p counted (optional) marks the pixels that count (labelled voxels).
ThinCounts thinCounts(const std::uint8_t* predicted, const std::uint8_t* truth, int width, int height,
                      const std::uint8_t* counted = nullptr);

/// Zhang-Suen thinning of a 2D mask (nonzero = foreground) into 0/1 bytes; components that would
/// vanish keep one pixel.
std::vector<std::uint8_t> skeletonize(const std::uint8_t* mask, int width, int height);

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
  ThinCounts overallThin;               ///< clDice and boundary F1 counts, all slices
  std::vector<ThinCounts> perSliceThin; ///< one per slice, as perSlice
  double threshold = 0.5;
  bool truthIsConvention = false; ///< unlabelled reference voxels were left out
  /// Appends the slices of \p next (the following slab) and adds its counts.
  void append(const Evaluation& next);
};

/// Compares \p prediction (float32 probabilities, or an integer mask 0/1, 0/255, or uint8
/// probabilities 0..255) with \p truth (binary mask or label convention). Throws
/// std::runtime_error naming \p predictionName / \p truthName when sizes differ or the truth
/// holds values outside its encoding.
Evaluation evaluate(const volume::Volume& prediction, const volume::Volume& truth, const EvaluationOptions& options = {},
                    const std::string& predictionName = "prediction", const std::string& truthName = "truth");

/// {"threshold":..,"overall":{"dice":..,...,"cldice":..,"boundary_f1":..},"slices":[{"z":0,...},...]};
/// NaN becomes null.
std::string toJson(const Evaluation& e);
/// "slice,dice,iou,precision,recall,tp,fp,fn,tn,cldice,topology_precision,topology_sensitivity,
/// boundary_f1,boundary_precision,boundary_recall" lines, then an "all" line; NaN is empty.
std::string toCsv(const Evaluation& e);

/// Otsu's threshold of \p values (256 bins between their min and max): the baseline a grey-value
/// threshold gives (CDNET.md, Figure 3).
double otsuThreshold(const std::vector<float>& values);

/// Slices and their mean binary entropy, most uncertain first.
using SliceRanking = std::vector<std::pair<std::int64_t, double>>;

/// Mean binary entropy (bits, 0..1) of uint8 probabilities (value / 255) of one slice.
double meanBinaryEntropy(const std::uint8_t* probabilities, std::size_t count);

/// Slices \p candidates of \p prediction (uint8 probabilities) sorted by decreasing mean binary
/// entropy, as (z, entropy) pairs; candidates outside the volume are skipped. The studio's
/// "Suggest next slice" ranks with it (active learning by uncertainty).
SliceRanking rankSlicesByUncertainty(const volume::Volume& prediction, const std::vector<std::int64_t>& candidates);

} // namespace core::ml
