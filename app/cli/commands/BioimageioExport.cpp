// bioimage.io model packages (BioimageioExport.h): rdf.yaml in spec format 0.5.3.
#include "app/cli/commands/BioimageioExport.h"
#include "app/cli/commands/ZipFile.h"

#include "core/ml/Calibration.h"
#include "core/ml/TrainingData.h"
#include "core/volume/Volume.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <stdlib.h>
#include <unistd.h>

namespace cli {

namespace {

constexpr int kSide = 256;
constexpr const char* kWeights = "weights_torchscript.pt";

/// A .npy file (version 1.0) of little-endian float32 in C order.
std::string npy(const std::vector<float>& values, const std::vector<int>& shape) {
  std::string dims;
  for (std::size_t i = 0; i < shape.size(); ++i) dims += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(char(header.size() & 0xff));
  out.push_back(char(header.size() >> 8));
  out += header;
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  return out;
}

/// Grey values of a synthetic slice: round grains on a darker background, a dark crack through
/// one, deterministic noise; channel \p c shifts the pattern by a pixel (2.5D neighbours).
std::vector<float> syntheticSlice(int c) {
  std::vector<float> v(std::size_t(kSide) * kSide);
  std::uint32_t state = 12345u + 977u * std::uint32_t(c);
  const double grains[][3] = {{70, 80, 50}, {180, 90, 55}, {110, 190, 60}, {215, 210, 35}};
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      double g = 60;
      for (const auto& p : grains)
        if (std::hypot(x - p[0] - c, y - p[1]) < p[2]) g = 170;
      if (g > 100 && std::abs((y - 80) - 0.4 * (x - 70)) < 1.6 && x < 130) g = 45; // a crack
      state = state * 1664525u + 1013904223u;
      v[std::size_t(y) * kSide + x] = float(g + (double(state >> 8) / double(1u << 24) - 0.5) * 30.0);
    }
  return v;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string coverPng(const std::vector<float>& image, const std::vector<float>& probability) {
  cv::Mat cover(kSide, 2 * kSide, CV_8UC3);
  const auto [lo, hi] = std::minmax_element(image.begin(), image.end());
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const float g = 255.f * (image[std::size_t(y) * kSide + x] - *lo) / std::max(1e-6f, *hi - *lo);
      const float p = probability[std::size_t(y) * kSide + x];
      cover.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(g), cv::saturate_cast<uchar>(g), cv::saturate_cast<uchar>(g));
      // Right: the slice with the crack probability in red.
      cover.at<cv::Vec3b>(y, kSide + x) = cv::Vec3b(cv::saturate_cast<uchar>(g * (1 - p)), cv::saturate_cast<uchar>(g * (1 - p)),
                                                    cv::saturate_cast<uchar>(g * (1 - p) + 255 * p));
    }
  std::vector<uchar> png;
  cv::imencode(".png", cover, png);
  return std::string(png.begin(), png.end());
}

