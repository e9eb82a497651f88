// Slice measures for comparing the phantom with a real slice (see PhantomRealism.h).
#include "app/cli/bench/PhantomRealism.h"

#include "core/ml/Metrics.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cli {

const std::array<double, SliceStats::kBands + 1>& bandEdges() {
  static const std::array<double, SliceStats::kBands + 1> edges{0.01, 0.03, 0.06, 0.12, 0.25, 0.5};
  return edges;
}

const std::array<double, 7>& quantileLevels() {
  static const std::array<double, 7> levels{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  return levels;
}

namespace {

/// Crack width at the ridges of the crack mask, and the mean chord of the solid phase.
void measureWidths(const GreySlice& s, SliceStats& out) {
  const int w = s.width, h = s.height;
  cv::Mat crack(h, w, CV_8U);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) crack.at<std::uint8_t>(y, x) = s.crack[std::size_t(y) * std::size_t(w) + std::size_t(x)] ? 255 : 0;
  cv::Mat dist, peak;
  cv::distanceTransform(crack, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  cv::dilate(dist, peak, cv::Mat::ones(3, 3, CV_8U));
  double widths = 0;
  std::int64_t ridge = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float d = dist.at<float>(y, x);
      if (d > 0 && d >= peak.at<float>(y, x)) {
        widths += 2.0 * d - 1.0;
        ++ridge;
      }
    }
  out.crackWidth = ridge ? widths / double(ridge) : 0;

  const double t = core::ml::otsuThreshold(s.grey);
  auto solid = [&](int x, int y) {
    return crack.at<std::uint8_t>(y, x) || s.grey[std::size_t(y) * std::size_t(w) + std::size_t(x)] > t;
  };
  double runs = 0;
  std::int64_t count = 0;
  auto close = [&](int& run) {
    if (run >= 3) {
      runs += run;
      ++count;
    }
    run = 0;
  };
  auto scan = [&](int lines, int length, bool columns) {
    for (int a = 0; a < lines; ++a) {
      int run = 0;
      for (int b = 0; b < length; ++b)
        if (columns ? solid(a, b) : solid(b, a)) ++run;
        else close(run);
      close(run);
    }
  };
  scan(h, w, false); // rows
  scan(w, h, true);  // columns
  out.solidChord = count ? runs / double(count) : 0;
}

} // namespace

