#include "ui/io/CacheBudgetDialog.h"

#include "core/volume/lazy/ChunkCache.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {
const QString kKey = QStringLiteral("cache/budgetMiB");
constexpr std::uint64_t kMiB = 1ull << 20;
} // namespace

std::uint64_t cacheBudgetFromSettings() {
  const auto mib = QSettings().value(kKey, 0).toULongLong();
  return mib ? mib * kMiB : core::volume::defaultCacheBudget();
}

void storeCacheBudget(std::uint64_t mib) {
  QSettings s;
  if (mib) s.setValue(kKey, qulonglong(mib));
  else s.remove(kKey);
}

CacheBudgetDialog::CacheBudgetDialog(core::volume::ChunkCache& cache, QWidget* parent)
    : QDialog(parent), m_cache(cache) {
  setWindowTitle(tr("Memory for big volumes"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Volumes opened lazily keep the blocks they show in a cache of this size; "
                              "the least recently shown blocks leave it first."),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QFormLayout;
  m_budget = new QSpinBox(this);
  m_budget->setObjectName(QStringLiteral("cacheBudgetMiB"));
  const std::uint64_t physical = core::volume::physicalMemory();
  const int most = int(std::clamp<std::uint64_t>(physical ? physical / kMiB : 65536, 64, 1u << 30));
  m_budget->setRange(16, most);
  m_budget->setSuffix(tr(" MiB"));
  m_budget->setSingleStep(256);
  m_budget->setValue(int(std::min<std::uint64_t>(cache.budget() / kMiB, std::uint64_t(most))));
  form->addRow(tr("Chunk cache budget"), m_budget);
  layout->addLayout(form);
  m_state = new QLabel(this);
  m_state->setObjectName(QStringLiteral("cacheState"));
  const core::volume::CacheStats st = cache.stats();
  m_state->setText(tr("In use now: %1 MiB in %2 blocks. This machine: %3 MiB of memory; default budget %4 MiB.")
                       .arg(st.bytesResident / kMiB)
                       .arg(st.blocks)
                       .arg(physical / kMiB)
                       .arg(core::volume::defaultCacheBudget() / kMiB));
  m_state->setWordWrap(true);
  layout->addWidget(m_state);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    apply();
    accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
    setBudgetMiB(int(core::volume::defaultCacheBudget() / kMiB));
    m_default = true;
  });
  connect(m_budget, qOverload<int>(&QSpinBox::valueChanged), this, [this] { m_default = false; });
  layout->addWidget(buttons);
}

int CacheBudgetDialog::budgetMiB() const { return m_budget->value(); }

void CacheBudgetDialog::setBudgetMiB(int mib) { m_budget->setValue(mib); }

void CacheBudgetDialog::apply() {
  const std::uint64_t mib = std::uint64_t(m_budget->value());
  m_cache.setBudget(mib * kMiB);
  storeCacheBudget(m_default ? 0 : mib);
}

} // namespace ui
