#include "ui/controllers/PredictionController.h"

#include "ui/controllers/TrainingController.h"
#include "ui/model/Session.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>

namespace ui {

namespace {
using Clock = std::chrono::steady_clock;

/// Binary entropy in bits of p = v / 255, for every uint8 value.
const std::array<double, 256>& entropyTable() {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (int v = 0; v < 256; ++v) {
      const double p = v / 255.0;
      t[std::size_t(v)] = (p <= 0 || p >= 1) ? 0.0 : -(p * std::log2(p) + (1 - p) * std::log2(1 - p));
    }
    return t;
  }();
  return table;
}
} // namespace

double meanBinaryEntropy(const std::uint8_t* probabilities, std::size_t count) {
  if (count == 0) return 0;
  std::array<std::uint64_t, 256> histogram{};
  for (std::size_t i = 0; i < count; ++i) ++histogram[probabilities[i]];
  const auto& table = entropyTable();
  double sum = 0;
  for (std::size_t v = 0; v < 256; ++v) sum += double(histogram[v]) * table[v];
  return sum / double(count);
}

SliceRanking rankSlicesByUncertainty(const core::volume::Volume& prediction,
                                                                    const std::vector<std::int64_t>& candidates) {
  SliceRanking ranking;
  const std::size_t n = std::size_t(prediction.size().x * prediction.size().y);
  for (std::int64_t z : candidates)
    if (z >= 0 && z < prediction.size().z) ranking.emplace_back(z, meanBinaryEntropy(prediction.slicePtr(z), n));
  std::stable_sort(ranking.begin(), ranking.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return ranking;
}

struct PredictionController::Shared {
  core::jobs::CancelToken cancel;
  std::atomic<int> tilesAfterCancel{0};
};

PredictionController::PredictionController(Session& session, QObject* parent) : QObject(parent), m_session(session) {
  connect(&m_session, &Session::datasetAboutToChange, this, [this] {
    cancel();
    wait();
    m_shared.reset(); // slices still queued for the old dataset are dropped
    m_suggestWhenDone = false;
  });
  connect(&m_session, &Session::datasetChanged, this, &PredictionController::onDatasetChanged);
  onDatasetChanged();
}

PredictionController::~PredictionController() {
  if (m_shared) m_shared->cancel.cancel();
  if (m_thread.joinable()) m_thread.join();
}

void PredictionController::setModel(const core::ml::Model& model, const QString& checkpoint) {
  m_model = model;
  m_checkpoint = checkpoint;
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
}

bool PredictionController::predictSlices(std::vector<std::int64_t> slices, const QString& title) {
  if (m_running) {
    Q_EMIT failed(tr("A prediction is already running."));
    return false;
  }
  if (m_thread.joinable()) m_thread.join();
  if (m_model.empty()) {
    Q_EMIT failed(tr("No model: train one, or load a checkpoint or a TorchScript U-Net."));
    return false;
  }
  if (!m_session.hasImage()) {
    Q_EMIT failed(tr("No volume is open."));
    return false;
  }
  const std::int64_t depth = m_session.image().size().z;
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
  Q_EMIT progressed(0, title);
  const core::volume::Volume* image = &m_session.image(); // read-only; a new dataset waits for us
  m_thread = std::thread([this, shared, slices, image, model = m_model, options = m_options] {
    lowerWorkerPriority();
    QString error;
    bool cancelled = false;
    struct Sink final : core::jobs::ProgressSink {
      PredictionController* owner = nullptr;
      Shared* shared = nullptr;
      double begin = 0, span = 1;
      QString label;
      Clock::time_point last{};
      void setProgress(double f, const std::string&) override {
        if (shared->cancel.isCancelled()) shared->tilesAfterCancel.fetch_add(1);
        const auto now = Clock::now();
        if (now - last < std::chrono::milliseconds(50)) return; // at most ~20 signals a second
        last = now;
        const double fraction = std::min(0.99, begin + span * f);
        QMetaObject::invokeMethod(owner, [o = owner, fraction, l = label] { Q_EMIT o->progressed(fraction, l); },
                                  Qt::QueuedConnection);
      }
    } sink;
    sink.owner = this;
    sink.shared = shared.get();
    try {
      core::ml::Predictor predictor(model, options);
      const std::size_t plane = std::size_t(image->size().x * image->size().y);
      for (std::size_t i = 0; i < slices.size(); ++i) {
        shared->cancel.throwIfCancelled();
        const std::int64_t z = slices[i];
        sink.begin = double(i) / double(slices.size());
        sink.span = 1.0 / double(slices.size());
        sink.label = tr("Predicting slice %1 (%2 of %3)").arg(z).arg(i + 1).arg(slices.size());
        const core::volume::Volume p = predictor.predict(*image, z, z + 1, sink, shared->cancel);
        auto bytes = std::make_shared<std::vector<std::uint8_t>>(plane);
        const float* src = p.as<float>();
        for (std::size_t k = 0; k < plane; ++k)
          (*bytes)[k] = std::uint8_t(std::lround(std::clamp(src[k], 0.0f, 1.0f) * 255.0f));
        QMetaObject::invokeMethod(this, [this, shared, z, bytes] {
          if (shared == m_shared) onSliceDone(z, bytes);
        }, Qt::QueuedConnection);
      }
    } catch (const core::jobs::Cancelled&) {
      cancelled = true;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, shared, cancelled, error] {
      if (shared != m_shared) return;
      onWorkerEnded();
      if (!error.isEmpty()) {
        m_suggestWhenDone = false;
        Q_EMIT failed(tr("Prediction failed: %1").arg(error));
        return;
      }
      Q_EMIT finished(cancelled);
      if (m_suggestWhenDone) {
        m_suggestWhenDone = false;
        if (!cancelled) Q_EMIT suggestionReady(uncertaintyRanking());
      }
    }, Qt::QueuedConnection);
  });
  return true;
}

