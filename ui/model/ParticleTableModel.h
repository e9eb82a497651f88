#pragma once
/// \file ParticleTableModel.h
/// A Qt table model over the ParticleLayer's table (core::analysis::Table): one row per particle,
/// one column per measurement, headers with units ("Filled volume (µm³)"), tooltips with the
/// column's description. Qt::DisplayRole gives text (fixed decimals per column), kSortRole the number (NaN sorts first), so a
/// QSortFilterProxyModel with setSortRole(kSortRole) sorts numerically. Resets when the layer
/// changes. GUI thread only.

#include <QAbstractTableModel>

#include <vector>

namespace ui {

class ParticleLayer;

class ParticleTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  /// The role that returns a cell's number (double).
  static constexpr int kSortRole = Qt::UserRole + 1;
  /// The role that returns a row's particle id (uint).
  static constexpr int kIdRole = Qt::UserRole + 2;

  explicit ParticleTableModel(ParticleLayer& layer, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  /// "Filled volume (µm³)" for a column index of the table.
  QString columnTitle(int column) const;
  /// Decimals every number of \p column shows with: 0 for whole-number columns, else enough for
  /// four significant digits of the column's largest magnitude (at most 6).
  int columnDecimals(int column) const;

private:
  ParticleLayer& m_layer;
  std::vector<int> m_decimals; ///< per column, updated when the table changes
};

} // namespace ui
