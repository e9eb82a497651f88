#include "core/labels/SparseLabelStore.h"

#include "core/files/AtomicFile.h"
#include "core/volume/io/IoSupport.h"
#include "core/volume/io/ZarrCodec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace core::labels {

using volume::io::fail;
using volume::io::inQuotes;

namespace {

bool readText(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

json readJson(const std::string& path) {
  std::string text;
  if (!readText(path, text)) fail("cannot read " + inQuotes(path));
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    fail(inQuotes(path) + " is not valid JSON: " + e.what());
  }
}

std::string chunkFile(const std::string& dir, const SparseLabels::ChunkKey& k) {
  return (fs::path(dir) / std::to_string(k.z) / std::to_string(k.y) / std::to_string(k.x)).string();
}

bool isIndex(const std::string& name, std::int64_t& value) {
  if (name.empty() || name.size() > 12 || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  value = std::stoll(name);
  return true;
}

std::string zarrayText(const SparseLabels& l, const volume::io::ZarrCompressor& c) {
  const auto& s = l.size();
  const auto& k = l.chunkShape();
  json j = {{"zarr_format", 2},
            {"shape", {s.z, s.y, s.x}},
            {"chunks", {k.z, k.y, k.x}},
            {"dtype", "|u1"},
            {"compressor", {{"id", c.id}, {"level", c.level}}},
            {"fill_value", 0},
            {"order", "C"},
            {"filters", nullptr},
            {"dimension_separator", "/"}};
  return j.dump(2) + "\n";
}

std::string zattrsText(const SparseLabels& l) {
  const auto& sp = l.info().spacing;
  json j = {{"cdnet", {{"annotated_slices", l.annotatedSlices()}, {"spacing_um_zyx", {sp.z, sp.y, sp.x}}}}};
  return j.dump(2) + "\n";
}

/// Writes \p text to \p path atomically unless the file already holds it. Returns bytes written.
std::uint64_t writeIfChanged(const std::string& path, const std::string& text, SparseSaveReport& report) {
  std::string old;
  if (readText(path, old) && old == text) return 0;
  core::files::writeFileAtomically(path, text);
  ++report.metadataWritten;
  return text.size();
}

const volume::io::ZarrCompressor& labelCompressor() {
  static const volume::io::ZarrCompressor c = volume::io::ZarrCompressor::named("zlib");
  return c;
}

} // namespace

std::string sparseLabelPath(const std::string& imagePath) {
  std::string p = imagePath;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p + ".labels.zarr";
}

std::unique_ptr<SparseLabels> openSparseLabels(const std::string& dir, const volume::VolumeInfo& imageInfo,
                                               const volume::Size3& chunk) {
  const std::string meta = (fs::path(dir) / ".zarray").string();
  if (!fs::exists(dir)) return std::make_unique<SparseLabels>(imageInfo, chunk);
  if (!fs::is_regular_file(meta)) fail(inQuotes(dir) + " holds no labels: its .zarray is missing");
  const json j = readJson(meta);
  volume::Size3 grid;
  volume::io::ZarrCompressor codec;
  try {
    if (j.value("zarr_format", 0) != 2) fail(inQuotes(meta) + ": only Zarr format 2 is supported");
    const auto shape = j.at("shape").get<std::vector<std::int64_t>>();
    const auto chunks = j.at("chunks").get<std::vector<std::int64_t>>();
    if (shape.size() != 3 || chunks.size() != 3) fail(inQuotes(meta) + ": labels must be 3D (z, y, x)");
    if (shape[0] != imageInfo.size.z || shape[1] != imageInfo.size.y || shape[2] != imageInfo.size.x)
      fail(inQuotes(meta) + ": the labels are " + std::to_string(shape[2]) + " x " + std::to_string(shape[1]) + " x " +
           std::to_string(shape[0]) + ", the image " + std::to_string(imageInfo.size.x) + " x " +
           std::to_string(imageInfo.size.y) + " x " + std::to_string(imageInfo.size.z));
    if (j.at("dtype").get<std::string>().substr(1) != "u1") fail(inQuotes(meta) + ": labels must be uint8 (|u1)");
    if (j.value("dimension_separator", std::string(".")) != "/") fail(inQuotes(meta) + ": expected dimension_separator \"/\"");
    grid = {chunks[2], chunks[1], chunks[0]};
    if (grid.empty()) fail(inQuotes(meta) + ": empty chunk shape");
    const json& c = j.at("compressor");
    if (!c.is_null()) {
      codec.id = c.at("id").get<std::string>();
      if (codec.id != "zlib" && codec.id != "gzip" && codec.id != "zstd" && codec.id != "blosc")
        fail(inQuotes(meta) + ": compressor '" + codec.id + "' is not supported");
    } else {
      codec.id.clear();
    }
  } catch (const json::exception& e) {
    fail(inQuotes(meta) + " is not a valid Zarr array description: " + e.what());
  }
  auto labels = std::make_unique<SparseLabels>(imageInfo, grid);
  std::vector<std::int64_t> annotated;
  const std::string attrs = (fs::path(dir) / ".zattrs").string();
  if (fs::exists(attrs)) {
    const json a = readJson(attrs);
    try {
      if (a.contains("cdnet")) annotated = a["cdnet"].value("annotated_slices", std::vector<std::int64_t>{});
    } catch (const json::exception& e) {
      fail(inQuotes(attrs) + ": bad annotated_slices: " + e.what());
    }
    for (std::int64_t z : annotated)
      if (z < 0 || z >= imageInfo.size.z) fail(inQuotes(attrs) + ": annotated slice " + std::to_string(z) + " is outside the volume");
  }
  // The chunk files kz/ky/kx; anything else (temporaries, metadata) is left alone.
  const volume::Size3 count{(imageInfo.size.x + grid.x - 1) / grid.x, (imageInfo.size.y + grid.y - 1) / grid.y,
                            (imageInfo.size.z + grid.z - 1) / grid.z};
  ChunkKeySet onDisk;
  std::int64_t kz = 0, ky = 0, kx = 0;
  for (const auto& ez : fs::directory_iterator(dir)) {
    if (!ez.is_directory() || !isIndex(ez.path().filename().string(), kz)) continue;
    for (const auto& ey : fs::directory_iterator(ez.path())) {
      if (!ey.is_directory() || !isIndex(ey.path().filename().string(), ky)) continue;
      for (const auto& ex : fs::directory_iterator(ey.path())) {
        if (!ex.is_regular_file() || !isIndex(ex.path().filename().string(), kx)) continue;
        if (kz >= count.z || ky >= count.y || kx >= count.x)
          fail(inQuotes(ex.path().string()) + " is a label chunk outside the volume's chunk grid");
        onDisk.insert({kx, ky, kz});
      }
    }
  }
  const volume::Size3 g = grid;
  labels->attachSaved(std::move(onDisk),
                      [dir, codec, g](const SparseLabels::ChunkKey& k, std::vector<std::uint8_t>& out) {
                        const std::string file = chunkFile(dir, k);
                        std::string bytes;
                        if (!readText(file, bytes)) fail("cannot read the label chunk " + inQuotes(file));
                        out.resize(std::size_t(g.count()));
                        volume::io::zarrDecode(codec, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                                               out.data(), out.size(), file);
                      },
                      annotated);
  return labels;
}

SparseSaveReport saveSparseLabels(SparseLabels& labels, const std::string& dir) {
  if (labels.hasOpenWindow()) throw std::logic_error("cannot save the labels while an edit is open");
  SparseSaveReport report;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("cannot create the label folder " + inQuotes(dir) + ": " + ec.message());
  const std::string meta = (fs::path(dir) / ".zarray").string();
  if (fs::exists(meta)) { // another grid or size already there: refuse rather than mix two grids
    const json j = readJson(meta);
    const auto& s = labels.size();
    const auto& k = labels.chunkShape();
    if (j.value("shape", std::vector<std::int64_t>{}) != std::vector<std::int64_t>{s.z, s.y, s.x} ||
        j.value("chunks", std::vector<std::int64_t>{}) != std::vector<std::int64_t>{k.z, k.y, k.x})
      fail(inQuotes(meta) + " describes labels of another size or chunk grid; not overwriting them");
  }
  report.bytesWritten += writeIfChanged(meta, zarrayText(labels, labelCompressor()), report);
  for (const SparseLabels::ChunkKey& k : labels.dirtyChunks()) {
    const std::string file = chunkFile(dir, k);
    const std::uint8_t* c = labels.chunk(k);
    const std::size_t n = std::size_t(labels.chunkShape().count());
    if (!c || std::all_of(c, c + n, [](std::uint8_t v) { return v == 0; })) {
      if (fs::remove(file, ec)) ++report.chunksRemoved;
      labels.forgetChunk(k);
      continue;
    }
    const std::vector<std::uint8_t> bytes = volume::io::zarrEncode(labelCompressor(), c, n, 1);
    fs::create_directories(fs::path(file).parent_path(), ec);
    if (ec) fail("cannot create " + inQuotes(fs::path(file).parent_path().string()) + ": " + ec.message());
    core::files::writeFileAtomically(file, bytes.data(), bytes.size());
    labels.markClean(k);
    ++report.chunksWritten;
    report.bytesWritten += bytes.size();
  }
  report.bytesWritten += writeIfChanged((fs::path(dir) / ".zattrs").string(), zattrsText(labels), report);
  labels.markSaved();
  return report;
}

} // namespace core::labels
