#include "core/labels/LabelEdit.h"

#include "core/labels/LabelEditState.h"
#include "core/labels/LabelVolume.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace core::labels {

using volume::Region;

namespace {
/// Largest box (voxels) whose deltas commit() merges into one: the merge needs a buffer that big.
constexpr std::int64_t kMergeLimitVoxels = std::int64_t(64) << 20;
} // namespace

Region unite(const Region& a, const Region& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  const auto ea = a.end(), eb = b.end();
  volume::Index3 s{std::min(a.start.x, b.start.x), std::min(a.start.y, b.start.y), std::min(a.start.z, b.start.z)};
  volume::Index3 e{std::max(ea.x, eb.x), std::max(ea.y, eb.y), std::max(ea.z, eb.z)};
  return {s, {e.x - s.x, e.y - s.y, e.z - s.z}};
}

Region intersect(const Region& a, const Region& b) {
  const auto ea = a.end(), eb = b.end();
  volume::Index3 s{std::max(a.start.x, b.start.x), std::max(a.start.y, b.start.y), std::max(a.start.z, b.start.z)};
  volume::Index3 e{std::min(ea.x, eb.x), std::min(ea.y, eb.y), std::min(ea.z, eb.z)};
  if (e.x <= s.x || e.y <= s.y || e.z <= s.z) return {};
  return {s, {e.x - s.x, e.y - s.y, e.z - s.z}};
}

LabelEdit::LabelEdit(LabelVolume* labels) : m_labels(labels) { labels->m_editHandle = this; }

LabelEdit::LabelEdit(LabelEdit&& other) noexcept : m_labels(other.m_labels) {
  other.m_labels = nullptr;
  if (m_labels) m_labels->m_editHandle = this;
}

LabelEdit& LabelEdit::operator=(LabelEdit&& other) noexcept {
  if (this != &other) {
    if (isOpen()) abort();
    m_labels = other.m_labels;
    other.m_labels = nullptr;
    if (m_labels) m_labels->m_editHandle = this;
  }
  return *this;
}

LabelEdit::~LabelEdit() {
  if (isOpen()) abort();
}

static void requireOpen(const LabelVolume* labels) {
  if (!labels) throw std::logic_error("the label edit is not open (already committed or aborted)");
}

const std::string& LabelEdit::name() const {
  requireOpen(m_labels);
  return m_labels->m_edit->name;
}

LabelVolume& LabelEdit::labels() const {
  requireOpen(m_labels);
  return *m_labels;
}

const volume::Volume& LabelEdit::volume() const {
  requireOpen(m_labels);
  return m_labels->m_volume;
}

Region LabelEdit::modifyRows(const Region& region, const RowFunction& f) {
  requireOpen(m_labels);
  if (region.empty()) return {};
  auto& vol = m_labels->m_volume;
  if (!region.inside(vol.size())) throw std::out_of_range("label edit region lies outside the label volume");
  auto& e = *m_labels->m_edit;
  e.scratch.resize(std::size_t(region.size.x));
  std::uint8_t* base = vol.as<std::uint8_t>();
  RleDelta::Encoder encoder(region);
  const auto rowPtr = [&](std::int64_t y, std::int64_t z) { return base + vol.index(region.start.x, y, z); };
  const auto finishAndRecord = [&]() {
    RleDelta delta = encoder.finish();
    if (delta.empty()) return Region{};
    const Region changed = delta.changedRegion();
    e.changed = unite(e.changed, changed);
    e.changedVoxels += delta.changedVoxels();
    e.deltas.push_back(std::move(delta));
    ++m_labels->m_revision;
    m_labels->notifyChanged(changed);
    return changed;
  };
  const std::int64_t z1 = region.end().z, y1 = region.end().y;
  for (std::int64_t z = region.start.z; z < z1; ++z) {
    for (std::int64_t y = region.start.y; y < y1; ++y) {
      std::uint8_t* row = rowPtr(y, z);
      std::memcpy(e.scratch.data(), row, e.scratch.size());
      try {
        f(y, z, row);
      } catch (...) {
        // Keep what earlier rows changed on record; this row goes back to its old values.
        std::memcpy(row, e.scratch.data(), e.scratch.size());
        for (std::int64_t zz = z; zz < z1; ++zz)
          for (std::int64_t yy = (zz == z ? y : region.start.y); yy < y1; ++yy) {
            const std::uint8_t* r = rowPtr(yy, zz);
            encoder.addRow(yy, zz, r, r);
          }
        finishAndRecord();
        throw;
      }
      encoder.addRow(y, z, e.scratch.data(), row);
    }
  }
  return finishAndRecord();
}

Region LabelEdit::fill(const Region& region, std::uint8_t value) {
  requireOpen(m_labels);
  const Region r = region.clippedTo(m_labels->m_volume.size());
  const std::size_t n = std::size_t(r.size.x);
  return modifyRows(r, [&](std::int64_t, std::int64_t, std::uint8_t* row) { std::memset(row, value, n); });
}

