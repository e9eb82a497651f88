#include "ui/tools/LabelActions.h"

#include "core/labels/LabelVolume.h"
#include "core/labels/PredictionTools.h"
#include "core/labels/SliceInterpolation.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/tools/LabelTools.h"
#include "ui/tools/ToolIcons.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/SliceView.h"

#include <QAction>
#include <QActionGroup>

#include <algorithm>
#include <exception>

namespace ui {

namespace cl = core::labels;
namespace vol = core::volume;

LabelActions::LabelActions(Session& session, CursorModel& cursor, DisplaySettings& display, ToolSettings& settings,
                           LabelTools& tools, QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor), m_display(display), m_settings(settings), m_tools(tools) {
  m_toolGroup = new QActionGroup(this);
  const struct {
    ToolKind kind;
    QString text, tip;
    Qt::Key key;
  } tools_[] = {
      {ToolKind::Navigate, tr("Navigate"), tr("Crosshair, pan and zoom (N)"), Qt::Key_N},
      {ToolKind::Brush, tr("Brush"), tr("Paint the active class with a round brush (B)"), Qt::Key_B},
      {ToolKind::Eraser, tr("Eraser"), tr("Erase labels with a round brush (E)"), Qt::Key_E},
      {ToolKind::Sphere, tr("3D brush"), tr("Paint with a sphere across slices (S)"), Qt::Key_S},
      {ToolKind::Polygon, tr("Polygon"), tr("Click vertices; double-click or Enter fills, with Shift erases (G)"), Qt::Key_G},
      {ToolKind::Flood, tr("Flood fill"), tr("Fill the connected region within the tolerance (F)"), Qt::Key_F},
  };
  for (const auto& t : tools_) {
    QAction* a = make(t.text, QKeySequence(t.key), t.tip);
    a->setIcon(toolIcon(t.kind));
    a->setCheckable(true);
    m_toolGroup->addAction(a);
    m_toolActions[std::size_t(t.kind)] = a;
    const ToolKind kind = t.kind;
    connect(a, &QAction::triggered, this, [this, kind] { m_settings.setTool(kind); });
  }
  m_toolActions[std::size_t(m_settings.tool())]->setChecked(true);
  connect(&m_settings, &ToolSettings::toolChanged, this,
          [this](ToolKind k) { m_toolActions[std::size_t(k)]->setChecked(true); });

  m_smaller = make(tr("Smaller brush"), QKeySequence(Qt::Key_BracketLeft), tr("Brush size - 1 ([)"));
  m_larger = make(tr("Larger brush"), QKeySequence(Qt::Key_BracketRight), tr("Brush size + 1 (])"));
  m_swapClass = make(tr("Swap crack / not crack"), QKeySequence(Qt::Key_T),
                     tr("Paint the other class: crack or not crack (T)"));
  connect(m_swapClass, &QAction::triggered, this, [this] {
    const bool crack = m_settings.activeClass() != cl::kCrack;
    m_settings.setActiveClass(crack ? cl::kCrack : cl::kNotCrack);
    Q_EMIT done(crack ? tr("Painting crack") : tr("Painting not crack"));
  });
  connect(m_smaller, &QAction::triggered, this, [this] { m_settings.setSize(m_settings.size() - (m_settings.size() > 10 ? 2 : 1)); });
  connect(m_larger, &QAction::triggered, this, [this] { m_settings.setSize(m_settings.size() + (m_settings.size() >= 10 ? 2 : 1)); });

  m_interpolateHere = make(tr("Interpolate around slice"), QKeySequence(Qt::Key_I),
                           tr("Fill the XY slices between the nearest labelled slices below and above this one (I)"));
  m_interpolateAll = make(tr("Interpolate all gaps"), QKeySequence(Qt::SHIFT | Qt::Key_I),
                          tr("Fill every gap between labelled XY slices (Shift+I)"));
  m_markAnnotated = make(tr("Slice fully annotated"), QKeySequence(Qt::Key_M),
                         tr("Mark or unmark the current XY slice as fully annotated: its unlabelled voxels count as not crack (M)"));
  m_markAnnotated->setCheckable(true);
  m_acceptAll = make(tr("Accept prediction"), QKeySequence(), tr("Write the whole prediction into unlabelled voxels"));
  m_acceptSlice = make(tr("Accept on slice"), QKeySequence(Qt::SHIFT | Qt::Key_A),
                       tr("Write the prediction of the visible slice into its unlabelled voxels (Shift+A)"));
  m_acceptComponent = make(tr("Accept component"), QKeySequence(Qt::Key_A),
                           tr("Accept the predicted crack connected to the voxel under the mouse (A)"));
  m_deleteComponent = make(tr("Delete component"), QKeySequence(Qt::Key_D),
                           tr("Delete the labelled component under the mouse (D)"));
  for (QAction* a : {m_interpolateHere, m_acceptComponent, m_deleteComponent, m_acceptSlice})
    a->setShortcutContext(Qt::WindowShortcut);

  auto run = [this](const QString& what, auto f) {
    try {
      const std::int64_t n = f();
      if (n < 0) Q_EMIT done(tr("%1: nothing to do here").arg(what));
      else Q_EMIT done(tr("%1: %2 voxels changed").arg(what).arg(n));
    } catch (const std::exception& e) {
      Q_EMIT failed(tr("%1 failed: %2").arg(what, QString::fromStdString(e.what())));
    }
  };
  connect(m_interpolateHere, &QAction::triggered, this,
          [this, run] { run(tr("Interpolate"), [this] { return doInterpolateAround(m_cursor.position().z); }); });
  connect(m_interpolateAll, &QAction::triggered, this, [this, run] { run(tr("Interpolate"), [this] { return doInterpolateAll(); }); });
  connect(m_markAnnotated, &QAction::triggered, this, [this] {
    const std::int64_t z = m_cursor.position().z;
    if (doToggleAnnotated(z) < 0) return;
    const bool on = sparse() ? sparse()->isSliceAnnotated(z) : m_session.labelVolume()->isSliceAnnotated(z);
    Q_EMIT done(on ? tr("Slice z = %1 marked fully annotated").arg(z) : tr("Slice z = %1 no longer fully annotated").arg(z));
  });
  connect(m_acceptAll, &QAction::triggered, this, [this, run] { run(tr("Accept prediction"), [this] { return doAcceptAll(); }); });
  connect(m_acceptSlice, &QAction::triggered, this, [this, run] {
    run(tr("Accept prediction"), [this] {
      SliceView* v = m_tools.hoveredView();
      return doAcceptSlice(v ? v->orientation() : SliceOrientation::XY, v ? v->slice() : m_cursor.position().z);
    });
  });
  connect(m_acceptComponent, &QAction::triggered, this,
          [this, run] { run(tr("Accept component"), [this] { return doAcceptComponent(seedVoxel()); }); });
  connect(m_deleteComponent, &QAction::triggered, this,
          [this, run] { run(tr("Delete component"), [this] { return doDeleteComponent(seedVoxel()); }); });

  m_undo = make(tr("&Undo"), QKeySequence::Undo, QString());
  m_redo = make(tr("&Redo"), QKeySequence(), QString());
  m_redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  connect(m_undo, &QAction::triggered, this, [this] {
    if (auto* s = sparse()) {
      if (s->canUndo() && !s->hasOpenWindow()) s->undo();
    } else if (auto* l = m_session.labelVolume(); l && l->canUndo() && !l->hasOpenEdit()) {
      l->undo();
    }
  });
  connect(m_redo, &QAction::triggered, this, [this] {
    if (auto* s = sparse()) {
      if (s->canRedo() && !s->hasOpenWindow()) s->redo();
    } else if (auto* l = m_session.labelVolume(); l && l->canRedo() && !l->hasOpenEdit()) {
      l->redo();
    }
  });
  connect(&m_session, &Session::undoStateChanged, this, &LabelActions::updateUndo);
  connect(&m_session, &Session::datasetChanged, this, &LabelActions::updateUndo);
  connect(&m_session, &Session::datasetChanged, this, &LabelActions::updateEnabled);
  connect(&m_session, &Session::predictionChanged, this, &LabelActions::updateEnabled);
  connect(&m_session, &Session::annotatedSlicesChanged, this, &LabelActions::updateEnabled);
  connect(&m_cursor, &CursorModel::positionChanged, this, &LabelActions::updateEnabled);
  updateUndo();
  updateEnabled();
}

QAction* LabelActions::make(const QString& text, const QKeySequence& key, const QString& tip) {
  auto* a = new QAction(text, this);
  if (!key.isEmpty()) a->setShortcut(key);
  if (!tip.isEmpty()) {
    a->setToolTip(tip);
    a->setStatusTip(tip);
  }
  return a;
}

QAction* LabelActions::toolAction(ToolKind kind) const { return m_toolActions[std::size_t(kind)]; }

void LabelActions::setSparseLayer(SparseLabelLayer* layer) {
  if (m_sparse) disconnect(m_sparse, nullptr, this, nullptr);
  m_sparse = layer;
  if (m_sparse) {
    connect(m_sparse, &SparseLabelLayer::undoStateChanged, this, &LabelActions::updateUndo);
    connect(m_sparse, &SparseLabelLayer::openChanged, this, &LabelActions::updateEnabled);
    connect(m_sparse, &SparseLabelLayer::annotatedSlicesChanged, this, &LabelActions::updateEnabled);
  }
  updateUndo();
  updateEnabled();
}

cl::SparseLabels* LabelActions::sparse() const { return m_sparse ? m_sparse->labels() : nullptr; }

void LabelActions::updateUndo() {
  if (const cl::SparseLabels* s = sparse()) {
    m_undo->setEnabled(s->canUndo());
    m_redo->setEnabled(s->canRedo());
    m_undo->setText(s->canUndo() ? tr("&Undo %1").arg(tr(s->undoStack().undoName().c_str())) : tr("&Undo"));
    m_redo->setText(s->canRedo() ? tr("&Redo %1").arg(tr(s->undoStack().redoName().c_str())) : tr("&Redo"));
    return;
  }
  const cl::LabelVolume* l = m_session.labelVolume();
  const bool canUndo = l && l->canUndo(), canRedo = l && l->canRedo();
  m_undo->setEnabled(canUndo);
  m_redo->setEnabled(canRedo);
  m_undo->setText(canUndo ? tr("&Undo %1").arg(tr(l->undoStack().undoName().c_str())) : tr("&Undo"));
  m_redo->setText(canRedo ? tr("&Redo %1").arg(tr(l->undoStack().redoName().c_str())) : tr("&Redo"));
}

void LabelActions::updateEnabled() {
  if (const cl::SparseLabels* s = sparse()) { // no prediction of a lazy volume here (yet)
    for (QAction* a : {m_interpolateAll, m_interpolateHere, m_markAnnotated}) a->setEnabled(true);
    for (QAction* a : {m_acceptAll, m_acceptSlice, m_acceptComponent, m_deleteComponent}) a->setEnabled(false);
    m_markAnnotated->setChecked(s->isSliceAnnotated(m_cursor.position().z));
    return;
  }
  const bool labels = m_session.labelVolume() != nullptr;
  const bool prediction = labels && m_session.prediction() != nullptr;
  for (QAction* a : {m_interpolateAll, m_interpolateHere, m_markAnnotated, m_deleteComponent}) a->setEnabled(labels);
  for (QAction* a : {m_acceptAll, m_acceptSlice, m_acceptComponent}) a->setEnabled(prediction);
  m_markAnnotated->setChecked(labels && m_session.labelVolume()->isSliceAnnotated(m_cursor.position().z));
}

vol::Index3 LabelActions::seedVoxel() const {
  if (auto v = m_tools.hoveredVoxel()) return *v;
  return m_cursor.position();
}

double LabelActions::threshold() const { return m_display.predictionThreshold() / 255.0; }

std::int64_t LabelActions::doInterpolateAll() {
  if (cl::SparseLabels* s = sparse()) { // one window and one undo step per gap
    const std::vector<std::int64_t> slices = s->labelledSlicesZ();
    std::int64_t n = 0;
    for (std::size_t i = 1; i < slices.size(); ++i) {
      const std::int64_t a = slices[i - 1], b = slices[i];
      if (b - a < 2) continue;
      n += s->edit(vol::Region::slab(s->size(), a, b + 1), cl::stepname::kInterpolate,
                   [&](cl::LabelEdit& e, const cl::SparseLabels::Window&) { cl::interpolateSlices(e, vol::Orientation::XY, 0, b - a); })
               .changedVoxels;
    }
    return n;
  }
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l) return -1;
  return l->edit(cl::stepname::kInterpolate, [](cl::LabelEdit& e) { cl::interpolateAllGaps(e, core::volume::Orientation::XY); })
      .changedVoxels;
}

