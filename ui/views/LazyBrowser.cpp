#include "ui/views/LazyBrowser.h"

#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/views/LazyOverlay.h"
#include "ui/views/SliceSource.h"
#include "ui/views/SliceView.h"

#include <algorithm>
#include <cmath>

namespace ui {

namespace vol = core::volume;

namespace {

/// A window from the 0.5 % and 99.5 % values of \p v (the look of "Auto" for a loaded image).
std::pair<double, double> windowOf(const vol::Volume& v) {
  std::vector<double> values;
  const std::int64_t n = v.voxelCount(), step = std::max<std::int64_t>(1, n / 200000);
  values.reserve(std::size_t(n / step + 1));
  vol::dispatch(v.type(), [&](auto t) {
    using T = decltype(t);
    const T* p = static_cast<const T*>(v.data());
    for (std::int64_t i = 0; i < n; i += step)
      if (std::isfinite(double(p[i]))) values.push_back(double(p[i]));
  });
  if (values.empty()) return {0, 1};
  std::sort(values.begin(), values.end());
  const double lo = values[std::size_t(0.005 * double(values.size() - 1))];
  const double hi = values[std::size_t(0.995 * double(values.size() - 1))];
  return {lo, hi > lo ? hi : lo + 1};
}

} // namespace

LazyBrowser::LazyBrowser(std::vector<SliceView*> views, Session& session, CursorModel& cursor, DisplaySettings& display,
                         std::shared_ptr<vol::ChunkCache> cache, QObject* parent)
    : QObject(parent), m_views(views.begin(), views.end()), m_session(session), m_cursor(cursor), m_display(display),
      m_cache(std::move(cache)), m_labels(new SparseLabelLayer(this)) {
  connect(&m_session, &Session::datasetAboutToChange, this, &LazyBrowser::close);
  for (SliceView* v : views) connect(v, &SliceView::loadingChanged, this, &LazyBrowser::onViewLoading);
}

LazyBrowser::~LazyBrowser() {
  // Not close(): an owner may delete the session and cursor first (the window closes it before).
  for (const QPointer<SliceView>& v : m_views)
    if (v) v->setSource(nullptr);
  m_sources.clear();
  m_overlay.reset();
  m_volume.reset();
}

void LazyBrowser::open(const std::string& path) {
  vol::LazyOptions options;
  std::shared_ptr<vol::LazyVolume> volume(vol::LazyVolume::open(path, m_cache, options));
  // A first window from the coarsest level when it is small, else from the central block.
  const int coarsest = volume->levels() - 1;
  const vol::VolumeInfo ci = volume->levelInfo(coarsest);
  const vol::Size3 b = volume->blockCount(coarsest);
  const vol::Region sampled = ci.bytes() <= (std::uint64_t(64) << 20)
                                  ? vol::Region::whole(ci.size)
                                  : volume->blockRegion(coarsest, {b.x / 2, b.y / 2, b.z / 2});
  vol::Volume sample;
  try {
    sample = volume->read(coarsest, sampled);
  } catch (const std::runtime_error&) {
    // A damaged chunk: the window comes from the blocks that read (the views mark the others).
    for (const vol::Index3& k : volume->blocksCovering(coarsest, sampled)) {
      try {
        (void)volume->block(coarsest, k);
      } catch (const std::runtime_error&) {
      }
    }
    sample = volume->assemble(coarsest, sampled);
  }
  close();
  m_volume = std::move(volume);
  m_failure.clear();
  try {
    m_labels->open(m_volume, core::labels::sparseLabelPath(path));
  } catch (const std::exception& e) { // the image shows; painting stays off, nothing is overwritten
    Q_EMIT m_labels->failed(tr("Cannot open the labels: %1").arg(QString::fromStdString(e.what())));
  }
  m_overlay = std::make_shared<LazyOverlay>(m_volume->levelInfo(0));
  for (const QPointer<SliceView>& v : m_views) {
    m_sources.push_back(std::make_unique<LazySliceSource>(m_volume));
    m_sources.back()->setLabels(m_labels);
    m_sources.back()->setOverlay(m_overlay);
    connect(m_sources.back().get(), &SliceSource::loadFailed, this, [this](const QString& message) {
      m_failure = message;
      Q_EMIT blockFailed(message);
    });
    if (v) v->setSource(m_sources.back().get());
  }
  m_cursor.setBounds(m_volume->levelInfo(0).size);
  const auto [lo, hi] = windowOf(sample);
  m_display.setRange(lo, hi);
  Q_EMIT openChanged(true);
}

void LazyBrowser::close() {
  if (!m_volume) return;
  for (const QPointer<SliceView>& v : m_views)
    if (v) v->setSource(nullptr);
  m_sources.clear(); // each cancels its view's loads
  m_labels->close();
  m_overlay.reset();
  m_volume.reset();  // joins the workers, drops the blocks
  m_failure.clear();
  if (m_session.hasImage()) m_cursor.setBounds(m_session.image().size());
  else m_cursor.setBounds({});
  onViewLoading();
  Q_EMIT openChanged(false);
}

std::size_t LazyBrowser::pendingBlocks() const {
  std::size_t n = 0;
  for (const auto& s : m_sources) n += s->pendingBlocks();
  return n;
}

void LazyBrowser::onViewLoading() {
  std::size_t n = 0;
  for (const QPointer<SliceView>& v : m_views)
    if (v) n += v->pendingBlocks();
  if (n == m_pending) return;
  m_pending = n;
  Q_EMIT loadingChanged(qulonglong(n));
}

} // namespace ui