Region LabelEdit::assign(const volume::Volume& src) {
  requireOpen(m_labels);
  const auto& vol = m_labels->m_volume;
  if (src.type() != volume::VoxelType::UInt8 || src.size() != vol.size())
    throw std::invalid_argument("replacement labels must be uint8 of the label volume's size");
  const std::uint8_t* s = src.as<std::uint8_t>();
  const std::size_t n = std::size_t(vol.size().x);
  return modifyRows(Region::whole(vol.size()), [&](std::int64_t y, std::int64_t z, std::uint8_t* row) {
    std::memcpy(row, s + src.index(0, y, z), n);
  });
}

void LabelEdit::setSliceAnnotated(std::int64_t z, bool annotated) {
  requireOpen(m_labels);
  auto& flags = m_labels->m_annotated;
  if (z < 0 || z >= std::int64_t(flags.size()))
    throw std::out_of_range("slice " + std::to_string(z) + " is outside the label volume");
  const bool before = flags[std::size_t(z)] != 0;
  if (before == annotated) return;
  flags[std::size_t(z)] = annotated ? 1 : 0;
  m_labels->m_edit->flags.push_back({z, before, annotated});
  ++m_labels->m_revision;
  m_labels->notifyFlags();
}

Region LabelEdit::changedSoFar() const {
  requireOpen(m_labels);
  return m_labels->m_edit->changed;
}

std::int64_t LabelEdit::changedVoxels() const {
  requireOpen(m_labels);
  return m_labels->m_edit->changedVoxels;
}

void LabelVolume::mergeDeltas(EditState& e) {
  if (e.deltas.size() <= 1) return;
  Region box;
  for (const auto& d : e.deltas) box = unite(box, d.region());
  if (box.size.count() > kMergeLimitVoxels) return;
  // The state before the edit over the box: the current voxels with every delta undone.
  std::vector<std::uint8_t> before(std::size_t(box.size.count()));
  const std::uint8_t* base = m_volume.as<std::uint8_t>();
  for (std::int64_t z = 0; z < box.size.z; ++z)
    for (std::int64_t y = 0; y < box.size.y; ++y)
      std::memcpy(before.data() + (z * box.size.y + y) * box.size.x,
                  base + m_volume.index(box.start.x, box.start.y + y, box.start.z + z), std::size_t(box.size.x));
  const LabelView view{before.data(), box, box.size.x, box.size.x * box.size.y};
  for (auto it = e.deltas.rbegin(); it != e.deltas.rend(); ++it) it->applyBefore(view);
  if (e.changed.empty()) {
    e.deltas.clear();
    return;
  }
  RleDelta::Encoder encoder(e.changed);
  const Region& c = e.changed;
  for (std::int64_t z = c.start.z; z < c.end().z; ++z)
    for (std::int64_t y = c.start.y; y < c.end().y; ++y)
      encoder.addRow(y, z, view.at(c.start.x, y, z), base + m_volume.index(c.start.x, y, z));
  RleDelta merged = encoder.finish();
  std::size_t listBytes = 0;
  for (const auto& d : e.deltas) listBytes += d.byteSize();
  if (merged.byteSize() <= listBytes) {
    e.deltas.clear();
    if (!merged.empty()) e.deltas.push_back(std::move(merged));
  }
}

EditSummary LabelEdit::commit() {
  requireOpen(m_labels);
  LabelVolume& lv = *m_labels;
  auto& e = *lv.m_edit;
  EditSummary summary;
  summary.name = e.name;
  lv.mergeDeltas(e);
  auto step = std::make_shared<UndoStep>();
  step->name = e.name;
  step->flags = std::move(e.flags);
  for (auto& d : e.deltas) {
    if (d.empty()) continue;
    step->changed = unite(step->changed, d.changedRegion());
    step->changedVoxels += d.changedVoxels();
    step->deltas.push_back(std::move(d));
  }
  lv.m_edit.reset();
  lv.m_editHandle = nullptr;
  m_labels = nullptr;
  if (step->deltas.empty() && step->flags.empty()) return summary;
  step->id = ++lv.m_nextId;
  summary.committed = true;
  summary.changed = step->changed;
  summary.changedVoxels = step->changedVoxels;
  summary.bytes = step->byteSize();
  lv.m_undo.push(std::move(step));
  lv.notifyUndo();
  return summary;
}

void LabelEdit::abort() {
  requireOpen(m_labels);
  LabelVolume& lv = *m_labels;
  auto& e = *lv.m_edit;
  const LabelView view = LabelView::of(lv.m_volume);
  for (auto it = e.deltas.rbegin(); it != e.deltas.rend(); ++it) it->applyBefore(view);
  for (auto it = e.flags.rbegin(); it != e.flags.rend(); ++it) lv.m_annotated[std::size_t(it->z)] = it->before ? 1 : 0;
  const Region changed = e.changed;
  const bool flagsChanged = !e.flags.empty();
  const bool anything = !e.deltas.empty() || flagsChanged;
  lv.m_edit.reset();
  lv.m_editHandle = nullptr;
  m_labels = nullptr;
  if (anything) ++lv.m_revision;
  if (!changed.empty()) lv.notifyChanged(changed);
  if (flagsChanged) lv.notifyFlags();
}

} // namespace core::labels
