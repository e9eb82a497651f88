#include "ui/model/MetaTypes.h"

namespace ui {
void registerMetaTypes() {
  qRegisterMetaType<core::volume::Region>("core::volume::Region");
  qRegisterMetaType<core::volume::Index3>("core::volume::Index3");
}
} // namespace ui
