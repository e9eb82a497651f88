#pragma once
/// \file MemoryLimit.h
/// --memory-limit of cdnet analyze and cdnet predict: "BYTES" or a number with K, M or G (powers
/// of 1024). Main thread.
#include <cstdint>
#include <string>

namespace cli {

/// Parses \p text; throws std::invalid_argument naming --memory-limit when it is not a positive size.
std::uint64_t parseMemoryLimit(const std::string& text);

} // namespace cli
