#include "ui/views/SliceTransform.h"

#include <algorithm>

namespace ui {

SliceAxes sliceAxes(SliceOrientation o) {
  switch (o) {
  case SliceOrientation::XY: return {0, 1, 2, true};
  case SliceOrientation::XZ: return {0, 2, 1, false};
  case SliceOrientation::YZ: return {1, 2, 0, false};
  }
  return {};
}

QString orientationName(SliceOrientation o) { return QString::fromLatin1(core::volume::toString(o)); }

QColor orientationColour(SliceOrientation o) {
  switch (o) {
  case SliceOrientation::XY: return QColor(241, 90, 80);
  case SliceOrientation::XZ: return QColor(110, 200, 90);
  case SliceOrientation::YZ: return QColor(240, 205, 70);
  }
  return Qt::white;
}

SliceOrientation orientationWithNormal(int normal) {
  return normal == 2 ? SliceOrientation::XY : normal == 1 ? SliceOrientation::XZ : SliceOrientation::YZ;
}

void SliceTransform::fit(double extentU, double extentV) {
  centreU = extentU / 2;
  centreV = extentV / 2;
  const double w = std::max(width, 1), h = std::max(height, 1);
  scale = std::max({extentU / w, extentV / h, 1e-12}) * 1.04;
}

} // namespace ui
