#include "ui/model/ParticleLayer.h"

#include "core/analysis/Summaries.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/jobs/JobRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ui {

namespace vol = core::volume;
namespace ca = core::analysis;

struct ParticleLayer::Measured {
  ca::Table table, profile;
  double seconds = 0;
};

ParticleLayer::ParticleLayer(QObject* parent) : QObject(parent) {}
ParticleLayer::~ParticleLayer() {
  if (m_jobs) m_jobs->lane(Lane::Data).abandon(this); // the worker reads our labels
}

void ParticleLayer::setJobRunner(JobRunner* jobs, std::int64_t asyncVoxels) {
  m_jobs = jobs;
  m_asyncVoxels = asyncVoxels;
}

void ParticleLayer::setResult(ca::AnalysisResult&& result, const ca::AnalysisOptions& options,
                              const ca::AnalysisProvenance& provenance, const vol::Volume* image) {
  m_labels = std::move(result.segmentation.labels);
  m_phases = std::move(result.segmentation.phases);
  m_stats = result.segmentation.stats;
  m_table = std::move(result.particles);
  m_profile = std::move(result.depthProfile);
  m_options = options;
  m_provenance = provenance;
  m_image = image;
  m_corrections.clear();
  m_selected = 0;
  ++m_generation;
  Q_EMIT tableChanged();
  Q_EMIT layerChanged(vol::Region::whole(m_labels.size()));
  Q_EMIT selectionChanged(0);
  Q_EMIT undoStateChanged();
}

void ParticleLayer::clear() {
  if (isEmpty() && !m_corrections.canUndo() && !m_corrections.canRedo()) return;
  const vol::Size3 size = m_labels.size();
  m_labels = vol::Volume();
  m_phases = vol::Volume();
  m_table = ca::Table();
  m_profile = ca::Table();
  m_image = nullptr;
  m_corrections.clear();
  m_selected = 0;
  ++m_generation;
  Q_EMIT tableChanged();
  Q_EMIT layerChanged(vol::Region::whole(size));
  Q_EMIT selectionChanged(0);
  Q_EMIT undoStateChanged();
}

std::int64_t ParticleLayer::rowOf(std::uint32_t id) const {
  const int c = m_table.indexOf("id");
  if (c < 0 || id == 0) return -1;
  const auto& v = m_table.column(c).values;
  const auto it = std::lower_bound(v.begin(), v.end(), double(id));
  return it != v.end() && *it == double(id) ? std::int64_t(it - v.begin()) : -1;
}

bool ParticleLayer::centroidVoxel(std::uint32_t id, vol::Index3& voxel) const {
  const std::int64_t row = rowOf(id);
  if (row < 0 || m_labels.empty()) return false; // a table without labels (a slab analysis)
  const vol::Vec3 o = m_labels.origin(), s = m_labels.spacing();
  const vol::Size3 n = m_labels.size();
  auto at = [&](const char* name, double origin, double spacing, std::int64_t count) {
    const double v = (m_table.value(row, m_table.indexOf(name)) - origin) / spacing;
    return std::clamp<std::int64_t>(std::int64_t(std::lround(v)), 0, count - 1);
  };
  voxel = {at("centroid_x", o.x, s.x, n.x), at("centroid_y", o.y, s.y, n.y), at("centroid_z", o.z, s.z, n.z)};
  return true;
}

vol::Region ParticleLayer::boundingBox(std::uint32_t id) const {
  return ca::ParticleCorrections::boundingBox(m_labels, id);
}

void ParticleLayer::setSelected(std::uint32_t id) {
  if (id == m_selected) return;
  m_selected = id;
  Q_EMIT selectionChanged(id);
}

bool ParticleLayer::changed(const vol::Region& region, bool dropGoneSelection) {
  if (region.empty()) return false;
  remeasure();
  ++m_generation;
  if (dropGoneSelection && rowOf(m_selected) < 0) setSelected(0);
  Q_EMIT layerChanged(region);
  Q_EMIT undoStateChanged();
  return true;
}

bool ParticleLayer::mergeParticles(std::uint32_t kept, std::uint32_t absorbed) {
  if (m_measuring || kept == absorbed || rowOf(kept) < 0 || rowOf(absorbed) < 0) return false;
  const bool ok = changed(m_corrections.merge(m_labels, kept, absorbed,
                                              tr("Merge particles %1 and %2").arg(kept).arg(absorbed).toStdString()),
                          false);
  if (ok && m_selected == absorbed) setSelected(kept);
  return ok;
}

