#include "ui/model/CursorModel.h"

#include <algorithm>

namespace ui {

CursorModel::CursorModel(QObject* parent) : QObject(parent) { registerMetaTypes(); }

core::volume::Index3 CursorModel::clamp(core::volume::Index3 p) const {
  for (int a = 0; a < 3; ++a)
    setComponent(p, a, std::clamp<std::int64_t>(component(p, a), 0, std::max<std::int64_t>(component(m_bounds, a) - 1, 0)));
  return p;
}

void CursorModel::setBounds(const core::volume::Size3& bounds) {
  const auto previous = m_position;
  m_bounds = bounds;
  m_position = clamp({bounds.x / 2, bounds.y / 2, bounds.z / 2});
  Q_EMIT positionChanged(m_position, previous);
}

void CursorModel::setPosition(const core::volume::Index3& position) {
  const auto p = clamp(position);
  if (p == m_position) return;
  const auto previous = m_position;
  m_position = p;
  Q_EMIT positionChanged(m_position, previous);
}

void CursorModel::moveAlong(int axis, std::int64_t delta) {
  auto p = m_position;
  setComponent(p, axis, component(p, axis) + delta);
  setPosition(p);
}

void CursorModel::setAlong(int axis, std::int64_t value) {
  auto p = m_position;
  setComponent(p, axis, value);
  setPosition(p);
}

} // namespace ui
