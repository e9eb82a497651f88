#include "core/labels/LabelVolume.h"

#include "core/labels/LabelEditState.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace core::labels {

using volume::Region;

namespace {
std::vector<std::uint8_t> flagsFrom(const std::vector<std::int64_t>& slices, std::int64_t nz) {
  std::vector<std::uint8_t> flags(std::size_t(std::max<std::int64_t>(nz, 0)), 0);
  for (std::int64_t z : slices) {
    if (z < 0 || z >= nz)
      throw std::out_of_range("annotated slice " + std::to_string(z) + " is outside the label volume (0.." +
                              std::to_string(nz - 1) + ")");
    flags[std::size_t(z)] = 1;
  }
  return flags;
}
} // namespace

LabelVolume::LabelVolume(const volume::VolumeInfo& imageInfo) {
  volume::VolumeInfo info = imageInfo;
  info.type = volume::VoxelType::UInt8;
  m_volume = volume::Volume(info);
  m_annotated.assign(std::size_t(info.size.z), 0);
  m_undo.clear(m_savedId);
}

LabelVolume::LabelVolume(volume::Volume labels, const std::vector<std::int64_t>& annotatedSlices) {
  if (labels.empty()) throw std::invalid_argument("label volume is empty");
  if (labels.type() != volume::VoxelType::UInt8)
    throw std::invalid_argument(std::string("label volume must be uint8, not ") + volume::toString(labels.type()));
  m_annotated = flagsFrom(annotatedSlices, labels.size().z);
  m_volume = std::move(labels);
  m_undo.clear(m_savedId);
}

LabelVolume::~LabelVolume() {
  if (m_editHandle) m_editHandle->m_labels = nullptr;
}

bool LabelVolume::isSliceAnnotated(std::int64_t z) const {
  return z >= 0 && z < std::int64_t(m_annotated.size()) && m_annotated[std::size_t(z)] != 0;
}

std::vector<std::int64_t> LabelVolume::annotatedSlices() const {
  std::vector<std::int64_t> out;
  for (std::size_t z = 0; z < m_annotated.size(); ++z)
    if (m_annotated[z]) out.push_back(std::int64_t(z));
  return out;
}

LabelEdit LabelVolume::beginEdit(std::string name) {
  if (m_edit) throw std::logic_error("an edit ('" + m_edit->name + "') is already open on this label volume");
  m_edit = std::make_unique<EditState>();
  m_edit->name = std::move(name);
  return LabelEdit(this);
}

EditSummary LabelVolume::edit(std::string name, const std::function<void(LabelEdit&)>& body) {
  LabelEdit e = beginEdit(std::move(name));
  try {
    body(e);
  } catch (...) {
    if (e.isOpen()) e.abort();
    throw;
  }
  return e.commit();
}

void LabelVolume::applyStep(const UndoStep& step, bool forward) {
  const LabelView view = LabelView::of(m_volume);
  if (forward) {
    for (const auto& d : step.deltas) d.applyAfter(view);
    for (const auto& f : step.flags) m_annotated[std::size_t(f.z)] = f.after ? 1 : 0;
  } else {
    for (auto it = step.deltas.rbegin(); it != step.deltas.rend(); ++it) it->applyBefore(view);
    for (auto it = step.flags.rbegin(); it != step.flags.rend(); ++it) m_annotated[std::size_t(it->z)] = it->before ? 1 : 0;
  }
  ++m_revision;
  if (!step.changed.empty()) notifyChanged(step.changed);
  if (!step.flags.empty()) notifyFlags();
  notifyUndo();
}

Region LabelVolume::undo() {
  if (m_edit) throw std::logic_error("cannot undo while an edit ('" + m_edit->name + "') is open");
  auto step = m_undo.stepBack();
  if (!step) return {};
  applyStep(*step, false);
  return step->changed;
}

Region LabelVolume::redo() {
  if (m_edit) throw std::logic_error("cannot redo while an edit ('" + m_edit->name + "') is open");
  auto step = m_undo.stepForward();
  if (!step) return {};
  applyStep(*step, true);
  return step->changed;
}

void LabelVolume::setUndoBudget(std::size_t bytes, std::size_t keepNewest) {
  m_undo.setBudget(bytes, keepNewest);
  notifyUndo();
}

void LabelVolume::reset(const volume::Volume& labels, const std::vector<std::int64_t>& annotatedSlices) {
  if (m_edit) throw std::logic_error("cannot replace the labels while an edit ('" + m_edit->name + "') is open");
  if (labels.type() != volume::VoxelType::UInt8)
    throw std::invalid_argument(std::string("label volume must be uint8, not ") + volume::toString(labels.type()));
  if (labels.size() != m_volume.size()) throw std::invalid_argument("label volume has another size than the one being edited");
  auto flags = flagsFrom(annotatedSlices, m_volume.size().z);
  std::memcpy(m_volume.data(), labels.data(), std::size_t(m_volume.bytes()));
  m_annotated = std::move(flags);
  m_undo.clear(++m_nextId);
  ++m_revision;
  notifyChanged(Region::whole(m_volume.size()));
  notifyFlags();
  notifyUndo();
}

bool LabelVolume::isModified() const {
  if (m_edit && (m_edit->changedVoxels > 0 || !m_edit->flags.empty())) return true;
  return m_undo.currentId() != m_savedId;
}

void LabelVolume::markSaved() { m_savedId = m_undo.currentId(); }

void LabelVolume::addListener(LabelListener* listener) {
  if (listener && std::find(m_listeners.begin(), m_listeners.end(), listener) == m_listeners.end())
    m_listeners.push_back(listener);
}

void LabelVolume::removeListener(LabelListener* listener) {
  m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
}

void LabelVolume::notifyChanged(const Region& r) {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->labelsChanged(r);
}

void LabelVolume::notifyFlags() {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->annotatedSlicesChanged();
}

void LabelVolume::notifyUndo() {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->undoStateChanged();
}

} // namespace core::labels
