#include "core/analysis/CrackFilters.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace core::analysis {

const char* crackFilterName(CrackFilter filter) {
  switch (filter) {
  case CrackFilter::Threshold: return "threshold";
  case CrackFilter::BlackTopHat: return "tophat";
  case CrackFilter::Ridge: return "ridge";
  }
  return "?";
}

const char* ridgeMeasureName(RidgeMeasure measure) { return measure == RidgeMeasure::Sato ? "sato" : "frangi"; }

std::string CrackFilterParams::describe() const {
  std::ostringstream s;
  s.precision(4);
  switch (filter) {
  case CrackFilter::Threshold: s << "normalised grey <= " << -threshold; break;
  case CrackFilter::BlackTopHat: s << "radius " << radius << ", top-hat >= " << threshold; break;
  case CrackFilter::Ridge:
    s << ridgeMeasureName(measure) << ", scales";
    for (std::size_t i = 0; i < scales.size(); ++i) s << (i ? "," : " ") << scales[i];
    s << ", response >= " << threshold;
    break;
  }
  if (filter != CrackFilter::Ridge && smooth > 0) s << ", smoothing " << smooth;
  return s.str();
}

namespace {

cv::Mat smoothed(const float* image, int width, int height, double sigma) {
  const cv::Mat in(height, width, CV_32F, const_cast<float*>(image));
  cv::Mat out;
  if (sigma > 0) cv::GaussianBlur(in, out, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT_101);
  else out = in.clone();
  return out;
}

/// Gaussian, first and second derivative kernels of \p sigma (the second with zero sum).
void gaussianKernels(double sigma, cv::Mat& g, cv::Mat& d1, cv::Mat& d2) {
  const int r = std::max(1, int(std::ceil(3.0 * sigma)));
  g.create(2 * r + 1, 1, CV_32F);
  d1.create(2 * r + 1, 1, CV_32F);
  d2.create(2 * r + 1, 1, CV_32F);
  double sum = 0;
  for (int i = -r; i <= r; ++i) sum += std::exp(-0.5 * i * i / (sigma * sigma));
  double mean2 = 0;
  for (int i = -r; i <= r; ++i) {
    const double v = std::exp(-0.5 * i * i / (sigma * sigma)) / sum;
    g.at<float>(i + r) = float(v);
    d1.at<float>(i + r) = float(-i / (sigma * sigma) * v);
    const double s2 = (i * i / (sigma * sigma) - 1.0) / (sigma * sigma) * v;
    d2.at<float>(i + r) = float(s2);
    mean2 += s2;
  }
  mean2 /= 2 * r + 1;
  for (int i = 0; i < 2 * r + 1; ++i) d2.at<float>(i) -= float(mean2);
}

/// One scale of the ridge measure into \p out (overwritten).
void ridgeAtScale(const cv::Mat& in, double sigma, RidgeMeasure measure, cv::Mat& out) {
  cv::Mat g, d1, d2, xx, yy, xy;
  gaussianKernels(sigma, g, d1, d2);
  cv::sepFilter2D(in, xx, CV_32F, d2, g, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
  cv::sepFilter2D(in, yy, CV_32F, g, d2, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
  cv::sepFilter2D(in, xy, CV_32F, d1, d1, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
  const float s2 = float(sigma * sigma);
  out.create(in.size(), CV_32F);
  const std::size_t n = in.total();
  const float* a = xx.ptr<float>();
  const float* c = yy.ptr<float>();
  const float* b = xy.ptr<float>();
  float* o = out.ptr<float>();
  float maxNorm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float m = 0.5f * (a[i] + c[i]) * s2, d = std::sqrt(0.25f * (a[i] - c[i]) * (a[i] - c[i]) + b[i] * b[i]) * s2;
    const float l1 = m + d, l2 = m - d; // l1 >= l2
    if (measure == RidgeMeasure::Sato) {
      if (l1 <= 0) {
        o[i] = 0;
        continue;
      }
      const float alpha = l2 > 0 ? 0.5f : 2.0f;
      o[i] = l1 * std::exp(-l2 * l2 / (2 * alpha * alpha * l1 * l1));
    } else {
      // Frangi: o holds the blobness factor first, the norm is folded in below.
      const float big = std::abs(l1) >= std::abs(l2) ? l1 : l2, small = std::abs(l1) >= std::abs(l2) ? l2 : l1;
      const float norm2 = l1 * l1 + l2 * l2;
      maxNorm = std::max(maxNorm, norm2);
      if (big <= 0) {
        o[i] = -1; // marks "no dark line"
        continue;
      }
      const float rb = small / big;
      o[i] = std::exp(-rb * rb / (2 * 0.25f)); // beta = 0.5
    }
  }
  if (measure == RidgeMeasure::Frangi) {
    const float c2 = std::max(1e-12f, 0.25f * maxNorm); // c = half the largest norm
    for (std::size_t i = 0; i < n; ++i) {
      if (o[i] < 0) {
        o[i] = 0;
        continue;
      }
      const float m = 0.5f * (a[i] + c[i]) * s2, d = std::sqrt(0.25f * (a[i] - c[i]) * (a[i] - c[i]) + b[i] * b[i]) * s2;
      const float norm2 = (m + d) * (m + d) + (m - d) * (m - d);
      o[i] *= 1 - std::exp(-norm2 / (2 * c2));
    }
  }
}

void check(const CrackFilterParams& p, int width, int height) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("crack filter: empty slice");
  if (!(p.smooth >= 0)) throw std::invalid_argument("crack filter: the smoothing must be >= 0");
  if (p.filter == CrackFilter::BlackTopHat && p.radius < 1) throw std::invalid_argument("top-hat: the radius must be >= 1");
  if (p.filter == CrackFilter::Ridge) {
    if (p.scales.empty()) throw std::invalid_argument("ridge filter: no scale given");
    for (double s : p.scales)
      if (!(s > 0)) throw std::invalid_argument("ridge filter: every scale must be > 0");
  }
}

} // namespace

void crackResponse(const CrackFilterParams& p, const float* image, int width, int height, float* out) {
  check(p, width, height);
  cv::Mat result(height, width, CV_32F, out);
  switch (p.filter) {
  case CrackFilter::Threshold: {
    const cv::Mat s = smoothed(image, width, height, p.smooth);
    cv::Mat neg = -s;
    neg.copyTo(result);
    break;
  }
  case CrackFilter::BlackTopHat: {
    const cv::Mat s = smoothed(image, width, height, p.smooth);
    const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * p.radius + 1, 2 * p.radius + 1));
    cv::Mat hat;
    cv::morphologyEx(s, hat, cv::MORPH_BLACKHAT, disc);
    hat.copyTo(result);
    break;
  }
  case CrackFilter::Ridge: {
    const cv::Mat in(height, width, CV_32F, const_cast<float*>(image));
    cv::Mat one;
    for (std::size_t k = 0; k < p.scales.size(); ++k) {
      ridgeAtScale(in, p.scales[k], p.measure, one);
      if (k == 0) one.copyTo(result);
      else cv::max(result, one, result);
    }
    break;
  }
  }
}