std::int64_t LabelActions::doInterpolateAround(std::int64_t z) {
  cl::LabelVolume* l = m_session.labelVolume();
  cl::SparseLabels* s = sparse();
  if (!l && !s) return -1;
  const std::vector<std::int64_t> slices = s ? s->labelledSlicesZ() : cl::labelledSlices(l->volume(), core::volume::Orientation::XY);
  const auto above = std::upper_bound(slices.begin(), slices.end(), z);
  const auto below = std::lower_bound(slices.begin(), slices.end(), z);
  if (above == slices.end() || below == slices.begin()) return -1;
  const std::int64_t a = *(below - 1), b = *above;
  if (b - a < 2) return -1;
  if (s)
    return s->edit(vol::Region::slab(s->size(), a, b + 1), cl::stepname::kInterpolate,
                   [&](cl::LabelEdit& e, const cl::SparseLabels::Window&) { cl::interpolateSlices(e, vol::Orientation::XY, 0, b - a); })
        .changedVoxels;
  return l->edit(cl::stepname::kInterpolate, [&](cl::LabelEdit& e) { cl::interpolateSlices(e, core::volume::Orientation::XY, a, b); })
      .changedVoxels;
}

std::int64_t LabelActions::doToggleAnnotated(std::int64_t z) {
  if (cl::SparseLabels* s = sparse()) {
    if (z < 0 || z >= s->size().z) return -1;
    const bool on = !s->isSliceAnnotated(z);
    s->edit(vol::Region{{0, 0, z}, {1, 1, 1}}, on ? cl::stepname::kMarkAnnotated : cl::stepname::kUnmarkAnnotated,
            [&](cl::LabelEdit& e, const cl::SparseLabels::Window&) { e.setSliceAnnotated(0, on); });
    return 1;
  }
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l || z < 0 || z >= l->size().z) return -1;
  const bool on = !l->isSliceAnnotated(z);
  l->edit(on ? cl::stepname::kMarkAnnotated : cl::stepname::kUnmarkAnnotated,
          [&](cl::LabelEdit& e) { e.setSliceAnnotated(z, on); });
  return 1;
}

