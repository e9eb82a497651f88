#include "ui/panels/VoxelStatus.h"

#include "core/labels/LabelConvention.h"
#include "ui/model/Session.h"

#include <QCoreApplication>

#include <cmath>

namespace ui {

QString labelName(int label) {
  switch (label) {
  case core::labels::kUnlabelled: return QCoreApplication::translate("ui::VoxelStatus", "unlabelled");
  case core::labels::kNotCrack: return QCoreApplication::translate("ui::VoxelStatus", "not crack");
  case core::labels::kCrack: return QCoreApplication::translate("ui::VoxelStatus", "crack");
  default: return QCoreApplication::translate("ui::VoxelStatus", "label %1").arg(label);
  }
}

QString describeVoxel(const Session& session, const core::volume::Index3& v) {
  if (!session.hasImage()) return {};
  const auto& im = session.image();
  const auto s = im.size();
  if (v.x < 0 || v.y < 0 || v.z < 0 || v.x >= s.x || v.y >= s.y || v.z >= s.z) return {};
  const auto sp = im.spacing();
  const auto o = im.origin();
  QString text = QStringLiteral("x %1  y %2  z %3   |   (%4, %5, %6) \u00b5m")
                     .arg(v.x)
                     .arg(v.y)
                     .arg(v.z)
                     .arg(o.x + double(v.x) * sp.x, 0, 'f', 3)
                     .arg(o.y + double(v.y) * sp.y, 0, 'f', 3)
                     .arg(o.z + double(v.z) * sp.z, 0, 'f', 3);
  const double value = im.valueAt(v.x, v.y, v.z);
  const QString valueText = im.type() == core::volume::VoxelType::Float32
                                ? (std::isnan(value) ? QStringLiteral("NaN") : QString::number(value, 'g', 6))
                                : QString::number(qint64(value));
  text += QStringLiteral("   |   ") + QCoreApplication::translate("ui::VoxelStatus", "value %1").arg(valueText);
  text += QStringLiteral("   |   %1").arg(labelName(int(session.labels().valueAt(v.x, v.y, v.z))));
  if (const auto* p = session.prediction())
    text += QStringLiteral("   |   ") + QCoreApplication::translate("ui::VoxelStatus", "prediction %1")
                                          .arg(p->valueAt(v.x, v.y, v.z) / 255.0, 0, 'f', 2);
  return text;
}

} // namespace ui
