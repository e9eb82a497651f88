#include "ui/tools/LabelTools.h"

#include "core/labels/SliceTools.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/tools/ToolSettings.h"
#include "ui/views/SliceView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <exception>

namespace ui {

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

double& vecComponent(vol::Vec3& v, int axis) { return axis == 0 ? v.x : (axis == 1 ? v.y : v.z); }
double spacingAlong(const vol::Vec3& s, int axis) { return axis == 0 ? s.x : (axis == 1 ? s.y : s.z); }

} // namespace

LabelTools::LabelTools(Session& session, CursorModel& cursor, DisplaySettings& display, ToolSettings& settings,
                       QObject* parent)
    : QObject(parent), m_session(session), m_cursor(cursor), m_display(display), m_settings(settings) {
  connect(&m_settings, &ToolSettings::toolChanged, this, [this] {
    cancel();
    for (SliceView* v : m_views) v->setCursor(m_settings.tool() == ToolKind::Navigate ? Qt::CrossCursor : Qt::BlankCursor);
    refreshAll();
  });
  connect(&m_settings, &ToolSettings::settingsChanged, this, &LabelTools::refreshAll);
  connect(&m_session, &Session::datasetChanged, this, [this] {
    if (!sparseActive()) m_stroke.reset(); // the label volume it edited is gone
    m_polygon.clear();
    m_polygonView = nullptr;
  });
  connect(&m_session, &Session::annotatedSlicesChanged, this, &LabelTools::refreshAll);
}

LabelTools::~LabelTools() {
  for (SliceView* v : m_views) v->setTool(nullptr);
}

void LabelTools::attach(SliceView* view) {
  m_views.push_back(view);
  view->setTool(this);
  view->installEventFilter(this);
  connect(view, &QObject::destroyed, this, [this, view] {
    m_views.erase(std::remove(m_views.begin(), m_views.end(), view), m_views.end());
    if (m_hoverView == view) m_hoverView = nullptr;
    if (m_polygonView == view) m_polygonView = nullptr;
    if (m_strokeView == view) m_strokeView = nullptr;
  });
}

void LabelTools::refreshAll() {
  for (SliceView* v : m_views) v->refreshDecorations();
}

vol::Vec3 LabelTools::voxelCoords(SliceView& view, const QPointF& pos) const {
  const SliceAxes ax = sliceAxes(view.orientation());
  const vol::Vec3 sp = view.source().imageInfo().spacing;
  const SliceTransform& t = view.transform();
  const qreal dpr = view.devicePixelRatioF();
  const vol::Index3& c = m_cursor.position();
  vol::Vec3 p{double(c.x), double(c.y), double(c.z)};
  // Plane micrometres from the corner of voxel 0 -> voxel coordinates with centres at integers.
  vecComponent(p, ax.u) = t.planeU(pos.x() * dpr) / spacingAlong(sp, ax.u) - 0.5;
  vecComponent(p, ax.v) = t.planeV(pos.y() * dpr) / spacingAlong(sp, ax.v) - 0.5;
  return p;
}

cl::BrushSettings LabelTools::brushSettings(SliceView& view) const {
  cl::BrushSettings s;
  s.size = m_settings.size();
  s.shape = m_settings.tool() == ToolKind::Sphere ? cl::BrushShape::Sphere : cl::BrushShape::Disc;
  s.orientation = view.orientation();
  s.value = m_settings.tool() == ToolKind::Eraser ? cl::kUnlabelled : m_settings.activeClass();
  s.rule = m_settings.rule(m_session.image());
  return s;
}

