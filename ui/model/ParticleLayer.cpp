#include "ui/model/ParticleLayer.h"

#include "core/analysis/Summaries.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/jobs/JobRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <array>
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
  m_steps.clear();
  m_undoCount = 0;
  m_selected = 0;
  ++m_generation;
  Q_EMIT tableChanged();
  Q_EMIT layerChanged(vol::Region::whole(m_labels.size()));
  Q_EMIT selectionChanged(0);
  Q_EMIT undoStateChanged();
}

void ParticleLayer::clear() {
  if (isEmpty() && m_steps.empty()) return;
  const vol::Size3 size = m_labels.size();
  m_labels = vol::Volume();
  m_phases = vol::Volume();
  m_table = ca::Table();
  m_profile = ca::Table();
  m_image = nullptr;
  m_steps.clear();
  m_undoCount = 0;
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
  if (row < 0) return false;
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
  if (isEmpty() || id == 0) return {};
  const vol::Size3 n = m_labels.size();
  const std::uint32_t* p = m_labels.as<std::uint32_t>();
  vol::Index3 lo{n.x, n.y, n.z}, hi{-1, -1, -1};
  for (std::int64_t z = 0; z < n.z; ++z)
    for (std::int64_t y = 0; y < n.y; ++y) {
      const std::uint32_t* row = p + m_labels.index(0, y, z);
      for (std::int64_t x = 0; x < n.x; ++x)
        if (row[x] == id) {
          lo = {std::min(lo.x, x), std::min(lo.y, y), std::min(lo.z, z)};
          hi = {std::max(hi.x, x), std::max(hi.y, y), std::max(hi.z, z)};
        }
    }
  if (hi.x < 0) return {};
  return {lo, {hi.x - lo.x + 1, hi.y - lo.y + 1, hi.z - lo.z + 1}};
}

void ParticleLayer::setSelected(std::uint32_t id) {
  if (id == m_selected) return;
  m_selected = id;
  Q_EMIT selectionChanged(id);
}

template <class F> bool ParticleLayer::edit(const QString& name, const vol::Region& region, F change) {
  if (region.empty() || m_measuring) return false;
  Step step{name, region, m_labels.crop(region), {}};
  // change(x, y, z, value) -> new value, over the region only.
  std::uint32_t* p = m_labels.as<std::uint32_t>();
  const vol::Index3 e = region.end();
  for (std::int64_t z = region.start.z; z < e.z; ++z)
    for (std::int64_t y = region.start.y; y < e.y; ++y)
      for (std::int64_t x = region.start.x; x < e.x; ++x) {
        std::uint32_t& v = p[m_labels.index(x, y, z)];
        v = change(x, y, z, v);
      }
  step.after = m_labels.crop(region);
  m_steps.resize(m_undoCount);
  m_steps.push_back(std::move(step));
  m_undoCount = m_steps.size();
  constexpr std::size_t kMaxSteps = 64;
  if (m_steps.size() > kMaxSteps) {
    m_steps.erase(m_steps.begin());
    m_undoCount = m_steps.size();
  }
  remeasure();
  ++m_generation;
  Q_EMIT layerChanged(region);
  Q_EMIT undoStateChanged();
  return true;
}

bool ParticleLayer::mergeParticles(std::uint32_t kept, std::uint32_t absorbed) {
  if (kept == absorbed || rowOf(kept) < 0 || rowOf(absorbed) < 0) return false;
  const bool ok = edit(tr("Merge particles %1 and %2").arg(kept).arg(absorbed), boundingBox(absorbed),
                       [&](std::int64_t, std::int64_t, std::int64_t, std::uint32_t v) { return v == absorbed ? kept : v; });
  if (ok && m_selected == absorbed) setSelected(kept);
  return ok;
}

bool ParticleLayer::deleteParticle(std::uint32_t id) {
  if (rowOf(id) < 0) return false;
  const bool ok = edit(tr("Delete particle %1").arg(id), boundingBox(id),
                       [&](std::int64_t, std::int64_t, std::int64_t, std::uint32_t v) { return v == id ? 0u : v; });
  if (ok && m_selected == id) setSelected(0);
  return ok;
}

