// LabelTools on the sparse labels of a lazily opened volume (issue 16): each gesture edits a
// dense window of the slice it happens on (a slab for the sphere brush) with the same core tools
// as in memory; core::labels::SparseLabels writes it through to its chunks and keeps the undo step.
#include "core/labels/SliceTools.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/tools/LabelTools.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/SliceView.h"

#include <QMouseEvent>

#include <algorithm>
#include <cmath>

namespace ui {

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

/// The whole slice \p slice of orientation \p o, \p thickness slices thick around it.
vol::Region sliceBox(const vol::Size3& size, vol::Orientation o, std::int64_t slice, std::int64_t halfThickness = 0) {
  vol::Region r = vol::sliceRegion(o, slice, 0, 0, vol::sliceWidth(size, o), vol::sliceHeight(size, o));
  const int axis = o == vol::Orientation::XY ? 2 : (o == vol::Orientation::XZ ? 1 : 0);
  std::int64_t& start = axis == 2 ? r.start.z : (axis == 1 ? r.start.y : r.start.x);
  std::int64_t& n = axis == 2 ? r.size.z : (axis == 1 ? r.size.y : r.size.x);
  start -= halfThickness;
  n += 2 * halfThickness;
  return r.clippedTo(size);
}

} // namespace

void LabelTools::setSparseLayer(SparseLabelLayer* layer) {
  if (m_sparse) disconnect(m_sparse, nullptr, this, nullptr);
  m_sparse = layer;
  if (!m_sparse) return;
  const auto drop = [this] {
    m_stroke.reset(); // the labels it edited go (an unfinished stroke is undone)
    closeWindow();
    m_polygon.clear();
    m_polygonView = nullptr;
    refreshAll();
  };
  connect(m_sparse, &SparseLabelLayer::aboutToClose, this, drop);
  connect(m_sparse, &SparseLabelLayer::openChanged, this, drop);
  connect(m_sparse, &SparseLabelLayer::annotatedSlicesChanged, this, &LabelTools::refreshAll);
}

bool LabelTools::sparseActive() const { return m_sparse && m_sparse->isOpen(); }

void LabelTools::closeWindow() {
  m_window.reset(); // closes it: committed edits are undo steps of the sparse labels now
  m_windowImage = vol::Volume();
}

bool LabelTools::sparsePressed(SliceView& view, QMouseEvent& event, const vol::Vec3& p) {
  cl::SparseLabels& labels = *m_sparse->labels();
  const ToolKind tool = m_settings.tool();
  try {
    switch (tool) {
    case ToolKind::Brush:
    case ToolKind::Eraser:
    case ToolKind::Sphere: {
      if (event.modifiers() & Qt::ShiftModifier) return false; // Shift+drag stays window/level
      if (m_stroke || labels.hasOpenWindow()) return true;
      cl::BrushSettings s = brushSettings(view);
      const std::int64_t half = tool == ToolKind::Sphere ? s.size / 2 + 1 : 0;
      const vol::Region box = sliceBox(labels.size(), view.orientation(), view.slice(), half);
      m_window = labels.openWindow(box);
      s.rule = m_settings.rule(m_windowImage); // no threshold unless one is on (then the image is read)
      if (s.rule.thresholdImage) {
        m_windowImage = m_sparse->volume()->read(0, m_window->box());
        s.rule = m_settings.rule(m_windowImage);
      }
      m_stroke = std::make_unique<cl::BrushStroke>(m_window->labels(), s);
      m_strokeView = &view;
      m_stroke->moveTo(m_window->toLocal(p));
      return true;
    }
    case ToolKind::Polygon: return false; // vertices are collected as in memory (LabelTools.cpp)
    case ToolKind::Flood: {
      vol::Index3 seed;
      if (!view.voxelAt(event.position(), seed) || labels.hasOpenWindow()) return true;
      const vol::Region box = sliceBox(labels.size(), view.orientation(), view.slice());
      const vol::Volume image = m_sparse->volume()->read(0, box);
      const cl::PaintRule rule = m_settings.rule(image);
      const cl::EditSummary summary =
          labels.edit(box, cl::stepname::kFloodFill, [&](cl::LabelEdit& e, const cl::SparseLabels::Window& w) {
            cl::floodFill2D(e, image, view.orientation(), w.toLocal(seed), m_settings.floodTolerance(),
                            m_settings.activeClass(), rule);
          });
      const vol::Index3 local{seed.x - box.start.x, seed.y - box.start.y, seed.z - box.start.z};
      Q_EMIT done(floodFillMessage(summary, image.valueAt(local.x, local.y, local.z)));
      return true;
    }
    case ToolKind::Navigate: break;
    }
  } catch (const std::exception& e) {
    m_stroke.reset();
    closeWindow();
    Q_EMIT failed(QString::fromStdString(e.what()));
    return true;
  }
  return false;
}

bool LabelTools::sparseFillPolygon(SliceView& view, const std::vector<vol::Point2>& vertices, bool erase) {
  cl::SparseLabels& labels = *m_sparse->labels();
  if (labels.hasOpenWindow()) return false;
  try {
    const vol::Region box = sliceBox(labels.size(), view.orientation(), m_polygonSlice);
    vol::Volume image;
    cl::PaintRule rule = m_settings.rule(image);
    if (rule.thresholdImage) {
      image = m_sparse->volume()->read(0, box);
      rule = m_settings.rule(image);
    }
    const cl::EditSummary summary = labels.edit(
        box, erase ? cl::stepname::kPolygonErase : cl::stepname::kPolygonFill, [&](cl::LabelEdit& e, const cl::SparseLabels::Window&) {
          cl::fillPolygon(e, view.orientation(), 0, vertices, erase ? cl::kUnlabelled : m_settings.activeClass(), rule);
        });
    if (!summary.committed) Q_EMIT done(tr("The polygon changed no label (no undo step)."));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
    return false;
  }
  return true;
}

} // namespace ui
