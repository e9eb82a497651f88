#pragma once
/// \file CacheBudgetDialog.h
/// View > "Memory for big volumes": the chunk cache's memory budget (issue 16: "a chunk cache with
/// a memory budget (a setting; a sensible default from the machine's memory)"). Shows what the
/// cache holds now, the machine's memory and the default; OK applies the budget at once (evicting
/// down to it) and keeps it in the settings for the next start; "Default" goes back to the
/// machine-based default. GUI thread.

#include <QDialog>

#include <cstdint>

class QLabel;
class QSpinBox;

namespace core::volume {
class ChunkCache;
}

namespace ui {

/// The budget the settings ask for in bytes, or the default for this machine when none is set.
std::uint64_t cacheBudgetFromSettings();
/// Keeps \p mib in the settings (0: the machine-based default).
void storeCacheBudget(std::uint64_t mib);

class CacheBudgetDialog : public QDialog {
  Q_OBJECT
public:
  explicit CacheBudgetDialog(core::volume::ChunkCache& cache, QWidget* parent = nullptr);
  /// The budget in MiB the spin box holds.
  int budgetMiB() const;
  /// Sets the spin box (a test or a caller).
  void setBudgetMiB(int mib);
  /// Applies the spin box's budget to the cache and the settings (what OK does).
  void apply();

private:
  core::volume::ChunkCache& m_cache;
  QSpinBox* m_budget;
  QLabel* m_state;
  bool m_default = false; ///< "Default" was pressed and the value not changed since
};

} // namespace ui
