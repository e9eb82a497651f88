// cdnet bench scale: throughput (voxels per second) of one process over a whole phantom against a
// job array of N tasks over slabs of it on this machine (through Slurm when a cluster answers,
// else N task-run processes side by side, as Slurm would run them on one node), the peak memory
// of each task, the merge (counted in the ratio), and whether the merged result equals the
// one-process result. Says when the tasks outnumber the cores.
#include "app/cli/bench/BenchCommon.h"
#include "app/cli/support/ClusterSupport.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/Command.h"

#include "core/cluster/Process.h"
#include "core/cluster/TaskRunner.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cli {

namespace {

using namespace core::cluster;
using Clock = std::chrono::steady_clock;

struct ScaleArgs {
  std::string size = "256,256,32", command, model, dir, slurm = "auto", json;
  int tasks = 4, baseWidth = 16;
};

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

ProcessResult mustRun(const std::vector<std::string>& argv, const char* what) {
  ProcessResult r = runCaptured(argv, 0);
  if (!r.ok()) throw std::runtime_error(std::string(what) + " " + r.describe() + ": " + r.err + r.out);
  return r;
}

bool sameVoxels(const std::string& a, const std::string& b) {
  const core::volume::Volume va = core::volume::readVolume(a), vb = core::volume::readVolume(b);
  return va.size() == vb.size() && va.type() == vb.type() && std::memcmp(va.data(), vb.data(), va.bytes()) == 0;
}

/// Whether to use Slurm: "yes", "no", or "auto" (when `sinfo` answers).
bool slurmAnswers(const std::string& slurm) {
  if (slurm != "auto") return slurm == "yes";
  try {
    return runCaptured({"sinfo", "-h"}, 15).ok();
  } catch (const std::exception&) {
    return false;
  }
}

/// `cdnet submit` of \p command as \p tasks slab tasks in \p work: through Slurm (waiting for
/// them), or a dry run whose tasks then run side by side here, as Slurm runs them on one node.
void runArray(const std::string& self, const std::string& command, int tasks, const std::string& work,
              const std::vector<std::string>& commandArgs, bool useSlurm) {
  std::vector<std::string> submit{self, "submit", command, "--tasks", std::to_string(tasks), "--work-dir", work};
  if (useSlurm) {
    for (const char* s : {"--wait", "--poll", "0.2"}) submit.push_back(s);
  } else {
    submit.push_back("--dry-run");
  }
  submit.push_back("--");
  for (const std::string& s : commandArgs) submit.push_back(s);
  mustRun(submit, "cdnet submit");
  if (useSlurm) return;
  const int n = int(WorkDir::open(work).manifest().tasks.size());
  std::vector<ProcessResult> results(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] { results[std::size_t(i)] = runCaptured({self, "task-run", work, std::to_string(i)}, 0); });
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < n; ++i)
    if (!results[std::size_t(i)].ok())
      throw std::runtime_error("task " + std::to_string(i) + " " + results[std::size_t(i)].describe() + ": " +
                               results[std::size_t(i)].err);
}

/// The arguments of the benched command before its output path (predict trains a small model
/// first when none is given); \p what gets a description of the run.
std::vector<std::string> commandArgs(const std::string& self, const std::string& command, const ScaleArgs& a,
                                     const std::string& dir, const std::string& image, std::string& what) {
  std::vector<std::string> args;
  if (command == "predict") {
    std::string model = a.model;
    if (model.empty()) {
      model = dir + "/model";
      mustRun({self, "train", "--images", image, "--labels", dir + "/phantom/cracks.h5", "--out", model, "--base-width",
               std::to_string(a.baseWidth), "--epochs", "1", "--iterations-per-epoch", "1", "--batch", "1",
               "--crop-size", "64", "--no-augment"},
              "cdnet train (a small model for the bench)");
      what += " (base width " + std::to_string(a.baseWidth) + " model after one training step)";
    }
    args = {"--model", model, "--input", image, "--out"};
  } else if (command == "convert") {
    args = {image};
    what += " to float32";
  } else {
    throw std::runtime_error("cdnet bench scale runs predict or convert");
  }
  return args;
}

/// The smallest and largest peak memory of the array's tasks and the slowest task's time.
struct TaskPeaks {
  double minMiB = 1e300, maxMiB = 0, slowestSeconds = 0;
};

TaskPeaks taskPeaks(const WorkDir& w) {
  TaskPeaks p;
  for (const Task& t : w.manifest().tasks) {
    const MarkerInfo m = readMarker(w.markerPath(t.index));
    p.minMiB = std::min(p.minMiB, double(m.peakRssBytes) / 1048576.0);
    p.maxMiB = std::max(p.maxMiB, double(m.peakRssBytes) / 1048576.0);
    p.slowestSeconds = std::max(p.slowestSeconds, m.seconds);
  }
  return p;
}

