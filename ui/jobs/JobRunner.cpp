#include "ui/jobs/JobRunner.h"

#include <algorithm>

namespace ui {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  const char* names[] = {"data", "training", "prediction", "surface"};
  for (std::size_t i = 0; i < m_lanes.size(); ++i) m_lanes[i] = new JobLane(QString::fromLatin1(names[i]), this);
  JobLane& data = lane(Lane::Data);
  connect(&data, &JobLane::stateChanged, this, &JobRunner::stateChanged);
  connect(&data, &JobLane::progressed, this, &JobRunner::progressed);
  connect(&data, &JobLane::finished, this, &JobRunner::finished);
}

JobRunner::~JobRunner() {
  // Every lane's work is cancelled first (quietly), so they stop side by side; each lane then joins its own.
  for (JobLane* l : m_lanes) {
    l->blockSignals(true);
    l->cancel();
  }
  for (JobLane* l : m_lanes) delete l;
}

bool JobRunner::anyBusy() const {
  return std::any_of(m_lanes.begin(), m_lanes.end(), [](const JobLane* l) { return l->isBusy(); });
}

} // namespace ui
