#include "ui/model/SparseLabelLayer.h"

#include <QAction>
#include <QLocale>

namespace ui {

namespace cl = core::labels;

struct SparseLabelLayer::Relay final : cl::LabelListener {
  SparseLabelLayer& layer;
  explicit Relay(SparseLabelLayer& l) : layer(l) {}
  void labelsChanged(const core::volume::Region& r) override { Q_EMIT layer.labelsChanged(r); }
  void annotatedSlicesChanged() override { Q_EMIT layer.annotatedSlicesChanged(); }
  void undoStateChanged() override { Q_EMIT layer.undoStateChanged(); }
};

SparseLabelLayer::SparseLabelLayer(QObject* parent) : QObject(parent), m_relay(std::make_unique<Relay>(*this)) {
  m_saveAction = new QAction(tr("Save &labels of the lazy volume"), this);
  m_saveAction->setObjectName(QStringLiteral("saveSparseLabels"));
  m_saveAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
  m_saveAction->setEnabled(false);
  connect(m_saveAction, &QAction::triggered, this, [this] {
    if (!isOpen()) return;
    try {
      const cl::SparseSaveReport r = save();
      Q_EMIT message(tr("Labels saved to %1: %2 chunk(s) written, %3 removed, %4 bytes")
                         .arg(QString::fromStdString(m_path))
                         .arg(r.chunksWritten)
                         .arg(r.chunksRemoved)
                         .arg(QLocale().toString(qulonglong(r.bytesWritten))));
    } catch (const std::exception& e) {
      Q_EMIT failed(tr("Cannot save the labels: %1").arg(QString::fromStdString(e.what())));
    }
  });
}

SparseLabelLayer::~SparseLabelLayer() {
  if (m_labels) m_labels->removeListener(m_relay.get());
}

void SparseLabelLayer::open(std::shared_ptr<core::volume::LazyVolume> volume, const std::string& labelPath) {
  close();
  auto labels = cl::openSparseLabels(labelPath, volume->levelInfo(0), volume->blockShape(0));
  m_volume = std::move(volume);
  m_labels = std::move(labels);
  m_path = labelPath;
  m_lastError.clear();
  m_labels->addListener(m_relay.get());
  m_saveAction->setEnabled(true);
  Q_EMIT openChanged(true);
  Q_EMIT undoStateChanged();
}

void SparseLabelLayer::close() {
  if (!m_labels) return;
  Q_EMIT aboutToClose();
  if (!m_discarding && m_labels->isModified() && !m_labels->hasOpenWindow()) { // closing keeps the work: only changed chunks
    try {
      save();
    } catch (const std::exception& e) {
      Q_EMIT failed(tr("Cannot save the labels: %1").arg(QString::fromStdString(e.what())));
    }
  }
  m_labels->removeListener(m_relay.get());
  m_labels.reset();
  m_volume.reset();
  m_path.clear();
  m_saveAction->setEnabled(false);
  Q_EMIT openChanged(false);
  Q_EMIT undoStateChanged();
}

void SparseLabelLayer::discardChanges() {
  if (!m_labels) return;
  std::shared_ptr<core::volume::LazyVolume> volume = m_volume;
  const std::string path = m_path;
  m_discarding = true;
  close();
  m_discarding = false;
  try {
    open(std::move(volume), path);
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot open the labels: %1").arg(QString::fromStdString(e.what())));
  }
}

cl::SparseSaveReport SparseLabelLayer::save() {
  if (!m_labels) throw std::logic_error("no labels of a lazy volume are open");
  return cl::saveSparseLabels(*m_labels, m_path);
}

void SparseLabelLayer::reportReadError(const std::string& text) {
  if (text == m_lastError) return;
  m_lastError = text;
  Q_EMIT failed(tr("Cannot read the labels: %1").arg(QString::fromStdString(text)));
}

} // namespace ui
