#include "core/labels/SparseLabels.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace core::labels {

using volume::Index3;
using volume::Region;

namespace {

Region shifted(const Region& r, const Index3& by) {
  if (r.empty()) return r;
  return {{r.start.x + by.x, r.start.y + by.y, r.start.z + by.z}, r.size};
}

/// Calls \p f(key, part) for every chunk that \p r overlaps, with the part of r inside it.
template <class F> void forChunks(const Region& r, const volume::Size3& chunk, F&& f) {
  if (r.empty()) return;
  const Index3 e = r.end();
  for (std::int64_t kz = r.start.z / chunk.z; kz * chunk.z < e.z; ++kz)
    for (std::int64_t ky = r.start.y / chunk.y; ky * chunk.y < e.y; ++ky)
      for (std::int64_t kx = r.start.x / chunk.x; kx * chunk.x < e.x; ++kx) {
        const Region c{{kx * chunk.x, ky * chunk.y, kz * chunk.z}, chunk};
        f(Index3{kx, ky, kz}, intersect(r, c));
      }
}

} // namespace

// ---- the window: a dense LabelVolume over a box, written through to the chunks ----

struct SparseLabels::Window::Relay final : LabelListener {
  Window& w;
  explicit Relay(Window& window) : w(window) {}
  void labelsChanged(const Region& local) override {
    const volume::Volume& v = w.m_local->volume();
    const Region global = shifted(local, w.m_box.start);
    w.m_owner->write(global, v.as<std::uint8_t>() + v.index(local.start.x, local.start.y, local.start.z), v.size().x,
                     v.size().x * v.size().y);
    w.m_changed = unite(w.m_changed, global);
    ++w.m_owner->m_revision;
    w.m_owner->notifyChanged(global);
  }
  void annotatedSlicesChanged() override {
    for (std::int64_t z = 0; z < w.m_box.size.z; ++z)
      w.m_owner->m_annotated[std::size_t(w.m_box.start.z + z)] = w.m_local->isSliceAnnotated(z) ? 1 : 0;
    ++w.m_owner->m_revision;
    w.m_owner->notifyFlags();
  }
  void undoStateChanged() override { w.takeSteps(); }
};

SparseLabels::Window::Window(SparseLabels& owner, const Region& box) : m_owner(&owner), m_box(box) {
  volume::VolumeInfo info = owner.m_info;
  info.size = box.size;
  volume::Volume local(info);
  owner.read(box, local.as<std::uint8_t>());
  std::vector<std::int64_t> flags;
  for (std::int64_t z = 0; z < box.size.z; ++z)
    if (owner.m_annotated[std::size_t(box.start.z + z)]) flags.push_back(z);
  m_local = std::make_unique<LabelVolume>(std::move(local), flags);
  m_relay = std::make_unique<Relay>(*this);
  m_local->addListener(m_relay.get());
}

SparseLabels::Window::~Window() { close(); }

volume::Vec3 SparseLabels::Window::toLocal(const volume::Vec3& p) const {
  return {p.x - double(m_box.start.x), p.y - double(m_box.start.y), p.z - double(m_box.start.z)};
}

Index3 SparseLabels::Window::toLocal(const Index3& p) const {
  return {p.x - m_box.start.x, p.y - m_box.start.y, p.z - m_box.start.z};
}

void SparseLabels::Window::takeSteps() {
  const UndoStack& local = m_local->undoStack();
  if (local.undoCount() <= m_taken) return;
  UndoStack copy = local; // shares the steps; stepping back a copy leaves the window's history alone
  std::vector<std::shared_ptr<const UndoStep>> fresh;
  while (copy.undoCount() > m_taken) fresh.insert(fresh.begin(), copy.stepBack());
  m_taken = local.undoCount();
  for (auto& step : fresh) {
    auto s = std::make_shared<SparseStep>();
    s->name = step->name;
    s->origin = m_box.start;
    s->step = std::move(step);
    s->id = ++m_owner->m_nextId;
    m_owner->m_undo.push(std::move(s));
  }
  m_owner->notifyUndo();
}

