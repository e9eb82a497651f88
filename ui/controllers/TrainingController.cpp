#include "ui/controllers/TrainingController.h"

#include "core/ml/Checkpoint.h"

#include "ui/controllers/TrainingSnapshot.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Session.h"
#include "ui/model/SparseLabelLayer.h"

#include <QDateTime>
#include <QDir>
#include <QStandardPaths>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <thread>

namespace ui {

namespace {
using Clock = std::chrono::steady_clock;
} // namespace

/// What the worker and the GUI thread share, behind the mutex.
struct TrainingController::Shared {
  std::mutex mutex;
  QVector<QPointF> losses;                     ///< steps not yet handed to the GUI
  std::vector<core::ml::EpochMetrics> epochs;  ///< epochs not yet handed to the GUI
  QStringList messages;
  double fraction = 0;
  QString stage;
  std::int64_t iteration = 0, totalIterations = 0;
  int iterationsAfterStop = 0;
  int iterationsPerEpoch = 0;
  double budgetSeconds = 0;
  // Measured times: recent steps, and per epoch what is not steps (validation, checkpoints).
  double stepSeconds = 0;      ///< exponential mean of one step
  double epochOverhead = 0;    ///< mean seconds per epoch spent outside steps
  Clock::time_point start, lastStep;
  // Result (read after the worker ended).
  core::ml::Model model;
  QString checkpoint;
};

TrainingController::TrainingController(Session& session, JobRunner& jobs, QObject* parent)
    : QObject(parent), m_session(session), m_lane(&jobs.lane(Lane::Training)) {
  m_modelsFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/models");
  m_drainTimer.setInterval(200);
  connect(&m_drainTimer, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController() {
  if (m_lane) m_lane->abandon(this);
}

bool TrainingController::lazyOpen() const { return m_lazy && m_lazy->isOpen(); }

TrainingSliceCounts TrainingController::sliceCounts() const {
  TrainingSliceCounts c;
  if (lazyOpen()) {
    const core::labels::SparseLabels& s = *m_lazy->labels();
    c.annotated = int(s.annotatedSlices().size());
    try {
      for (std::int64_t z : s.labelledSlicesZ()) c.partial += s.isSliceAnnotated(z) ? 0 : 1;
    } catch (const std::exception&) { // a damaged chunk: reported when shown or trained on
    }
    return c;
  }
  const auto* labels = m_session.labelVolume();
  if (!labels) return c;
  const auto& v = labels->volume();
  const std::uint64_t n = std::uint64_t(v.size().x * v.size().y);
  for (std::int64_t z = 0; z < v.size().z; ++z) {
    if (labels->isSliceAnnotated(z)) {
      ++c.annotated;
      continue;
    }
    const std::uint8_t* s = v.slicePtr(z);
    if (std::any_of(s, s + n, [](std::uint8_t l) { return l != 0; })) ++c.partial;
  }
  return c;
}

int TrainingController::trainingCpuThreads() {
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores - 1);
}

int defaultBaseWidth() {
  static const int width = core::ml::cudaAvailable() && core::ml::cudaStartError().empty() ? 64 : 16;
  return width;
}

QString TrainingController::describeDevice(core::ml::DeviceRequest request) {
  const bool cuda = core::ml::cudaAvailable();
  const int threads = trainingCpuThreads();
  const QString startError = cuda ? QString::fromStdString(core::ml::cudaStartError()) : QString();
  if (!startError.isEmpty())
    return request == core::ml::DeviceRequest::Cuda
               ? tr("CUDA was requested, but the GPU fails to start (%1): training will fail").arg(startError)
               : tr("CPU (%n thread(s), one core left for the window): the GPU fails to start (%1)", nullptr, threads)
                     .arg(startError);
  switch (request) {
  case core::ml::DeviceRequest::Cuda:
    return cuda ? tr("CUDA: GPU 0, as requested")
                : tr("CUDA was requested, but this build's LibTorch or this machine has no CUDA GPU: training will fail");
  case core::ml::DeviceRequest::Cpu:
    return tr("CPU (%n thread(s), one core left for the window), as requested", nullptr, threads);
  case core::ml::DeviceRequest::Auto:
    break;
  }
  return cuda ? tr("CUDA: GPU 0 (Auto picks the GPU when there is one)")
              : tr("CPU (%n thread(s), one core left for the window): this build's LibTorch or this machine has no CUDA GPU",
                   nullptr, threads);
}

bool TrainingController::start(const TrainingSettings& settings, const QString& fineTuneFrom) {
  if (isRunning()) {
    Q_EMIT failed(tr("A training is already running."));
    return false;
  }
  if (!lazyOpen() && (!m_session.hasImage() || !m_session.labelVolume())) {
    Q_EMIT failed(tr("Open a volume and label some slices first."));
    return false;
  }
  std::optional<core::ml::TrainOptions> o = trainOptions(settings, fineTuneFrom);
  if (!o) return false;
  std::shared_ptr<TrainingSnapshot> snapshot = takeSnapshot(o->model.contextSlices);
  if (!snapshot) return false;
  return launch(std::move(*o), std::move(snapshot));
}

std::optional<core::ml::TrainOptions> TrainingController::trainOptions(const TrainingSettings& settings,
                                                                       const QString& fineTuneFrom) {
  core::ml::TrainOptions o;
  o.model = core::ml::ModelOptions::paper(settings.baseWidth);
  o.model.contextSlices = settings.contextSlices;
  if (!fineTuneFrom.isEmpty()) {
    // A fine-tuned model keeps its checkpoint's architecture (width and 2.5D context), whatever
    // the settings say.
    try {
      o.model = core::ml::readCheckpointInfo(core::ml::resolveModelPath(fineTuneFrom.toStdString())).model;
    } catch (const std::exception& e) {
      Q_EMIT failed(QString::fromStdString(e.what()));
      return std::nullopt;
    }
  }
  const int k = o.model.contextSlices;
  const std::int64_t depth = lazyOpen() ? m_lazy->labels()->size().z : m_session.image().size().z;
  if (k > 0 && depth < 2 * std::int64_t(k) + 1) {
    Q_EMIT failed(
        (fineTuneFrom.isEmpty()
             ? tr("This volume has %n slice(s), too few for a 2.5D model that sees %1 neighbour slice(s) above and "
                  "below: it needs at least %2. Set \"Neighbour slices (2.5D)\" to 0 to train a 2D model.",
                  nullptr, int(depth))
             : tr("This volume has %n slice(s), too few for the model to fine-tune, a 2.5D model that sees %1 "
                  "neighbour slice(s) above and below: it needs at least %2. Train a 2D model from scratch instead.",
                  nullptr, int(depth)))
            .arg(k)
            .arg(2 * k + 1));
    return std::nullopt;
  }
  o.epochs = settings.epochs;
  o.maxMinutes = settings.maxMinutes;
  o.batch = settings.batch;
  o.crop = settings.crop;
  o.learningRate = settings.learningRate;
  o.valFraction = settings.valFraction;
  o.augment.enabled = settings.augment;
  o.device = settings.device;
  o.cpuThreads = trainingCpuThreads();
  o.iterationsPerEpoch = settings.iterationsPerEpoch;
  o.seed = settings.seed;
  o.loss = settings.loss;
  o.lrSchedule = settings.lrSchedule;
  o.saveEveryMinutes = settings.saveEveryMinutes;
  o.keepCheckpoints = settings.keepCheckpoints;
  o.precision = settings.precision;
  o.fineTuneFrom = fineTuneFrom.toStdString();
  return o;
}

std::shared_ptr<TrainingSnapshot> TrainingController::takeSnapshot(int contextSlices) {
  // On the GUI thread: from here on the user may paint.
  std::shared_ptr<TrainingSnapshot> snapshot;
  try {
    snapshot = std::make_shared<TrainingSnapshot>(
        lazyOpen() ? TrainingSnapshot::takeLazy(*m_lazy->volume(), *m_lazy->labels(), contextSlices)
                   : TrainingSnapshot::take(m_session.image(), *m_session.labelVolume(), contextSlices));
  } catch (const std::exception& e) {
    Q_EMIT failed(QString::fromStdString(e.what()));
    return nullptr;
  }
  if (snapshot->slices.empty()) {
    Q_EMIT failed(tr("No labelled voxel: paint crack and not-crack labels on some slices (or mark slices fully "
                     "annotated) before training."));
    return nullptr;
  }
  return snapshot;
}

bool TrainingController::launch(core::ml::TrainOptions o, std::shared_ptr<TrainingSnapshot> snapshot) {
  if (!m_lane || m_lane->isBusy()) {
    Q_EMIT failed(tr("A training is already running."));
    return false;
  }
  m_runFolder = QDir(m_modelsFolder)
                    .filePath(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) +
                              (o.fineTuneFrom.empty() ? QStringLiteral("-train") : QStringLiteral("-finetune")));
  o.outDir = m_runFolder.toStdString();

  auto shared = std::make_shared<Shared>();
  shared->start = shared->lastStep = Clock::now();
  shared->budgetSeconds = o.maxMinutes * 60.0;
  m_shared = shared;
  setState(TrainingState::Running);
  Q_EMIT progressed(0, 0, -1, tr("Starting"));
  m_drainTimer.start();
  m_lane->start(
      tr("Training"),
      [shared, snapshot, o](core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
        train(*shared, *snapshot, o, progress, cancel);
      },
      [this, shared](JobState state, const QString& error) {
        if (shared == m_shared) onWorkerEnded(int(state), error);
      },
      this);
  return true;
}

void TrainingController::train(Shared& shared, const TrainingSnapshot& snapshot, const core::ml::TrainOptions& o,
                               core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
  Shared* s = &shared;
  core::ml::TrainCallbacks cb;
  const int epochsPlanned = o.epochs;
  cb.onIteration = [s, &cancel, epochsPlanned](const core::ml::IterationMetrics& it) {
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(s->mutex);
    const double dt = std::chrono::duration<double>(now - s->lastStep).count();
    s->lastStep = now;
    if (it.iterationInEpoch > 1 || it.epoch == 1) // a step after an epoch's end also timed validation
      s->stepSeconds = s->stepSeconds == 0 ? dt : 0.8 * s->stepSeconds + 0.2 * dt;
    s->losses.append(QPointF(double(it.iteration), it.loss));
    s->iteration = it.iteration;
    s->iterationsPerEpoch = it.iterationsPerEpoch;
    if (epochsPlanned > 0) s->totalIterations = std::int64_t(epochsPlanned) * it.iterationsPerEpoch;
    if (cancel.isCancelled()) ++s->iterationsAfterStop;
  };
  cb.onEpoch = [s](const core::ml::EpochMetrics& e) {
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(s->mutex);
    s->epochs.push_back(e);
    const double steps = s->stepSeconds * double(s->iterationsPerEpoch);
    const double overhead = std::max(0.0, e.seconds - steps);
    s->epochOverhead = s->epochOverhead == 0 ? overhead : 0.5 * (s->epochOverhead + overhead);
    s->lastStep = now;
  };
  cb.onMessage = [s](const std::string& m) {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->messages << QString::fromStdString(m);
  };
  // Progress for the drain timer (with the time estimates), and for the lane.
  struct Sink final : core::jobs::ProgressSink {
    Shared* s = nullptr;
    core::jobs::ProgressSink* lane = nullptr;
    void setProgress(double f, const std::string& stage) override {
      {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->fraction = std::min(f, 0.99);
        s->stage = QString::fromStdString(stage);
      }
      lane->setProgress(std::min(f, 0.99), stage);
    }
  } sink;
  sink.s = s;
  sink.lane = &progress;
  QString checkpoint;
  bool cancelled = false;
  try {
    core::ml::Trainer trainer(o, cb);
    const auto result = trainer.run(snapshot.data, sink, cancel);
    checkpoint = QString::fromStdString(result.bestCheckpoint.empty() ? result.lastCheckpoint : result.bestCheckpoint);
  } catch (const core::jobs::Cancelled&) {
    cancelled = true;
  }
  // Stop keeps the last good checkpoint of this run (best, else last), when one was written.
  namespace fs = std::filesystem;
  if (checkpoint.isEmpty())
    for (const auto& name : {core::ml::bestCheckpointName(), core::ml::lastCheckpointName()}) {
      const fs::path p = fs::path(o.outDir) / name;
      std::error_code ec;
      if (fs::exists(p, ec)) {
        checkpoint = QString::fromStdString(p.string());
        break;
      }
    }
  core::ml::Model model;
  if (!checkpoint.isEmpty()) {
    core::ml::LoadOptions lo;
    lo.device = o.device;
    lo.cpuThreads = o.cpuThreads;
    model = core::ml::Model::load(checkpoint.toStdString(), lo);
  }
  {
    std::lock_guard<std::mutex> lock(s->mutex);
    s->model = model;
    s->checkpoint = checkpoint;
  }
  if (cancelled) throw core::jobs::Cancelled();
}

void TrainingController::stop() {
  if (m_state != TrainingState::Running || !m_lane || !m_lane->runsFor(this)) return;
  m_lane->cancel();
  setState(TrainingState::Stopping);
  Q_EMIT messageReceived(tr("Stopping after the current batch..."));
}

void TrainingController::wait() {
  if (m_lane && m_lane->runsFor(this)) m_lane->wait(); // ends the run here (onWorkerEnded)
}

double TrainingController::elapsedSeconds() const {
  if (!m_shared) return 0;
  return std::chrono::duration<double>(Clock::now() - m_shared->start).count();
}

int TrainingController::iterationsAfterStop() const {
  if (!m_shared) return 0;
  std::lock_guard<std::mutex> lock(m_shared->mutex);
  return m_shared->iterationsAfterStop;
}

void TrainingController::drain() {
  if (!m_shared) return;
  QVector<QPointF> losses;
  std::vector<core::ml::EpochMetrics> epochs;
  QStringList messages;
  double fraction = 0, remaining = -1;
  QString stage;
  {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    losses.swap(m_shared->losses);
    epochs.swap(m_shared->epochs);
    messages.swap(m_shared->messages);
    fraction = m_shared->fraction;
    stage = m_shared->stage;
    // Remaining time from measured step times: steps left times the recent step time, plus the
    // measured per-epoch overhead for the epochs left. Unknown (-1) before the first step.
    if (m_shared->totalIterations > 0 && m_shared->stepSeconds > 0) {
      const double stepsLeft = double(m_shared->totalIterations - m_shared->iteration);
      const double epochsLeft = std::ceil(stepsLeft / double(std::max(1, m_shared->iterationsPerEpoch)));
      remaining = stepsLeft * m_shared->stepSeconds + epochsLeft * m_shared->epochOverhead;
    }
    if (m_shared->budgetSeconds > 0) {
      const double left = std::max(0.0, m_shared->budgetSeconds - std::chrono::duration<double>(Clock::now() - m_shared->start).count());
      remaining = remaining < 0 ? left : std::min(remaining, left);
    }
  }
  const double elapsed = elapsedSeconds();
  for (const auto& m : messages) Q_EMIT messageReceived(m);
  if (!losses.isEmpty()) Q_EMIT iterationsReceived(losses);
  for (const auto& e : epochs) Q_EMIT epochFinished(e);
  if (isRunning()) Q_EMIT progressed(std::min(fraction, 0.99), elapsed, remaining, stage);
}

void TrainingController::onWorkerEnded(int state, const QString& error) {
  if (!isRunning()) return;
  m_drainTimer.stop();
  drain();
  auto shared = m_shared;
  const double elapsed = elapsedSeconds();
  if (JobState(state) == JobState::Failed) {
    setState(TrainingState::Failed);
    Q_EMIT failed(error);
    return;
  }
  if (!shared->model.empty()) Q_EMIT modelReady(shared->model, shared->checkpoint);
  if (JobState(state) == JobState::Cancelled) {
    setState(TrainingState::Stopped);
    Q_EMIT progressed(shared->fraction, elapsed, 0, tr("Stopped"));
    Q_EMIT messageReceived(shared->checkpoint.isEmpty()
                               ? tr("Stopped before the first epoch ended: no checkpoint was written.")
                               : tr("Stopped; kept %1").arg(shared->checkpoint));
    return;
  }
  setState(TrainingState::Finished);
  Q_EMIT progressed(1.0, elapsed, 0, tr("Done"));
}

void TrainingController::setState(TrainingState s) {
  if (s == m_state) return;
  m_state = s;
  Q_EMIT stateChanged(s);
}

} // namespace ui
