#pragma once
/// \file MetaTypes.h
/// Core value types that travel through Qt signals (queued connections need them registered).

#include "core/volume/Volume.h"

#include <QMetaType>

Q_DECLARE_METATYPE(core::volume::Region)
Q_DECLARE_METATYPE(core::volume::Index3)

namespace ui {
/// Registers the types above with Qt's meta-type system. Idempotent; GUI thread.
void registerMetaTypes();
} // namespace ui
