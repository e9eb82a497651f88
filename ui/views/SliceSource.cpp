#include "ui/views/SliceSource.h"

#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/views/LazyOverlay.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>

namespace ui {

namespace vol = core::volume;

namespace {

/// The full-resolution index (from \p start, of \p fullN) sampled by picture voxel \p i of \p n:
/// the one at the picture voxel's centre.
std::int64_t pick(std::int64_t i, std::int64_t n, std::int64_t start, std::int64_t fullN) {
  return start + std::min(fullN - 1, (2 * i + 1) * fullN / (2 * n));
}

/// Picture voxels [i0, i1) of \p n whose sample (pick) lies in full-resolution [a, b).
void pickedRange(std::int64_t a, std::int64_t b, std::int64_t n, std::int64_t start, std::int64_t fullN,
                 std::int64_t& i0, std::int64_t& i1) {
  i0 = n;
  i1 = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t v = pick(i, n, start, fullN);
    if (v >= a && v < b) {
      i0 = std::min(i0, i);
      i1 = i + 1;
    }
  }
}

} // namespace

SessionSliceSource::SessionSliceSource(const Session& session, QObject* parent) : SliceSource(parent), m_session(session) {}

bool SessionSliceSource::hasImage() const { return m_session.hasImage(); }

vol::VolumeInfo SessionSliceSource::imageInfo() const {
  return m_session.hasImage() ? m_session.image().info() : vol::VolumeInfo{};
}

SlicePicture SessionSliceSource::picture(SliceOrientation, std::int64_t slice, const SliceTransform&) {
  SlicePicture p;
  if (!m_session.hasImage()) return p;
  p.image = &m_session.image();
  p.labels = &m_session.labels();
  p.prediction = m_session.prediction();
  p.slice = slice;
  return p;
}

LazySliceSource::LazySliceSource(std::shared_ptr<vol::LazyVolume> volume, QObject* parent)
    : SliceSource(parent), m_volume(std::move(volume)) {
  m_refineTimer.setSingleShot(true);
  connect(&m_refineTimer, &QTimer::timeout, this, &LazySliceSource::blocksArrived);
}

void LazySliceSource::blocksArrived() {
  if (m_pictureComplete) { // nothing to add: a redraw would be a frame for nothing
    m_refineTimer.stop();
    return;
  }
  if (pendingBlocks() > 0 && m_lastRefine.isValid() && m_lastRefine.elapsed() < kRefineMs) {
    if (!m_refineTimer.isActive()) m_refineTimer.start(int(kRefineMs - m_lastRefine.elapsed()));
    return;
  }
  m_refineTimer.stop();
  m_lastRefine.start();
  Q_EMIT changed();
}

LazySliceSource::~LazySliceSource() {
  m_volume->cancel(m_view);
  if (m_overlay) m_overlay->cancel(m_overlayView);
}

void LazySliceSource::setOverlay(std::shared_ptr<LazyOverlay> overlay) {
  if (m_overlay) {
    m_overlay->cancel(m_overlayView);
    disconnect(m_overlay.get(), nullptr, this, nullptr);
  }
  m_overlay = std::move(overlay);
  if (m_overlay) connect(m_overlay.get(), &LazyOverlay::changed, this, &SliceSource::changed);
  Q_EMIT changed();
}

vol::VolumeInfo LazySliceSource::imageInfo() const { return m_volume->levelInfo(0); }

std::size_t LazySliceSource::pendingBlocks() const { return m_volume->pendingBlocks(m_view); }

void LazySliceSource::prefetch(SliceOrientation o, std::int64_t slice, const SliceTransform& view) {
  (void)request(o, slice, view);
}

