#pragma once
/// \file LabelConvention.h
/// The one label convention of the whole product (engine issue): a uint8 label volume where
/// 0 = unlabelled, 1 = not crack, 2 = crack. A slice flagged "fully annotated" counts its
/// unlabelled voxels as not crack. Binary masks (0/1, 0/255) given on the command line are taken
/// as fully annotated (0 -> not crack, nonzero -> crack). Header-only: core/ml uses it without
/// linking cdnet_labels.

#include <cstdint>

namespace core::labels {

constexpr std::uint8_t kUnlabelled = 0;
constexpr std::uint8_t kNotCrack = 1;
constexpr std::uint8_t kCrack = 2;
constexpr std::uint8_t kMaxLabel = kCrack;

} // namespace core::labels
