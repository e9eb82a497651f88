#include "ui/controllers/PredictionController.h"

#include "ui/jobs/JobRunner.h"
#include "ui/model/Session.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <mutex>

namespace ui {

struct PredictionController::Shared {
  std::atomic<int> tilesAfterCancel{0};
};

PredictionController::PredictionController(Session& session, JobRunner& jobs, QObject* parent)
    : QObject(parent), m_session(session), m_lane(&jobs.lane(Lane::Prediction)) {
  connect(m_lane, &JobLane::progressed, this, [this](double fraction, const QString& stage) {
    if (m_running) Q_EMIT progressed(fraction, stage);
  });
  connect(&m_session, &Session::datasetAboutToChange, this, [this] {
    m_shared.reset(); // slices still queued for the old dataset, and the job's end, are dropped
    cancel();
    wait();
    m_suggestWhenDone = false;
  });
  connect(&m_session, &Session::datasetChanged, this, &PredictionController::onDatasetChanged);
  onDatasetChanged();
}

PredictionController::~PredictionController() {
  if (m_lane) m_lane->abandon(this);
}

void PredictionController::setModel(const core::ml::Model& model, const QString& checkpoint) {
  m_model = model;
  m_checkpoint = checkpoint;
  ++m_modelGeneration;
  m_stale = m_predicted; // whatever was predicted is now from an earlier model
  Q_EMIT modelChanged();
}

bool PredictionController::loadModel(const QString& path) {
  try {
    core::ml::LoadOptions lo;
    auto model = core::ml::Model::load(path.toStdString(), lo);
    const QString checkpoint =
        model.kind() == core::ml::ModelKind::Native ? QString::fromStdString(model.source()) : QString();
    setModel(model, checkpoint);
    return true;
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot load the model %1:\n%2").arg(path, QString::fromStdString(e.what())));
    return false;
  }
}

void PredictionController::onDatasetChanged() {
  const auto z = m_session.hasImage() ? std::size_t(m_session.image().size().z) : 0;
  // A dataset that brings its own prediction layer counts as predicted everywhere.
  m_predicted.assign(z, m_session.prediction() != nullptr);
  m_stale.assign(z, false);
  m_suggested.clear();
}

std::int64_t PredictionController::staleSlices() const { return std::count(m_stale.begin(), m_stale.end(), true); }

PredictionTally PredictionController::tally(double threshold) const {
  PredictionTally t;
  const core::volume::Volume* p = m_session.prediction();
  if (!p) return t;
  const auto size = p->size();
  const std::int64_t plane = size.x * size.y;
  // The uint8 layer holds probability x 255: the smallest byte at or above the threshold.
  const int byte = int(std::ceil(threshold * 255.0 - 1e-9));
  for (std::size_t z = 0; z < m_predicted.size() && std::int64_t(z) < size.z; ++z) {
    if (!m_predicted[z]) continue;
    ++t.slices;
    t.voxels += plane;
    if (p->type() == core::volume::VoxelType::UInt8) {
      const std::uint8_t* s = p->slicePtr(std::int64_t(z));
      t.above += std::count_if(s, s + plane, [byte](std::uint8_t v) { return int(v) >= byte; });
    } else {
      for (std::int64_t y = 0; y < size.y; ++y)
        for (std::int64_t x = 0; x < size.x; ++x) t.above += p->valueAt(x, y, std::int64_t(z)) >= threshold;
    }
  }
  return t;
}

bool PredictionController::predictSlices(std::vector<std::int64_t> slices, const QString& title) {
  return startJob(std::move(slices), title, false);
}

bool PredictionController::startJob(std::vector<std::int64_t> slices, const QString& title, bool triPlanar) {
  if (m_running || !m_lane || m_lane->isBusy()) {
    Q_EMIT failed(tr("A prediction is already running."));
    return false;
  }
  if (m_model.empty()) {
    Q_EMIT failed(tr("No model: train one, or load a checkpoint or a TorchScript U-Net."));
    return false;
  }
  if (!m_session.hasImage()) {
    Q_EMIT failed(tr("No volume is open."));
    return false;
  }
  const std::int64_t depth = m_session.image().size().z;
  const int k = m_model.options().contextSlices;
  if (k > 0 && depth < 2 * std::int64_t(k) + 1) {
    Q_EMIT failed(tr("This volume has %n slice(s), too few for the current model, a 2.5D model that sees %1 neighbour "
                     "slice(s) above and below: it needs at least %2. Use a 2D model for it.",
                     nullptr, int(depth))
                      .arg(k)
                      .arg(2 * k + 1));
    return false;
  }
  slices.erase(std::remove_if(slices.begin(), slices.end(), [depth](std::int64_t z) { return z < 0 || z >= depth; }),
               slices.end());
  std::sort(slices.begin(), slices.end());
  slices.erase(std::unique(slices.begin(), slices.end()), slices.end());
  if (slices.empty()) {
    Q_EMIT failed(tr("No slice to predict."));
    return false;
  }
  auto shared = std::make_shared<Shared>();
  m_shared = shared;
  m_running = true;
  Q_EMIT started(title);
  const core::volume::Volume* image = &m_session.image(); // read-only; a new dataset waits for us
  core::ml::PredictOptions options = m_options;
  // Tri-planar fusion reslices the whole range along XZ and YZ: only for the whole volume (one
  // range, predicted at once); a single slice or a few are predicted in their XY plane.
  options.triPlanar = triPlanar;
  m_lane->start(
      title,
      [this, shared, slices, image, model = m_model, options, generation = m_modelGeneration](
          core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        // The lane's progress, for this job's share of slices and its own stage text.
        struct Sink final : core::jobs::ProgressSink {
          core::jobs::ProgressSink* lane = nullptr;
          core::jobs::CancelToken* cancel = nullptr;
          Shared* shared = nullptr;
          double begin = 0, span = 1;
          std::string label;
          void setProgress(double f, const std::string&) override {
            if (cancel->isCancelled()) shared->tilesAfterCancel.fetch_add(1);
            lane->setProgress(std::min(0.99, begin + span * f), label);
          }
        } sink;
        sink.lane = &progress;
        sink.cancel = &cancel;
        sink.shared = shared.get();
        core::ml::Predictor predictor(model, options);
        const std::size_t plane = std::size_t(image->size().x * image->size().y);
        // Hands slice \p index of \p p (slice z of the volume) to the GUI thread. The controller
        // outlives the job (its destructor abandons it, which joins the worker).
        const auto handOver = [&](const core::volume::Volume& p, std::int64_t index, std::int64_t z) {
          auto bytes = std::make_shared<std::vector<std::uint8_t>>(plane);
          const float* src = p.as<float>() + std::size_t(index) * plane;
          for (std::size_t k = 0; k < plane; ++k)
            (*bytes)[k] = std::uint8_t(std::lround(std::clamp(src[k], 0.0f, 1.0f) * 255.0f));
          QMetaObject::invokeMethod(this, [this, shared, z, bytes, generation] {
            if (shared == m_shared) onSliceDone(z, bytes, generation);
          }, Qt::QueuedConnection);
        };
        if (options.triPlanar) {
          // One contiguous range (the whole volume): XY, XZ and YZ predictions averaged.
          sink.label = tr("Predicting slices %1 to %2 in XY, XZ and YZ (tri-planar)")
                           .arg(slices.front())
                           .arg(slices.back())
                           .toStdString();
          const core::volume::Volume p = predictor.predict(*image, slices.front(), slices.back() + 1, sink, cancel);
          for (std::size_t i = 0; i < slices.size(); ++i) handOver(p, std::int64_t(i), slices[i]);
        } else {
          for (std::size_t i = 0; i < slices.size(); ++i) {
            cancel.throwIfCancelled();
            const std::int64_t z = slices[i];
            sink.begin = double(i) / double(slices.size());
            sink.span = 1.0 / double(slices.size());
            sink.label = tr("Predicting slice %1 (%2 of %3)").arg(z).arg(i + 1).arg(slices.size()).toStdString();
            // A 2.5D model reads slice z's neighbours from the whole image (mirrored at its ends).
            handOver(predictor.predict(*image, z, z + 1, sink, cancel), 0, z);
          }
        }
      },
      [this, shared](JobState state, const QString& error) {
        m_running = false;
        if (shared == m_shared) onWorkerEnded(state == JobState::Cancelled, state == JobState::Failed ? error : QString());
      },
      this);
  return true;
}

bool PredictionController::predictVolume() {
  if (!m_session.hasImage()) return predictSlices({}, QString());
  std::vector<std::int64_t> all(std::size_t(m_session.image().size().z));
  for (std::size_t z = 0; z < all.size(); ++z) all[z] = std::int64_t(z);
  return startJob(std::move(all), m_options.triPlanar ? tr("Predict the whole volume (tri-planar)") : tr("Predict the whole volume"),
                  m_options.triPlanar);
}

void PredictionController::onSliceDone(std::int64_t z, const std::shared_ptr<std::vector<std::uint8_t>>& probabilities,
                                       std::uint64_t generation) {
  if (!m_session.hasImage()) return;
  const auto size = m_session.image().size();
  if (!m_session.predictionForWriting()) {
    core::volume::Volume layer(size, core::volume::VoxelType::UInt8, m_session.image().spacing(), m_session.image().origin());
    m_predicted.assign(std::size_t(size.z), false);
    m_stale.assign(std::size_t(size.z), false);
    m_session.setPrediction(std::move(layer));
  }
  core::volume::Volume* layer = m_session.predictionForWriting();
  std::copy(probabilities->begin(), probabilities->end(), layer->slicePtr(z));
  if (std::size_t(z) < m_predicted.size()) {
    m_predicted[std::size_t(z)] = true;
    m_stale[std::size_t(z)] = generation != m_modelGeneration; // the model changed while predicting
  }
  m_session.notifyPredictionChanged(core::volume::Region::slab(size, z, z + 1));
  Q_EMIT sliceFinished(z);
}

void PredictionController::onWorkerEnded(bool cancelled, const QString& error) {
  if (!error.isEmpty()) {
    m_suggestWhenDone = false;
    Q_EMIT failed(tr("Prediction failed: %1").arg(error));
    return;
  }
  Q_EMIT finished(cancelled);
  if (m_suggestWhenDone) {
    m_suggestWhenDone = false;
    if (!cancelled) emitSuggestion();
  }
}

void PredictionController::cancel() {
  if (m_running && m_lane && m_lane->runsFor(this)) m_lane->cancel();
}

void PredictionController::wait() {
  if (m_lane && m_lane->runsFor(this)) m_lane->wait(); // ends the job here (its end is dropped after a dataset change)
  m_running = false;
}

int PredictionController::tilesAfterCancel() const { return m_shared ? m_shared->tilesAfterCancel.load() : 0; }

SliceRanking PredictionController::uncertaintyRanking(std::size_t count) const {
  const core::volume::Volume* p = m_session.prediction();
  const auto* labels = m_session.labelVolume();
  if (!p || !labels) return {};
  // Slices the user has labelled (any label or the fully-annotated mark) and earlier suggestions.
  const auto& lv = labels->volume();
  const std::int64_t plane = lv.size().x * lv.size().y;
  std::vector<std::int64_t> known = m_suggested;
  for (std::int64_t z = 0; z < lv.size().z; ++z) {
    const std::uint8_t* s = lv.slicePtr(z);
    if (labels->isSliceAnnotated(z) || std::any_of(s, s + plane, [](std::uint8_t l) { return l != 0; })) known.push_back(z);
  }
  const auto near = [&known](std::int64_t z) {
    return std::any_of(known.begin(), known.end(), [z](std::int64_t k) { return std::abs(k - z) <= kSuggestionGap; });
  };
  std::vector<std::int64_t> candidates;
  for (std::size_t z = 0; z < m_predicted.size(); ++z)
    if (m_predicted[z] && !near(std::int64_t(z))) candidates.push_back(std::int64_t(z));
  SliceRanking ranking;
  for (const auto& r : core::ml::rankSlicesByUncertainty(*p, candidates)) {
    if (ranking.size() >= count) break;
    if (near(r.first)) continue; // next to a better-ranked slice
    ranking.push_back(r);
    known.push_back(r.first);
  }
  return ranking;
}

void PredictionController::emitSuggestion() {
  const SliceRanking ranking = uncertaintyRanking();
  if (!ranking.empty()) m_suggested.push_back(ranking.front().first); // the slice the window jumps to
  Q_EMIT suggestionReady(ranking);
}

void PredictionController::suggestNextSlice() {
  if (!uncertaintyRanking().empty() || !m_session.hasImage()) {
    emitSuggestion();
    return;
  }
  // Nothing to rank yet: predict about 12 slices spread over the volume that are not predicted
  // yet, then rank them.
  const std::int64_t depth = m_session.image().size().z;
  const std::int64_t step = std::max<std::int64_t>(1, depth / 12);
  std::vector<std::int64_t> sample;
  for (std::int64_t z = step / 2; z < depth; z += step)
    if (!m_session.labelVolume()->isSliceAnnotated(z) && !m_predicted[std::size_t(z)]) sample.push_back(z);
  if (sample.empty()) {
    emitSuggestion(); // empty: every predicted slice is labelled or next to one
    return;
  }
  m_suggestWhenDone = true;
  if (!predictSlices(std::move(sample), tr("Predict sample slices for a suggestion"))) m_suggestWhenDone = false;
}

} // namespace ui
