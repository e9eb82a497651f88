#include "ui/model/ParticleTableModel.h"

#include "ui/model/ParticleColumnText.h"
#include "ui/model/ParticleLayer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ui {

ParticleTableModel::ParticleTableModel(ParticleLayer& layer, QObject* parent) : QAbstractTableModel(parent), m_layer(layer) {
  auto update = [this] {
    const auto& t = m_layer.table();
    m_decimals.assign(std::size_t(t.columnCount()), 0);
    for (int c = 0; c < t.columnCount(); ++c) {
      if (t.column(c).kind != core::analysis::ColumnKind::Real) continue;
      double top = 0;
      for (std::int64_t r = 0; r < t.rowCount(); ++r)
        if (std::isfinite(t.value(r, c))) top = std::max(top, std::fabs(t.value(r, c)));
      m_decimals[std::size_t(c)] = top > 0 ? std::clamp(3 - int(std::floor(std::log10(top))), 0, 6) : 2;
    }
  };
  update();
  connect(&m_layer, &ParticleLayer::tableChanged, this, [this, update] {
    beginResetModel();
    update();
    endResetModel();
  });
}

int ParticleTableModel::columnDecimals(int column) const {
  return column >= 0 && std::size_t(column) < m_decimals.size() ? m_decimals[std::size_t(column)] : 0;
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
    return QString::number(v, 'f', columnDecimals(index.column())); // one column, one number of decimals
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
  QString name = particleColumnTitle(c.name); // translated; derived from the name for new columns
  if (name.isEmpty()) name = QString::fromStdString(c.name).replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!name.isEmpty()) name[0] = name[0].toUpper();
  if (c.unit.empty()) return name;
  return QStringLiteral("%1 (%2)").arg(name, QString::fromStdString(core::analysis::prettyUnit(c.unit)));
}

QVariant ParticleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= m_layer.table().columnCount())
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) return columnTitle(section);
  if (role == Qt::ToolTipRole) {
    const auto& c = m_layer.table().column(section);
    const QString text = particleColumnDescription(c.name);
    return text.isEmpty() ? QString::fromStdString(c.description) : text;
  }
  return {};
}

} // namespace ui
