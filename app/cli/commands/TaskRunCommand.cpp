// cdnet task-run: runs one task of a cluster job (what the batch script calls on a compute node)
// and writes its done marker once its pieces are complete.
#include "app/cli/support/ClusterSupport.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/Command.h"

#include "core/cluster/TaskRunner.h"
#include "core/cluster/VolumeMerge.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace {

using namespace core::cluster;

struct TaskRunOptions {
  std::string manifest;
  int index = -1;
  bool force = false;
};

void checkPiece(const OutputSpec& out, const Task& task, const std::string& path) {
  if (out.type == PieceType::Volume) {
    checkVolumePiece(path, task.slab.owned());
    return;
  }
  // A CSV piece needs at least its header row (a slab without particles has no other rows).
  const std::string text = readFile(path);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!line.empty() && line[0] != '#') return;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  throw std::runtime_error(path + ": the CSV piece has no header row");
}

void setupTaskRun(CLI::App& cmd) {
  auto o = std::make_shared<TaskRunOptions>();
  cmd.add_option("manifest", o->manifest, "The job's manifest.json, or its work directory")->required();
  cmd.add_option("index", o->index, "The task (default: $SLURM_ARRAY_TASK_ID)")->check(cli::wholeIn(0, 100000));
  cmd.add_flag("--force", o->force, "Run even when the task is already done");
  cmd.callback([o] {
    std::string dir = o->manifest;
    if (std::filesystem::path(dir).filename() == "manifest.json") dir = std::filesystem::path(dir).parent_path().string();
    if (dir.empty()) dir = ".";
    int index = o->index;
    if (index < 0) {
      const char* env = std::getenv("SLURM_ARRAY_TASK_ID");
      if (!env) throw std::runtime_error("give the task index, or run inside a Slurm array job (SLURM_ARRAY_TASK_ID)");
      index = std::atoi(env);
    }
    const WorkDir work = WorkDir::open(dir);
    core::cluster::TaskRunOptions opts;
    opts.force = o->force;
    opts.validate = checkPiece;
    const TaskRunResult r = runTask(work, index, opts);
    const Task& t = work.manifest().tasks[std::size_t(index)];
    if (r.ran)
      std::fprintf(stderr, "cdnet task-run: task %d (slices %lld:%lld) done in %.1f s\n", index, (long long)t.slab.z0,
                   (long long)t.slab.z1, r.seconds);
    else
      std::fprintf(stderr, "cdnet task-run: task %d was already done; its pieces are kept\n", index);
  });
}

} // namespace

// Registered by hand: the macro needs a name that is also an identifier.
static const bool cdnet_registered_command_task_run =
    ::cli::registerCommand("task-run", "Run one task of a cluster job and mark it done (called by the Slurm batch script)",
                           setupTaskRun);
