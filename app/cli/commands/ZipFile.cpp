// Minimal zip reading and writing (ZipFile.h), with zlib's crc32 and raw inflate.
#include "app/cli/commands/ZipFile.h"

#include "core/files/AtomicFile.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <zlib.h>

namespace cli {

namespace {

void put16(std::string& s, std::uint32_t v) {
  s.push_back(char(v & 0xff));
  s.push_back(char((v >> 8) & 0xff));
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
std::uint32_t get16(const std::string& s, std::size_t at) {
  if (at + 2 > s.size()) throw std::out_of_range("zip");
  return std::uint32_t(std::uint8_t(s[at])) | std::uint32_t(std::uint8_t(s[at + 1])) << 8;
}
std::uint32_t get32(const std::string& s, std::size_t at) { return get16(s, at) | get16(s, at + 2) << 16; }

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct CentralEntry {
  std::string name;
  std::uint32_t method, crc, compressed, size, localOffset;
};

std::vector<CentralEntry> centralDirectory(const std::string& zip, const std::string& path) {
  const std::string bad = "'" + path + "' is not a readable zip file (damaged or truncated)";
  if (zip.size() < 22) throw std::runtime_error(bad);
  std::size_t eocd = std::string::npos;
  for (std::size_t i = zip.size() - 22 + 1; i-- > 0 && zip.size() - i <= 22 + 65535;)
    if (get32(zip, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string::npos) throw std::runtime_error(bad);
  try {
    const std::uint32_t count = get16(zip, eocd + 10);
    std::size_t at = get32(zip, eocd + 16);
    std::vector<CentralEntry> out;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (get32(zip, at) != 0x02014b50) throw std::runtime_error(bad);
      CentralEntry e;
      e.method = get16(zip, at + 10);
      e.crc = get32(zip, at + 16);
      e.compressed = get32(zip, at + 20);
      e.size = get32(zip, at + 24);
      const std::uint32_t nameLen = get16(zip, at + 28), extra = get16(zip, at + 30), comment = get16(zip, at + 32);
      e.localOffset = get32(zip, at + 42);
      if (at + 46 + nameLen > zip.size()) throw std::runtime_error(bad);
      e.name = zip.substr(at + 46, nameLen);
      out.push_back(e);
      at += 46 + nameLen + extra + comment;
    }
    return out;
  } catch (const std::out_of_range&) {
    throw std::runtime_error(bad);
  }
}

} // namespace

void writeZip(const std::string& path, const std::vector<ZipEntry>& entries) {
  std::string out, central;
  for (const auto& e : entries) {
    if (e.data.size() >= 0xffffffffu) throw std::runtime_error("zip entry '" + e.name + "' is too large");
    const auto crc = std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), uInt(e.data.size())));
    const auto offset = std::uint32_t(out.size());
    const auto size = std::uint32_t(e.data.size());
    put32(out, 0x04034b50);
    put16(out, 20); // version needed
    put16(out, 0);  // flags
    put16(out, 0);  // stored
    put16(out, 0);  // time
    put16(out, 0x21); // date 1980-01-01
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, std::uint32_t(e.name.size()));
    put16(out, 0);
    out += e.name;
    out += e.data;
    put32(central, 0x02014b50);
    put16(central, 20);
    put16(central, 20);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, std::uint32_t(e.name.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0644u << 16);
    put32(central, offset);
    central += e.name;
  }
  const auto centralOffset = std::uint32_t(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, std::uint32_t(entries.size()));
  put16(out, std::uint32_t(entries.size()));
  put32(out, std::uint32_t(central.size()));
  put32(out, centralOffset);
  put16(out, 0);
  core::files::writeFileAtomically(path, out);
}

std::vector<std::string> zipEntryNames(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& e : centralDirectory(readAll(path), path)) names.push_back(e.name);
  return names;
}

std::string readZipEntry(const std::string& path, const std::string& name) {
  const std::string zip = readAll(path);
  for (const auto& e : centralDirectory(zip, path)) {
    if (e.name != name) continue;
    const std::string where = "entry '" + name + "' of '" + path + "'";
    std::string data;
    try {
      if (get32(zip, e.localOffset) != 0x04034b50) throw std::out_of_range("local header");
      const std::size_t start = e.localOffset + 30 + get16(zip, e.localOffset + 26) + get16(zip, e.localOffset + 28);
      if (start + e.compressed > zip.size()) throw std::out_of_range("data");
      if (e.method == 0) {
        data = zip.substr(start, e.compressed);
      } else if (e.method == 8) {
        data.resize(e.size);
        z_stream zs{};
        if (inflateInit2(&zs, -15) != Z_OK) throw std::runtime_error("zlib");
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + start));
        zs.avail_in = e.compressed;
        zs.next_out = reinterpret_cast<Bytef*>(data.data());
        zs.avail_out = e.size;
        const int rc = inflate(&zs, Z_FINISH);
        inflateEnd(&zs);
        if (rc != Z_STREAM_END || zs.total_out != e.size) throw std::out_of_range("inflate");
      } else {
        throw std::runtime_error(where + " uses zip compression method " + std::to_string(e.method) +
                                 " (only stored and deflate are read)");
      }
    } catch (const std::out_of_range&) {
      throw std::runtime_error(where + " is damaged or truncated");
    }
    if (std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()))) != e.crc)
      throw std::runtime_error(where + " fails its CRC check (damaged)");
    return data;
  }
  throw std::runtime_error("'" + path + "' has no entry '" + name + "'");
}

} // namespace cli