SliceStats measureSlice(const GreySlice& s) {
  const int w = s.width, h = s.height;
  const std::size_t n = std::size_t(w) * std::size_t(h);
  if (w < 32 || h < 32 || s.grey.size() != n || s.crack.size() != n)
    throw std::invalid_argument("slice measures: a slice must be at least 32 x 32 with a mask of its size");
  double mean = 0, sq = 0;
  for (float v : s.grey) mean += v;
  mean /= double(n);
  for (float v : s.grey) sq += (v - mean) * (v - mean);
  const double sd = std::sqrt(sq / double(n));
  if (!(sd > 0)) throw std::invalid_argument("slice measures: the slice is flat");
  cv::Mat z(h, w, CV_64F);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) z.at<double>(y, x) = (double(s.grey[std::size_t(y) * std::size_t(w) + std::size_t(x)]) - mean) / sd;

  SliceStats out;
  out.slices = 1;
  std::vector<double> sorted(z.begin<double>(), z.end<double>());
  for (double v : sorted) {
    const int b = std::clamp(int((v + 4.0) / 8.0 * SliceStats::kBins), 0, SliceStats::kBins - 1);
    out.histogram[std::size_t(b)] += 1.0 / double(n);
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t q = 0; q < quantileLevels().size(); ++q)
    out.quantiles[q] = sorted[std::min(n - 1, std::size_t(quantileLevels()[q] * double(n)))];

  // Power spectrum of the z-scored slice under a Hann window, radially averaged into bands.
  cv::Mat win(h, w, CV_64F);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      win.at<double>(y, x) = z.at<double>(y, x) * (0.5 - 0.5 * std::cos(2 * M_PI * x / (w - 1))) *
                             (0.5 - 0.5 * std::cos(2 * M_PI * y / (h - 1)));
  cv::Mat spectrum;
  cv::dft(win, spectrum, cv::DFT_COMPLEX_OUTPUT);
  const auto& edges = bandEdges();
  double total = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double fy = double(y <= h / 2 ? y : y - h) / h, fx = double(x <= w / 2 ? x : x - w) / w;
      const double f = std::hypot(fx, fy);
      const auto c = spectrum.at<cv::Vec2d>(y, x);
      const double p = c[0] * c[0] + c[1] * c[1];
      for (int b = 0; b < SliceStats::kBands; ++b)
        if (f >= edges[std::size_t(b)] && (f < edges[std::size_t(b) + 1] || (b == SliceStats::kBands - 1 && f <= 0.75))) {
          out.power[std::size_t(b)] += p;
          total += p;
        }
    }
  for (double& p : out.power) p = total > 0 ? p / total : 0;

  // Texture: fine-scale roughness where the slice is bright (the particles).
  const double bright = out.quantiles[4]; // the brightest quarter
  double rough = 0;
  std::int64_t count = 0;
  for (int y = 2; y < h - 2; ++y)
    for (int x = 2; x < w - 2; ++x) {
      if (z.at<double>(y, x) < bright) continue;
      double m = 0;
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) m += z.at<double>(y + dy, x + dx);
      const double d = z.at<double>(y, x) - m / 25.0;
      rough += d * d;
      ++count;
    }
  out.texture = count ? std::sqrt(rough / double(count)) : 0;

  // Dark but not crack: pixels at most as dark as the median crack pixel.
  std::vector<double> crackGrey;
  std::int64_t cracks = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (s.crack[i]) {
      crackGrey.push_back(double(s.grey[i]));
      ++cracks;
    }
  out.crackFraction = double(cracks) / double(n);
  if (!crackGrey.empty()) {
    std::nth_element(crackGrey.begin(), crackGrey.begin() + std::ptrdiff_t(crackGrey.size() / 2), crackGrey.end());
    const double t = crackGrey[crackGrey.size() / 2];
    std::int64_t dark = 0, darkOther = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (double(s.grey[i]) <= t) {
        ++dark;
        if (!s.crack[i]) ++darkOther;
      }
    out.darkNotCrack = dark ? double(darkOther) / double(dark) : 0;
  }
  measureWidths(s, out);
  return out;
}

SliceStats pooled(const std::vector<SliceStats>& all) {
  SliceStats out;
  if (all.empty()) return out;
  const double k = 1.0 / double(all.size());
  for (const SliceStats& s : all) {
    for (std::size_t i = 0; i < out.histogram.size(); ++i) out.histogram[i] += k * s.histogram[i];
    for (std::size_t i = 0; i < out.power.size(); ++i) out.power[i] += k * s.power[i];
    for (std::size_t i = 0; i < out.quantiles.size(); ++i) out.quantiles[i] += k * s.quantiles[i];
    out.texture += k * s.texture;
    out.darkNotCrack += k * s.darkNotCrack;
    out.crackFraction += k * s.crackFraction;
    out.crackWidth += k * s.crackWidth;
    out.solidChord += k * s.solidChord;
  }
  out.slices = int(all.size());
  return out;
}

double histogramDistance(const SliceStats& a, const SliceStats& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.histogram.size(); ++i) d += std::abs(a.histogram[i] - b.histogram[i]);
  return 0.5 * d;
}

double spectrumDistance(const SliceStats& a, const SliceStats& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.power.size(); ++i) d += std::abs(std::log10(std::max(a.power[i], 1e-12) / std::max(b.power[i], 1e-12)));
  return d / double(a.power.size());
}

} // namespace cli