std::string utcNow() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string rdfYaml(const core::ml::Model& m) {
  const int k = m.options().contextSlices, b = m.options().baseWidth;
  std::string channels;
  for (int c = -k; c <= k; ++c) channels += std::string(channels.empty() ? "" : ", ") + (c == 0 ? "z" : (c < 0 ? "z" + std::to_string(c) : "z+" + std::to_string(c)));
  std::ostringstream y;
  y << "type: model\n"
       "format_version: 0.5.3\n"
       "name: CDNet crack detection base width " << b << (k ? ", 2.5D" : "") << "\n"
       "description: Crack probability per pixel in X-ray nano-tomography slices of lithium-ion battery cathodes "
       "(the CDNet U-Net of Fu et al. 2022, trained with CDNet Studio).\n"
       "authors:\n  - name: CDNet Studio developers\n"
       "cite:\n  - text: Fu et al., Deep-learning-enabled crack detection and analysis in commercial lithium-ion "
       "battery cathodes, Advanced Functional Materials 2022\n    doi: 10.1002/adfm.202203070\n"
       "license: MIT\n"
       "documentation: README.md\n"
       "covers: [cover.png]\n"
       "tags: [segmentation, x-ray-tomography, battery, cathode, cracks, unet, 2d, pytorch]\n"
       "timestamp: " << utcNow() << "\n"
       "inputs:\n"
       "  - id: raw\n"
       "    description: Grey-value slice" << (k ? "s z-" + std::to_string(k) + " .. z+" + std::to_string(k) : std::string()) << " (any range; normalised per sample and channel)\n"
       "    axes:\n"
       "      - type: batch\n"
       "      - type: channel\n"
       "        channel_names: [" << channels << "]\n"
       "      - {id: y, type: space, size: {min: 64, step: 32}}\n"
       "      - {id: x, type: space, size: {min: 64, step: 32}}\n"
       "    test_tensor: {source: test_input.npy}\n"
       "    sample_tensor: {source: cover.png}\n"
       "    data: {type: float32}\n"
       "    preprocessing:\n"
       "      - id: zero_mean_unit_variance\n"
       "        kwargs: {axes: [y, x], eps: 1.0e-06}\n"
       "outputs:\n"
       "  - id: probability\n"
       "    description: Crack probability in [0, 1]\n"
       "    axes:\n"
       "      - type: batch\n"
       "      - type: channel\n"
       "        channel_names: [crack]\n"
       "      - {id: y, type: space, size: {tensor_id: raw, axis_id: y}}\n"
       "      - {id: x, type: space, size: {tensor_id: raw, axis_id: x}}\n"
       "    test_tensor: {source: test_output.npy}\n"
       "    data: {type: float32, range: [0.0, 1.0]}\n"
       "weights:\n"
       "  torchscript:\n"
       "    source: " << kWeights << "\n"
       "    pytorch_version: '1.13'\n"
       "config:\n"
       "  cdnet:\n"
       "    base_width: " << b << "\n"
       "    context_slices: " << k << "\n"
       "    decision_threshold: " << core::ml::calibrationOf(m).threshold << "\n"
       "    version: " << CDNET_VERSION << "\n";
  return y.str();
}

std::string readme(const core::ml::Model& m) {
  std::ostringstream r;
  r << "# CDNet crack detection\n\n"
       "The CDNet U-Net (Fu et al., Advanced Functional Materials 2022, doi 10.1002/adfm.202203070) at base width "
    << m.options().baseWidth << ", exported by CDNet Studio " << CDNET_VERSION
    << ".\n\n## Input\nOne grey-value slice of X-ray tomography (" << m.options().channels()
    << " channel(s): the slice and its neighbours for a 2.5D model), any size (padded inside to a multiple of 32). "
       "Each channel is normalised per sample to zero mean and unit variance.\n\n"
       "## Output\nThe crack probability per pixel, 0 to 1. Threshold at "
    << "0.5 for a mask"
    << (core::ml::calibrationOf(m).calibrated()
            ? " (the Dice-maximising threshold on the " + core::ml::calibrationOf(m).source + " data when the model was "
              "trained was " + std::to_string(core::ml::calibrationOf(m).threshold) + ", config.cdnet.decision_threshold)"
            : std::string())
    << ".\n\n"
    << ""
       "## Limits\nTrained on the data its author labelled; check it on a few labelled slices of yours "
       "(`cdnet evaluate`) before trusting its statistics. Whole volumes are best predicted with `cdnet predict`, "
       "which tiles and blends without seams.\n";
  return r.str();
}

} // namespace