void runScale(const ScaleArgs& a) {
  const std::string self = thisExecutable();
  std::string command = a.command;
  if (command.empty()) command = clusterCommand("predict") ? "predict" : "convert";
  bool hasCommand = false;
  for (const CommandEntry& c : commands()) hasCommand = hasCommand || c.name == command;
  if (!hasCommand || !clusterCommand(command))
    throw std::runtime_error("cannot bench '" + command + "': this cdnet cannot distribute it");

  std::string dir = a.dir;
  bool removeDir = false;
  if (dir.empty()) {
    char tmpl[] = "/tmp/cdnet-bench-scale-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("cannot create a folder in /tmp");
    dir = tmpl;
    removeDir = true;
  }
  struct Cleanup {
    std::string path;
    bool on;
    ~Cleanup() {
      std::error_code ec;
      if (on) fs::remove_all(path, ec);
    }
  } cleanup{dir, removeDir};
  fs::create_directories(dir);

  // The input: a phantom (and its crack mask, to train a small model when none is given).
  mustRun({self, "phantom", "--out", dir + "/phantom", "--size", a.size, "--format", "hdf5"}, "cdnet phantom");
  const std::string image = dir + "/phantom/image.h5";
  const core::volume::VolumeInfo info = core::volume::openVolume(image)->info();
  const double voxels = double(info.size.count());

  std::string what = command;
  const std::vector<std::string> args = commandArgs(self, command, a, dir, image, what);
  auto withOut = [&](const std::string& out) {
    std::vector<std::string> v = args;
    v.push_back(out);
    if (command == "convert") {
      v.push_back("--type");
      v.push_back("float32");
    }
    return v;
  };

  // One process over the whole volume.
  const std::string single = dir + "/single.h5";
  std::vector<std::string> one{self, command};
  for (const std::string& s : withOut(single)) one.push_back(s);
  auto t0 = Clock::now();
  const ProcessResult r1 = mustRun(one, "the one-process run");
  const double t1 = since(t0);

  // The same as a job array.
  const bool useSlurm = slurmAnswers(a.slurm);
  const std::string work = dir + "/array", merged = dir + "/merged.h5";
  t0 = Clock::now();
  runArray(self, command, a.tasks, work, withOut(merged), useSlurm);
  const double tArray = since(t0);
  t0 = Clock::now();
  mustRun({self, "merge", work}, "cdnet merge");
  const double tMerge = since(t0);

  const WorkDir w = WorkDir::open(work);
  const TaskPeaks peaks = taskPeaks(w);
  const double minMiB = peaks.minMiB, maxMiB = peaks.maxMiB, taskSeconds = peaks.slowestSeconds;
  const bool same = sameVoxels(single, merged);

  const int tasks = int(w.manifest().tasks.size());
  const int cores = core::bench::coreCount();
  core::bench::Report report("scale");
  // Each process (the one-process run and every task) uses LibTorch's default: every core.
  report.set("threads", std::to_string(cores) + " per process");
  std::printf("bench scale: cdnet %s of a %lld x %lld x %lld phantom (%.2f M voxels), %d cores\n", what.c_str(),
              (long long)info.size.x, (long long)info.size.y, (long long)info.size.z, voxels / 1e6, cores);
  printConditions(report);
  if (tasks > cores)
    std::printf("  NOTE: %d tasks, %d cores here: the tasks outnumber the cores%s and share them, so the array can be "
                "at most about %d times as fast as one process, not %d\n",
                tasks, cores, useSlurm ? " (when Slurm runs them on this machine)" : "", cores, tasks);
  std::printf("  one process            %8.2f s  %8.3f M voxels/s  peak memory %.0f MiB\n", t1, voxels / t1 / 1e6,
              double(r1.peakRssKiB) / 1024.0);
  std::printf("  %d-task array (%s)  %8.2f s  %8.3f M voxels/s  peak memory per task %.0f-%.0f MiB, slowest task %.2f s\n",
              tasks, useSlurm ? "Slurm" : "local", tArray, voxels / tArray / 1e6, minMiB, maxMiB, taskSeconds);
  std::printf("  merge                  %8.2f s\n", tMerge);
  std::printf("  array + merge          %8.2f s  %8.3f M voxels/s\n", tArray + tMerge, voxels / (tArray + tMerge) / 1e6);
  std::printf("  ratio (array + merge) / one process: %.2f (throughput; without the merge %.2f)\n", t1 / (tArray + tMerge),
              t1 / tArray);
  std::printf("  merged result equals the one-process result voxel for voxel: %s\n", same ? "yes" : "NO");
  report.set("command", command);
  report.set("voxels", voxels);
  report.set("tasks", tasks);
  report.set("tasks_outnumber_cores", tasks > cores);
  report.set("scheduler", useSlurm ? "slurm" : "local");
  report.set("one_process_s", t1);
  report.set("array_s", tArray);
  report.set("merge_s", tMerge);
  report.set("ratio_with_merge", t1 / (tArray + tMerge));
  report.set("ratio_without_merge", t1 / tArray);
  report.set("peak_mib_one_process", double(r1.peakRssKiB) / 1024.0);
  report.set("peak_mib_task_max", maxMiB);
  report.set("identical", same);
  if (!same) throw std::runtime_error("the merged result differs from the one-process result");
  printResult(report, a.json);
}

void setupBenchScale(CLI::App& cmd) {
  auto a = std::make_shared<ScaleArgs>();
  cmd.add_option("--size", a->size, "Phantom size X,Y,Z in voxels")->capture_default_str();
  cmd.add_option("--tasks", a->tasks, "Tasks of the array")->capture_default_str()->check(cli::wholeIn(1, 1024));
  cmd.add_option("--command", a->command, "predict (default) or convert");
  cmd.add_option("--model", a->model, "predict: the model (default: a freshly initialised small one)");
  cmd.add_option("--base-width", a->baseWidth, "predict without --model: base width of the small model")
      ->capture_default_str()
      ->check(cli::wholeIn(1, 256));
  cmd.add_option("--slurm", a->slurm, "auto (Slurm when sinfo answers), yes, no (tasks as local processes)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "yes", "no"}));
  cmd.add_option("--dir", a->dir, "Keep the files in this folder (default: a temporary one, removed)");
  addJsonOption(cmd, a->json);
  cmd.callback([a] { runScale(*a); });
}

} // namespace

CDNET_BENCH(scale, "Throughput of one process against a job array of slab tasks plus the merge, and peak memory per task",
            setupBenchScale)

} // namespace cli