bool ParticleLayer::deleteParticle(std::uint32_t id) {
  if (m_measuring || rowOf(id) < 0) return false;
  const bool ok = changed(m_corrections.remove(m_labels, id, tr("Delete particle %1").arg(id).toStdString()), false);
  if (ok && m_selected == id) setSelected(0);
  return ok;
}

std::uint32_t ParticleLayer::splitParticle(std::uint32_t id) {
  if (m_measuring || rowOf(id) < 0) return 0;
  std::uint32_t newId = 0;
  for (double v : m_table.column("id").values) newId = std::max(newId, std::uint32_t(v));
  ++newId;
  const std::string name = tr("Split particle %1").arg(id).toStdString();
  return changed(m_corrections.split(m_labels, id, newId, name), false) ? newId : 0;
}

QString ParticleLayer::undoText() const {
  return canUndo() ? QString::fromStdString(m_corrections.undoName()) : QString();
}
QString ParticleLayer::redoText() const {
  return canRedo() ? QString::fromStdString(m_corrections.redoName()) : QString();
}

void ParticleLayer::undo() {
  if (canUndo()) changed(m_corrections.undo(m_labels), true);
}

void ParticleLayer::redo() {
  if (canRedo()) changed(m_corrections.redo(m_labels), true);
}

void ParticleLayer::remeasure() {
  if (!m_image) return;
  if (m_jobs && m_labels.voxelCount() >= m_asyncVoxels && !m_jobs->isBusy()) {
    auto measured = std::make_shared<Measured>();
    const vol::Volume *image = m_image, *labels = &m_labels, *phases = &m_phases;
    const ca::AnalysisOptions options = m_options;
    // The worker reads the labels; corrections are refused until it is done.
    const auto work = [=](core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
      QElapsedTimer t;
      t.start();
      measured->table = ca::measureParticles(*image, *labels, *phases, options.statistics, progress, cancel);
      measured->profile = ca::depthProfile(measured->table, options.binWidthUm);
      measured->seconds = double(t.nsecsElapsed()) * 1e-9;
    };
    const auto finish = [this, measured](JobState state, const QString&) {
      m_measuring = false;
      if (state == JobState::Completed) {
        m_table = std::move(measured->table);
        m_profile = std::move(measured->profile);
        m_measureSeconds = measured->seconds;
      }
      if (rowOf(m_selected) < 0) setSelected(0);
      Q_EMIT tableChanged();
      Q_EMIT undoStateChanged();
    };
    m_measuring = m_jobs->lane(Lane::Data).start(tr("Re-measuring particles"), work, finish, this);
    if (m_measuring) return;
  }
  QElapsedTimer timer;
  timer.start();
  m_table = ca::measureParticles(*m_image, m_labels, m_phases, m_options.statistics);
  m_profile = ca::depthProfile(m_table, m_options.binWidthUm);
  m_measureSeconds = double(timer.nsecsElapsed()) * 1e-9;
  Q_EMIT tableChanged();
}

void ParticleLayer::saveLabels(const QString& path) const {
  if (isEmpty()) throw std::runtime_error("there are no particle labels to save (run the analysis first)");
  vol::writeVolume(m_labels, path.toStdString());
}

QString ParticleLayer::depthProfilePath(const QString& path) {
  const QFileInfo fi(path);
  return fi.dir().filePath(fi.completeBaseName() + QStringLiteral("_depth.csv"));
}

void ParticleLayer::exportCsv(const QString& path) const {
  if (isEmpty() || !m_image) throw std::runtime_error("there is no particle table to export (run the analysis first)");
  ca::AnalysisResult forComments;
  forComments.segmentation.stats = m_stats;
  forComments.segmentation.stats.particleCount = std::uint32_t(m_table.rowCount());
  auto comments = ca::analysisComments(forComments, m_options, m_provenance, *m_image);
  if (m_corrections.canUndo() || m_corrections.canRedo())
    comments.emplace_back("corrections", std::to_string(m_corrections.undoCount()) + " manual edits in the studio");
  ca::writeCsv(m_table, path.toStdString(), comments);
  ca::writeCsv(m_profile, depthProfilePath(path).toStdString(), comments);
}

} // namespace ui