void exportBioimageio(const core::ml::Model& model, const std::string& zipPath) {
  if (model.kind() != core::ml::ModelKind::Native)
    throw std::runtime_error("bioimage.io export needs a CDNet checkpoint, not a TorchScript file");
  const int channels = model.options().channels();
  std::vector<float> input, normalised(std::size_t(channels) * kSide * kSide);
  for (int c = 0; c < channels; ++c) {
    const auto s = syntheticSlice(c - model.options().contextSlices);
    input.insert(input.end(), s.begin(), s.end());
    core::volume::Volume v(core::volume::Size3{kSide, kSide, 1}, core::volume::VoxelType::Float32);
    std::memcpy(v.data(), s.data(), s.size() * sizeof(float));
    core::ml::normaliseSlice(v, 0, normalised.data() + std::size_t(c) * kSide * kSide);
  }
  std::vector<float> output(std::size_t(kSide) * kSide);
  model.predict(normalised.data(), 1, kSide, kSide, output.data());

  namespace fs = std::filesystem;
  const fs::path dir = fs::path(zipPath).parent_path().empty() ? fs::path(".") : fs::path(zipPath).parent_path();
  const std::string weights = (dir / (".cdnet-bioimageio-" + std::to_string(::getpid()) + ".pt")).string();
  std::string weightBytes;
  try {
    model.exportTorchScript(weights);
    weightBytes = readFile(weights);
  } catch (...) {
    std::error_code ec;
    fs::remove(weights, ec);
    throw;
  }
  std::error_code ec;
  fs::remove(weights, ec);
  const int centre = model.options().contextSlices;
  const std::vector<float> centreSlice(input.begin() + std::ptrdiff_t(centre) * kSide * kSide,
                                       input.begin() + std::ptrdiff_t(centre + 1) * kSide * kSide);
  writeZip(zipPath, {{"rdf.yaml", rdfYaml(model)},
                     {kWeights, weightBytes},
                     {"test_input.npy", npy(input, {1, channels, kSide, kSide})},
                     {"test_output.npy", npy(output, {1, 1, kSide, kSide})},
                     {"cover.png", coverPng(centreSlice, output)},
                     {"README.md", readme(model)}});
}

bool isZipFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

void extractBioimageioTorchScript(const std::string& zipPath, const std::string& outPath) {
  const auto names = zipEntryNames(zipPath);
  const auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  std::string rdf = has("rdf.yaml") ? "rdf.yaml" : (has("bioimageio.yaml") ? "bioimageio.yaml" : "");
  if (rdf.empty()) throw std::runtime_error("'" + zipPath + "' is a zip but not a bioimage.io package (no rdf.yaml)");
  // The torchscript weights' source: the line "source: ..." after "torchscript:" (0.5 and 0.4
  // specs alike); enough for packages written by us and by the bioimage.io tools.
  const std::string yaml = readZipEntry(zipPath, rdf);
  const auto ts = yaml.find("torchscript:");
  std::string source;
  if (ts != std::string::npos) {
    const auto at = yaml.find("source:", ts);
    if (at != std::string::npos) {
      auto end = yaml.find('\n', at);
      source = yaml.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
      source.erase(0, source.find_first_not_of(" \t'\""));
      source.erase(source.find_last_not_of(" \t'\"\r") + 1);
    }
  }
  if (source.empty())
    throw std::runtime_error("bioimage.io package '" + zipPath +
                             "' has no TorchScript weights (cdnet runs only TorchScript; its weights are of another format)");
  const std::string bytes = readZipEntry(zipPath, source);
  std::ofstream out(outPath, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write '" + outPath + "'");
}

core::ml::Model loadModelOrPackage(const std::string& path, const core::ml::LoadOptions& opts) {
  // Torch's own .pt files are zips too: a package is a .zip, or a zip holding an rdf.yaml.
  bool package = std::filesystem::path(path).extension() == ".zip";
  if (!package && isZipFile(path)) {
    try {
      for (const auto& n : zipEntryNames(path)) package = package || n == "rdf.yaml" || n == "bioimageio.yaml";
    } catch (const std::exception&) {
      // not a readable zip: Model::load says what is wrong with it
    }
  }
  if (!package) return core::ml::Model::load(path, opts);
  std::string tmp = (std::filesystem::temp_directory_path() / "cdnet-package-XXXXXX.pt").string();
  const int fd = ::mkstemps(tmp.data(), 3);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the weights of '" + path + "'");
  ::close(fd);
  struct Remove {
    std::string p;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  } remove{tmp};
  extractBioimageioTorchScript(path, tmp);
  try {
    return core::ml::Model::load(tmp, opts);
  } catch (const std::exception& e) {
    throw std::runtime_error("the TorchScript weights of bioimage.io package '" + path + "' do not load: " + e.what());
  }
}

} // namespace cli
