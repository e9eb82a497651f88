#include "core/ml/TrainingData.h"

#include "core/labels/LabelConvention.h"
#include "core/ml/ModelOptions.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace core::ml {

using volume::Volume;
using volume::VoxelType;

void normaliseSlice(const Volume& images, std::int64_t z, float* out) {
  const std::int64_t n = images.size().x * images.size().y;
  volume::dispatch(images.type(), [&](auto t) {
    using T = decltype(t);
    const T* src = reinterpret_cast<const T*>(images.slicePtr(z));
    for (std::int64_t i = 0; i < n; ++i) {
      const float v = static_cast<float>(src[i]);
      out[i] = std::isfinite(v) ? v : 0.0f;
    }
  });
  double sum = 0, sumSq = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += out[i];
  const double mean = n ? sum / double(n) : 0.0;
  for (std::int64_t i = 0; i < n; ++i) sumSq += (out[i] - mean) * (out[i] - mean);
  const double sd = std::max(n ? std::sqrt(sumSq / double(n)) : 0.0, 1e-7);
  const float m = float(mean), inv = float(1.0 / sd);
  for (std::int64_t i = 0; i < n; ++i) out[i] = (out[i] - m) * inv;
}

std::int64_t mirroredSlice(std::int64_t z, std::int64_t depth) {
  if (z < 0) z = -z;
  if (z >= depth) z = 2 * (depth - 1) - z;
  return std::clamp<std::int64_t>(z, 0, depth - 1);
}

void normaliseWithContext(const Volume& images, std::int64_t z, int k, float* out) {
  const std::size_t n = std::size_t(images.size().x * images.size().y);
  for (int d = -k; d <= k; ++d)
    normaliseSlice(images, mirroredSlice(z + d, images.size().z), out + std::size_t(d + k) * n);
}

void checkContextDepth(std::int64_t depth, int k, const std::string& name) {
  if (k > 0 && depth < 2 * std::int64_t(k) + 1)
    throw std::runtime_error((name.empty() ? std::string("the volume") : "'" + name + "'") + " has " + std::to_string(depth) + " slice" + (depth == 1 ? "" : "s") +
                             ", too thin for a 2.5D model with " + std::to_string(k) +
                             " context slices on each side (it needs at least " + std::to_string(2 * k + 1) +
                             "); use a 2D model (context 0) for single images");
}

namespace {

std::string voxelText(const Volume& v, std::int64_t i) {
  const std::int64_t sx = v.size().x, sy = v.size().y;
  std::ostringstream s;
  s << "(x " << i % sx << ", y " << (i / sx) % sy << ", z " << i / (sx * sy) << ")";
  return s.str();
}

std::string sizeText(const volume::Size3& s) {
  return std::to_string(s.x) + " x " + std::to_string(s.y) + " x " + std::to_string(s.z);
}

// Calls f(i, value as double) for each voxel; stops when f returns false.
template <class F> void forEachValue(const Volume& v, F&& f) {
  volume::dispatch(v.type(), [&](auto t) {
    using T = decltype(t);
    const T* p = v.as<T>();
    const std::int64_t n = v.voxelCount();
    for (std::int64_t i = 0; i < n; ++i)
      if (!f(i, double(p[i]))) return;
  });
}

/// Label counts and, for sparse labels (strokes), their positions so crops can be centred on them.
void countLabels(TrainingSlice& s) {
  s.labelledCount = s.crackCount = 0;
  s.labelledPixels.clear();
  for (auto v : s.labels) {
    s.labelledCount += v != labels::kUnlabelled;
    s.crackCount += v == labels::kCrack;
  }
  const std::int64_t n = std::int64_t(s.labels.size());
  if (s.labelledCount * 4 < n)
    for (std::int64_t i = 0; i < n; ++i)
      if (s.labels[std::size_t(i)] != labels::kUnlabelled) s.labelledPixels.push_back(std::int32_t(i));
}

/// Rows [y0, y1) of \p s, every channel.
TrainingSlice rowsOf(const TrainingSlice& s, int y0, int y1) {
  TrainingSlice r;
  r.width = s.width;
  r.height = y1 - y0;
  r.channels = s.channels;
  r.sourceZ = s.sourceZ;
  const std::size_t plane = std::size_t(s.width) * s.height, rows = std::size_t(s.width) * r.height;
  const std::size_t from = std::size_t(y0) * s.width;
  r.labels.assign(s.labels.begin() + std::ptrdiff_t(from), s.labels.begin() + std::ptrdiff_t(from + rows));
  r.image.resize(rows * std::size_t(s.channels));
  for (int c = 0; c < s.channels; ++c)
    std::copy_n(s.image.begin() + std::ptrdiff_t(std::size_t(c) * plane + from), rows,
                r.image.begin() + std::ptrdiff_t(std::size_t(c) * rows));
  countLabels(r);
  return r;
}

} // namespace