void applyCrackFilter(const CrackFilterParams& p, const float* image, int width, int height, std::uint8_t* mask) {
  std::vector<float> r(std::size_t(width) * std::size_t(height));
  crackResponse(p, image, width, height, r.data());
  for (std::size_t i = 0; i < r.size(); ++i) mask[i] = r[i] >= p.threshold ? 1 : 0;
}

namespace {
double diceOf(std::int64_t tp, std::int64_t fp, std::int64_t fn) {
  const std::int64_t d = 2 * tp + fp + fn;
  return d == 0 ? 1.0 : 2.0 * double(tp) / double(d);
}
} // namespace

ThresholdChoice bestThreshold(const float* response, const std::uint8_t* crack, std::size_t n) {
  float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
  std::int64_t positives = 0;
  for (std::size_t i = 0; i < n; ++i) {
    positives += crack[i] != 0;
    if (std::isfinite(response[i])) {
      lo = std::min(lo, response[i]);
      hi = std::max(hi, response[i]);
    }
  }
  if (n == 0 || !(hi >= lo)) return {0.0, positives == 0 ? 1.0 : 0.0};
  constexpr int kBins = 4096;
  // Pixels at or above \p top always count as predicted crack (their counts go in aboveP/N).
  double from = lo, to = hi;
  // With one value only: everything (some crack to find) or nothing.
  double best = positives > 0 ? double(lo) : double(std::nextafter(hi, std::numeric_limits<float>::max()));
  for (int pass = 0; pass < 2 && to > from; ++pass) {
    const double width = (to - from) / kBins;
    std::vector<std::int64_t> pos(kBins + 1, 0), neg(kBins + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const float r = response[i];
      if (!std::isfinite(r) || r < from) continue;
      const int b = r >= to ? kBins : std::min(kBins - 1, int((r - from) / width));
      (crack[i] ? pos : neg)[std::size_t(b)] += 1;
    }
    // Threshold at the lower edge of bin b: bins >= b are predicted crack.
    std::int64_t tp = 0, fp = 0;
    double bestDice = -1;
    int bestBin = kBins;
    for (int b = kBins; b >= 0; --b) {
      tp += pos[std::size_t(b)];
      fp += neg[std::size_t(b)];
      const double d = diceOf(tp, fp, positives - tp);
      if (d > bestDice) {
        bestDice = d;
        bestBin = b;
      }
    }
    best = from + bestBin * width;
    if (bestBin == kBins) best = to;
    const double nextFrom = from + std::max(0, bestBin - 1) * width, nextTo = from + std::min(kBins, bestBin + 1) * width;
    from = nextFrom;
    to = nextTo;
  }
  // The exact Dice at the choice.
  std::int64_t tp = 0, fp = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(response[i]) && response[i] >= best) (crack[i] ? tp : fp) += 1;
  return {best, diceOf(tp, fp, positives - tp)};
}