LazySliceSource::Wanted LazySliceSource::request(SliceOrientation o, std::int64_t slice, const SliceTransform& view) {
  const vol::VolumeInfo info = m_volume->levelInfo(0);
  const SliceAxes ax = sliceAxes(o);
  const double spu = component(info.spacing, ax.u), spv = component(info.spacing, ax.v);
  // The visible part of the slice, in full-resolution voxels.
  auto range = [](double a, double b, double sp, std::int64_t n, std::int64_t& lo, std::int64_t& count) {
    lo = std::clamp<std::int64_t>(voxelIndex(std::min(a, b), sp), 0, n - 1);
    const std::int64_t hi = std::clamp<std::int64_t>(voxelIndex(std::max(a, b), sp) + 1, lo + 1, n);
    count = hi - lo;
  };
  std::int64_t u0 = 0, nu = 0, v0 = 0, nv = 0;
  range(view.planeU(0), view.planeU(view.width), spu, component(info.size, ax.u), u0, nu);
  range(view.planeV(0), view.planeV(view.height), spv, component(info.size, ax.v), v0, nv);
  const std::int64_t s = std::clamp<std::int64_t>(slice, 0, component(info.size, ax.normal) - 1);
  const vol::Region visible = vol::sliceRegion(o, s, u0, v0, nu, nv);
  // The level matching the zoom: about one voxel per device pixel.
  const int level = m_volume->levelForScale(view.scale / std::min(spu, spv));
  const vol::Region wanted = m_volume->mapRegion(visible, 0, level);
  const bool moved = level != m_requestLevel || !(wanted == m_requested);
  // Blocks delivered earlier and evicted since (another view, a small budget) are asked for once
  // more when the last request is done; not again and again when the budget cannot hold them.
  const bool evicted = !moved && !m_retried && m_failed == 0 && pendingBlocks() == 0 &&
                       m_volume->bestAvailableLevel(level, wanted) != level;
  if (moved || evicted) {
    m_pictureComplete = false;
    m_retried = evicted;
    m_requestLevel = level;
    m_requested = wanted;
    m_failed = 0;
    {
      std::lock_guard<std::mutex> lock(m_failMutex);
      m_failedBlocks.clear();
    }
    const vol::LazyAnswer answer = m_volume->request(m_view, level, wanted,
                      [this](const vol::BlockEvent& e) {
                        if (!e.error.empty() && e.error != "cancelled") {
                          ++m_failed;
                          {
                            std::lock_guard<std::mutex> lock(m_failMutex);
                            m_failedBlocks.push_back({e.level, e.region});
                          }
                          const QString message = QString::fromStdString(e.error);
                          QMetaObject::invokeMethod(
                              this, [this, message] { Q_EMIT loadFailed(message); }, Qt::QueuedConnection);
                        }
                        // One queued call at a time: a burst of blocks is one redraw.
                        if (m_notifyQueued.exchange(true)) return;
                        QMetaObject::invokeMethod(
                            this,
                            [this] {
                              m_notifyQueued = false;
                              blocksArrived();
                            },
                            Qt::QueuedConnection);
                      },
                      true);
    // The picture drawn now is the first frame of this request: the next one waits for the
    // refine interval or the last block, so that blocks arriving within a few milliseconds of
    // a jump are one more frame, not one per burst.
    if (!answer.missing.empty()) m_lastRefine.start();
  }
  return {level, wanted, visible};
}

