#pragma once
/// \file ZarrCodec.h
/// Internal: the chunk compressors of Zarr v2 that OME-Zarr files use (numcodecs ids): "blosc"
/// (libblosc: lz4, lz4hc, zstd, zlib, blosclz inside, with byte or bit shuffle), "zstd" (libzstd),
/// "zlib" and "gzip" (zlib), or none. Errors name the file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace core::volume::io {

struct ZarrCompressor {
  std::string id;            ///< "blosc", "zstd", "zlib", "gzip" or "" (none)
  std::string cname = "lz4"; ///< blosc: inner codec
  int level = 5;             ///< blosc clevel, zstd level, zlib/gzip level
  int shuffle = 1;           ///< blosc: 0 none, 1 byte, 2 bit
  /// The compressor named on the command line: "blosc" (blosc-lz4, byte shuffle, as numcodecs'
  /// default), "blosc-zstd", "zstd", "zlib", "gzip" or "none". Throws on another name.
  static ZarrCompressor named(const std::string& name);
};

/// Compresses \p n bytes of elements of \p typeSize bytes.
std::vector<std::uint8_t> zarrEncode(const ZarrCompressor& c, const void* data, std::size_t n, std::size_t typeSize);
/// Decompresses a chunk into exactly \p expected bytes at \p dst; throws naming \p path when the
/// data is damaged or of another size.
void zarrDecode(const ZarrCompressor& c, const std::uint8_t* src, std::size_t n, void* dst, std::size_t expected,
                const std::string& path);
/// True when zarrDecodePart decodes about only the bytes asked for (blosc: blosc_getitem decodes
/// the blosc blocks that hold them; none: a copy).
bool zarrDecodesParts(const ZarrCompressor& c);
/// Bytes [\p offset, \p offset + \p bytes) of a chunk of \p expected bytes into \p dst (other
/// compressors decode the whole chunk first); throws naming \p path as zarrDecode does.
void zarrDecodePart(const ZarrCompressor& c, const std::uint8_t* src, std::size_t n, std::size_t expected,
                    std::size_t offset, std::size_t bytes, void* dst, const std::string& path);

} // namespace core::volume::io
