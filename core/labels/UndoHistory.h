#pragma once
/// \file UndoHistory.h
/// An undo/redo history under a byte budget (ITK-SNAP's UndoDataManager), for any kind of step:
/// label edits (UndoStack.h) and particle corrections (core/analysis/ParticleCorrections.h).
/// Header-only and dependency-free. Thread affinity: the thread that owns the edited data.

#include <cstdint>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace core::labels {

/// Undo/redo history with a byte budget, for any step type that has `std::string name`,
/// `std::uint64_t id` and `std::size_t byteSize() const` (label edits here, particle corrections in
/// core/analysis/ParticleCorrections.h). A new step clears the redo steps. When the steps hold
/// more than budgetBytes(), the oldest are dropped, but the newest keepNewest() steps are always
/// kept, even if they alone exceed the budget.
template <class Step> class UndoHistory {
public:
  static constexpr std::size_t kDefaultBudgetBytes = std::size_t(256) << 20;
  static constexpr std::size_t kDefaultKeepNewest = 3;

  explicit UndoHistory(std::size_t budgetBytes = kDefaultBudgetBytes, std::size_t keepNewest = kDefaultKeepNewest)
      : m_budget(budgetBytes), m_keepNewest(keepNewest) {}

  /// Adds a step after the current position, dropping all redo steps, then prunes to the budget.
  void push(std::shared_ptr<Step> step) {
    if (!step) throw std::invalid_argument("UndoHistory::push: null step");
    while (m_steps.size() > m_done) {
      m_bytes -= m_steps.back()->byteSize();
      m_steps.pop_back();
    }
    m_bytes += step->byteSize();
    m_steps.push_back(std::move(step));
    m_done = m_steps.size();
    prune();
  }
  bool canUndo() const { return m_done > 0; }
  bool canRedo() const { return m_done < m_steps.size(); }
  /// Name of the step undo() would undo ("" when none).
  std::string undoName() const { return canUndo() ? m_steps[m_done - 1]->name : std::string(); }
  /// Name of the step redo() would redo ("" when none).
  std::string redoName() const { return canRedo() ? m_steps[m_done]->name : std::string(); }
  /// Moves back one step and returns it (the caller applies its "before" values); null if none.
  std::shared_ptr<const Step> stepBack() { return canUndo() ? m_steps[--m_done] : nullptr; }
  /// Moves forward one step and returns it (the caller applies its "after" values); null if none.
  std::shared_ptr<const Step> stepForward() { return canRedo() ? m_steps[m_done++] : nullptr; }
  /// Id of the last done step (0 when at the bottom): with savedAt(), tells whether labels differ
  /// from what was saved.
  std::uint64_t currentId() const { return m_done > 0 ? m_steps[m_done - 1]->id : m_bottomId; }

  /// Number of steps that can be undone / redone.
  std::size_t undoCount() const { return m_done; }
  std::size_t redoCount() const { return m_steps.size() - m_done; }
  /// Names of all steps, oldest first (for a history panel).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(m_steps.size());
    for (const auto& s : m_steps) out.push_back(s->name);
    return out;
  }
  /// Bytes held by all steps (undo and redo).
  std::size_t bytesUsed() const { return m_bytes; }
  std::size_t budgetBytes() const { return m_budget; }
  std::size_t keepNewest() const { return m_keepNewest; }
  /// Changes the budget and prunes the oldest done steps to it.
  void setBudget(std::size_t budgetBytes, std::size_t keepNewest = kDefaultKeepNewest) {
    m_budget = budgetBytes;
    m_keepNewest = keepNewest;
    prune();
  }
  /// Number of steps dropped by the budget since construction or clear().
  std::size_t droppedCount() const { return m_dropped; }
  /// Forgets everything (after loading another label volume); \p bottomId names the new state.
  void clear(std::uint64_t bottomId = 0) {
    m_bottomId = bottomId;
    m_steps.clear();
    m_done = 0;
    m_bytes = 0;
    m_dropped = 0;
  }

private:
  void prune() {
    // Only done steps can go: a redo step depends on the ones before it.
    while (m_bytes > m_budget && m_steps.size() > m_keepNewest && m_done > 0) {
      m_bytes -= m_steps.front()->byteSize();
      m_bottomId = m_steps.front()->id;
      m_steps.pop_front();
      --m_done;
      ++m_dropped;
    }
  }
  std::deque<std::shared_ptr<Step>> m_steps;
  std::size_t m_done = 0;
  std::size_t m_bytes = 0;
  std::size_t m_budget;
  std::size_t m_keepNewest;
  std::size_t m_dropped = 0;
  std::uint64_t m_bottomId = 0; ///< id of the newest dropped step: the state at the bottom of the stack
};

} // namespace core::labels
