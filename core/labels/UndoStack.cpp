#include "core/labels/UndoStack.h"

namespace core::labels {

std::size_t UndoStep::byteSize() const {
  std::size_t bytes = sizeof(UndoStep) + name.capacity() + flags.capacity() * sizeof(SliceFlagChange);
  for (const auto& d : deltas) bytes += d.byteSize();
  return bytes;
}

} // namespace core::labels
