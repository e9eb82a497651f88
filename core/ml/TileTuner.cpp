// Tile size and overlap by measured throughput within the seam tolerance (TileTuner.h).
#include "core/ml/TileTuner.h"

#include "core/ml/Predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

namespace core::ml {

namespace {

using Clock = std::chrono::steady_clock;

int roundUp32(int v) { return (v + kSizeMultiple - 1) / kSizeMultiple * kSizeMultiple; }

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::mutex& cacheMutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, TileChoice>& memoryCache() {
  static std::map<std::string, TileChoice> c;
  return c;
}

// A fingerprint of the weights (their bits, every one), so that a retrained or another model of
// the same shape gets its own entry.
std::string fingerprint(const Model& model) {
  std::uint64_t h = 1469598103934665603ull;
  for (const auto& [name, values] : model.weights()) {
    for (char c : name) h = (h ^ std::uint8_t(c)) * 1099511628211ull;
    for (float v : values) {
      std::uint32_t bits = 0;
      std::memcpy(&bits, &v, 4);
      h = (h ^ bits) * 1099511628211ull;
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string cacheKey(const Model& model, Precision precision, int width, int height, const TileTuneOptions& o) {
  std::ostringstream k;
  k << "weights=" << fingerprint(model) << " base=" << model.options().baseWidth
    << " channels=" << model.options().channels() << " threads=" << cpuThreads() << " precision=" << toString(precision)
    << " slice=" << width << "x" << height << " tolerance=" << o.seamTolerance << " memory=" << (o.tileMemoryBytes >> 20);
  return k.str();
}

// File cache: one line per choice, "key<TAB>tile overlap seamError secondsPerSlice defaultSeconds".
bool readCacheFile(const std::string& file, const std::string& key, TileChoice& c) {
  std::ifstream in(file);
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos || line.compare(0, tab, key) != 0 || tab != key.size()) continue;
    std::istringstream v(line.substr(tab + 1));
    TileChoice t;
    if (v >> t.tile >> t.overlap >> t.seamError >> t.secondsPerSlice >> t.defaultSecondsPerSlice && t.tile >= 64 &&
        t.overlap >= 0 && t.overlap <= t.tile / 2) {
      c = t;
      found = true; // the last valid line wins
    }
  }
  return found;
}

void appendCacheFile(const std::string& file, const std::string& key, const TileChoice& c) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  std::ofstream out(file, std::ios::app); // a cache: a failed write only costs the next run a tuning
  out << key << '\t' << c.tile << ' ' << c.overlap << ' ' << c.seamError << ' ' << c.secondsPerSlice << ' '
      << c.defaultSecondsPerSlice << '\n';
}

// Seconds of one forward pass of a th x tw tile (one pass; \p warmUp: after an untimed one).
double timeForward(const Model& model, Precision precision, int th, int tw, bool warmUp) {
  const std::size_t n = std::size_t(th) * std::size_t(tw);
  std::vector<float> in(n * std::size_t(model.options().channels())), out(n);
  std::mt19937 rng(5);
  std::normal_distribution<float> d;
  for (auto& v : in) v = d(rng);
  if (warmUp) model.predict(in.data(), 1, th, tw, out.data(), precision);
  const auto t0 = Clock::now();
  model.predict(in.data(), 1, th, tw, out.data(), precision);
  return secondsSince(t0);
}

} // namespace

std::string TileChoice::describe() const {
  char buf[320];
  if (fromCache) {
    std::snprintf(buf, sizeof buf,
                  "tiles %d px, overlap %d px (auto, remembered: seam error %.4f, about %.2f s per slice against %.2f s "
                  "with 512 / 192)",
                  tile, overlap, seamError, secondsPerSlice, defaultSecondsPerSlice);
  } else if (fallback) {
    std::snprintf(buf, sizeof buf,
                  "tiles %d px, overlap %d px (auto: no candidate passed the seam check within the time budget; %zu "
                  "tried in %.1f s)",
                  tile, overlap, tried.size(), tuningSeconds);
  } else if (overlap == 0 && seamError == 0) {
    std::snprintf(buf, sizeof buf,
                  "tiles %d px, overlap 0 px (auto: one tile covers the slice, about %.2f s per slice against %.2f s "
                  "with 512 / 192; chosen in %.1f s)",
                  tile, secondsPerSlice, defaultSecondsPerSlice, tuningSeconds);
  } else {
    std::snprintf(buf, sizeof buf,
                  "tiles %d px, overlap %d px (auto: seam error %.4f on a sample, about %.2f s per slice against %.2f s "
                  "with 512 / 192; chosen in %.1f s)",
                  tile, overlap, seamError, secondsPerSlice, defaultSecondsPerSlice, tuningSeconds);
  }
  return buf;
}

std::string defaultTileCacheFile() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/cdnet/tile-choices.tsv";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.cache/cdnet/tile-choices.tsv";
  return {};
}