LabelEncoding detectLabelEncoding(const Volume& labels, const std::string& name) {
  if (labels.empty()) throw std::runtime_error("labels '" + name + "' are empty");
  bool seen[3] = {false, false, false};
  bool seen255 = false;
  std::int64_t badIndex = -1;
  double badValue = 0;
  forEachValue(labels, [&](std::int64_t i, double v) {
    if (v == 0 || v == 1 || v == 2) {
      seen[int(v)] = true;
    } else if (v == 255) {
      seen255 = true;
    } else {
      badIndex = i;
      badValue = v;
      return false;
    }
    return true;
  });
  const std::string rule = "the label convention is 0 unlabelled, 1 not crack, 2 crack; a binary mask is 0/1 or 0/255";
  if (badIndex >= 0) {
    std::ostringstream s;
    s << "labels '" << name << "' contain the value " << badValue << " at " << voxelText(labels, badIndex)
      << ", which is outside the label convention (" << rule << ")";
    throw std::runtime_error(s.str());
  }
  if (seen255 && (seen[1] || seen[2]))
    throw std::runtime_error("labels '" + name + "' mix the value 255 with 1 or 2: neither a binary mask nor the label "
                             "convention (" + rule + ")");
  if (seen255 || !seen[2]) return LabelEncoding::BinaryMask;
  return LabelEncoding::Convention;
}

Volume toConventionLabels(const Volume& labels, const std::string& name, LabelEncoding* encoding) {
  const LabelEncoding detected = detectLabelEncoding(labels, name);
  const LabelEncoding enc = encoding ? *encoding : detected;
  if (enc == LabelEncoding::Convention && detected == LabelEncoding::BinaryMask) {
    // Values were 0/1 (or 0/255): as convention only 0/1 are legal.
    forEachValue(labels, [&](std::int64_t i, double v) {
      if (v > 2) throw std::runtime_error("labels '" + name + "' contain the value 255 at " + voxelText(labels, i) +
                                          ", which is outside the label convention (0 unlabelled, 1 not crack, 2 crack)");
      return true;
    });
  }
  Volume out(labels.size(), VoxelType::UInt8, labels.spacing(), labels.origin());
  std::uint8_t* o = out.as<std::uint8_t>();
  forEachValue(labels, [&](std::int64_t i, double v) {
    if (enc == LabelEncoding::BinaryMask)
      o[i] = v != 0 ? labels::kCrack : labels::kNotCrack;
    else
      o[i] = std::uint8_t(v);
    return true;
  });
  return out;
}

