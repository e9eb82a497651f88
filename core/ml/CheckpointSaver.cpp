// When a training run writes checkpoints (detail/CheckpointIO.h, CheckpointSaver).
#include "core/ml/detail/CheckpointIO.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace core::ml::detail {

namespace {

// The epoch number of "epoch-NNNN.pt", or -1 for any other name.
int periodicEpoch(const std::string& name) {
  const std::string prefix = "epoch-", suffix = ".pt";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return -1;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  return std::atoi(digits.c_str());
}

} // namespace

CheckpointSaver::CheckpointSaver(SavePolicy policy, UNet& net, torch::optim::Optimizer& optimizer)
    : m_policy(std::move(policy)), m_net(net), m_optimizer(optimizer) {}

bool CheckpointSaver::due(const Mark& m, std::int64_t step) const {
  if (m.step < 0) return true;
  if (m_policy.everySeconds <= 0 && m_policy.everySteps <= 0) return true;
  if (m_policy.everySeconds > 0 && std::chrono::duration<double>(Clock::now() - m.at).count() >= m_policy.everySeconds)
    return true;
  return m_policy.everySteps > 0 && step - m.step >= m_policy.everySteps;
}

std::string CheckpointSaver::write(const std::string& name, CheckpointInfo& info, const char* role, Mark* mark) {
  info.role = role;
  const std::string path = (fs::path(m_policy.outDir) / name).string();
  m_counters.bytesWritten += writeCheckpoint(path, m_net, &m_optimizer, info);
  if (mark) *mark = {Clock::now(), info.iterations};
  return path;
}

void CheckpointSaver::epochEnded(CheckpointInfo& info, bool improved) {
  if (m_policy.outDir.empty()) return;
  const std::int64_t step = info.iterations;
  if (improved && due(m_best, step)) {
    m_bestPath = write(bestCheckpointName(), info, "best", &m_best);
    ++m_counters.bestWrites;
    m_pendingBest.clear();
  } else if (improved) {
    info.role = "best";
    m_pendingBest = serializeCheckpoint(m_net, &m_optimizer, info);
    m_pendingStep = step;
  } else if (!m_pendingBest.empty() && due(m_best, step)) {
    flushPendingBest();
  }
  if (due(m_last, step)) {
    m_lastPath = write(lastCheckpointName(), info, "last", &m_last);
    ++m_counters.lastWrites;
  }
  if (m_policy.periodicEvery > 0 && info.epoch % m_policy.periodicEvery == 0) {
    write(epochCheckpointName(info.epoch), info, "epoch", nullptr);
    ++m_counters.periodicWrites;
    prunePeriodic();
  }
}

void CheckpointSaver::flushPendingBest() {
  if (m_pendingBest.empty()) return;
  m_bestPath = (fs::path(m_policy.outDir) / bestCheckpointName()).string();
  m_counters.bytesWritten += writeCheckpointBytes(m_bestPath, m_pendingBest);
  ++m_counters.bestWrites;
  m_best = {Clock::now(), m_pendingStep};
  m_pendingBest.clear();
  m_pendingBest.shrink_to_fit();
}

void CheckpointSaver::finish(CheckpointInfo& info) {
  if (m_policy.outDir.empty()) return;
  flushPendingBest();
  if (m_last.step != info.iterations) {
    m_lastPath = write(lastCheckpointName(), info, "last", &m_last);
    ++m_counters.lastWrites;
  }
}

void CheckpointSaver::prunePeriodic() {
  if (m_policy.keepPeriodic <= 0) return;
  std::vector<std::pair<int, fs::path>> found;
  std::error_code ec;
  for (fs::directory_iterator it(m_policy.outDir, ec), end; !ec && it != end; it.increment(ec)) {
    const int e = periodicEpoch(it->path().filename().string());
    if (e >= 0 && it->is_regular_file(ec)) found.emplace_back(e, it->path());
  }
  if (int(found.size()) <= m_policy.keepPeriodic) return;
  std::sort(found.begin(), found.end());
  // Oldest first; the newest K (the one just written among them) stay.
  for (std::size_t i = 0; i + std::size_t(m_policy.keepPeriodic) < found.size(); ++i)
    if (fs::remove(found[i].second, ec)) ++m_counters.periodicRemoved;
}

std::uint64_t CheckpointSaver::keptBytes(int* files) const {
  std::uint64_t total = 0;
  int count = 0;
  std::error_code ec;
  if (!m_policy.outDir.empty())
    for (fs::directory_iterator it(m_policy.outDir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string n = it->path().filename().string();
      if (n.empty() || n[0] == '.' || it->path().extension() != ".pt" || !it->is_regular_file(ec)) continue;
      total += it->file_size(ec);
      ++count;
    }
  if (files) *files = count;
  return total;
}

} // namespace core::ml::detail