SlicePicture LazySliceSource::picture(SliceOrientation o, std::int64_t slice, const SliceTransform& view) {
  const auto [level, wanted, visible] = request(o, slice, view);
  // Nothing of this request still loading: no later block can improve this picture (what was
  // evicted under a small budget was asked for once more by request()).
  m_pictureFinal = pendingBlocks() == 0;
  const vol::VolumeInfo info = m_volume->levelInfo(0);
  const SliceAxes ax = sliceAxes(o);
  const double spu = component(info.spacing, ax.u), spv = component(info.spacing, ax.v);
  const int best = m_volume->bestAvailableLevel(level, wanted);
  const int drawn = best >= 0 ? best : level; // nothing complete yet: what there is of the wanted level
  m_pictureComplete = best == level && pendingBlocks() == 0;
  // Blocks that arrived since request() may have completed it: then blocksArrived() redraws
  // nothing, and this picture is the last one.
  m_pictureFinal = m_pictureFinal || m_pictureComplete;
  const vol::Region part = m_volume->mapRegion(wanted, level, drawn);
  m_picture = m_volume->assemble(drawn, part);
  const vol::VolumeInfo li = m_volume->levelInfo(drawn);
  SlicePicture p;
  p.image = &m_picture;
  p.level = drawn;
  // The picture's slice is its only one; its corner sits at the part's start on the plane.
  p.slice = 0;
  p.offsetU = double(component(part.start, ax.u)) * component(li.spacing, ax.u);
  p.offsetV = double(component(part.start, ax.v)) * component(li.spacing, ax.v);
  // Blocks that failed to load and cross this slice: marked as missing on top of what is drawn.
  std::lock_guard<std::mutex> lock(m_failMutex);
  for (const FailedBlock& f : m_failedBlocks) {
    const vol::Region here = m_volume->mapRegion(visible, 0, f.level);
    const std::int64_t n = component(here.start, ax.normal);
    if (n < component(f.region.start, ax.normal) || n >= component(f.region.end(), ax.normal)) continue;
    const vol::VolumeInfo fi = m_volume->levelInfo(f.level);
    const double su = component(fi.spacing, ax.u), sv = component(fi.spacing, ax.v);
    const double endU = double(component(info.size, ax.u)) * spu, endV = double(component(info.size, ax.v)) * spv;
    p.missing.push_back({double(component(f.region.start, ax.u)) * su, double(component(f.region.start, ax.v)) * sv,
                         std::min(endU, double(component(f.region.end(), ax.u)) * su),
                         std::min(endV, double(component(f.region.end(), ax.v)) * sv)});
  }
  composeLabels(p, drawn, part);
  if (m_overlay) {
    m_overlayPicture = m_overlay->compose(o, drawn, li, part, m_overlayView);
    if (!m_overlayPicture.empty()) p.prediction = &m_overlayPicture;
  }
  m_last = p;
  return p;
}

bool LazySliceSource::refreshLabels(const vol::Region& region, SlicePicture& picture) {
  const core::labels::SparseLabels* labels = m_labels ? m_labels->labels() : nullptr;
  if (!labels || !m_last.image || labels->size() != m_volume->levelInfo(0).size || m_picture.empty() ||
      (m_last.level == 0 && !(m_picture.size() == m_shownFull.size)))
    return false;
  const vol::Region r = core::labels::intersect(region, m_shownFull);
  try {
    if (!m_last.labels) { // nothing was painted here before: an empty layer on the picture's grid
      vol::VolumeInfo info = m_picture.info();
      info.type = vol::VoxelType::UInt8;
      m_labelPicture = vol::Volume(info);
      m_last.labels = &m_labelPicture;
    }
    if (!r.empty() && m_last.level > 0) {
      // A coarser level: the picture voxels whose sample lies in r, as composeLabels picks them.
      const vol::Region& full = m_shownFull;
      const vol::Size3 n = m_picture.size();
      std::int64_t x0, x1, y0, y1, z0, z1;
      pickedRange(r.start.x, r.end().x, n.x, full.start.x, full.size.x, x0, x1);
      pickedRange(r.start.y, r.end().y, n.y, full.start.y, full.size.y, y0, y1);
      pickedRange(r.start.z, r.end().z, n.z, full.start.z, full.size.z, z0, z1);
      if (x0 < x1) {
        const std::int64_t fx0 = pick(x0, n.x, full.start.x, full.size.x);
        const std::int64_t fx1 = pick(x1 - 1, n.x, full.start.x, full.size.x) + 1;
        std::vector<std::uint8_t> row(std::size_t(fx1 - fx0));
        for (std::int64_t z = z0; z < z1; ++z)
          for (std::int64_t y = y0; y < y1; ++y) {
            labels->read({{fx0, pick(y, n.y, full.start.y, full.size.y), pick(z, n.z, full.start.z, full.size.z)},
                          {fx1 - fx0, 1, 1}},
                         row.data());
            std::uint8_t* out = m_labelPicture.as<std::uint8_t>() + m_labelPicture.index(0, y, z);
            for (std::int64_t x = x0; x < x1; ++x) out[x] = row[std::size_t(pick(x, n.x, full.start.x, full.size.x) - fx0)];
          }
      }
    } else if (!r.empty()) {
      const vol::Volume part = labels->read(r);
      const std::uint8_t* src = part.as<std::uint8_t>();
      const vol::Index3 at{r.start.x - m_shownFull.start.x, r.start.y - m_shownFull.start.y,
                           r.start.z - m_shownFull.start.z};
      for (std::int64_t z = 0; z < r.size.z; ++z)
        for (std::int64_t y = 0; y < r.size.y; ++y)
          std::copy_n(src + part.index(0, y, z), r.size.x, m_labelPicture.as<std::uint8_t>() + m_labelPicture.index(at.x, at.y + y, at.z + z));
    }
  } catch (const std::exception& e) {
    m_labels->reportReadError(e.what());
    return false;
  }
  picture = m_last;
  return true;
}