Region SparseLabels::Window::close() {
  if (!m_owner) return m_changed;
  takeSteps();
  m_local->removeListener(m_relay.get());
  m_owner->m_window = nullptr;
  m_owner = nullptr;
  return m_changed;
}

// ---- the store ----

SparseLabels::SparseLabels(const volume::VolumeInfo& imageInfo, const volume::Size3& chunk)
    : m_info(imageInfo), m_chunk(chunk) {
  m_info.type = volume::VoxelType::UInt8;
  if (m_info.size.empty()) throw std::invalid_argument("sparse labels: the volume is empty");
  if (chunk.empty()) throw std::invalid_argument("sparse labels: the chunk shape is empty");
  m_annotated.assign(std::size_t(m_info.size.z), 0);
  m_undo.clear(m_savedId);
}

SparseLabels::~SparseLabels() {
  if (!m_window) return;
  // The window outlives the store: its edits stay in the window alone from now on.
  m_window->m_local->removeListener(m_window->m_relay.get());
  m_window->m_owner = nullptr;
}

Region SparseLabels::chunkRegion(const ChunkKey& k) const {
  return Region{{k.x * m_chunk.x, k.y * m_chunk.y, k.z * m_chunk.z}, m_chunk}.clippedTo(m_info.size);
}

std::size_t SparseLabels::chunkCount() const { return m_chunks.size() + m_onDisk.size(); }

const std::uint8_t* SparseLabels::chunk(const ChunkKey& key) const {
  auto it = m_chunks.find(key);
  if (it != m_chunks.end()) return it->second.data();
  if (!m_onDisk.count(key)) return nullptr;
  std::vector<std::uint8_t> bytes(std::size_t(m_chunk.count()), 0);
  m_loader(key, bytes); // throws naming the file; the chunk stays "saved, not loaded": never overwritten
  if (bytes.size() != std::size_t(m_chunk.count())) throw std::runtime_error("sparse labels: a loaded chunk has the wrong size");
  m_onDisk.erase(key);
  return m_chunks.emplace(key, std::move(bytes)).first->second.data();
}

std::uint8_t* SparseLabels::chunkForWrite(const ChunkKey& key) {
  if (const std::uint8_t* p = chunk(key)) return const_cast<std::uint8_t*>(p);
  return m_chunks.emplace(key, std::vector<std::uint8_t>(std::size_t(m_chunk.count()), 0)).first->second.data();
}

void SparseLabels::forgetChunk(const ChunkKey& key) {
  m_chunks.erase(key);
  m_onDisk.erase(key);
  m_dirty.erase(key);
}

void SparseLabels::read(const Region& r, std::uint8_t* dst) const {
  if (!r.inside(m_info.size)) throw std::out_of_range("sparse labels: read outside the volume");
  const std::int64_t sy = r.size.x, sz = r.size.x * r.size.y;
  forChunks(r, m_chunk, [&](const ChunkKey& k, const Region& part) {
    const std::uint8_t* c = chunk(k);
    const Index3 c0{k.x * m_chunk.x, k.y * m_chunk.y, k.z * m_chunk.z};
    for (std::int64_t z = part.start.z; z < part.end().z; ++z)
      for (std::int64_t y = part.start.y; y < part.end().y; ++y) {
        std::uint8_t* out = dst + (part.start.x - r.start.x) + (y - r.start.y) * sy + (z - r.start.z) * sz;
        if (!c) std::memset(out, 0, std::size_t(part.size.x));
        else
          std::memcpy(out, c + (part.start.x - c0.x) + ((y - c0.y) + (z - c0.z) * m_chunk.y) * m_chunk.x,
                      std::size_t(part.size.x));
      }
  });
}

volume::Volume SparseLabels::read(const Region& r) const {
  volume::VolumeInfo info = m_info;
  info.size = r.size;
  info.origin = {m_info.origin.x + double(r.start.x) * m_info.spacing.x, m_info.origin.y + double(r.start.y) * m_info.spacing.y,
                 m_info.origin.z + double(r.start.z) * m_info.spacing.z};
  volume::Volume v(info);
  read(r, v.as<std::uint8_t>());
  return v;
}

