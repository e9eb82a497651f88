#include "ui/model/Session.h"

#include <stdexcept>

namespace ui {

Session::Session(QObject* parent) : QObject(parent) { registerMetaTypes(); }
Session::~Session() = default;

std::uint64_t Session::dataBytes() const {
  std::uint64_t b = 0;
  for (const auto* v : {&m_data.image, &m_data.labels, &m_data.prediction})
    if (!v->empty()) b += v->bytes();
  return b;
}

void Session::setDataset(Dataset&& dataset) {
  if (!dataset.image.empty()) {
    if (dataset.labels.empty())
      dataset.labels = core::volume::Volume(dataset.image.size(), core::volume::VoxelType::UInt8,
                                            dataset.image.spacing(), dataset.image.origin());
    if (dataset.labels.size() != dataset.image.size() || dataset.labels.type() != core::volume::VoxelType::UInt8)
      throw std::invalid_argument("label volume does not match the image (size or type)");
    if (!dataset.prediction.empty() && (dataset.prediction.size() != dataset.image.size() ||
                                        dataset.prediction.type() != core::volume::VoxelType::UInt8))
      throw std::invalid_argument("prediction does not match the image (size or type)");
  }
  // Free the old dataset before the new one is published (peak memory stays one dataset + new).
  m_data = Dataset{};
  m_data = std::move(dataset);
  Q_EMIT datasetChanged();
}

void Session::close() {
  m_data = Dataset{};
  Q_EMIT datasetChanged();
}

void Session::notifyLabelsChanged(const core::volume::Region& region) {
  const auto r = region.clippedTo(m_data.labels.size());
  if (!r.empty()) Q_EMIT labelsChanged(r);
}

void Session::setPrediction(core::volume::Volume&& prediction) {
  if (!hasImage()) throw std::logic_error("no image to attach a prediction to");
  if (prediction.size() != m_data.image.size() || prediction.type() != core::volume::VoxelType::UInt8)
    throw std::invalid_argument("prediction does not match the image (size or type)");
  m_data.prediction = std::move(prediction);
  Q_EMIT predictionChanged(core::volume::Region::whole(m_data.image.size()));
}

void Session::clearPrediction() {
  if (m_data.prediction.empty()) return;
  m_data.prediction = core::volume::Volume();
  Q_EMIT predictionChanged(core::volume::Region::whole(m_data.image.size()));
}

void Session::notifyPredictionChanged(const core::volume::Region& region) {
  const auto r = region.clippedTo(m_data.image.size());
  if (!r.empty()) Q_EMIT predictionChanged(r);
}

} // namespace ui
