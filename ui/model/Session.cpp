#include "ui/model/Session.h"

#include <stdexcept>

namespace ui {

/// Forwards the label volume's notifications as the session's signals.
class Session::LabelRelay final : public core::labels::LabelListener {
public:
  explicit LabelRelay(Session& s) : m_session(s) {}
  void labelsChanged(const core::volume::Region& changed) override {
    if (!changed.empty()) Q_EMIT m_session.labelsChanged(changed);
  }
  void annotatedSlicesChanged() override { Q_EMIT m_session.annotatedSlicesChanged(); }
  void undoStateChanged() override { Q_EMIT m_session.undoStateChanged(); }

private:
  Session& m_session;
};

Session::Session(QObject* parent) : QObject(parent), m_relay(std::make_unique<LabelRelay>(*this)) { registerMetaTypes(); }

Session::~Session() {
  if (m_labels) m_labels->removeListener(m_relay.get());
}

const core::volume::Volume& Session::labels() const {
  static const core::volume::Volume kNone;
  return m_labels ? m_labels->volume() : kNone;
}

std::uint64_t Session::dataBytes() const {
  std::uint64_t b = 0;
  for (const auto* v : {&m_data.image, &labels(), &m_data.prediction})
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
  // Free the old dataset before the new one is published.
  Q_EMIT datasetAboutToChange();
  if (m_labels) m_labels->removeListener(m_relay.get());
  m_labels.reset();
  m_data = Dataset{};
  if (!dataset.image.empty()) {
    m_labels = std::make_unique<core::labels::LabelVolume>(std::move(dataset.labels)); // no copy
    m_labels->addListener(m_relay.get());
  }
  m_data = std::move(dataset);
  m_data.labels = core::volume::Volume();
  Q_EMIT datasetChanged();
}

void Session::close() {
  Q_EMIT datasetAboutToChange();
  if (m_labels) m_labels->removeListener(m_relay.get());
  m_labels.reset();
  m_data = Dataset{};
  Q_EMIT datasetChanged();
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