namespace {

/// The labelled pixels of the chosen slices, and their crack flags, in a fixed order.
struct Sample {
  std::vector<const FilterSlice*> slices;
  std::vector<std::uint8_t> crack;
};

Sample choose(const std::vector<FilterSlice>& train, std::int64_t maxPixels) {
  std::vector<const FilterSlice*> labelled;
  for (const FilterSlice& s : train) {
    if (s.width <= 0 || s.height <= 0 || !s.image || !s.labels)
      throw std::invalid_argument("crack filter tuning: a training slice has no image, labels or size");
    const std::size_t n = std::size_t(s.width) * std::size_t(s.height);
    if (std::any_of(s.labels, s.labels + n, [](std::uint8_t v) { return v == 1 || v == 2; })) labelled.push_back(&s);
  }
  if (labelled.empty()) throw std::invalid_argument("crack filter tuning: no labelled pixel in the training slices");
  std::int64_t total = 0;
  for (const FilterSlice* s : labelled) total += std::int64_t(s->width) * s->height;
  const std::size_t keep = std::clamp<std::size_t>(
      std::size_t(double(labelled.size()) * std::min(1.0, double(maxPixels) / double(total))), 1, labelled.size());
  Sample sample;
  for (std::size_t k = 0; k < keep; ++k) sample.slices.push_back(labelled[k * labelled.size() / keep]);
  for (const FilterSlice* s : sample.slices) {
    const std::size_t n = std::size_t(s->width) * std::size_t(s->height);
    for (std::size_t i = 0; i < n; ++i)
      if (s->labels[i] == 1 || s->labels[i] == 2) sample.crack.push_back(s->labels[i] == 2);
  }
  return sample;
}

/// Responses of the sample's labelled pixels under \p p.
std::vector<float> gather(const Sample& sample, const CrackFilterParams& p) {
  std::vector<float> out;
  out.reserve(sample.crack.size());
  std::vector<float> r;
  for (const FilterSlice* s : sample.slices) {
    const std::size_t n = std::size_t(s->width) * std::size_t(s->height);
    r.resize(n);
    crackResponse(p, s->image, s->width, s->height, r.data());
    for (std::size_t i = 0; i < n; ++i)
      if (s->labels[i] == 1 || s->labels[i] == 2) out.push_back(r[i]);
  }
  return out;
}

} // namespace