bool LabelTools::mousePressed(SliceView& view, QMouseEvent& event) {
  const ToolKind tool = m_settings.tool();
  if (tool != ToolKind::Navigate && tool != ToolKind::Polygon && event.button() == Qt::LeftButton && sparseActive())
    return sparsePressed(view, event, voxelCoords(view, event.position()));
  if (tool == ToolKind::Navigate || event.button() != Qt::LeftButton || (!m_session.labelVolume() && !sparseActive()))
    return false;
  cl::LabelVolume& labels = *m_session.labelVolume();
  const vol::Vec3 p = voxelCoords(view, event.position());
  try {
    switch (tool) {
    case ToolKind::Brush:
    case ToolKind::Eraser:
    case ToolKind::Sphere: {
      if (event.modifiers() & Qt::ShiftModifier) return false; // Shift+drag stays window/level
      if (m_stroke || labels.hasOpenEdit()) return true;
      m_stroke = std::make_unique<cl::BrushStroke>(labels, brushSettings(view));
      m_strokeView = &view;
      m_stroke->moveTo(p);
      return true;
    }
    case ToolKind::Polygon: {
      const SliceAxes ax = sliceAxes(view.orientation());
      if (m_polygonView != &view || m_polygonSlice != view.slice()) {
        m_polygon.clear();
        m_polygonView = &view;
        m_polygonSlice = view.slice();
      }
      vol::Vec3 q = p;
      m_polygon.push_back({vecComponent(q, ax.u), vecComponent(q, ax.v)});
      view.refreshDecorations();
      return true;
    }
    case ToolKind::Flood: {
      vol::Index3 seed;
      if (!view.voxelAt(event.position(), seed) || labels.hasOpenEdit()) return true;
      const cl::PaintRule rule = m_settings.rule(m_session.image());
      const cl::EditSummary summary = labels.edit(cl::stepname::kFloodFill, [&](cl::LabelEdit& e) {
        cl::floodFill2D(e, m_session.image(), view.orientation(), seed,
                        m_settings.floodTolerance(), m_settings.activeClass(), rule);
      });
      Q_EMIT done(floodFillMessage(summary, m_session.image().valueAt(seed.x, seed.y, seed.z)));
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

QString LabelTools::floodFillMessage(const core::labels::EditSummary& summary, double seedGrey) const {
  const QString value = QString::number(seedGrey, 'g', 6);
  return summary.committed
             ? tr("Flood fill: %1 voxels within %2 of %3").arg(summary.changedVoxels).arg(m_settings.floodTolerance()).arg(value)
             : tr("Flood fill changed nothing within %1 of %2 (no undo step); raise the flood tolerance?")
                   .arg(m_settings.floodTolerance())
                   .arg(value);
}

bool LabelTools::mouseMoved(SliceView& view, QMouseEvent& event) {
  m_hoverView = &view;
  m_hoverPos = event.position();
  if (m_settings.tool() != ToolKind::Navigate) view.refreshDecorations();
  if (m_stroke && m_strokeView == &view) {
    try {
      const vol::Vec3 p = voxelCoords(view, event.position());
      m_stroke->moveTo(m_window ? m_window->toLocal(p) : p);
    } catch (const std::exception& e) {
      m_stroke.reset();
      closeWindow();
      Q_EMIT failed(QString::fromStdString(e.what()));
    }
    return true;
  }
  return false; // the view still reports the voxel under the mouse
}

bool LabelTools::mouseReleased(SliceView& view, QMouseEvent& event) {
  if (!m_stroke || event.button() != Qt::LeftButton) return m_settings.tool() != ToolKind::Navigate && event.button() == Qt::LeftButton;
  (void)view;
  std::unique_ptr<cl::BrushStroke> stroke = std::move(m_stroke);
  m_strokeView = nullptr;
  try {
    if (!stroke->finish().committed) Q_EMIT done(tr("The stroke changed no label (no undo step)."));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
  }
  stroke.reset();
  closeWindow();
  return true;
}

void LabelTools::cancel() {
  if (m_stroke) {
    std::unique_ptr<cl::BrushStroke> stroke = std::move(m_stroke);
    m_strokeView = nullptr;
    stroke->cancel();
  }
  closeWindow();
  if (!m_polygon.empty()) {
    m_polygon.clear();
    refreshAll();
  }
}

bool LabelTools::closePolygon(bool erase) {
  std::vector<core::volume::Point2> vertices = std::move(m_polygon);
  m_polygon.clear();
  SliceView* view = m_polygonView;
  m_polygonView = nullptr;
  if (view) view->refreshDecorations();
  if (view && vertices.size() >= 3 && sparseActive()) return sparseFillPolygon(*view, vertices, erase);
  if (!view || vertices.size() < 3 || !m_session.labelVolume() || m_session.labelVolume()->hasOpenEdit()) return false;
  const cl::PaintRule rule = m_settings.rule(m_session.image());
  try {
    const cl::EditSummary summary = m_session.labelVolume()->edit(
        erase ? cl::stepname::kPolygonErase : cl::stepname::kPolygonFill, [&](cl::LabelEdit& e) {
          cl::fillPolygon(e, view->orientation(), m_polygonSlice, vertices,
                          erase ? cl::kUnlabelled : m_settings.activeClass(), rule);
        });
    if (!summary.committed) Q_EMIT done(tr("The polygon changed no label (no undo step)."));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
    return false;
  }
  return true;
}

std::optional<vol::Index3> LabelTools::hoveredVoxel() const {
  if (!m_hoverView || !m_hoverView->source().hasImage()) return std::nullopt;
  vol::Index3 v;
  if (!m_hoverView->voxelAt(m_hoverPos, v)) return std::nullopt;
  return v;
}

bool LabelTools::eventFilter(QObject* watched, QEvent* event) {
  auto* view = qobject_cast<SliceView*>(watched);
  if (!view) return false;
  if (event->type() == QEvent::KeyPress) {
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->key() == Qt::Key_Escape && (m_stroke || !m_polygon.empty())) {
      cancel();
      return true;
    }
    if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && !m_polygon.empty()) {
      closePolygon(key->modifiers() & Qt::ShiftModifier);
      return true;
    }
  } else if (event->type() == QEvent::MouseButtonDblClick && m_settings.tool() == ToolKind::Polygon) {
    auto* mouse = static_cast<QMouseEvent*>(event);
    if (mouse->button() == Qt::LeftButton) {
      closePolygon(mouse->modifiers() & Qt::ShiftModifier);
      return true;
    }
  } else if (event->type() == QEvent::Leave && m_hoverView == view) {
    m_hoverView = nullptr;
    view->refreshDecorations();
  }
  return false;
}

void LabelTools::paintOverlay(SliceView& view, QPainter& painter) {
  if (!view.source().hasImage()) return;
  painter.setRenderHint(QPainter::Antialiasing, true);
  // Fully annotated slices: a green badge in the XY view (the flags run along z).
  const bool annotated = sparseActive() ? m_sparse->labels()->isSliceAnnotated(view.slice())
                                         : m_session.labelVolume() && m_session.labelVolume()->isSliceAnnotated(view.slice());
  if (view.orientation() == SliceOrientation::XY && annotated) {
    const QString text = tr("\u2713 fully annotated");
    QFont font = painter.font();
    font.setPointSizeF(9);
    font.setBold(true);
    painter.setFont(font);
    const QFontMetricsF fm(font);
    const QRectF box(view.width() - fm.horizontalAdvance(text) - 18, 6, fm.horizontalAdvance(text) + 12, fm.height() + 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(30, 140, 70, 220));
    painter.drawRoundedRect(box, 3, 3);
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, text);
  }
  const ToolKind tool = m_settings.tool();
  const SliceAxes ax = sliceAxes(view.orientation());
  const vol::Vec3 sp = view.source().imageInfo().spacing;
  const SliceTransform& t = view.transform();
  const qreal dpr = view.devicePixelRatioF();
  // Logical pixels per voxel along the view's u and v.
  const double pu = spacingAlong(sp, ax.u) / t.scale / dpr, pv = spacingAlong(sp, ax.v) / t.scale / dpr;
  if (tool == ToolKind::Polygon && m_polygonView == &view && !m_polygon.empty()) {
    auto toWidget = [&](const core::volume::Point2& q) {
      return QPointF(t.pixelX((q.u + 0.5) * spacingAlong(sp, ax.u)) / dpr, t.pixelY((q.v + 0.5) * spacingAlong(sp, ax.v)) / dpr);
    };
    QPainterPath path(toWidget(m_polygon.front()));
    for (std::size_t i = 1; i < m_polygon.size(); ++i) path.lineTo(toWidget(m_polygon[i]));
    if (m_hoverView == &view) path.lineTo(m_hoverPos);
    QColor fill = m_display.labelColour(m_settings.activeClass());
    fill.setAlpha(60);
    painter.setBrush(fill);
    painter.setPen(QPen(QColor(255, 220, 60), 1.5));
    painter.drawPath(path);
    painter.setBrush(QColor(255, 220, 60));
    painter.setPen(Qt::NoPen);
    for (const auto& q : m_polygon) painter.drawEllipse(toWidget(q), 2.5, 2.5);
  }
  if (m_hoverView != &view || tool == ToolKind::Navigate) return;
  if (tool == ToolKind::Brush || tool == ToolKind::Eraser || tool == ToolKind::Sphere) {
    const double r = m_settings.size() / 2.0;
    const QColor colour = tool == ToolKind::Eraser ? QColor(240, 240, 240) : m_display.labelColour(m_settings.activeClass());
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(0, 0, 0, 160), 3));
    painter.drawEllipse(m_hoverPos, r * pu, r * pv);
    painter.setPen(QPen(colour, 1.5, tool == ToolKind::Sphere ? Qt::DashLine : Qt::SolidLine));
    painter.drawEllipse(m_hoverPos, r * pu, r * pv);
  }
  // A small cross marks the hot spot of every tool.
  painter.setPen(QPen(QColor(255, 255, 255, 220), 1));
  painter.drawLine(m_hoverPos + QPointF(-4, 0), m_hoverPos + QPointF(4, 0));
  painter.drawLine(m_hoverPos + QPointF(0, -4), m_hoverPos + QPointF(0, 4));
}

} // namespace ui
