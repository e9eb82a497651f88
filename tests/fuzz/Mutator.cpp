#include "Mutator.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

namespace fuzz {

namespace {

// Integers that break size and offset arithmetic: zero, one, sign and width boundaries.
const std::int64_t kInterestingInts[] = {0,          1,          -1,         2,          3,          -3,
                                         0x7f,       0x80,       0xff,       0x100,      0x7fff,     0x8000,
                                         0xffff,     0x10000,    0x7fffffff, -0x7fffffff - 1, 0xffffffffll,
                                         0x100000000ll, std::numeric_limits<std::int64_t>::max(),
                                         std::numeric_limits<std::int64_t>::min(), 348, 352, 4096, 1 << 20};

// Numbers as text, the kind that hangs or overflows parsers.
const char* const kInterestingNumbers[] = {"-1", "0", "-3", "1", "2", "11", "65536", "2147483647", "2147483648",
                                           "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
                                           "18446744073709551616", "99999999999999999999999", "1e308", "1e999",
                                           "-1e999", "nan", "inf", "-inf", "-0", "0.0", "3.5", "1e-320", "0x10", "",
                                           "  ", "+", "-", "1 2", "1 2 3 4 5 6 7 8 9 10 11"};

bool isNumberChar(std::uint8_t c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e'; }

} // namespace

std::size_t Mutator::position(const Bytes& data, std::size_t headerBytes) {
  if (data.empty()) return 0;
  if (headerBytes > 0 && chance(0.7)) return std::size_t(below(std::min(headerBytes, data.size())));
  return std::size_t(below(data.size()));
}

void Mutator::truncate(Bytes& data, MutationLog& log) {
  if (data.empty()) return;
  std::size_t cut;
  switch (below(3)) {
  case 0: cut = 1 + std::size_t(below(std::min<std::size_t>(16, data.size()))); break;  // a few bytes
  case 1: cut = 1 + std::size_t(below(std::min<std::size_t>(4096, data.size()))); break; // part of the data
  default: cut = 1 + std::size_t(below(data.size())); break;                              // anywhere
  }
  cut = std::min(cut, data.size());
  data.resize(data.size() - cut);
  log.cutBytes += cut;
  log.steps.push_back("truncate by " + std::to_string(cut));
}

void Mutator::binaryStep(Bytes& data, std::size_t headerBytes, MutationLog& log) {
  if (data.empty()) {
    data.push_back(std::uint8_t(m_rng()));
    log.onlyTruncated = false;
    log.steps.push_back("add a byte");
    return;
  }
  const std::uint64_t kind = below(8);
  if (kind == 6) {
    truncate(data, log);
    return;
  }
  log.onlyTruncated = false;
  const std::size_t at = position(data, headerBytes);
  switch (kind) {
  case 0: { // bit flips
    const int n = 1 + int(below(4));
    for (int i = 0; i < n; ++i) data[position(data, headerBytes)] ^= std::uint8_t(1u << below(8));
    log.steps.push_back("flip " + std::to_string(n) + " bits");
    break;
  }
  case 1: { // an interesting byte
    static const std::uint8_t bytes[] = {0, 1, 0x7f, 0x80, 0xff, 0xfe, ' ', '\n', '=', ':', '-', '0', '9'};
    data[at] = chance(0.8) ? bytes[below(sizeof bytes)] : std::uint8_t(m_rng());
    log.steps.push_back("set byte " + std::to_string(at));
    break;
  }
  case 2:
  case 3: { // an integer field of 2, 4 or 8 bytes, either byte order
    const std::size_t width = std::size_t(1) << (1 + below(3));
    if (at + width > data.size()) break;
    std::int64_t v = kInterestingInts[below(std::size(kInterestingInts))];
    if (chance(0.25)) v = std::int64_t(data.size()) + std::int64_t(below(64)) - 32;
    if (chance(0.1)) v = std::int64_t(m_rng());
    const bool big = chance(0.5);
    for (std::size_t i = 0; i < width; ++i)
      data[at + (big ? width - 1 - i : i)] = std::uint8_t(std::uint64_t(v) >> (8 * i));
    log.steps.push_back("set " + std::to_string(width * 8) + "-bit field at " + std::to_string(at) + " to " + std::to_string(v));
    break;
  }
  case 4: { // insert a chunk (random or copied)
    const std::size_t n = 1 + std::size_t(below(64));
    Bytes chunk(n);
    if (chance(0.5) && data.size() > n) {
      const std::size_t from = std::size_t(below(data.size() - n));
      std::copy(data.begin() + std::ptrdiff_t(from), data.begin() + std::ptrdiff_t(from + n), chunk.begin());
    } else {
      for (auto& c : chunk) c = std::uint8_t(m_rng());
    }
    data.insert(data.begin() + std::ptrdiff_t(at), chunk.begin(), chunk.end());
    log.steps.push_back("insert " + std::to_string(n) + " bytes at " + std::to_string(at));
    break;
  }
  case 5: { // remove a chunk
    const std::size_t n = std::min<std::size_t>(1 + std::size_t(below(64)), data.size() - at);
    data.erase(data.begin() + std::ptrdiff_t(at), data.begin() + std::ptrdiff_t(at + n));
    log.steps.push_back("remove " + std::to_string(n) + " bytes at " + std::to_string(at));
    break;
  }
  default: { // overwrite a chunk with a copy of another part of the file
    const std::size_t n = std::min<std::size_t>(1 + std::size_t(below(32)), data.size() - at);
    const std::size_t from = std::size_t(below(data.size() - n + 1));
    std::memmove(data.data() + at, data.data() + from, n);
    log.steps.push_back("copy " + std::to_string(n) + " bytes to " + std::to_string(at));
    break;
  }
  }
}

void Mutator::textStep(Bytes& data, const std::vector<std::string>& dictionary, MutationLog& log) {
  std::string text(data.begin(), data.end());
  // The header part only (a LOCAL MetaImage or an attached NRRD has voxels after it).
  std::size_t headerEnd = text.find("ElementDataFile");
  headerEnd = headerEnd == std::string::npos ? text.find("\n\n") : text.find('\n', headerEnd);
  if (headerEnd == std::string::npos) headerEnd = std::min<std::size_t>(text.size(), 4096);
  std::vector<std::size_t> lineStarts{0};
  for (std::size_t i = 0; i < headerEnd; ++i)
    if (text[i] == '\n' && i + 1 < headerEnd) lineStarts.push_back(i + 1);
  auto lineAt = [&](std::size_t k) {
    const std::size_t a = lineStarts[k], b = text.find('\n', a);
    return std::make_pair(a, b == std::string::npos ? text.size() : b + 1);
  };
  log.onlyTruncated = false;
  switch (below(6)) {
  case 0:
  case 1: { // replace a number with an interesting one
    std::vector<std::pair<std::size_t, std::size_t>> numbers;
    for (std::size_t i = 0; i < headerEnd;) {
      if (std::isdigit(static_cast<unsigned char>(text[i])) && (i == 0 || !std::isalpha(static_cast<unsigned char>(text[i - 1])))) {
        std::size_t j = i;
        if (i > 0 && text[i - 1] == '-') --i;
        while (j < headerEnd && isNumberChar(std::uint8_t(text[j]))) ++j;
        numbers.emplace_back(i, j);
        i = j;
      } else {
        ++i;
      }
    }
    if (numbers.empty()) break;
    const auto [a, b] = numbers[below(numbers.size())];
    const std::string by = kInterestingNumbers[below(std::size(kInterestingNumbers))];
    text.replace(a, b - a, by);
    log.steps.push_back("number at " + std::to_string(a) + " -> '" + by + "'");
    break;
  }
  case 2: { // replace a value with a keyword of the format
    if (dictionary.empty()) break;
    const auto [a, b] = lineAt(below(lineStarts.size()));
    const std::size_t sep = text.find_first_of("=:", a);
    if (sep == std::string::npos || sep >= b) break;
    std::string word = dictionary[below(dictionary.size())];
    if (word.find_first_of("=:") != std::string::npos) word = word.substr(word.find_first_of("=:") + 1);
    text.replace(sep + 1, b - 1 - (sep + 1), " " + word);
    log.steps.push_back("value of line at " + std::to_string(a) + " -> '" + word + "'");
    break;
  }
  case 3: { // insert a dictionary line
    if (dictionary.empty()) break;
    const std::size_t at = lineStarts[below(lineStarts.size())];
    const std::string line = dictionary[below(dictionary.size())] + "\n";
    text.insert(at, line);
    log.steps.push_back("insert line '" + line.substr(0, line.size() - 1) + "'");
    break;
  }
  case 4: { // delete or duplicate a line
    const auto [a, b] = lineAt(below(lineStarts.size()));
    if (chance(0.5)) {
      text.erase(a, b - a);
      log.steps.push_back("delete line at " + std::to_string(a));
    } else {
      text.insert(a, text.substr(a, b - a));
      log.steps.push_back("duplicate line at " + std::to_string(a));
    }
    break;
  }
  default: { // swap two lines
    const auto l1 = lineAt(below(lineStarts.size())), l2 = lineAt(below(lineStarts.size()));
    if (l1.first == l2.first) break;
    const auto first = std::min(l1, l2), second = std::max(l1, l2);
    const std::string s1 = text.substr(first.first, first.second - first.first);
    const std::string s2 = text.substr(second.first, second.second - second.first);
    text.replace(second.first, s2.size(), s1);
    text.replace(first.first, s1.size(), s2);
    log.steps.push_back("swap lines");
    break;
  }
  }
  data.assign(text.begin(), text.end());
}

void Mutator::mutate(Bytes& data, bool text, std::size_t headerBytes, const std::vector<std::string>& dictionary,
                     MutationLog& log) {
  const int n = 1 + int(below(4));
  for (int i = 0; i < n; ++i) {
    if (text && chance(0.75)) textStep(data, dictionary, log);
    else binaryStep(data, headerBytes, log);
  }
}

} // namespace fuzz