TrainingData TrainingData::fromVolumes(const Volume& images, const Volume& labels, const std::vector<bool>& fully,
                                       const std::string& imageName, const std::string& labelName, int context) {
  if (images.empty()) throw std::runtime_error("images '" + imageName + "' are empty");
  if (labels.empty()) throw std::runtime_error("labels '" + labelName + "' are empty");
  if (images.size() != labels.size())
    throw std::runtime_error("images '" + imageName + "' (" + sizeText(images.size()) + ") and labels '" + labelName +
                             "' (" + sizeText(labels.size()) + ") differ in size");
  if (labels.type() != VoxelType::UInt8)
    throw std::runtime_error("labels '" + labelName + "' must be uint8 in the label convention (got " +
                             volume::toString(labels.type()) + ")");
  const std::int64_t nz = images.size().z;
  if (context < 0 || context > kMaxContextSlices)
    throw std::invalid_argument("context slices " + std::to_string(context) + " is outside 0.." +
                                std::to_string(kMaxContextSlices));
  checkContextDepth(nz, context, imageName);
  if (fully.size() > 1 && std::int64_t(fully.size()) != nz)
    throw std::invalid_argument("fully-annotated flags: " + std::to_string(fully.size()) + " flags for " +
                                std::to_string(nz) + " slices");
  const int w = int(images.size().x), h = int(images.size().y);
  const std::int64_t n = std::int64_t(w) * h;
  const std::uint8_t* lab = labels.as<std::uint8_t>();
  for (std::int64_t i = 0; i < labels.voxelCount(); ++i)
    if (lab[i] > labels::kMaxLabel)
      throw std::runtime_error("labels '" + labelName + "' contain the value " + std::to_string(lab[i]) + " at " +
                               voxelText(labels, i) +
                               ", which is outside the label convention (0 unlabelled, 1 not crack, 2 crack)");
  TrainingData data;
  for (std::int64_t z = 0; z < nz; ++z) {
    const bool full = fully.size() == 1 ? fully[0] : (fully.empty() ? false : fully[std::size_t(z)]);
    const std::uint8_t* l = lab + z * n;
    std::int64_t labelled = 0;
    for (std::int64_t i = 0; i < n; ++i) labelled += l[i] != labels::kUnlabelled;
    if (!full && labelled == 0) continue;
    TrainingSlice s;
    s.width = w;
    s.height = h;
    s.sourceZ = z;
    s.labels.assign(l, l + n);
    if (full)
      for (auto& v : s.labels)
        if (v == labels::kUnlabelled) v = labels::kNotCrack;
    countLabels(s);
    s.channels = 2 * context + 1;
    s.image.resize(std::size_t(n) * std::size_t(s.channels));
    normaliseWithContext(images, z, context, s.image.data());
    data.slices.push_back(std::move(s));
  }
  if (data.slices.empty())
    throw std::runtime_error("labels '" + labelName + "' have no labelled voxel at all: label some crack (2) and "
                             "not-crack (1) voxels, or mark slices as fully annotated");
  return data;
}

std::int64_t TrainingData::labelledCount() const {
  std::int64_t n = 0;
  for (const auto& s : slices) n += s.labelledCount;
  return n;
}

std::int64_t TrainingData::crackCount() const {
  std::int64_t n = 0;
  for (const auto& s : slices) n += s.crackCount;
  return n;
}

void holdOutStrips(const TrainingData& data, double fraction, TrainingData& train, TrainingData& validation) {
  if (!(fraction > 0 && fraction < 1))
    throw std::invalid_argument("the held-out strip must be a fraction in (0, 1) of each slice's height (got " +
                                std::to_string(fraction) + ")");
  train.slices.clear();
  validation.slices.clear();
  for (const TrainingSlice& s : data.slices) {
    if (s.height < 2) {
      train.slices.push_back(s);
      continue;
    }
    const int strip = std::clamp(int(std::lround(s.height * fraction)), 1, s.height - 1);
    TrainingSlice top = rowsOf(s, 0, s.height - strip), bottom = rowsOf(s, s.height - strip, s.height);
    if (top.labelledCount > 0) train.slices.push_back(std::move(top));
    if (bottom.labelledCount > 0) validation.slices.push_back(std::move(bottom));
  }
  if (train.slices.empty())
    throw std::runtime_error("holding out the bottom " + std::to_string(int(std::lround(fraction * 100))) +
                             "% of every slice leaves no labelled voxel to train on; use a smaller strip");
}

} // namespace core::ml