void clearTileCache() {
  std::lock_guard<std::mutex> lock(cacheMutex());
  memoryCache().clear();
}

TileChoice chooseTiles(const Model& model, Precision precision, const float* slice, int width, int height,
                       const TileTuneOptions& o, jobs::CancelToken& cancel) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("tile tuning of an empty slice");
  const auto start = Clock::now();
  const std::string key = cacheKey(model, precision, width, height, o);
  {
    std::lock_guard<std::mutex> lock(cacheMutex());
    auto it = memoryCache().find(key);
    TileChoice c;
    if (it != memoryCache().end()) c = it->second;
    if (it != memoryCache().end() || (!o.cacheFile.empty() && readCacheFile(o.cacheFile, key, c))) {
      c.fromCache = true;
      c.tuningSeconds = 0;
      c.tried.clear();
      memoryCache()[key] = c;
      return c;
    }
  }
  const int pw = roundUp32(width), ph = roundUp32(height);
  const int channels = model.options().channels();
  const double bytesPerPixel = 55.0 * std::max(1, model.options().baseWidth);

  // Forward time per distinct tile shape (the first after a warm-up pass), and each candidate's
  // estimated seconds per slice. Shapes not timed within half the budget are not tried.
  std::map<std::pair<int, int>, double> forward;
  auto forwardSeconds = [&](int th, int tw, bool required = false) {
    auto it = forward.find({th, tw});
    if (it != forward.end()) return it->second;
    if (!required && secondsSince(start) > 0.5 * o.budgetSeconds) return 1e300;
    return forward[{th, tw}] = timeForward(model, precision, th, tw, forward.empty());
  };
  TileChoice choice;
  std::vector<TileCandidate> candidates;
  for (int t : o.tiles) {
    t = t / kSizeMultiple * kSizeMultiple;
    if (t < 2 * kSizeMultiple) continue;
    const int tw = std::min(t, pw), th = std::min(t, ph);
    if (double(tw) * double(th) * bytesPerPixel > double(o.tileMemoryBytes)) continue;
    const bool whole = tw == pw && th == ph;
    if (whole && !candidates.empty() && candidates.back().tilesPerSlice == 1) continue; // one whole-slice candidate
    for (int ov : o.overlaps) {
      if (ov > t / 2) continue;
      TileCandidate c;
      c.tile = t;
      c.overlap = whole ? 0 : ov;
      c.tilesPerSlice = Predictor::tilesPerSlice(width, height, t, c.overlap);
      candidates.push_back(c);
      if (whole) break; // one tile: overlap does not matter
    }
  }
  // The default is always a candidate (the fallback), estimated the same way.
  const std::int64_t defaultTiles = Predictor::tilesPerSlice(width, height, 512, 192);
  choice.defaultSecondsPerSlice = double(defaultTiles) * forwardSeconds(std::min(512, ph), std::min(512, pw), true);
  // First estimates from the default tile's time per pixel; then the shapes timed in that order
  // (the most promising first, such as one tile for the whole slice) while within half the budget.
  const double defaultPixels = double(std::min(512, ph)) * std::min(512, pw);
  auto pixels = [&](const TileCandidate& c) { return double(c.tilesPerSlice) * std::min(c.tile, ph) * std::min(c.tile, pw); };
  auto byCost = [](const TileCandidate& a, const TileCandidate& b) {
    if (a.secondsPerSlice != b.secondsPerSlice) return a.secondsPerSlice < b.secondsPerSlice;
    return a.overlap > b.overlap; // at equal cost the larger overlap (safer seams)
  };
  for (auto& c : candidates) c.secondsPerSlice = pixels(c) * choice.defaultSecondsPerSlice / (double(defaultTiles) * defaultPixels);
  std::stable_sort(candidates.begin(), candidates.end(), byCost);
  for (auto& c : candidates) {
    cancel.throwIfCancelled();
    const double t = forwardSeconds(std::min(c.tile, ph), std::min(c.tile, pw));
    if (t < 1e299) c.secondsPerSlice = double(c.tilesPerSlice) * t;
  }
  std::stable_sort(candidates.begin(), candidates.end(), byCost);
  // The sample: the centre of the slice, up to sampleSide square; its whole prediction is the reference.
  const int sw = std::min(width, std::max(4 * kSizeMultiple, o.sampleSide));
  const int sh = std::min(height, std::max(4 * kSizeMultiple, o.sampleSide));
  const int sx = (width - sw) / 2, sy = (height - sh) / 2;
  std::vector<float> sample(std::size_t(sw) * sh * std::size_t(channels)), whole(std::size_t(sw) * sh),
      tiled(whole.size());
  for (int ch = 0; ch < channels; ++ch)
    for (int y = 0; y < sh; ++y)
      std::memcpy(&sample[(std::size_t(ch) * sh + y) * sw],
                  slice + (std::size_t(ch) * height + std::size_t(sy + y)) * width + sx, sizeof(float) * std::size_t(sw));
  bool haveWhole = false;
  int failedOverlap = -1; // an overlap that showed seams: smaller ones are not checked
  bool chosen = false;
  for (auto& c : candidates) {
    cancel.throwIfCancelled();
    if (c.tilesPerSlice == 1) {
      c.seamError = 0; // the tile covers the slice: it is whole-slice prediction
    } else {
      if (c.overlap <= failedOverlap) {
        choice.tried.push_back(c);
        continue;
      }
      // On the sample, tiles small enough to leave seams inside it (same overlap and margin).
      const int side = std::min(sw, sh), checkTile = std::min(c.tile, (side - 4 * kSizeMultiple) / kSizeMultiple * kSizeMultiple);
      if (checkTile < 2 * c.overlap || checkTile < 2 * kSizeMultiple) {
        choice.tried.push_back(c);
        continue;
      }
      // Its cost, from the default tile's time per pixel (no extra timing passes).
      const double perPixel = forward.at({std::min(512, ph), std::min(512, pw)}) / (double(std::min(512, ph)) * std::min(512, pw));
      const double cost = perPixel * (double(Predictor::tilesPerSlice(sw, sh, checkTile, c.overlap)) *
                                          std::min(checkTile, roundUp32(sh)) * std::min(checkTile, roundUp32(sw)) +
                                      (haveWhole ? 0.0 : double(roundUp32(sh)) * roundUp32(sw)));
      if (secondsSince(start) + cost > o.budgetSeconds) {
        choice.tried.push_back(c);
        continue; // a cheaper one further down may still fit
      }
      if (!haveWhole) {
        model.predict(sample.data(), 1, sh, sw, whole.data(), precision);
        haveWhole = true;
      }
      PredictOptions po;
      po.tile = checkTile;
      po.overlap = c.overlap;
      po.batch = 1;
      po.precision = precision;
      po.skipEmptyTiles = false; // the network's seams alone
      Predictor(model, po).predictNormalised(sample.data(), sw, sh, tiled.data());
      double d = 0;
      for (std::size_t i = 0; i < whole.size(); ++i) d = std::max(d, double(std::fabs(whole[i] - tiled[i])));
      c.seamError = d;
    }
    choice.tried.push_back(c);
    if (c.seamError <= o.seamTolerance) {
      choice.tile = c.tile;
      choice.overlap = c.overlap;
      choice.seamError = c.seamError;
      choice.secondsPerSlice = c.secondsPerSlice;
      chosen = true;
      break;
    }
    failedOverlap = std::max(failedOverlap, c.overlap);
  }
  if (!chosen) {
    choice.fallback = true;
    choice.tile = 512;
    choice.overlap = 192;
    choice.seamError = -1;
    choice.secondsPerSlice = choice.defaultSecondsPerSlice;
  }
  choice.tuningSeconds = secondsSince(start);
  if (!chosen) return choice; // not remembered: a later run with more time may find one
  std::lock_guard<std::mutex> lock(cacheMutex());
  TileChoice stored = choice;
  stored.tried.clear();
  memoryCache()[key] = stored;
  if (!o.cacheFile.empty()) appendCacheFile(o.cacheFile, key, stored);
  return choice;
}

} // namespace core::ml