std::int64_t LabelActions::doAcceptAll() {
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l || !m_session.prediction() || sparse()) return -1;
  cl::AcceptOptions o;
  o.threshold = threshold();
  return l->edit(cl::stepname::kAcceptPrediction, [&](cl::LabelEdit& e) { cl::acceptPrediction(e, *m_session.prediction(), o); })
      .changedVoxels;
}

std::int64_t LabelActions::doAcceptSlice(core::volume::Orientation orientation, std::int64_t slice) {
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l || !m_session.prediction() || sparse()) return -1;
  cl::AcceptOptions o;
  o.threshold = threshold();
  return l->edit(cl::stepname::kAcceptSlice, [&](cl::LabelEdit& e) {
            cl::acceptPredictionSlice(e, *m_session.prediction(), orientation, slice, o);
          }).changedVoxels;
}

std::int64_t LabelActions::doAcceptComponent(const vol::Index3& seed) {
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l || !m_session.prediction() || sparse()) return -1;
  if (!cl::isPredictedCrack(*m_session.prediction(), seed, threshold())) return -1;
  cl::AcceptOptions o;
  o.threshold = threshold();
  return l->edit(cl::stepname::kAcceptComponent, [&](cl::LabelEdit& e) {
            cl::acceptPredictionComponent(e, *m_session.prediction(), seed, o);
          }).changedVoxels;
}

std::int64_t LabelActions::doDeleteComponent(const vol::Index3& seed) {
  if (sparse()) return -1; // a 3D component of a big volume: not here
  cl::LabelVolume* l = m_session.labelVolume();
  if (!l || l->at(seed.x, seed.y, seed.z) == cl::kUnlabelled) return -1;
  return l->edit(cl::stepname::kDeleteComponent, [&](cl::LabelEdit& e) { cl::deleteComponent(e, seed); }).changedVoxels;
}

} // namespace ui
