#include "ui/controllers/LazyAnalysisController.h"

#include "core/cluster/SlabAnalysis.h"
#include "core/volume/lazy/ChunkCache.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/ParticleLayer.h"

#include <QFileInfo>

#include <algorithm>

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
      [this, pending, csv](JobState state, const QString& error) {
        m_running = false;
        if (state == JobState::Completed) {
          m_slabs = pending->result.slabs;
          const int n = int(pending->result.particles.rowCount());
          ca::AnalysisResult r;
          r.segmentation.stats.solidThreshold = pending->result.solidThreshold;
          r.segmentation.stats.particleCount = std::uint32_t(n);
          r.particles = std::move(pending->result.particles);
          r.depthProfile = std::move(pending->result.depthProfile);
          m_layer.setResult(std::move(r), pending->options, pending->provenance, nullptr); // the table; no labels
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