bool PredictionController::predictVolume() {
  if (!m_session.hasImage()) return predictSlices({}, QString());
  std::vector<std::int64_t> all(std::size_t(m_session.image().size().z));
  for (std::size_t z = 0; z < all.size(); ++z) all[z] = std::int64_t(z);
  return predictSlices(std::move(all), tr("Predict the whole volume"));
}

void PredictionController::onSliceDone(std::int64_t z, const std::shared_ptr<std::vector<std::uint8_t>>& probabilities) {
  if (!m_session.hasImage()) return;
  const auto size = m_session.image().size();
  if (!m_session.predictionForWriting()) {
    core::volume::Volume layer(size, core::volume::VoxelType::UInt8, m_session.image().spacing(), m_session.image().origin());
    m_predicted.assign(std::size_t(size.z), false);
    m_session.setPrediction(std::move(layer));
  }
  core::volume::Volume* layer = m_session.predictionForWriting();
  std::copy(probabilities->begin(), probabilities->end(), layer->slicePtr(z));
  if (std::size_t(z) < m_predicted.size()) m_predicted[std::size_t(z)] = true;
  m_session.notifyPredictionChanged(core::volume::Region::slab(size, z, z + 1));
  Q_EMIT sliceFinished(z);
}

void PredictionController::onWorkerEnded() {
  if (m_thread.joinable()) m_thread.join();
  m_running = false;
}

void PredictionController::cancel() {
  if (m_running && m_shared) m_shared->cancel.cancel();
}

void PredictionController::wait() {
  if (m_thread.joinable()) m_thread.join();
  if (m_running) m_running = false; // the queued end notice is dropped (m_shared changes on next start)
}

int PredictionController::tilesAfterCancel() const { return m_shared ? m_shared->tilesAfterCancel.load() : 0; }

SliceRanking PredictionController::uncertaintyRanking(std::size_t count) const {
  const core::volume::Volume* p = m_session.prediction();
  const auto* labels = m_session.labelVolume();
  if (!p || !labels) return {};
  std::vector<std::int64_t> candidates;
  for (std::size_t z = 0; z < m_predicted.size(); ++z)
    if (m_predicted[z] && !labels->isSliceAnnotated(std::int64_t(z))) candidates.push_back(std::int64_t(z));
  auto ranking = rankSlicesByUncertainty(*p, candidates);
  if (ranking.size() > count) ranking.resize(count);
  return ranking;
}

void PredictionController::suggestNextSlice() {
  auto ranking = uncertaintyRanking();
  if (!ranking.empty()) {
    Q_EMIT suggestionReady(ranking);
    return;
  }
  if (!m_session.hasImage()) return;
  // Nothing predicted yet: predict about 12 slices spread over the volume, then rank them.
  const std::int64_t depth = m_session.image().size().z;
  const std::int64_t step = std::max<std::int64_t>(1, depth / 12);
  std::vector<std::int64_t> sample;
  for (std::int64_t z = step / 2; z < depth; z += step)
    if (!m_session.labelVolume()->isSliceAnnotated(z)) sample.push_back(z);
  m_suggestWhenDone = true;
  if (!predictSlices(std::move(sample), tr("Predict sample slices for a suggestion"))) m_suggestWhenDone = false;
}

} // namespace ui
