#pragma once
/// \file StatisticsPanel.h
/// The Statistics panel: the analysis parameters and Run/Cancel (AnalysisController on the
/// worker), the sortable particle table (a click selects the particle, centres every view on its
/// centroid and outlines it), corrections (merge two selected particles, split, delete; undo and
/// redo), saving the particle labels and exporting the CSV, the particle overlay of the slice
/// views, the 3D colouring column and the plots. The ParticleLayer, its table model and the
/// AnalysisController belong to the Studio; the panel owns the views' helpers (proxy, overlay,
/// 3D surfaces, plots). GUI thread only.

#include "core/analysis/Analysis.h"
#include "ui/controllers/AnalysisController.h"

#include <QWidget>

#include <array>
#include <cstdint>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace ui {

class CursorModel;
class JobRunner;
class ParticleLayer;
class ParticleOverlay;
class ParticleSurfaces;
class ParticleTableModel;
class Session;
class SliceView;
class StatisticsPlots;
class VolumeView3D;

class StatisticsPanel : public QWidget {
  Q_OBJECT
public:
  StatisticsPanel(Session& session, CursorModel& cursor, JobRunner& jobs, ParticleLayer& layer,
                  AnalysisController& controller, ParticleTableModel& model, const std::vector<SliceView*>& slices,
                  VolumeView3D* view3D, QWidget* parent = nullptr);
  ~StatisticsPanel() override;

  ParticleLayer& layer() const { return *m_layer; }
  AnalysisController& controller() const { return *m_controller; }
  QTableView* tableView() const { return m_table; }
  QSortFilterProxyModel* proxy() const { return m_proxy; }
  ParticleTableModel& model() const { return *m_model; }
  StatisticsPlots* plots() const { return m_plots; }
  ParticleOverlay& overlay() const { return *m_overlay; }
  ParticleSurfaces* surfaces() const { return m_surfaces; }

  /// The parameters as the widgets set them.
  core::analysis::AnalysisOptions options() const;
  /// Sets the widgets from \p options (solid threshold unset = automatic).
  void setOptions(const core::analysis::AnalysisOptions& options);
  CrackSource crackSource() const;
  void setCrackSource(CrackSource source);

  /// Starts the analysis with the widgets' parameters (false: not started, error reported).
  bool runAnalysis();
  /// Selects particle \p id: table row, outline, cursor at its centroid.
  void selectParticle(std::uint32_t id);
  /// Particle ids of the selected table rows, in selection order.
  std::vector<std::uint32_t> selectedIds() const;
  bool mergeSelected();
  bool splitSelected();
  bool deleteSelected();
  /// Writes the particle labels to \p path (asks when empty). False on failure (error reported).
  bool saveLabels(QString path = {});
  /// Writes the particle CSV and the depth profile CSV (asks when empty). False on failure.
  bool exportCsv(QString path = {});
  /// Colours the 3D particles by table column \p column (-1: by id).
  void setColourColumn(int column);
  /// Offers "Crack growth (A to B)" among the 3D colourings (ParticleSurfaces::kValuesColumn)
  /// while a second time point is loaded.
  void setGrowthColourChoice(bool available);

Q_SIGNALS:
  void errorReported(const QString& title, const QString& message);

private:
  QWidget* createParameters();
  QWidget* createTablePane();
  void onRowActivated(const QModelIndex& proxyIndex);
  void updateButtons();
  /// Sets the depth bin width from the image's extent along the depth axis.
  void defaultDepthBin();
  void updateColumnChoices();
  void report(const QString& title, const QString& message);

  Session& m_session;
  CursorModel& m_cursor;
  JobRunner& m_jobs;
  ParticleLayer* m_layer;             ///< not owned (the Studio's)
  AnalysisController* m_controller;  ///< not owned (the Studio's)
  ParticleTableModel* m_model;       ///< not owned (the Studio's)
  QSortFilterProxyModel* m_proxy;
  ParticleOverlay* m_overlay;
  ParticleSurfaces* m_surfaces = nullptr;
  StatisticsPlots* m_plots;

  QComboBox* m_source;
  QCheckBox* m_autoThreshold;
  QDoubleSpinBox* m_threshold;
  QSpinBox* m_minVolume;
  QDoubleSpinBox* m_splitHeight;
  QDoubleSpinBox* m_contactRatio;
  QComboBox* m_depthAxis;
  QComboBox* m_depthSide;
  QDoubleSpinBox* m_binWidth;
  QDoubleSpinBox* m_packing;
  QPushButton* m_run;
  QPushButton* m_cancel;
  QLabel* m_status;
  QTableView* m_table;
  QPushButton *m_merge, *m_split, *m_delete, *m_undo, *m_redo, *m_saveLabels, *m_exportCsv;
  QComboBox* m_overlayMode;
  QComboBox* m_colourBy;
  bool m_growthChoice = false;
};

} // namespace ui
