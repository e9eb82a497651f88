#include "ui/controllers/LazyAnalysisController.h"

#include "core/cluster/SlabAnalysis.h"
#include "core/volume/lazy/ChunkCache.h"
#include "ui/jobs/JobRunner.h"
#include "core/volume/lazy/LazyVolume.h"
#include "ui/model/CursorModel.h"
#include "ui/model/ParticleLayer.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/LazyParticleOverlay.h"
#include "ui/views/SliceView.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace ui {

namespace ca = core::analysis;

struct LazyAnalysisController::Pending {
  core::cluster::SlabAnalysisResult result;
  ca::AnalysisOptions options;
  ca::AnalysisProvenance provenance;
};

LazyAnalysisController::LazyAnalysisController(JobRunner& jobs, ParticleLayer& layer, QObject* parent)
    : QObject(parent), m_lane(&jobs.lane(Lane::Data)), m_layer(layer) {}

LazyAnalysisController::~LazyAnalysisController() {
  if (m_lane) m_lane->abandon(this);
}

QString LazyAnalysisController::defaultCsv(const QString& image) {
  QString path = image;
  while (path.size() > 1 && path.endsWith('/')) path.chop(1);
  if (path.endsWith(QStringLiteral(".zarr"), Qt::CaseInsensitive)) path.chop(5);
  return path + QStringLiteral("-particles.csv");
}

QString LazyAnalysisController::defaultLabels(const QString& image) {
  QString csv = defaultCsv(image);
  csv.chop(4);
  return csv + QStringLiteral(".zarr");
}

void LazyAnalysisController::showLabels(LazyBrowser& browser, CursorModel& cursor, const std::vector<SliceView*>& views,
                                        const ParticleOverlay* style) {
  m_browser = &browser;
  m_cursor = &cursor;
  if (!m_overlay) m_overlay = new LazyParticleOverlay(m_layer, this);
  m_overlay->setStyle(style);
  for (SliceView* v : views) m_overlay->attach(v);
  // Another volume, or an analysis of the in-memory one: these labels no longer apply.
  connect(&browser, &LazyBrowser::openChanged, m_overlay, [this] { m_overlay->setVolume(nullptr); });
  connect(&m_layer, &ParticleLayer::layerChanged, m_overlay, [this] {
    if (!m_layer.isEmpty()) m_overlay->setVolume(nullptr);
  });
  connect(&m_layer, &ParticleLayer::selectionChanged, this, &LazyAnalysisController::followSelection);
}

void LazyAnalysisController::openLabels(const QString& path) {
  if (!m_overlay || !m_browser || !m_browser->isOpen()) return;
  try {
    m_overlay->setVolume(std::shared_ptr<core::volume::LazyVolume>(core::volume::LazyVolume::open(path.toStdString(), m_browser->cache())));
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot open the particle labels %1:\n%2").arg(path, QString::fromStdString(e.what())));
  }
}

void LazyAnalysisController::followSelection(std::uint32_t id) {
  if (!m_overlay || !m_overlay->volume() || !m_cursor || id == 0) return;
  const ca::Table& t = m_layer.table();
  const std::int64_t row = m_layer.rowOf(id);
  if (row < 0) return;
  const core::volume::VolumeInfo info = m_overlay->volume()->levelInfo(0);
  auto at = [&](const char* column, double origin, double spacing, std::int64_t count) {
    const double v = (t.value(row, t.indexOf(column)) - origin) / spacing;
    return std::clamp<std::int64_t>(std::int64_t(std::lround(v)), 0, count - 1);
  };
  m_cursor->setPosition({at("centroid_x", info.origin.x, info.spacing.x, info.size.x),
                         at("centroid_y", info.origin.y, info.spacing.y, info.size.y),
                         at("centroid_z", info.origin.z, info.spacing.z, info.size.z)});
}

bool LazyAnalysisController::run(const QString& image, const QString& cracks, double crackThreshold,
                                 const ca::AnalysisOptions& options, const QString& csv) {
  if (m_running || !m_lane || m_lane->isBusy()) {
    Q_EMIT failed(tr("Cannot start the analysis now: another job is running."));
    return false;
  }
  auto pending = std::make_shared<Pending>();
  pending->options = options;
  pending->provenance = {image.toStdString(), cracks.toStdString() + ", value >= " + std::to_string(int(crackThreshold))};
  core::cluster::SlabAnalysisOptions so;
  so.analysis = options;
  so.crackThreshold = crackThreshold;
  so.halo = m_halo;
  so.slabSlices = m_slabSlices;
  const QString labels = defaultLabels(image);
  so.labelsOut = labels.toStdString();
  if (m_browser && m_browser->isOpen()) so.labelsChunk = m_browser->volume()->blockShape(0); // the image's grid
  const QString title = tr("Particle analysis slab by slab");
  const bool ok = m_lane->start(
      title,
      [pending, so, image = image.toStdString(), cracks = cracks.toStdString(), csv = csv.toStdString()](
          core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) mutable {
        if (so.slabSlices <= 0) {
          // Slabs and their halo within a quarter of the machine's memory (at least one slice).
          const auto info = core::volume::openVolume(image)->info();
          const std::uint64_t slice = std::uint64_t(info.size.x) * std::uint64_t(info.size.y) * core::cluster::kAnalysisBytesPerVoxel;
          const std::int64_t fit = std::int64_t(core::volume::physicalMemory() / 4 / std::max<std::uint64_t>(1, slice)) - 2 * so.halo;
          so.slabSlices = std::max<std::int64_t>(1, fit);
        }
        pending->result = core::cluster::analyzeInSlabs(image, cracks, so, csv, progress, cancel);
      },
      [this, pending, csv, labels](JobState state, const QString& error) {
        m_running = false;
        if (state == JobState::Completed) {
          m_slabs = pending->result.slabs;
          const int n = int(pending->result.particles.rowCount());
          ca::AnalysisResult r;
          r.segmentation.stats.solidThreshold = pending->result.solidThreshold;
          r.segmentation.stats.particleCount = std::uint32_t(n);
          r.particles = std::move(pending->result.particles);
          r.depthProfile = std::move(pending->result.depthProfile);
          m_layer.setResult(std::move(r), pending->options, pending->provenance, nullptr); // the table; labels lazily:
          openLabels(labels);
          Q_EMIT completed(n, csv);
        } else if (state == JobState::Cancelled) {
          Q_EMIT cancelled();
        } else {
          Q_EMIT failed(tr("The analysis failed: %1").arg(error));
        }
      },
      this);
  if (!ok) {
    Q_EMIT failed(tr("Cannot start the analysis now: another job is running."));
    return false;
  }
  m_running = true;
  Q_EMIT started(title);
  return true;
}

void LazyAnalysisController::cancel() {
  if (m_running && m_lane && m_lane->runsFor(this)) m_lane->cancel();
}

} // namespace ui
