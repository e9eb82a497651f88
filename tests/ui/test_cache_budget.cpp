// View > "Memory for big volumes": the chunk cache budget dialog (issue 16). Through its real
// widgets: it shows what the cache holds; OK with a smaller budget evicts at once down to it and
// keeps the budget in the settings, which the next Studio's cache starts with; Cancel changes
// nothing; "Restore defaults" goes back to the machine-based default and forgets the setting.
#include "core/volume/lazy/ChunkCache.h"
#include "ui/Studio.h"
#include "ui/io/CacheBudgetDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QtTest>

using namespace core;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

/// Fills \p cache with \p n blocks of 1 MiB each.
void fill(volume::ChunkCache& cache, int n) {
  const std::uint64_t source = volume::ChunkCache::newSourceId();
  for (int i = 0; i < n; ++i) {
    volume::BlockKey key{};
    key.source = source;
    key.block = {0, 0, i};
    cache.insert(key, volume::Volume({512, 1024, 1}, volume::VoxelType::UInt16));
  }
}

QPushButton* button(QDialog& d, QDialogButtonBox::StandardButton which) {
  return d.findChild<QDialogButtonBox*>()->button(which);
}

} // namespace

class TestCacheBudget : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("cdnet-test-cache-budget"));
    QSettings().clear();
  }

  void okEvictsAndPersists() {
    volume::ChunkCache cache(256 * kMiB);
    fill(cache, 40);
    QCOMPARE(cache.stats().bytesResident, 40 * kMiB);
    ui::CacheBudgetDialog dialog(cache);
    auto* spin = dialog.findChild<QSpinBox*>(QStringLiteral("cacheBudgetMiB"));
    QVERIFY(spin);
    QCOMPARE(spin->value(), 256); // shows the cache's budget
    const QString state = dialog.findChild<QLabel*>(QStringLiteral("cacheState"))->text();
    QVERIFY2(state.contains(QStringLiteral("40 MiB in 40 blocks")), qPrintable(state));
    spin->setValue(16);
    button(dialog, QDialogButtonBox::Ok)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(cache.budget(), 16 * kMiB);
    QVERIFY(cache.stats().bytesResident <= 16 * kMiB); // evicted at once
    QVERIFY(cache.stats().evictions >= 24);
    QCOMPARE(QSettings().value(QStringLiteral("cache/budgetMiB")).toULongLong(), 16ull);
    // The next start uses it.
    QCOMPARE(ui::cacheBudgetFromSettings(), 16 * kMiB);
    ui::Studio studio;
    QCOMPARE(studio.chunkCache()->budget(), 16 * kMiB);
  }

  void cancelChangesNothing() {
    volume::ChunkCache cache(64 * kMiB);
    fill(cache, 10);
    ui::CacheBudgetDialog dialog(cache);
    dialog.findChild<QSpinBox*>(QStringLiteral("cacheBudgetMiB"))->setValue(16);
    button(dialog, QDialogButtonBox::Cancel)->click();
    QCOMPARE(cache.budget(), 64 * kMiB);
    QCOMPARE(cache.stats().bytesResident, 10 * kMiB);
  }

  void restoreDefaultsForgetsTheSetting() {
    ui::storeCacheBudget(32);
    volume::ChunkCache cache(32 * kMiB);
    ui::CacheBudgetDialog dialog(cache);
    button(dialog, QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(std::uint64_t(dialog.budgetMiB()), volume::defaultCacheBudget() / kMiB);
    button(dialog, QDialogButtonBox::Ok)->click();
    QCOMPARE(cache.budget(), volume::defaultCacheBudget() / kMiB * kMiB);
    QVERIFY(!QSettings().contains(QStringLiteral("cache/budgetMiB")));
    QCOMPARE(ui::cacheBudgetFromSettings(), volume::defaultCacheBudget());
  }
};

QTEST_MAIN(TestCacheBudget)
#include "test_cache_budget.moc"
