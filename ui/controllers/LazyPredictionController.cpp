#include "ui/controllers/LazyPredictionController.h"

#include "core/files/AtomicFile.h"
#include "core/files/FolderSwap.h"
#include "core/ml/Predictor.h"
#include "core/volume/io/VolumeIO.h"
#include "core/volume/lazy/LazyVolume.h"
#include "ui/controllers/PredictionController.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/LazyOverlay.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace ui {

namespace vol = core::volume;
namespace fs = std::filesystem;

namespace {

/// The lane's progress with this job's own stage text.
struct LabelledProgress final : core::jobs::ProgressSink {
  core::jobs::ProgressSink& lane;
  std::string label;
  double begin = 0, span = 1;
  explicit LabelledProgress(core::jobs::ProgressSink& l) : lane(l) {}
  void setProgress(double f, const std::string&) override { lane.setProgress(std::min(0.99, begin + span * f), label); }
};

/// Planes [lo, hi) of orientation \p o of \p block (read from the volume at those planes, whole
/// slices) as a volume of (width, height, hi - lo): what the Predictor takes.
vol::Volume reslice(const vol::Volume& block, vol::Orientation o) {
  const vol::Size3 n = block.size();
  const std::int64_t w = vol::sliceWidth(n, o), h = vol::sliceHeight(n, o), d = vol::sliceCount(n, o);
  vol::Volume out({w, h, d}, block.type());
  const std::size_t vs = vol::voxelSize(block.type());
  const auto* src = static_cast<const std::uint8_t*>(block.data());
  auto* dst = static_cast<std::uint8_t*>(out.data());
  for (std::int64_t k = 0; k < d; ++k)
    for (std::int64_t v = 0; v < h; ++v)
      for (std::int64_t u = 0; u < w; ++u) {
        const vol::Index3 p = vol::toVoxel(o, k, u, v);
        std::memcpy(dst + std::size_t(out.index(u, v, k)) * vs, src + std::size_t(block.index(p.x, p.y, p.z)) * vs, vs);
      }
  return out;
}

/// Probabilities 0..1 as the overlay's bytes (x 255, as the Session's prediction layer).
vol::Volume toBytes(const vol::Volume& p) {
  vol::Volume out(p.size(), vol::VoxelType::UInt8);
  const float* s = p.as<float>();
  std::uint8_t* d = out.as<std::uint8_t>();
  for (std::int64_t i = 0; i < p.voxelCount(); ++i) d[i] = std::uint8_t(std::lround(std::clamp(s[i], 0.0f, 1.0f) * 255.0f));
  return out;
}

/// Forwards to \p target and tells \p done how many slices are written so far.
class CountingWriter final : public vol::VolumeWriter {
public:
  CountingWriter(vol::VolumeWriter& target, std::function<void(std::int64_t)> done)
      : m_target(target), m_done(std::move(done)) {}
  void writeSlab(const vol::Volume& slab, std::int64_t z0) override {
    m_target.writeSlab(slab, z0);
    m_done(z0 + slab.size().z);
  }
  void finish() override { m_target.finish(); }

private:
  vol::VolumeWriter& m_target;
  std::function<void(std::int64_t)> m_done;
};

/// The folder this process is writing \p target into now (an atomic writer's temporary), or empty.
std::string writingFolder(const std::string& target) {
  const fs::path t(target);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(t.parent_path().empty() ? fs::path(".") : t.parent_path(), ec)) {
    long pid = 0;
    if (core::files::isTemporaryOf(e.path().filename().string(), t.filename().string(), &pid) && pid == long(::getpid()))
      return e.path().string();
  }
  return {};
}

} // namespace

LazyPredictionController::LazyPredictionController(LazyBrowser& browser, CursorModel& cursor, PredictionController& prediction,
                                                   JobRunner& jobs, QObject* parent)
    : QObject(parent), m_browser(browser), m_cursor(cursor), m_prediction(prediction), m_lane(&jobs.lane(Lane::Prediction)) {
  connect(m_lane, &JobLane::progressed, this, [this](double fraction, const QString& stage) {
    if (m_running) Q_EMIT progressed(fraction, stage);
  });
  // Another volume (or none): results of a job for the old one no longer reach the overlay.
  connect(&m_browser, &LazyBrowser::openChanged, this, [this] { m_generation = std::make_shared<int>(0); });
}

LazyPredictionController::~LazyPredictionController() {
  if (m_lane) m_lane->abandon(this);
}

QString LazyPredictionController::defaultTarget() const {
  if (!m_browser.isOpen()) return {};
  QString path = QString::fromStdString(m_browser.volume()->path());
  while (path.size() > 1 && path.endsWith('/')) path.chop(1);
  if (path.endsWith(QStringLiteral(".zarr"), Qt::CaseInsensitive)) path.chop(5);
  return path + QStringLiteral("-prediction.zarr");
}

