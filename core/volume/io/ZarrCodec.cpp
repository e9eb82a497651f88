#include "core/volume/io/ZarrCodec.h"
#include "core/volume/io/VolumeIO.h"

#include <blosc.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <stdexcept>

namespace core::volume::io {

namespace {

[[noreturn]] void damaged(const std::string& path, const std::string& what) {
  throw std::runtime_error("chunk '" + path + "' is damaged: " + what);
}

/// zlib (windowBits 15) or gzip (31) in one call.
std::vector<std::uint8_t> deflateAll(const void* data, std::size_t n, int level, int windowBits) {
  z_stream s{};
  if (deflateInit2(&s, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: cannot start compressing");
  std::vector<std::uint8_t> out(deflateBound(&s, uLong(n)) + 32);
  s.next_in = static_cast<Bytef*>(const_cast<void*>(data));
  s.avail_in = uInt(n);
  s.next_out = out.data();
  s.avail_out = uInt(out.size());
  const int rc = deflate(&s, Z_FINISH);
  const std::size_t written = s.total_out;
  deflateEnd(&s);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: compressing a chunk failed");
  out.resize(written);
  return out;
}

void inflateAll(const std::uint8_t* src, std::size_t n, void* dst, std::size_t expected, int windowBits,
                const std::string& path) {
  z_stream s{};
  if (inflateInit2(&s, windowBits) != Z_OK) throw std::runtime_error("zlib: cannot start decompressing");
  s.next_in = const_cast<Bytef*>(src);
  s.avail_in = uInt(n);
  s.next_out = static_cast<Bytef*>(dst);
  s.avail_out = uInt(expected);
  const int rc = inflate(&s, Z_FINISH);
  const std::size_t got = s.total_out;
  inflateEnd(&s);
  if (rc != Z_STREAM_END || got != expected)
    damaged(path, "zlib data ends early or holds " + std::to_string(got) + " bytes, not " + std::to_string(expected));
}

} // namespace

ZarrCompressor ZarrCompressor::named(const std::string& name) {
  ZarrCompressor c;
  if (name == "blosc" || name == "blosc-lz4") c.id = "blosc";
  else if (name == "blosc-zstd") c.id = "blosc", c.cname = "zstd", c.level = 3;
  else if (name == "zstd") c.id = "zstd", c.level = 3;
  else if (name == "zlib" || name == "gzip") c.id = name, c.level = 6;
  else if (name == "none") c.id.clear();
  else
    throw std::invalid_argument("unknown Zarr compressor '" + name + "' (known: blosc, blosc-zstd, zstd, zlib, gzip, none)");
  return c;
}

} // namespace core::volume::io

void core::volume::checkCompressorName(const std::string& name) { (void)io::ZarrCompressor::named(name); }

namespace core::volume::io {

std::vector<std::uint8_t> zarrEncode(const ZarrCompressor& c, const void* data, std::size_t n, std::size_t typeSize) {
  if (c.id.empty()) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    return std::vector<std::uint8_t>(p, p + n);
  }
  if (c.id == "zlib") return deflateAll(data, n, c.level, 15);
  if (c.id == "gzip") return deflateAll(data, n, c.level, 31);
  if (c.id == "zstd") {
    std::vector<std::uint8_t> out(ZSTD_compressBound(n));
    const std::size_t w = ZSTD_compress(out.data(), out.size(), data, n, c.level);
    if (ZSTD_isError(w)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(w));
    out.resize(w);
    return out;
  }
  if (c.id == "blosc") {
    std::vector<std::uint8_t> out(n + BLOSC_MAX_OVERHEAD);
    const int w = blosc_compress_ctx(c.level, c.shuffle, typeSize, n, data, out.data(), out.size(), c.cname.c_str(), 0, 1);
    if (w <= 0) throw std::runtime_error("blosc: compressing a chunk failed (codec '" + c.cname + "')");
    out.resize(std::size_t(w));
    return out;
  }
  throw std::invalid_argument("unknown Zarr compressor '" + c.id + "'");
}

void zarrDecode(const ZarrCompressor& c, const std::uint8_t* src, std::size_t n, void* dst, std::size_t expected,
                const std::string& path) {
  if (c.id.empty()) {
    if (n != expected) damaged(path, "it holds " + std::to_string(n) + " bytes, not " + std::to_string(expected));
    std::memcpy(dst, src, n);
  } else if (c.id == "zlib" || c.id == "gzip") {
    inflateAll(src, n, dst, expected, c.id == "zlib" ? 15 : 31, path);
  } else if (c.id == "zstd") {
    const std::size_t got = ZSTD_decompress(dst, expected, src, n);
    if (ZSTD_isError(got)) damaged(path, std::string("zstd: ") + ZSTD_getErrorName(got));
    if (got != expected) damaged(path, "it holds " + std::to_string(got) + " bytes, not " + std::to_string(expected));
  } else if (c.id == "blosc") {
    std::size_t nbytes = 0, cbytes = 0, block = 0;
    if (n < BLOSC_MIN_HEADER_LENGTH) damaged(path, "too short for a blosc header");
    blosc_cbuffer_sizes(src, &nbytes, &cbytes, &block);
    if (nbytes != expected || cbytes > n)
      damaged(path, "the blosc header says " + std::to_string(nbytes) + " bytes, not " + std::to_string(expected));
    if (blosc_decompress_ctx(src, dst, expected, 1) != int(expected)) damaged(path, "blosc cannot decompress it");
  } else {
    throw std::runtime_error("chunk '" + path + "': unknown compressor '" + c.id + "'");
  }
}

bool zarrDecodesParts(const ZarrCompressor& c) { return c.id.empty() || c.id == "blosc"; }

void zarrDecodePart(const ZarrCompressor& c, const std::uint8_t* src, std::size_t n, std::size_t expected,
                    std::size_t offset, std::size_t bytes, void* dst, const std::string& path) {
  if (offset > expected || bytes > expected - offset) throw std::runtime_error("chunk '" + path + "': part out of range");
  if (c.id.empty()) {
    if (n != expected) damaged(path, "it holds " + std::to_string(n) + " bytes, not " + std::to_string(expected));
    std::memcpy(dst, src + offset, bytes);
  } else if (c.id == "blosc") {
    std::size_t nbytes = 0, cbytes = 0, block = 0, typeSize = 0;
    int flags = 0;
    if (n < BLOSC_MIN_HEADER_LENGTH) damaged(path, "too short for a blosc header");
    blosc_cbuffer_sizes(src, &nbytes, &cbytes, &block);
    blosc_cbuffer_metainfo(src, &typeSize, &flags);
    if (nbytes != expected || cbytes > n)
      damaged(path, "the blosc header says " + std::to_string(nbytes) + " bytes, not " + std::to_string(expected));
    if (typeSize == 0 || offset % typeSize != 0 || bytes % typeSize != 0) { // items do not line up: all of it
      std::vector<std::uint8_t> all(expected);
      zarrDecode(c, src, n, all.data(), expected, path);
      std::memcpy(dst, all.data() + offset, bytes);
      return;
    }
    const int items = int(bytes / typeSize);
    if (blosc_getitem(src, int(offset / typeSize), items, dst) != int(bytes)) damaged(path, "blosc cannot decompress it");
  } else {
    std::vector<std::uint8_t> all(expected);
    zarrDecode(c, src, n, all.data(), expected, path);
    std::memcpy(dst, all.data() + offset, bytes);
  }
}

} // namespace core::volume::io
