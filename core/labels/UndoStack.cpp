#include "core/labels/UndoStack.h"

#include <stdexcept>

namespace core::labels {

std::size_t UndoStep::byteSize() const {
  std::size_t bytes = sizeof(UndoStep) + name.capacity() + flags.capacity() * sizeof(SliceFlagChange);
  for (const auto& d : deltas) bytes += d.byteSize();
  return bytes;
}

UndoStack::UndoStack(std::size_t budgetBytes, std::size_t keepNewest)
    : m_budget(budgetBytes), m_keepNewest(keepNewest) {}

void UndoStack::push(std::shared_ptr<UndoStep> step) {
  if (!step) throw std::invalid_argument("UndoStack::push: null step");
  while (m_steps.size() > m_done) {
    m_bytes -= m_steps.back()->byteSize();
    m_steps.pop_back();
  }
  m_bytes += step->byteSize();
  m_steps.push_back(std::move(step));
  m_done = m_steps.size();
  prune();
}

std::string UndoStack::undoName() const { return canUndo() ? m_steps[m_done - 1]->name : std::string(); }
std::string UndoStack::redoName() const { return canRedo() ? m_steps[m_done]->name : std::string(); }

std::shared_ptr<const UndoStep> UndoStack::stepBack() {
  if (!canUndo()) return nullptr;
  return m_steps[--m_done];
}

std::shared_ptr<const UndoStep> UndoStack::stepForward() {
  if (!canRedo()) return nullptr;
  return m_steps[m_done++];
}

std::vector<std::string> UndoStack::names() const {
  std::vector<std::string> out;
  out.reserve(m_steps.size());
  for (const auto& s : m_steps) out.push_back(s->name);
  return out;
}

void UndoStack::setBudget(std::size_t budgetBytes, std::size_t keepNewest) {
  m_budget = budgetBytes;
  m_keepNewest = keepNewest;
  prune();
}

void UndoStack::clear(std::uint64_t bottomId) {
  m_bottomId = bottomId;
  m_steps.clear();
  m_done = 0;
  m_bytes = 0;
  m_dropped = 0;
}

void UndoStack::prune() {
  // Only done steps can go: a redo step depends on the ones before it.
  while (m_bytes > m_budget && m_steps.size() > m_keepNewest && m_done > 0) {
    m_bytes -= m_steps.front()->byteSize();
    m_bottomId = m_steps.front()->id;
    m_steps.pop_front();
    --m_done;
    ++m_dropped;
  }
}

} // namespace core::labels
