#include "ui/model/ParticleTableModel.h"

#include "ui/model/ParticleLayer.h"

#include <cmath>
#include <limits>

namespace ui {

ParticleTableModel::ParticleTableModel(ParticleLayer& layer, QObject* parent) : QAbstractTableModel(parent), m_layer(layer) {
  connect(&m_layer, &ParticleLayer::tableChanged, this, [this] {
    beginResetModel();
    endResetModel();
  });
}

int ParticleTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(m_layer.table().rowCount());
}

int ParticleTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_layer.table().columnCount();
}

QVariant ParticleTableModel::data(const QModelIndex& index, int role) const {
  const auto& t = m_layer.table();
  if (!index.isValid() || index.row() >= t.rowCount() || index.column() >= t.columnCount()) return {};
  const double v = t.value(index.row(), index.column());
  switch (role) {
  case Qt::DisplayRole: {
    if (!std::isfinite(v)) return QString();
    if (t.column(index.column()).kind != core::analysis::ColumnKind::Real) return QString::number(qint64(v));
    return QString::number(v, 'g', 4);
  }
  case kSortRole:
    return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
  case kIdRole: {
    const int c = t.indexOf("id");
    return c < 0 ? QVariant() : QVariant(uint(t.value(index.row(), c)));
  }
  case Qt::TextAlignmentRole:
    return int(Qt::AlignRight | Qt::AlignVCenter);
  default:
    return {};
  }
}

QString ParticleTableModel::columnTitle(int column) const {
  const auto& c = m_layer.table().column(column);
  QString name = QString::fromStdString(c.name).replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!name.isEmpty()) name[0] = name[0].toUpper();
  if (c.unit.empty()) return name;
  return QStringLiteral("%1 (%2)").arg(name, QString::fromStdString(core::analysis::prettyUnit(c.unit)));
}

QVariant ParticleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= m_layer.table().columnCount())
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) return columnTitle(section);
  if (role == Qt::ToolTipRole) return QString::fromStdString(m_layer.table().column(section).description);
  return {};
}

} // namespace ui