std::uint8_t SparseLabels::at(std::int64_t x, std::int64_t y, std::int64_t z) const {
  const ChunkKey k = keyOf(x, y, z);
  const std::uint8_t* c = chunk(k);
  if (!c) return 0;
  return c[(x - k.x * m_chunk.x) + ((y - k.y * m_chunk.y) + (z - k.z * m_chunk.z) * m_chunk.y) * m_chunk.x];
}

bool SparseLabels::anyChunkIn(const Region& r) const {
  if (r.empty()) return false;
  const ChunkKey a = keyOf(r.start.x, r.start.y, r.start.z);
  const Index3 e = r.end();
  const ChunkKey b = keyOf(e.x - 1, e.y - 1, e.z - 1);
  const auto inRange = [&](const ChunkKey& k) {
    return k.x >= a.x && k.x <= b.x && k.y >= a.y && k.y <= b.y && k.z >= a.z && k.z <= b.z;
  };
  for (const auto& [k, bytes] : m_chunks)
    if (inRange(k)) return true;
  for (const auto& k : m_onDisk)
    if (inRange(k)) return true;
  return false;
}

void SparseLabels::write(const Region& r, const std::uint8_t* src, std::int64_t strideY, std::int64_t strideZ) {
  forChunks(r, m_chunk, [&](const ChunkKey& k, const Region& part) {
    const auto row = [&](std::int64_t y, std::int64_t z) {
      return src + (part.start.x - r.start.x) + (y - r.start.y) * strideY + (z - r.start.z) * strideZ;
    };
    if (!hasChunk(k)) { // an absent chunk is created only for a non-zero value
      bool any = false;
      for (std::int64_t z = part.start.z; z < part.end().z && !any; ++z)
        for (std::int64_t y = part.start.y; y < part.end().y && !any; ++y) {
          const std::uint8_t* s = row(y, z);
          any = std::any_of(s, s + part.size.x, [](std::uint8_t v) { return v != 0; });
        }
      if (!any) return;
    }
    std::uint8_t* c = chunkForWrite(k);
    const Index3 c0{k.x * m_chunk.x, k.y * m_chunk.y, k.z * m_chunk.z};
    bool changed = false;
    for (std::int64_t z = part.start.z; z < part.end().z; ++z)
      for (std::int64_t y = part.start.y; y < part.end().y; ++y) {
        std::uint8_t* d = c + (part.start.x - c0.x) + ((y - c0.y) + (z - c0.z) * m_chunk.y) * m_chunk.x;
        const std::uint8_t* s = row(y, z);
        if (std::memcmp(d, s, std::size_t(part.size.x)) == 0) continue;
        std::memcpy(d, s, std::size_t(part.size.x));
        changed = true;
      }
    if (changed) m_dirty.insert(k);
  });
}

void SparseLabels::attachSaved(ChunkKeySet onDisk, ChunkLoader loader, const std::vector<std::int64_t>& annotatedSlices) {
  if (m_window) throw std::logic_error("sparse labels: cannot attach saved chunks while a window is open");
  std::vector<std::uint8_t> flags(m_annotated.size(), 0);
  for (std::int64_t z : annotatedSlices) {
    if (z < 0 || z >= std::int64_t(flags.size()))
      throw std::out_of_range("annotated slice " + std::to_string(z) + " is outside the label volume");
    flags[std::size_t(z)] = 1;
  }
  m_chunks.clear();
  m_dirty.clear();
  m_onDisk = std::move(onDisk);
  m_loader = std::move(loader);
  m_annotated = std::move(flags);
  m_undo.clear(++m_nextId);
  m_savedId = m_undo.currentId();
  ++m_revision;
  notifyChanged(Region::whole(m_info.size));
  notifyFlags();
  notifyUndo();
}

bool SparseLabels::isSliceAnnotated(std::int64_t z) const {
  return z >= 0 && z < std::int64_t(m_annotated.size()) && m_annotated[std::size_t(z)] != 0;
}

std::vector<std::int64_t> SparseLabels::annotatedSlices() const {
  std::vector<std::int64_t> out;
  for (std::size_t z = 0; z < m_annotated.size(); ++z)
    if (m_annotated[z]) out.push_back(std::int64_t(z));
  return out;
}

