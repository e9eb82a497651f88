#include "ui/controllers/EvolutionController.h"

#include "core/analysis/Csv.h"
#include "core/analysis/EvolutionSeeded.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/Session.h"

#include <cmath>
#include <exception>
#include <stdexcept>

namespace ui {

namespace ca = core::analysis;
namespace vol = core::volume;

struct EvolutionController::Pending {
  EvolutionRequest request;
  std::string nameA, crackSourceA;
  vol::Volume cracksA, labelsA; ///< copies; labelsA empty: segment A in the job
  bool segmentA = false;
  ca::AnalysisResult analysisA; ///< when A was segmented here
  ca::EvolutionRun run;
  vol::Volume imageB;           ///< B on A's grid
  vol::VolumeInfo gridA, gridB; ///< A's grid and B's own
  std::int64_t particlesB = 0;  ///< B's particles, segmented with A's as markers
  ca::CsvComments comments;
};

EvolutionController::EvolutionController(Session& session, JobRunner& jobs, ParticleLayer& layer, DisplaySettings& display,
                                         AnalysisController& analysis, QObject* parent)
    : QObject(parent), m_session(session), m_jobs(jobs), m_layer(layer), m_display(display), m_analysis(analysis) {
  connect(&m_session, &Session::datasetAboutToChange, this, &EvolutionController::clear);
  connect(&m_session, &Session::datasetChanged, this, &EvolutionController::clear);
}

EvolutionController::~EvolutionController() { m_jobs.lane(Lane::Data).abandon(this); }

bool EvolutionController::run(const EvolutionRequest& request) {
  if (!m_session.hasImage()) {
    Q_EMIT failed(tr("Open scan A (the first time point) first."));
    return false;
  }
  if (request.pathB.isEmpty()) {
    Q_EMIT failed(tr("Choose the image of scan B (the second time point)."));
    return false;
  }
  if (m_jobs.isBusy()) {
    Q_EMIT failed(tr("Cannot open the second time point now: %1 is still running.").arg(m_jobs.title()));
    return false;
  }
  const bool cracksA = request.crackSourceA != CrackSource::None;
  if (cracksA != !request.cracksB.isEmpty()) {
    Q_EMIT failed(cracksA ? tr("No crack volume for scan B ('%1'): choose one under \"Cracks of B\", or set the crack source "
                               "to none for both time points.")
                                .arg(request.pathB)
                          : tr("No crack volume for scan A ('%1'): set the crack source to the labels or the prediction, "
                               "or clear \"Cracks of B\".")
                                .arg(m_session.name()));
    return false;
  }
  auto pending = std::make_shared<Pending>();
  pending->request = request;
  pending->request.registration.transform = request.affine ? ca::TransformMode::Affine : ca::TransformMode::Auto;
  pending->nameA = m_session.name().toStdString();
  try {
    pending->cracksA = AnalysisController::crackMask(m_session, m_display, request.crackSourceA, pending->crackSourceA);
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot make the crack mask of scan A: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  pending->segmentA = m_layer.isEmpty();
  if (!pending->segmentA) pending->labelsA = m_layer.labels().clone();
  const vol::Volume* image = &m_session.image();
  const bool ok = m_jobs.lane(Lane::Data).start(
      tr("Second time point"),
      [pending, image](core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        Pending& p = *pending;
        const EvolutionRequest& r = p.request;
        const std::string pathB = r.pathB.toStdString();
        progress.setProgress(0.0, "Reading scan B");
        const vol::Volume b = vol::readVolume(pathB);
        p.gridA = image->info();
        p.gridB = b.info();
        vol::Volume cracksB; // as read: evolveSeeded makes the masks on B's grid and on A's
        if (!r.cracksB.isEmpty()) {
          const std::string path = r.cracksB.toStdString();
          cracksB = vol::readVolume(path);
          if (cracksB.size() != b.size())
            throw std::invalid_argument("the crack volume '" + path + "' is not the size of its image '" + pathB + "'");
        }
        cancel.throwIfCancelled();
        // Registered first (a B that does not register fails before any segmentation), once.
        progress.setProgress(0.05, "Registering B onto A");
        const ca::RegistrationResult registration = ca::registerScans(*image, b, r.registration, p.nameA, pathB);
        cancel.throwIfCancelled();
        std::string labelsA = "the studio's particle analysis";
        if (p.segmentA) {
          core::jobs::SubProgress sub(progress, 0.15, 0.4);
          p.analysisA = ca::analyzeVolume(*image, p.cracksA, r.analysis, sub, cancel);
          labelsA = "segmented by cdnet (" + std::to_string(p.analysisA.segmentation.stats.particleCount) + " particles)";
        }
        const vol::Volume& la = p.segmentA ? p.analysisA.segmentation.labels : p.labelsA;
        ca::EvolutionOptions eo;
        eo.statistics = r.analysis.statistics;
        eo.binWidthUm = r.analysis.binWidthUm;
        // Segment B with A's particles as markers and compare: `cdnet evolve`'s sequence, shared.
        core::jobs::SubProgress sub(progress, 0.4, 1.0);
        ca::SeededEvolution s = ca::evolveSeeded({image, &la, p.cracksA.empty() ? nullptr : &p.cracksA}, {&b, &cracksB, {}},
                                                 &registration, r.registration, r.analysis.segmentation, eo, p.nameA, pathB, sub, cancel);
        p.run = std::move(s.run);
        p.imageB = std::move(s.imageB);
        p.particlesB = s.particlesB;
        const std::string crackSourceB = r.cracksB.isEmpty() ? "none" : r.cracksB.toStdString() + " (" + s.crackRuleB + ")";
        p.comments = ca::evolutionComments({p.nameA, pathB, p.crackSourceA, crackSourceB, labelsA, s.labelsSourceB}, *image, b, p.run);
      },
      [this](JobState state, const QString& error) { onFinished(int(state), error); }, this);
  if (!ok) {
    Q_EMIT failed(tr("Cannot open the second time point now: another job is running."));
    return false;
  }
  m_request = pending->request;
  m_pending = std::move(pending);
  m_running = true;
  Q_EMIT started();
  return true;
}

void EvolutionController::cancel() {
  if (m_running && m_jobs.lane(Lane::Data).runsFor(this)) m_jobs.cancel();
}

void EvolutionController::onFinished(int state, const QString& error) {
  m_running = false;
  auto pending = std::move(m_pending);
  switch (JobState(state)) {
  case JobState::Completed: {
    showTimePoint(false);
    if (pending->segmentA) {
      ca::AnalysisProvenance prov;
      prov.source = pending->nameA;
      prov.crackSource = pending->crackSourceA;
      const int rows = int(pending->analysisA.particles.rowCount());
      m_layer.setResult(std::move(pending->analysisA), pending->request.analysis, prov, &m_session.image());
      Q_EMIT m_analysis.completed(rows); // the Statistics panel shows it as a finished run (as ProjectExtras does)
    }
    m_pathB = pending->request.pathB;
    m_growth.clear();
    const ca::Table& t = pending->run.result.particles;
    const int id = t.indexOf("id_a"), matched = t.indexOf("matched"), growth = t.indexOf("crack_fraction_growth");
    for (std::int64_t r = 0; r < t.rowCount(); ++r)
      if (t.value(r, matched) > 0 && std::isfinite(t.value(r, growth))) m_growth[std::uint32_t(t.value(r, id))] = t.value(r, growth);
    m_result = std::move(pending);
    Q_EMIT resultChanged();
    Q_EMIT completed();
    break;
  }
  case JobState::Cancelled:
    Q_EMIT cancelled();
    break;
  default:
    Q_EMIT failed(tr("The second time point failed: %1").arg(error));
    break;
  }
}

const ca::EvolutionRun& EvolutionController::result() const {
  if (!m_result) throw std::logic_error("no evolution result");
  return m_result->run;
}

const EvolutionRequest& EvolutionController::resultRequest() const {
  if (!m_result) throw std::logic_error("no evolution result");
  return m_result->request;
}

const vol::Volume& EvolutionController::imageB() const {
  static const vol::Volume kEmpty;
  return m_result ? m_result->imageB : kEmpty;
}

std::int64_t EvolutionController::matchedCount() const { return m_result ? m_result->run.result.matched : 0; }

std::int64_t EvolutionController::particlesB() const { return m_result ? m_result->particlesB : 0; }

vol::Vec3 EvolutionController::pointInB(const vol::Index3& p) const {
  if (!m_result) return {};
  return m_result->run.registration.indexMap(m_result->gridA, m_result->gridB).apply({double(p.x), double(p.y), double(p.z)});
}

void EvolutionController::showTimePoint(bool b) {
  b = b && m_result;
  if (b == m_showB) return;
  m_showB = b;
  Q_EMIT timePointChanged(b);
}

void EvolutionController::exportCsv(const QString& path) const {
  if (!m_result) throw std::runtime_error("there is no second time point to export");
  ca::writeCsv(m_result->run.result.particles, path.toStdString(), m_result->comments);
}

void EvolutionController::clear() {
  showTimePoint(false);
  if (!m_result && m_pathB.isEmpty()) return;
  m_result.reset();
  m_pathB.clear();
  m_growth.clear();
  Q_EMIT resultChanged();
}

} // namespace ui