std::uint32_t ParticleLayer::splitParticle(std::uint32_t id) {
  if (rowOf(id) < 0) return 0;
  const vol::Region box = boundingBox(id);
  // Centroid and covariance in micrometres, then the longest principal axis by power iteration.
  const vol::Vec3 s = m_labels.spacing();
  const std::uint32_t* p = m_labels.as<std::uint32_t>();
  double n = 0, mx = 0, my = 0, mz = 0;
  std::array<double, 6> m2{}; // xx yy zz xy xz yz
  const vol::Index3 e = box.end();
  for (std::int64_t z = box.start.z; z < e.z; ++z)
    for (std::int64_t y = box.start.y; y < e.y; ++y)
      for (std::int64_t x = box.start.x; x < e.x; ++x)
        if (p[m_labels.index(x, y, z)] == id) {
          const double X = double(x) * s.x, Y = double(y) * s.y, Z = double(z) * s.z;
          n += 1, mx += X, my += Y, mz += Z;
          m2[0] += X * X, m2[1] += Y * Y, m2[2] += Z * Z, m2[3] += X * Y, m2[4] += X * Z, m2[5] += Y * Z;
        }
  if (n < 2) return 0;
  mx /= n, my /= n, mz /= n;
  const double cxx = m2[0] / n - mx * mx, cyy = m2[1] / n - my * my, czz = m2[2] / n - mz * mz;
  const double cxy = m2[3] / n - mx * my, cxz = m2[4] / n - mx * mz, cyz = m2[5] / n - my * mz;
  std::array<double, 3> a{1, 0.7, 0.4};
  for (int it = 0; it < 100; ++it) {
    const std::array<double, 3> b{cxx * a[0] + cxy * a[1] + cxz * a[2], cxy * a[0] + cyy * a[1] + cyz * a[2],
                                  cxz * a[0] + cyz * a[1] + czz * a[2]};
    const double len = std::sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    if (!(len > 0)) break;
    a = {b[0] / len, b[1] / len, b[2] / len};
  }
  std::uint32_t newId = 0;
  for (double v : m_table.column("id").values) newId = std::max(newId, std::uint32_t(v));
  ++newId;
  const bool ok = edit(tr("Split particle %1").arg(id), box, [&](std::int64_t x, std::int64_t y, std::int64_t z, std::uint32_t v) {
    if (v != id) return v;
    const double d = (double(x) * s.x - mx) * a[0] + (double(y) * s.y - my) * a[1] + (double(z) * s.z - mz) * a[2];
    return d > 0 ? newId : v;
  });
  return ok ? newId : 0;
}

QString ParticleLayer::undoText() const { return canUndo() ? m_steps[m_undoCount - 1].name : QString(); }
QString ParticleLayer::redoText() const { return canRedo() ? m_steps[m_undoCount].name : QString(); }

void ParticleLayer::undo() {
  if (!canUndo()) return;
  const Step& step = m_steps[--m_undoCount];
  m_labels.paste(step.before, step.region.start);
  remeasure();
  ++m_generation;
  if (rowOf(m_selected) < 0) setSelected(0);
  Q_EMIT layerChanged(step.region);
  Q_EMIT undoStateChanged();
}

void ParticleLayer::redo() {
  if (!canRedo()) return;
  const Step& step = m_steps[m_undoCount++];
  m_labels.paste(step.after, step.region.start);
  remeasure();
  ++m_generation;
  if (rowOf(m_selected) < 0) setSelected(0);
  Q_EMIT layerChanged(step.region);
  Q_EMIT undoStateChanged();
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
  if (!m_steps.empty()) comments.emplace_back("corrections", std::to_string(m_undoCount) + " manual edits in the studio");
  ca::writeCsv(m_table, path.toStdString(), comments);
  ca::writeCsv(m_profile, depthProfilePath(path).toStdString(), comments);
}

} // namespace ui
