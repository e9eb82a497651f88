// cdnet submit: distributes predict or analyze over a Slurm job array, one task per slab range;
// --resume reruns only the tasks without a done marker; --status shows where a job stands.
#include "app/cli/support/ClusterSupport.h"
#include "app/cli/support/NumberChecks.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/TerminalProgress.h"

#include "core/cluster/ClusterJob.h"
#include "core/cluster/Process.h"
#include "core/cluster/TaskRunner.h"
#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace {

using namespace core::cluster;

struct SubmitOptions {
  std::string command;
  std::vector<std::string> args;
  std::string workDir, resume, status, program;
  int tasks = 0;
  std::int64_t slabSize = 0, align = 1, halo = -1;
  SlurmOptions slurm;
  bool dryRun = false, wait = false, merge = false;
  double poll = 5, timeout = 0;
  cli::MergeChoices mergeChoices;
};

void printSubmitted(const WorkDir& work, const SubmitResult& r, bool dryRun) {
  const Manifest& m = work.manifest();
  if (!r.stillActive.empty())
    std::printf("tasks %s are still pending or running in an earlier job; left alone\n", cli::taskList(r.stillActive).c_str());
  if (r.tasks.empty()) {
    if (r.stillActive.empty()) std::printf("all %zu tasks of %s are done; nothing to submit\n", m.tasks.size(), work.dir().c_str());
    return;
  }
  if (dryRun) {
    std::printf("wrote %s for tasks %s (dry run: not submitted)\n", work.scriptPath().c_str(), cli::taskList(r.tasks).c_str());
    return;
  }
  std::printf("submitted job %s: %zu task%s (%s) of cdnet %s over slices %lld:%lld\n", r.jobId.c_str(), r.tasks.size(),
              r.tasks.size() == 1 ? "" : "s",
              cli::taskList(r.tasks).c_str(), m.kind.c_str(), (long long)m.begin, (long long)m.end);
  std::printf("follow it with: cdnet submit --status %s\n", work.dir().c_str());
}

void waitAndReport(WorkDir& work, const SlurmClient& slurm, const SubmitResult& r, const SubmitOptions& o) {
  if (r.jobId.empty() && r.stillActive.empty()) return;
  WaitOptions w;
  w.pollSeconds = o.poll;
  w.timeoutSeconds = o.timeout;
  std::vector<int> failed;
  {
    cli::TerminalProgress progress("Waiting for Slurm");
    if (!r.jobId.empty()) {
      const WaitResult res = waitForJob(work, slurm, r.jobId, r.tasks, w, progress, core::jobs::neverCancelled());
      failed = res.failed;
    }
    // Tasks of earlier jobs that were still running: wait for those jobs too.
    for (const Submission& s : work.manifest().submissions) {
      if (s.jobId == r.jobId) continue;
      std::vector<int> mine;
      for (int t : s.tasks)
        if (std::find(r.stillActive.begin(), r.stillActive.end(), t) != r.stillActive.end()) mine.push_back(t);
      if (mine.empty()) continue;
      const WaitResult res = waitForJob(work, slurm, s.jobId, mine, w, progress, core::jobs::neverCancelled());
      failed.insert(failed.end(), res.failed.begin(), res.failed.end());
    }
    progress.done();
  }
  const std::vector<int> missing = work.missingTasks();
  if (!missing.empty()) {
    std::string logs;
    for (int t : missing) {
      for (auto it = work.manifest().submissions.rbegin(); it != work.manifest().submissions.rend(); ++it) {
        if (std::find(it->tasks.begin(), it->tasks.end(), t) == it->tasks.end()) continue;
        logs += "\n  task " + std::to_string(t) + ": " + work.logsDir() + "/task-" + std::to_string(t) + "-job" +
                it->jobId + ".out";
        break;
      }
    }
    throw std::runtime_error(std::to_string(missing.size()) + " of " + std::to_string(work.manifest().tasks.size()) +
                             " tasks did not finish (" + cli::taskList(missing) + "); their logs:" + logs +
                             "\nrerun just those with: cdnet submit --resume " + work.dir());
  }
  std::printf("all %zu tasks done\n", work.manifest().tasks.size());
  if (o.merge) {
    cli::TerminalProgress progress("Merging");
    cli::mergeJob(work, o.mergeChoices, progress);
  }
}