TunedFilter tuneCrackFilter(CrackFilter filter, const std::vector<FilterSlice>& train, const TuneOptions& options) {
  const Sample sample = choose(train, options.maxPixels);
  TunedFilter best;
  best.trainDice = -1;
  best.pixels = std::int64_t(sample.crack.size());
  best.slicesUsed = int(sample.slices.size());
  int tried = 0;
  auto consider = [&](CrackFilterParams p, const std::vector<float>& responses) {
    const ThresholdChoice c = bestThreshold(responses.data(), sample.crack.data(), responses.size());
    ++tried;
    if (c.dice > best.trainDice) {
      p.threshold = c.threshold;
      best.params = p;
      best.trainDice = c.dice;
    }
  };
  auto tryParams = [&](const CrackFilterParams& p) { consider(p, gather(sample, p)); };
  CrackFilterParams p;
  p.filter = filter;
  switch (filter) {
  case CrackFilter::Threshold:
    for (double s : {0.0, 0.5, 1.0, 1.5, 2.0}) {
      p.smooth = s;
      tryParams(p);
    }
    break;
  case CrackFilter::BlackTopHat: {
    for (double s : {0.0, 1.0})
      for (int r = 1; r <= 8; ++r) {
        p.smooth = s;
        p.radius = r;
        tryParams(p);
      }
    // Refinement: the best radius with the smoothing between and around the coarse values.
    p = best.params;
    const double s0 = p.smooth;
    for (double s : {s0 - 0.5, s0 + 0.5}) {
      if (s < 0 || s == 0.0 || s == 1.0) continue;
      p.smooth = s;
      tryParams(p);
    }
    break;
  }
  case CrackFilter::Ridge: {
    const std::vector<double> scales = {0.7, 1.0, 1.5, 2.0, 3.0, 4.0};
    // Per-scale responses of both measures, kept so that runs of scales cost a max only.
    std::vector<std::vector<float>> cache[2];
    for (int m = 0; m < 2; ++m) {
      p.measure = m == 0 ? RidgeMeasure::Sato : RidgeMeasure::Frangi;
      for (double s : scales) {
        p.scales = {s};
        cache[m].push_back(gather(sample, p));
        consider(p, cache[m].back());
      }
    }
    const int m = best.params.measure == RidgeMeasure::Sato ? 0 : 1;
    const auto bestScale = std::size_t(std::find(scales.begin(), scales.end(), best.params.scales[0]) - scales.begin());
    p.measure = best.params.measure;
    std::vector<float> combined;
    for (std::size_t a = 0; a <= bestScale; ++a)
      for (std::size_t b = bestScale; b < scales.size(); ++b) {
        if (a == b) continue;
        combined = cache[m][a];
        for (std::size_t k = a + 1; k <= b; ++k)
          for (std::size_t i = 0; i < combined.size(); ++i) combined[i] = std::max(combined[i], cache[m][k][i]);
        p.scales.assign(scales.begin() + std::ptrdiff_t(a), scales.begin() + std::ptrdiff_t(b) + 1);
        consider(p, combined);
      }
    break;
  }
  }
  best.candidates = tried;
  return best;
}

} // namespace core::analysis
