#include "ui/controllers/ProjectExtras.h"

#include "core/analysis/Summaries.h"
#include "core/project/AtomicFile.h"
#include "core/ml/Model.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/Studio.h"
#include "ui/controllers/AnalysisController.h"
#include "ui/controllers/EvolutionController.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/ProjectWindow.h"
#include "ui/controllers/TrainingController.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/Session.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <stdexcept>

namespace ui {

namespace cl = core::labels;
namespace ca = core::analysis;
namespace vol = core::volume;

namespace {

QString projectStem(const QString& projectPath) {
  return projectPath.endsWith(QLatin1String(".cdnet")) ? projectPath.left(projectPath.size() - 6) : projectPath;
}

const char* deviceName(core::ml::DeviceRequest d) {
  switch (d) {
  case core::ml::DeviceRequest::Cpu: return "cpu";
  case core::ml::DeviceRequest::Cuda: return "cuda";
  case core::ml::DeviceRequest::Auto: break;
  }
  return "auto";
}

std::string sizeText(const vol::Size3& s) {
  return std::to_string(s.x) + " x " + std::to_string(s.y) + " x " + std::to_string(s.z);
}

/// Reads an analysis volume that must match the image's size and hold \p type.
vol::Volume readMatching(const std::string& path, vol::VoxelType type, const vol::Volume& image) {
  auto reader = vol::openVolume(path);
  const vol::VolumeInfo info = reader->info();
  if (info.size != image.size())
    throw std::runtime_error("'" + path + "' is " + sizeText(info.size) + " voxels but the image is " +
                             sizeText(image.size()) + ": it belongs to another image");
  vol::Volume v = reader->read();
  if (v.type() != type)
    throw std::runtime_error("'" + path + "' holds " + vol::toString(v.type()) + " voxels, not " + vol::toString(type));
  v.setSpacing(image.spacing());
  v.setOrigin(image.origin());
  return v;
}

} // namespace

cl::ProjectTraining toProjectTraining(const TrainingSettings& s) {
  cl::ProjectTraining t;
  t.baseWidth = s.baseWidth;
  t.epochs = s.epochs;
  t.maxMinutes = s.maxMinutes;
  t.batch = s.batch;
  t.crop = s.crop;
  t.iterationsPerEpoch = s.iterationsPerEpoch;
  t.learningRate = s.learningRate;
  t.valFraction = s.valFraction;
  t.augment = s.augment;
  t.device = deviceName(s.device);
  t.contextSlices = s.contextSlices;
  t.loss = core::ml::toString(s.loss);
  t.lrSchedule = core::ml::toString(s.lrSchedule);
  t.precision = core::ml::toString(s.precision);
  return t;
}

TrainingSettings fromProjectTraining(const cl::ProjectTraining& t, TrainingSettings s) {
  s.baseWidth = t.baseWidth;
  s.epochs = t.epochs;
  s.maxMinutes = t.maxMinutes;
  s.batch = t.batch;
  s.crop = t.crop;
  s.iterationsPerEpoch = t.iterationsPerEpoch;
  s.learningRate = t.learningRate;
  s.valFraction = t.valFraction;
  s.augment = t.augment;
  s.device = t.device == "cpu" ? core::ml::DeviceRequest::Cpu
                               : (t.device == "cuda" ? core::ml::DeviceRequest::Cuda : core::ml::DeviceRequest::Auto);
  s.contextSlices = t.contextSlices;
  s.loss = core::ml::parseLossKind(t.loss);           // ProjectFile checked the names
  s.lrSchedule = core::ml::parseLrSchedule(t.lrSchedule);
  s.precision = core::ml::parsePrecision(t.precision);
  return s;
}

ProjectExtras::ProjectExtras(Studio& studio, ProjectWindow& window, QObject* parent)
    : QObject(parent), m_studio(studio), m_window(window) {
  connect(&m_studio.training(), &TrainingController::modelReady, this, [this] {
    m_modelUnsaved = true;
    Q_EMIT unsavedModelChanged();
  });
}

QString ProjectExtras::modelsFolder(const QString& projectPath) {
  const QFileInfo f(projectPath);
  return f.absoluteDir().filePath(f.completeBaseName() + QStringLiteral(".models"));
}

QString ProjectExtras::save(cl::ProjectFile& project, const QString& projectPath, bool saveAs, QString* modelProblem) {
  QString kept;
  project.training = toProjectTraining(m_window.trainingSettings());
  PredictionController& prediction = m_studio.prediction();
  const QString checkpoint = prediction.checkpoint();
  if (!checkpoint.isEmpty()) {
    const QFileInfo from(checkpoint);
    const QString folder = QDir(modelsFolder(projectPath)).absolutePath();
    kept = from.absoluteFilePath();
    if (!kept.startsWith(folder + QLatin1Char('/'))) {
      // Not beside the project yet (trained before the first save, loaded from elsewhere, or
      // beside the project this one was saved from): a copy, complete before the project names it.
      kept = QDir(folder).filePath(from.dir().dirName() + QLatin1Char('/') + from.fileName());
      try {
        cl::copyFileAtomically(from.absoluteFilePath().toStdString(), kept.toStdString());
        // The copy becomes the current model (the panel names its file; fine-tuning starts from it).
        prediction.setModel(core::ml::Model::load(kept.toStdString(), core::ml::LoadOptions{}), kept);
      } catch (const std::exception& e) {
        if (modelProblem) *modelProblem = QString::fromStdString(e.what());
        kept.clear();
      }
    }
    if (!kept.isEmpty()) {
      auto& models = project.modelPaths;
      models.erase(std::remove(models.begin(), models.end(), kept.toStdString()), models.end());
      models.insert(models.begin(), kept.toStdString());
    }
  }
  saveAnalysis(project, projectPath, saveAs);
  saveEvolution(project, projectPath);
  return kept;
}

void ProjectExtras::saveEvolution(cl::ProjectFile& project, const QString& projectPath) {
  const EvolutionController& evo = m_studio.evolution();
  if (!evo.hasResult()) {
    // A comparison restarted on open and still running keeps its entry.
    if (!evo.isRunning()) project.evolution.reset();
    return;
  }
  cl::ProjectEvolution e;
  const EvolutionRequest& request = evo.resultRequest();
  e.imageBPath = request.pathB.toStdString();
  e.cracksBPath = request.cracksB.toStdString();
  e.affine = request.affine;
  const auto& r = evo.result().registration;
  for (std::size_t i = 0; i < 9; ++i) e.transform[i] = r.physical.m[i];
  for (std::size_t i = 0; i < 3; ++i) e.transform[9 + i] = r.physical.t[i];
  e.correlation = r.correlation;
  e.csvPath = (projectStem(projectPath) + QStringLiteral(".evolution.csv")).toStdString();
  evo.exportCsv(QString::fromStdString(e.csvPath)); // atomic; throws naming the file
  project.evolution = e;
}

bool ProjectExtras::openEvolution(const cl::ProjectEvolution& e, QString& problem) {
  if (!QFileInfo::exists(QString::fromStdString(e.imageBPath))) {
    problem = tr("The second time point %1 is missing: the project opened without it.").arg(QString::fromStdString(e.imageBPath));
    return false;
  }
  EvolutionRequest r;
  r.pathB = QString::fromStdString(e.imageBPath);
  r.cracksB = QString::fromStdString(e.cracksBPath);
  r.affine = e.affine;
  r.crackSourceA = m_window.crackSource();
  if (!m_studio.particles().isEmpty()) r.analysis = m_studio.particles().options();
  QString why;
  const auto connection = connect(&m_studio.evolution(), &EvolutionController::failed, this, [&why](const QString& m) { why = m; });
  const bool started = m_studio.evolution().run(r);
  disconnect(connection);
  if (!started) problem = tr("The second time point was not restored: %1").arg(why);
  return started;
}

void ProjectExtras::saveAnalysis(cl::ProjectFile& project, const QString& projectPath, bool saveAs) {
  const ParticleLayer& layer = m_studio.particles();
  if (layer.isEmpty()) {
    project.analysis.reset();
    return;
  }
  cl::ProjectAnalysis a = project.analysis.value_or(cl::ProjectAnalysis{});
  const auto missing = [](const std::string& p) { return p.empty() || !QFileInfo::exists(QString::fromStdString(p)); };
  if (saveAs || !project.analysis || layer.generation() != m_savedAnalysisGeneration || missing(a.particlesPath) ||
      missing(a.phasesPath) || missing(a.tablePath)) {
    const QString stem = projectStem(projectPath);
    a.particlesPath = (stem + QStringLiteral(".particles.nrrd")).toStdString();
    a.phasesPath = (stem + QStringLiteral(".phases.nrrd")).toStdString();
    a.tablePath = (stem + QStringLiteral(".particles.csv")).toStdString();
    vol::writeVolume(layer.labels(), a.particlesPath); // each atomic: temporary file, then rename
    vol::writeVolume(layer.phases(), a.phasesPath);
    layer.exportCsv(QString::fromStdString(a.tablePath)); // and its depth profile beside it
  }
  const ca::AnalysisOptions& o = layer.options();
  a.solidThreshold = o.segmentation.solidThreshold;
  a.minVolume = o.segmentation.minVolume;
  a.splitHeight = o.segmentation.splitHeight;
  a.contactRatio = o.segmentation.contactRatio;
  a.depthAxis = o.statistics.depthAxis;
  a.depthFromLast = o.statistics.depthSide == ca::DepthSide::Last;
  a.packingRadiusFactor = o.statistics.packingRadiusFactor;
  a.binWidthUm = o.binWidthUm;
  const CrackSource source = m_window.crackSource();
  a.crackSource = source == CrackSource::Labels ? "labels" : (source == CrackSource::None ? "none" : "prediction");
  a.usedSolidThreshold = layer.segmentationStats().solidThreshold;
  a.thresholdMethod = layer.segmentationStats().thresholdMethod;
  a.provenanceSource = layer.provenance().source;
  a.provenanceCracks = layer.provenance().crackSource;
  project.analysis = a;
}

void ProjectExtras::markSaved(bool modelKept) {
  m_savedAnalysisGeneration = m_studio.particles().generation();
  if (m_modelUnsaved && modelKept) {
    m_modelUnsaved = false;
    Q_EMIT unsavedModelChanged();
  }
}

QStringList ProjectExtras::open(cl::ProjectFile& project) {
  QStringList problems;
  if (project.training) m_window.setTrainingSettings(fromProjectTraining(*project.training, m_window.trainingSettings()));
  if (project.analysis) {
    try {
      openAnalysis(*project.analysis);
    } catch (const std::exception& e) {
      problems << tr("The particle analysis was not restored: %1").arg(QString::fromStdString(e.what()));
      project.analysis.reset();
    }
  }
  if (project.evolution) {
    QString problem;
    if (!openEvolution(*project.evolution, problem)) {
      problems << problem;
      project.evolution.reset();
    }
  }
  if (!project.modelPaths.empty()) {
    const QString path = QString::fromStdString(project.modelPaths.front());
    try {
      if (!QFileInfo::exists(path)) throw std::runtime_error("the file does not exist");
      m_studio.prediction().setModel(core::ml::Model::load(path.toStdString(), core::ml::LoadOptions{}), path);
    } catch (const std::exception& e) {
      problems << tr("The project's model %1 was not loaded (%2); the rest of the project is open. Train or load a "
                     "model, then save the project.")
                      .arg(path, QString::fromStdString(e.what()));
      project.modelPaths.erase(project.modelPaths.begin());
    }
  }
  if (m_modelUnsaved) {
    m_modelUnsaved = false;
    Q_EMIT unsavedModelChanged();
  }
  return problems;
}

void ProjectExtras::openAnalysis(const cl::ProjectAnalysis& a) {
  const Session& s = m_studio.session();
  if (!s.hasImage()) return;
  const vol::Volume& image = s.image();
  ca::AnalysisResult r;
  r.segmentation.labels = readMatching(a.particlesPath, vol::VoxelType::UInt32, image);
  r.segmentation.phases = readMatching(a.phasesPath, vol::VoxelType::UInt8, image);
  r.particles = ca::tableFromCsv(ca::readCsv(a.tablePath), ca::particleColumns(), "particle table '" + a.tablePath + "'");
  ca::AnalysisOptions o;
  o.segmentation.solidThreshold = a.solidThreshold;
  o.segmentation.minVolume = a.minVolume;
  o.segmentation.splitHeight = a.splitHeight;
  o.segmentation.contactRatio = a.contactRatio;
  o.statistics.depthAxis = a.depthAxis;
  o.statistics.depthSide = a.depthFromLast ? ca::DepthSide::Last : ca::DepthSide::First;
  o.statistics.packingRadiusFactor = a.packingRadiusFactor;
  o.binWidthUm = a.binWidthUm;
  r.depthProfile = ca::depthProfile(r.particles, o.binWidthUm);
  r.segmentation.stats.solidThreshold = a.usedSolidThreshold;
  r.segmentation.stats.thresholdMethod = a.thresholdMethod;
  r.segmentation.stats.particleCount = std::uint32_t(r.particles.rowCount());
  const int rows = int(r.particles.rowCount());
  m_studio.particles().setResult(std::move(r), o, {a.provenanceSource, a.provenanceCracks}, &image);
  m_window.showAnalysisOptions(o, a.crackSource == "labels" ? CrackSource::Labels
                                                            : (a.crackSource == "none" ? CrackSource::None
                                                                                       : CrackSource::Prediction));
  // The panel shows a restored result as it shows a finished run.
  Q_EMIT m_studio.analysis().completed(rows);
  m_savedAnalysisGeneration = m_studio.particles().generation();
}

} // namespace ui
