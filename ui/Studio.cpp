#include "ui/Studio.h"

#include "ui/controllers/AnalysisController.h"
#include "ui/controllers/EvolutionController.h"
#include "ui/controllers/PredictionController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/io/CacheBudgetDialog.h"
#include "ui/io/LoadController.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ParticleLayer.h"
#include "ui/model/ParticleTableModel.h"
#include "ui/model/Session.h"

#include "core/volume/lazy/ChunkCache.h"


namespace ui {

Studio::Studio(QObject* parent) : QObject(parent) {
  m_session = new Session(this);
  m_cursor = new CursorModel(this);
  // The cursor learns the new bounds before anything else sees the new dataset.
  connect(m_session, &Session::datasetChanged, m_cursor, [this] {
    m_cursor->setBounds(m_session->hasImage() ? m_session->image().size() : core::volume::Size3{});
  });
  m_display = new DisplaySettings(this);
  m_jobs = new JobRunner(this);
  m_loader = new LoadController(*m_session, *m_jobs, this);
  m_training = new TrainingController(*m_session, *m_jobs, this);
  m_prediction = new PredictionController(*m_session, *m_jobs, this);
  m_particles = new ParticleLayer(this);
  m_particles->setJobRunner(m_jobs);
  m_analysis = new AnalysisController(*m_session, *m_jobs, *m_particles, *m_display, this);
  m_particleTable = new ParticleTableModel(*m_particles, this);
  m_evolution = new EvolutionController(*m_session, *m_jobs, *m_particles, *m_display, *m_analysis, this);
  m_chunkCache = std::make_shared<core::volume::ChunkCache>(cacheBudgetFromSettings());
}

Studio::~Studio() {
  // Reverse order of creation: each object goes before the ones it refers to.
  delete m_evolution;
  delete m_particleTable;
  delete m_analysis;
  delete m_particles;
  delete m_prediction;
  delete m_training;
  delete m_loader;
  delete m_jobs;
  delete m_display;
  delete m_cursor;
  delete m_session;
}

} // namespace ui