std::vector<std::int64_t> SparseLabels::labelledSlicesZ() const {
  std::vector<ChunkKey> keys(m_onDisk.begin(), m_onDisk.end());
  for (const auto& [k, bytes] : m_chunks) keys.push_back(k);
  std::set<std::int64_t> slices;
  const std::size_t layer = std::size_t(m_chunk.x * m_chunk.y);
  for (const ChunkKey& k : keys) {
    const std::uint8_t* c = chunk(k);
    const std::int64_t nz = chunkRegion(k).size.z;
    for (std::int64_t z = 0; z < nz; ++z)
      if (std::any_of(c + std::size_t(z) * layer, c + std::size_t(z + 1) * layer, [](std::uint8_t v) { return v != 0; }))
        slices.insert(k.z * m_chunk.z + z);
  }
  return {slices.begin(), slices.end()};
}

std::unique_ptr<SparseLabels::Window> SparseLabels::openWindow(const Region& box) {
  if (m_window) throw std::logic_error("sparse labels: a window is already open");
  const Region b = box.clippedTo(m_info.size);
  if (b.empty()) throw std::out_of_range("sparse labels: the window lies outside the volume");
  std::unique_ptr<Window> w(new Window(*this, b));
  m_window = w.get();
  return w;
}

EditSummary SparseLabels::edit(const Region& box, std::string name,
                               const std::function<void(LabelEdit&, const Window&)>& body) {
  std::unique_ptr<Window> w = openWindow(box);
  EditSummary s = w->labels().edit(std::move(name), [&](LabelEdit& e) { body(e, *w); });
  w->close();
  s.changed = shifted(s.changed, w->box().start);
  return s;
}

void SparseLabels::applyStep(const SparseStep& s, bool forward) {
  const UndoStep& step = *s.step;
  const auto apply = [&](const RleDelta& d) {
    const Region local = d.region();
    const Region global = shifted(local, s.origin);
    std::vector<std::uint8_t> buf(std::size_t(local.size.count()));
    read(global, buf.data());
    const LabelView view{buf.data(), local, local.size.x, local.size.x * local.size.y};
    if (forward) d.applyAfter(view);
    else d.applyBefore(view);
    write(global, buf.data(), local.size.x, local.size.x * local.size.y);
  };
  if (forward) {
    for (const auto& d : step.deltas) apply(d);
    for (const auto& f : step.flags) m_annotated[std::size_t(s.origin.z + f.z)] = f.after ? 1 : 0;
  } else {
    for (auto it = step.deltas.rbegin(); it != step.deltas.rend(); ++it) apply(*it);
    for (auto it = step.flags.rbegin(); it != step.flags.rend(); ++it)
      m_annotated[std::size_t(s.origin.z + it->z)] = it->before ? 1 : 0;
  }
  ++m_revision;
  if (!step.changed.empty()) notifyChanged(shifted(step.changed, s.origin));
  if (!step.flags.empty()) notifyFlags();
  notifyUndo();
}

Region SparseLabels::undo() {
  if (m_window) throw std::logic_error("sparse labels: cannot undo while an edit window is open");
  auto s = m_undo.stepBack();
  if (!s) return {};
  applyStep(*s, false);
  return shifted(s->step->changed, s->origin);
}

Region SparseLabels::redo() {
  if (m_window) throw std::logic_error("sparse labels: cannot redo while an edit window is open");
  auto s = m_undo.stepForward();
  if (!s) return {};
  applyStep(*s, true);
  return shifted(s->step->changed, s->origin);
}

void SparseLabels::addListener(LabelListener* l) {
  if (l && std::find(m_listeners.begin(), m_listeners.end(), l) == m_listeners.end()) m_listeners.push_back(l);
}

void SparseLabels::removeListener(LabelListener* l) {
  m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), l), m_listeners.end());
}

void SparseLabels::notifyChanged(const Region& r) {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->labelsChanged(r);
}

void SparseLabels::notifyFlags() {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->annotatedSlicesChanged();
}

void SparseLabels::notifyUndo() {
  const auto listeners = m_listeners;
  for (auto* l : listeners) l->undoStateChanged();
}

} // namespace core::labels