void LazySliceSource::setLabels(SparseLabelLayer* labels) {
  if (m_labels) disconnect(m_labels, nullptr, this, nullptr);
  m_labels = labels;
  if (!m_labels) return;
  connect(m_labels, &SparseLabelLayer::labelsChanged, this, [this](const vol::Region& r) {
    const vol::Region hit = core::labels::intersect(r, m_shownFull);
    if (hit.empty()) return;
    if (m_last.image) Q_EMIT labelsChanged(hit); // only these voxels: refreshLabels()
    else Q_EMIT changed();
  });
  connect(m_labels, &SparseLabelLayer::openChanged, this, &SliceSource::changed);
}

void LazySliceSource::composeLabels(SlicePicture& p, int drawn, const vol::Region& part) {
  const core::labels::SparseLabels* labels = m_labels ? m_labels->labels() : nullptr;
  const vol::Size3 size = m_volume->levelInfo(0).size;
  const vol::Region full = m_volume->mapRegion(part, drawn, 0).clippedTo(size);
  m_shownFull = full;
  if (!labels || labels->size() != size || !labels->anyChunkIn(full)) return;
  vol::VolumeInfo info = m_picture.info();
  info.type = vol::VoxelType::UInt8;
  try {
    if (full == part) {
      m_labelPicture = labels->read(full);
      m_labelPicture.setSpacing(info.spacing);
      m_labelPicture.setOrigin(info.origin);
    } else {
      // A coarser level: the label of the full-resolution voxel at each picture voxel's centre.
      m_labelPicture = vol::Volume(info);
      std::uint8_t* out = m_labelPicture.as<std::uint8_t>();
      const vol::Size3 n = part.size;
      std::vector<std::uint8_t> row(std::size_t(full.size.x));
      for (std::int64_t z = 0; z < n.z; ++z)
        for (std::int64_t y = 0; y < n.y; ++y) { // one full-resolution row per picture row
          const vol::Region r{{full.start.x, pick(y, n.y, full.start.y, full.size.y), pick(z, n.z, full.start.z, full.size.z)},
                              {full.size.x, 1, 1}};
          labels->read(r, row.data());
          for (std::int64_t x = 0; x < n.x; ++x) *out++ = row[std::size_t(pick(x, n.x, 0, full.size.x))];
        }
    }
    p.labels = &m_labelPicture;
  } catch (const std::exception& e) {
    m_labels->reportReadError(e.what()); // a damaged chunk: the picture shows no labels
  }
}

} // namespace ui