bool LazyPredictionController::canStart() {
  if (m_running || !m_lane || m_lane->isBusy()) {
    Q_EMIT failed(tr("A prediction is already running."));
    return false;
  }
  if (m_prediction.model().empty()) {
    Q_EMIT failed(tr("No model: train one, or load a checkpoint or a TorchScript U-Net."));
    return false;
  }
  if (!m_browser.isOpen()) {
    Q_EMIT failed(tr("No volume is open lazily."));
    return false;
  }
  const int k = m_prediction.model().options().contextSlices;
  const vol::Size3 n = m_browser.volume()->levelInfo(0).size;
  if (k > 0 && std::min({n.x, n.y, n.z}) < 2 * std::int64_t(k) + 1) {
    Q_EMIT failed(tr("This volume is too thin for the current 2.5D model: it needs at least %1 slices.").arg(2 * k + 1));
    return false;
  }
  return true;
}

bool LazyPredictionController::predictVisibleSlices() {
  if (!canStart()) return false;
  std::shared_ptr<vol::LazyVolume> volume = m_browser.sharedVolume();
  const vol::Index3 at = m_cursor.position();
  auto generation = std::make_shared<int>(0);
  m_generation = generation;
  m_target.clear();
  m_running = true;
  const QString title = tr("Predict the visible slices");
  Q_EMIT started(title);
  m_lane->start(
      title,
      [this, volume, at, generation, model = m_prediction.model(), options = m_prediction.predictOptions()](
          core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        core::ml::PredictOptions po = options;
        po.triPlanar = false;
        core::ml::Predictor predictor(model, po);
        const vol::Size3 n = volume->levelInfo(0).size;
        const std::int64_t k = model.options().contextSlices;
        LabelledProgress sink(progress);
        const std::array<vol::Orientation, 3> orientations{vol::Orientation::XY, vol::Orientation::XZ, vol::Orientation::YZ};
        for (std::size_t i = 0; i < orientations.size(); ++i) {
          cancel.throwIfCancelled();
          const vol::Orientation o = orientations[i];
          const std::int64_t count = vol::sliceCount(n, o);
          const std::int64_t s = std::clamp<std::int64_t>(vol::sliceIndexOf(o, at), 0, count - 1);
          const std::int64_t lo = std::max<std::int64_t>(0, s - k), hi = std::min(count, s + k + 1);
          vol::Region r = vol::sliceRegion(o, lo, 0, 0, vol::sliceWidth(n, o), vol::sliceHeight(n, o));
          if (o == vol::Orientation::XY) r.size.z = hi - lo;
          else if (o == vol::Orientation::XZ) r.size.y = hi - lo;
          else r.size.x = hi - lo;
          sink.begin = double(i) / 3.0;
          sink.span = 1.0 / 3.0;
          sink.label = tr("Predicting the visible %1 slice %2").arg(vol::toString(o)).arg(s).toStdString();
          const vol::Volume planes = reslice(volume->read(0, r, cancel), o);
          auto bytes = std::make_shared<vol::Volume>(toBytes(predictor.predict(planes, s - lo, s - lo + 1, sink, cancel)));
          QMetaObject::invokeMethod(
              this,
              [this, generation, o, s, bytes] {
                if (generation != m_generation || !m_browser.overlay()) return;
                m_browser.overlay()->setSlice(o, s, std::move(*bytes));
              },
              Qt::QueuedConnection);
        }
      },
      [this, generation](JobState state, const QString& error) {
        onEnded(generation == m_generation, state == JobState::Cancelled, state == JobState::Failed ? error : QString());
      },
      this);
  return true;
}