void printStatus(const WorkDir& work, const SlurmClient& slurm) {
  const Manifest& m = work.manifest();
  // The latest state Slurm knows of each task.
  std::vector<std::string> state(m.tasks.size(), "not submitted");
  bool slurmAnswered = true;
  for (const Submission& s : m.submissions) {
    for (int t : s.tasks)
      if (t >= 0 && std::size_t(t) < state.size()) state[std::size_t(t)] = "submitted (job " + s.jobId + ", gone from Slurm)";
    try {
      for (const ArrayTaskState& st : slurm.query(s.jobId))
        for (int t : st.tasks)
          if (t >= 0 && std::size_t(t) < state.size())
            state[std::size_t(t)] = st.state + " (job " + st.jobId + (st.reason != "None" ? ", " + st.reason : "") + ")";
    } catch (const std::exception&) {
      slurmAnswered = false;
    }
  }
  std::printf("cdnet %s of %s, slices %lld:%lld, %zu tasks, work directory %s\n", m.kind.c_str(), m.input.c_str(),
              (long long)m.begin, (long long)m.end, m.tasks.size(), work.dir().c_str());
  std::size_t done = 0;
  for (const Task& t : m.tasks) {
    const bool isDone = work.status(t.index) == TaskStatus::Done;
    done += isDone;
    std::string what = state[std::size_t(t.index)];
    if (isDone) {
      what = "done";
      try {
        const MarkerInfo info = readMarker(work.markerPath(t.index));
        char buf[160];
        std::snprintf(buf, sizeof buf, " in %.1f s, peak memory %.0f MiB, on %s", info.seconds,
                      double(info.peakRssBytes) / (1024.0 * 1024.0), info.host.c_str());
        what += buf;
      } catch (const std::exception&) {
        // An older or hand-made marker: "done" says enough.
      }
    }
    std::printf("  task %4d  slices %6lld:%-6lld  %s\n", t.index, (long long)t.slab.z0, (long long)t.slab.z1, what.c_str());
  }
  std::printf("%zu of %zu done%s\n", done, m.tasks.size(), slurmAnswered ? "" : " (Slurm did not answer; states may be old)");
}

void run(SubmitOptions& o, CLI::App& cmd) {
  SlurmClient slurm;
  if (!o.status.empty()) {
    printStatus(WorkDir::open(o.status), slurm);
    return;
  }
  if (!o.resume.empty()) {
    WorkDir work = WorkDir::open(o.resume);
    // Resources may be changed on resume (more memory for a task that ran out, a longer time).
    SlurmOptions& s = work.manifest().slurm;
    if (cmd.count("--cpus")) s.cpusPerTask = o.slurm.cpusPerTask;
    if (cmd.count("--mem")) s.mem = o.slurm.mem;
    if (cmd.count("--time")) s.time = o.slurm.time;
    if (cmd.count("--gpus")) s.gpus = o.slurm.gpus;
    if (cmd.count("--partition")) s.partition = o.slurm.partition;
    if (cmd.count("--account")) s.account = o.slurm.account;
    if (cmd.count("--qos")) s.qos = o.slurm.qos;
    if (cmd.count("--max-parallel")) s.maxParallel = o.slurm.maxParallel;
    if (cmd.count("--sbatch-arg")) s.extraArgs = o.slurm.extraArgs;
    if (!o.dryRun) work.save();
    const SubmitResult r = submitMissing(work, slurm, o.dryRun);
    printSubmitted(work, r, o.dryRun);
    if ((o.wait || o.merge) && !o.dryRun) waitAndReport(work, slurm, r, o);
    return;
  }

  if (o.command.empty()) throw std::runtime_error("say which command to distribute (" + cli::clusterCommandNames() +
                                                  "), or give --resume DIR or --status DIR");
  const CommandSpec* spec = cli::clusterCommand(o.command);
  if (!spec)
    throw std::runtime_error("cdnet submit cannot distribute '" + o.command + "' (it can: " + cli::clusterCommandNames() + ")");
  if (o.workDir.empty()) throw std::runtime_error("--work-dir DIR is required (pieces, logs and the manifest go there)");
  if ((o.tasks > 0) == (o.slabSize > 0)) throw std::runtime_error("give either --tasks N or --slab-size Z");

  PlanRequest req;
  req.userArgs = o.args;
  req.program = o.program.empty() ? cli::thisExecutable() : std::filesystem::absolute(o.program).string();
  req.workingDirectory = std::filesystem::current_path().string();
  req.workDir = std::filesystem::absolute(o.workDir).lexically_normal().string();
  req.tasks = o.tasks;
  req.maxSlab = o.slabSize;
  req.align = o.align;
  if (o.halo >= 0) req.halo = o.halo;
  // The options through which submit tells each task its slab must exist in this cdnet's command.
  std::vector<std::string> slabOptions;
  if (!spec->sliceOption.empty()) slabOptions.push_back(spec->sliceOption);
  for (const std::string& a : spec->slabArgs)
    if (a.rfind("--", 0) == 0) slabOptions.push_back(a.substr(0, a.find('=')));
  const std::vector<std::string> lacking = cli::missingOptions(spec->name, slabOptions);
  if (!lacking.empty()) {
    std::string names;
    for (const std::string& l : lacking) names += (names.empty() ? "" : " and ") + l;
    throw std::runtime_error("this cdnet " + spec->name + " has no " + names + " option yet, so it cannot run on slabs");
  }
  const core::volume::OpenOptions open = cli::checkCommandArguments(spec->name, o.args);
  const auto input = inputArgument(*spec, o.args);
  if (!input) throw std::runtime_error("cdnet " + spec->name + " needs its input volume after '--'");
  req.depth = core::volume::openVolume(*input, open)->info().size.z;

  Manifest m;
  try {
    m = planJob(*spec, req);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(e.what());
  }
  // The command lines of the tasks must suit this cdnet too (for example a command that does not
  // take the slice option yet): better now than in every task on the cluster.
  cli::checkCommandArguments(spec->name,
                             std::vector<std::string>(m.tasks.front().argv.begin() + 2, m.tasks.front().argv.end()),
                             "the tasks' arguments (this cdnet " + spec->name + " cannot work on slabs?)");
  m.slurm = o.slurm;
  WorkDir work = WorkDir::create(o.workDir, std::move(m));
  const SubmitResult r = submitMissing(work, slurm, o.dryRun);
  printSubmitted(work, r, o.dryRun);
  if ((o.wait || o.merge) && !o.dryRun) waitAndReport(work, slurm, r, o);
}

