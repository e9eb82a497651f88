#pragma once
// Mutations of volume files for the reader fuzzer: bit flips, byte and integer field edits (biased
// towards the header), truncation, inserted/removed/duplicated chunks, and for text headers
// (MetaImage, NRRD, .vol.info) edits of numbers, keywords and lines. Deterministic from the rng.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace fuzz {

using Bytes = std::vector<std::uint8_t>;

/// What a mutation did, for the oracles and the report.
struct MutationLog {
  bool onlyTruncated = true;  ///< every mutation was a truncation (the header is intact)
  std::size_t cutBytes = 0;   ///< bytes cut off the end in all
  std::vector<std::string> steps;
};

class Mutator {
public:
  explicit Mutator(std::uint64_t seed) : m_rng(seed) {}
  std::mt19937_64& rng() { return m_rng; }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : m_rng() % n; }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_rng) < p; }

  /// Applies 1 to 4 mutations to \p data. \p text: the file is a text header; \p headerBytes: where
  /// a binary header probably ends (field edits aim there more often); \p dictionary: keywords and
  /// "key = value" lines of the format.
  void mutate(Bytes& data, bool text, std::size_t headerBytes, const std::vector<std::string>& dictionary,
              MutationLog& log);
  /// Only a truncation (sometimes by a few bytes, sometimes by most of the file).
  void truncate(Bytes& data, MutationLog& log);

private:
  void binaryStep(Bytes& data, std::size_t headerBytes, MutationLog& log);
  void textStep(Bytes& data, const std::vector<std::string>& dictionary, MutationLog& log);
  std::size_t position(const Bytes& data, std::size_t headerBytes);
  std::mt19937_64 m_rng;
};

} // namespace fuzz
