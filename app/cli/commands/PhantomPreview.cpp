#include "app/cli/commands/PhantomPreview.h"

#include "core/files/AtomicFile.h"
#include "core/phantom/PhantomNoise.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace cli {

void writePhantomPreview(const core::volume::Volume& image, const core::volume::Volume& cracks,
                         const core::volume::Volume& particles, std::int64_t z, const std::string& path) {
  using core::volume::VoxelType;
  const auto s = image.size();
  if (cracks.size() != s || particles.size() != s || cracks.type() != VoxelType::UInt8 ||
      particles.type() != VoxelType::UInt32)
    throw std::invalid_argument("preview: image, crack mask and particle map differ in size or type");
  if (z < 0 || z >= s.z) throw std::invalid_argument("preview: slice outside the volume");
  // Small slices are enlarged (nearest neighbour) to at least 256 pixels a panel.
  const int f = std::max(1, (256 + int(s.x) - 1) / int(s.x));
  const int w = int(s.x), h = int(s.y), gap = std::max(2, f * w / 64);

  std::vector<double> grey(std::size_t(w) * std::size_t(h));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) grey[std::size_t(x + w * y)] = image.valueAt(x, y, z);
  std::vector<double> sorted = grey;
  std::sort(sorted.begin(), sorted.end());
  const double lo = sorted[std::size_t(0.005 * double(sorted.size() - 1))];
  const double hi = sorted[std::size_t(0.995 * double(sorted.size() - 1))];
  const double scale = hi > lo ? 255.0 / (hi - lo) : 0.0;

  cv::Mat out(f * h, 3 * f * w + 2 * gap, CV_8UC3, cv::Scalar(255, 255, 255));
  auto put = [&](int x, int y, int panel, const cv::Vec3b& c) {
    for (int dy = 0; dy < f; ++dy)
      for (int dx = 0; dx < f; ++dx) out.at<cv::Vec3b>(f * y + dy, panel * (f * w + gap) + f * x + dx) = c;
  };
  const auto* cr = cracks.as<std::uint8_t>() + std::size_t(z) * std::size_t(w) * std::size_t(h);
  const auto* id = particles.as<std::uint32_t>() + std::size_t(z) * std::size_t(w) * std::size_t(h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::size_t i = std::size_t(x + w * y);
      const auto g = std::uint8_t(std::clamp((grey[i] - lo) * scale, 0.0, 255.0));
      put(x, y, 0, {g, g, g});
      const std::uint8_t m = cr[i] ? 255 : 0;
      put(x, y, 1, {m, m, m});
      cv::Vec3b c{0, 0, 0};
      if (cr[i]) {
        c = {255, 255, 255};
      } else if (id[i]) {
        // A pleasant, stable colour per particle id.
        const std::uint64_t hsh = core::phantom::detail::mix64(id[i]);
        c = {std::uint8_t(70 + (hsh & 0x7f) + (hsh >> 7 & 0x3f)), std::uint8_t(70 + (hsh >> 16 & 0x7f) + (hsh >> 23 & 0x3f)),
             std::uint8_t(70 + (hsh >> 32 & 0x7f) + (hsh >> 39 & 0x3f))};
      }
      put(x, y, 2, c);
    }
  // Encoded in memory, then written atomically with every write checked.
  std::vector<uchar> png;
  const std::string ext = fs::path(path).extension().string();
  bool ok = false;
  try {
    ok = cv::imencode(ext.empty() ? ".png" : ext, out, png);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("cannot write preview '" + path + "': " + e.what());
  }
  if (!ok) throw std::runtime_error("cannot write preview '" + path + "': OpenCV cannot encode this image type");
  core::files::writeFileAtomically(path, png.data(), png.size());
}

} // namespace cli