void setupSubmit(CLI::App& cmd) {
  auto o = std::make_shared<SubmitOptions>();
  cmd.footer("Example:\n  cdnet submit predict --tasks 16 --gpus 1 --cpus 8 --mem 32G --time 4:00:00 --work-dir job1 \\\n"
             "      -- --input scan.h5 --model cdnet.pt --out cracks.h5\n"
             "  cdnet submit --status job1        (where the tasks stand)\n"
             "  cdnet submit --resume job1        (rerun only tasks without a done marker)\n"
             "  cdnet merge job1                  (join the pieces into cracks.h5)");
  cmd.add_option("command", o->command, "The command to distribute: " + cli::clusterCommandNames() +
                                            " (convert: give INPUT OUTPUT first after '--')");
  cmd.add_option("args", o->args, "The arguments of that command, after '--'");
  cmd.add_option("--work-dir", o->workDir, "Folder for the manifest, batch script, pieces, markers and logs "
                                          "(on a file system all nodes share)");
  cmd.add_option("--tasks", o->tasks, "Split the slices into this many tasks")->check(cli::wholeIn(1, 100000));
  cmd.add_option("--slab-size", o->slabSize, "Or: at most this many slices per task")->check(cli::wholeIn(1, cli::kMaxEdge));
  cmd.add_option("--halo", o->halo, "Slices each task reads beyond its borders (analyze: the largest particle size)")
      ->check(cli::wholeIn(0, cli::kMaxEdge));
  cmd.add_option("--align", o->align, "Put slab borders on multiples of this many slices (the z chunk size of the input)")
      ->check(cli::wholeIn(1, cli::kMaxEdge));
  cmd.add_option("--gpus", o->slurm.gpus, "GPUs per task (--gres=gpu:N)")->check(cli::wholeIn(0, 64));
  cmd.add_option("--cpus", o->slurm.cpusPerTask, "CPUs per task")->capture_default_str()->check(cli::wholeIn(1, 4096));
  cmd.add_option("--mem", o->slurm.mem, "Memory per task, Slurm syntax (16G)");
  cmd.add_option("--time", o->slurm.time, "Time limit per task, Slurm syntax (2:00:00)");
  cmd.add_option("--partition", o->slurm.partition, "Slurm partition");
  cmd.add_option("--account", o->slurm.account, "Slurm account");
  cmd.add_option("--qos", o->slurm.qos, "Slurm quality of service");
  cmd.add_option("--max-parallel", o->slurm.maxParallel, "At most this many tasks at once")->check(cli::wholeIn(1, 100000));
  cmd.add_option("--job-name", o->slurm.jobName, "Slurm job name (default cdnet-<command>)");
  cmd.add_option("--sbatch-arg", o->slurm.extraArgs, "Another sbatch option, as one word (--constraint=a100); repeatable");
  cmd.add_option("--cdnet", o->program, "The cdnet the tasks run (default: this one)");
  cmd.add_flag("--dry-run", o->dryRun, "Write the manifest and batch script, do not submit");
  cmd.add_flag("--wait", o->wait, "Wait until the tasks end; fail if any did not finish");
  cmd.add_flag("--merge", o->merge, "Wait, then join the pieces (as cdnet merge)");
  cmd.add_option("--poll", o->poll, "Seconds between two looks at the job while waiting")
      ->capture_default_str()
      ->check(cli::numberIn(0, 3600, true));
  cmd.add_option("--timeout", o->timeout, "Give up waiting after this many seconds (0: never)")
      ->capture_default_str()
      ->check(cli::numberIn(0, 1e8));
  cmd.add_option("--resume", o->resume, "Submit again the tasks of this work directory that have no done marker");
  cmd.add_option("--status", o->status, "Show the tasks of this work directory and their states");
  cmd.callback([o, &cmd] { run(*o, cmd); });
}

} // namespace

CDNET_COMMAND(submit, "Run predict or analyze as a Slurm job array, one task per slab range", setupSubmit)
