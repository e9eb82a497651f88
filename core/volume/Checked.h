#pragma once
/// \file Checked.h
/// Checked arithmetic for sizes and offsets read from files or given by users (voxel counts, byte
/// counts, file offsets, crop corners): the exact result, or std::overflow_error saying what
/// overflowed. openVolume() turns such an error into one naming the file. Any thread.

#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace core::volume {

namespace detail {
template <class T> [[noreturn]] void overflow(const char* what, const char* op, T a, T b) {
  throw std::overflow_error(std::string(what) + " overflows (" + std::to_string(a) + " " + op + " " +
                            std::to_string(b) + " does not fit in " + std::to_string(sizeof(T) * 8) + " bits)");
}
} // namespace detail

/// \p a + \p b, or std::overflow_error naming \p what.
template <class T> T checkedAdd(T a, T b, const char* what) {
  static_assert(std::is_integral_v<T>);
  T r;
  if (__builtin_add_overflow(a, b, &r)) detail::overflow(what, "+", a, b);
  return r;
}

/// \p a * \p b, or std::overflow_error naming \p what.
template <class T> T checkedMul(T a, T b, const char* what) {
  static_assert(std::is_integral_v<T>);
  T r;
  if (__builtin_mul_overflow(a, b, &r)) detail::overflow(what, "*", a, b);
  return r;
}

/// \p a + \p b, clamped to the range of T instead of overflowing.
template <class T> T saturatingAdd(T a, T b) {
  static_assert(std::is_integral_v<T>);
  T r;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  return b > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
}

} // namespace core::volume