bool LazyPredictionController::predictWholeVolume(const QString& targetPath, bool replace) {
  if (!canStart()) return false;
  std::shared_ptr<vol::LazyVolume> volume = m_browser.sharedVolume();
  QString target = targetPath;
  while (target.size() > 1 && target.endsWith('/')) target.chop(1);
  const std::string image = volume->path();
  std::error_code ec;
  if (fs::exists(target.toStdString(), ec)) {
    if (fs::equivalent(target.toStdString(), image, ec)) {
      Q_EMIT failed(tr("The prediction cannot replace the image itself: choose another name than %1.").arg(target));
      return false;
    }
    if (!replace) {
      Q_EMIT failed(tr("%1 exists already; it is not replaced without asking.").arg(target));
      return false;
    }
  }
  // Written into a sibling temporary and swapped in only when complete (swapInFolder): Cancel or
  // a failure removes the temporary alone, and the old prediction stays on disk and on screen.
  std::shared_ptr<core::files::TemporaryPath> staging;
  try {
    staging = std::make_shared<core::files::TemporaryPath>(target.toStdString());
    fs::create_directory(staging->path());
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot write beside %1: %2").arg(target, QString::fromStdString(e.what())));
    return false;
  }
  const std::string staged = (fs::path(staging->path()) / fs::path(target.toStdString()).filename()).string();
  m_previous.reset();
  if (m_browser.overlay() && m_browser.overlay()->completeSlices() < 0) m_previous = m_browser.overlay()->volume();
  auto generation = std::make_shared<int>(0);
  m_generation = generation;
  m_target = target;
  m_staged = QString::fromStdString(staged);
  m_running = true;
  m_partialRefreshes = 0;
  const QString title = tr("Predict the whole volume into %1").arg(QFileInfo(target).fileName());
  Q_EMIT started(title);
  const vol::Size3 chunk = volume->blockShape(0);
  const int levels = volume->levels();
  m_lane->start(
      title,
      [this, image, chunk, levels, generation, target, staging, staged, model = m_prediction.model(),
       options = m_prediction.predictOptions()](core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        struct Discard {
          core::files::TemporaryPath& tmp;
          ~Discard() { tmp.discard(); } // a no-op once swapped in
        } discard{*staging};
        core::ml::PredictOptions po = options;
        po.triPlanar = false; // slab by slab, in bounded memory
        core::ml::Predictor predictor(model, po);
        auto reader = vol::openVolume(image);
        vol::VolumeInfo info = reader->info();
        info.type = vol::VoxelType::UInt8;
        vol::WriteOptions wo;
        wo.format = "ome-zarr";
        wo.hdf5Chunk = chunk;
        wo.pyramidLevels = levels;
        auto writer = vol::createWriter(staged, info, wo); // a temporary until finish()
        CountingWriter counting(*writer, [this, generation, staged](std::int64_t slices) {
          QMetaObject::invokeMethod(
              this,
              [this, generation, staged = QString::fromStdString(staged), slices] {
                if (generation == m_generation) onSlicesWritten(staged, slices);
              },
              Qt::QueuedConnection);
        });
        core::ml::PredictOutputs outputs;
        outputs.probability = &counting;
        outputs.probabilityType = vol::VoxelType::UInt8;
        LabelledProgress sink(progress);
        sink.label = tr("Predicting the whole volume into %1").arg(target).toStdString();
        predictor.predict(*reader, 0, info.size.z, outputs, sink, cancel);
        cancel.throwIfCancelled();
        writer->finish();
        core::files::swapInFolder(staged, staging->target()); // the old prediction goes after the swap
      },
      [this, generation](JobState state, const QString& error) {
        onEnded(generation == m_generation, state == JobState::Cancelled, state == JobState::Failed ? error : QString());
      },
      this);
  return true;
}

void LazyPredictionController::onSlicesWritten(const QString& staged, std::int64_t slices) {
  if (!m_running || staged != m_staged || !m_browser.overlay()) return;
  const std::string folder = writingFolder(staged.toStdString());
  if (folder.empty()) return;
  try {
    vol::LazyOptions lo;
    lo.threads = 1;
    std::shared_ptr<vol::LazyVolume> partial(vol::LazyVolume::open(folder + "/0", m_browser.cache(), lo));
    // Chunk layers are written whole: only those below the last full layer are complete.
    const std::int64_t depth = partial->blockShape(0).z;
    const std::int64_t complete = slices / depth * depth;
    if (complete <= 0) return;
    m_browser.overlay()->setVolume(std::move(partial), complete);
    ++m_partialRefreshes;
  } catch (const std::exception&) {
    // The temporary may be renamed or removed while we look: the next refresh or the end shows it.
  }
}

void LazyPredictionController::onEnded(bool sameVolume, bool cancelled, const QString& error) {
  m_running = false;
  const QString target = m_target;
  m_target.clear();
  m_staged.clear();
  std::shared_ptr<vol::LazyVolume> previous = std::move(m_previous);
  std::error_code ec;
  // The overlay belongs to the volume open now: only a job of that volume changes it.
  LazyOverlay* overlay = sameVolume ? m_browser.overlay().get() : nullptr;
  if (!target.isEmpty() && overlay) {
    std::shared_ptr<vol::LazyVolume> done;
    if (!cancelled && error.isEmpty()) {
      try {
        done = std::shared_ptr<vol::LazyVolume>(vol::LazyVolume::open(target.toStdString(), m_browser.cache()));
      } catch (const std::exception& e) {
        Q_EMIT failed(tr("Cannot open the prediction %1:\n%2").arg(target, QString::fromStdString(e.what())));
      }
    }
    // A cancelled or failed run's temporary is gone: its partial overlay goes too, and what was
    // shown before (the old prediction, still on disk) comes back.
    if (done) overlay->setVolume(std::move(done));
    else if (overlay->volume() && overlay->completeSlices() >= 0)
      overlay->setVolume(previous && fs::exists(previous->path(), ec) ? std::move(previous) : nullptr);
  }
  if (!error.isEmpty()) {
    if (!target.isEmpty() && QFileInfo::exists(target))
      Q_EMIT failed(tr("Prediction failed: %1\nThe previous prediction %2 is unchanged.").arg(error, target));
    else Q_EMIT failed(tr("Prediction failed: %1").arg(error));
    return;
  }
  if (!target.isEmpty() && !cancelled) m_written = target;
  Q_EMIT finished(cancelled);
  if (!target.isEmpty() && !cancelled) Q_EMIT written(target);
}

void LazyPredictionController::cancel() {
  if (m_running && m_lane && m_lane->runsFor(this)) m_lane->cancel();
}

void LazyPredictionController::wait() {
  if (m_lane && m_lane->runsFor(this)) m_lane->wait();
}

} // namespace ui
