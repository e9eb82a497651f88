// cdnet_fuzz: a mutation fuzzer for every volume reader (no clang or libFuzzer needed).
// It writes a seed of every format with the project's writers (Targets.cpp), mutates it
// (Mutator.cpp), and reads each mutant in a child process (fork) with a time limit, so that a crash
// (a signal), a hang (over the limit, confirmed once with a long limit), an error of the wrong kind
// (std::bad_alloc, a logic error) or one that names no file, and truncated data read without an
// error all count as findings. Each distinct finding is saved as a folder of files that
// `cdnet_fuzz --replay` reads again. Mutants that give a message not seen before join the corpus.
//
//   cdnet_fuzz [--seconds N] [--inputs N] [--seed S] [--targets a,b] [--work DIR] [--findings DIR] [--timeout-ms T]
//   cdnet_fuzz --replay DIR      each sub-folder <target>-<name> must give a clean error or a read;
//                                an "expect" file in it ("error TEXT" or "ok") says which.
// Environment: CDNET_FUZZ_SECONDS (default 60), CDNET_FUZZ_SEED (default: from the clock).
// Prints progress and ends with one line "result: key=value ...". Exit 1 when anything was found.
#include "Mutator.h"
#include "Targets.h"

#include "core/volume/io/VolumeIO.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace core::volume;
using namespace fuzz;

namespace {

enum class Outcome { Ok, Error, Unnamed, Unclean, Crash, Hang, ShortAccepted };
const char* name(Outcome o) {
  switch (o) {
  case Outcome::Ok: return "ok";
  case Outcome::Error: return "error";
  case Outcome::Unnamed: return "unnamed";
  case Outcome::Unclean: return "unclean";
  case Outcome::Crash: return "crash";
  case Outcome::Hang: return "hang";
  case Outcome::ShortAccepted: return "short_accepted";
  }
  return "?";
}
bool isFinding(Outcome o) { return o != Outcome::Ok && o != Outcome::Error; }

struct RunResult {
  Outcome outcome = Outcome::Ok;
  std::string message;
  int signal = 0;
};

// The child: open, read everything, sometimes a crop with downsampling and a slab-wise read.
[[noreturn]] void childRead(const Target& t, const std::string& dir, std::uint64_t seed, int out) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  const int devnull = ::open("/dev/null", O_WRONLY);
  dup2(devnull, 1);
  dup2(devnull, 2);
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
  rlimit as{std::uint64_t(4) << 30, std::uint64_t(4) << 30}; // far above any read below the memory limit
  setrlimit(RLIMIT_AS, &as);
  setMemoryLimit(std::uint64_t(64) << 20);
  auto report = [&](int code, const std::string& msg) {
    const std::string m = msg.substr(0, 4000);
    if (::write(out, m.data(), m.size()) < 0) {}
    _exit(code);
  };
  try {
    auto reader = openVolume((fs::path(dir) / t.main).string(), t.open);
    const VolumeInfo info = reader->info();
    Volume all = reader->read();
    std::mt19937_64 rng(seed);
    if (rng() % 2) {
      ReadOptions ro;
      const Index3 a{std::int64_t(rng() % std::uint64_t(info.size.x)), std::int64_t(rng() % std::uint64_t(info.size.y)),
                     std::int64_t(rng() % std::uint64_t(info.size.z))};
      ro.crop = Region{a, {0, 0, 0}};
      ro.downsample = 1 + int(rng() % 3);
      ro.mode = rng() % 2 ? DownsampleMode::Mean : DownsampleMode::Nearest;
      (void)reader->read(ro);
    }
    if (rng() % 4 == 0) forEachSlab(*reader, {}, info.sliceBytes(), [](Volume&, std::int64_t) {});
    report(0, "read " + std::to_string(all.size().x) + "x" + std::to_string(all.size().y) + "x" + std::to_string(all.size().z));
  } catch (const std::bad_alloc& e) {
    report(12, std::string("std::bad_alloc: ") + e.what());
  } catch (const std::runtime_error& e) {
    report(10, e.what());
  } catch (const std::exception& e) {
    report(12, std::string("not a runtime_error: ") + e.what());
  } catch (...) {
    report(12, "an exception that is not a std::exception");
  }
  _exit(13);
}

RunResult run(const Target& t, const Case& c, const std::string& dir, std::uint64_t seed, int timeoutMs) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("fuzz: pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fuzz: fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    childRead(t, dir, seed, fds[1]);
  }
  ::close(fds[1]);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  int status = 0;
  bool done = false;
  while (!done) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      done = true;
      break;
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec ts{time_t(ns / 1000000000), long(ns % 1000000000)};
    sigtimedwait(&chld, nullptr, &ts); // a SIGCHLD (possibly of an earlier child) or the time limit
  }
  RunResult r;
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ::close(fds[0]);
    r.outcome = Outcome::Hang;
    r.message = "no result after " + std::to_string(timeoutMs) + " ms";
    return r;
  }
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) r.message.append(buf, std::size_t(n));
  ::close(fds[0]);
  if (WIFSIGNALED(status)) {
    r.outcome = Outcome::Crash;
    r.signal = WTERMSIG(status);
    r.message = std::string("killed by signal ") + std::to_string(r.signal) + " (" + strsignal(r.signal) + ")";
  } else if (WEXITSTATUS(status) == 0) {
    r.outcome = Outcome::Ok;
  } else if (WEXITSTATUS(status) == 10) {
    // A clean error names a file of the input.
    bool named = false;
    for (const auto& [file, bytes] : c)
      named = named || r.message.find(fs::path(file).filename().string()) != std::string::npos;
    named = named || r.message.find(t.main) != std::string::npos;
    r.outcome = named ? Outcome::Error : Outcome::Unnamed;
  } else {
    r.outcome = Outcome::Unclean;
    if (r.message.empty()) r.message = "exit code " + std::to_string(WEXITSTATUS(status));
  }
  return r;
}

// The message without numbers and paths, to tell kinds of behaviour apart.
std::string normalized(const std::string& msg, const std::string& dir) {
  std::string m = msg, out;
  for (std::size_t at; !dir.empty() && (at = m.find(dir)) != std::string::npos;) m.erase(at, dir.size());
  for (char ch : m) {
    const bool digit = ch >= '0' && ch <= '9';
    if (digit && !out.empty() && out.back() == '#') continue;
    out += digit ? '#' : ch;
  }
  return out;
}

const Target* targetOf(const std::vector<Target>& targets, const std::string& folder) {
  const Target* best = nullptr;
  for (const auto& t : targets)
    if (folder.rfind(t.name + "-", 0) == 0 && (!best || t.name.size() > best->name.size())) best = &t;
  return best;
}

struct Options {
  double seconds = 60;
  std::uint64_t maxInputs = 0; // 0: no limit
  std::uint64_t seed = 0;
  std::string work, findings, replay;
  std::set<std::string> only;
  int timeoutMs = 3000;
};

int replay(const std::vector<Target>& targets, const Options& o) {
  int bad = 0, count = 0;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(o.replay))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) {
    const Target* t = targetOf(targets, d.filename().string());
    if (!t) {
      std::cout << "FAIL  " << d.filename().string() << ": no target of that name\n";
      ++bad;
      continue;
    }
    Case c = readCase(d.string());
    std::string expect;
    if (c.count("expect")) {
      expect.assign(c["expect"].begin(), c["expect"].end());
      while (!expect.empty() && (expect.back() == '\n' || expect.back() == ' ')) expect.pop_back();
      c.erase("expect");
    }
    const std::string dir = (fs::path(o.work) / "replay").string();
    writeCase(c, dir);
    const RunResult r = run(*t, c, dir, 1, 60000);
    bool ok = !isFinding(r.outcome);
    if (expect == "ok") ok = r.outcome == Outcome::Ok;
    else if (expect.rfind("error ", 0) == 0)
      ok = r.outcome == Outcome::Error && r.message.find(expect.substr(6)) != std::string::npos;
    std::cout << (ok ? "ok    " : "FAIL  ") << d.filename().string() << ": " << name(r.outcome) << ": " << r.message
              << (ok || expect.empty() ? "" : "  [expected: " + expect + "]") << "\n";
    ++count;
    if (!ok) ++bad;
  }
  std::cout << "result: replayed=" << count << " failed=" << bad << "\n";
  return bad == 0 && count > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  if (const char* s = std::getenv("CDNET_FUZZ_SECONDS")) o.seconds = std::atof(s);
  o.seed = std::getenv("CDNET_FUZZ_SEED") ? std::strtoull(std::getenv("CDNET_FUZZ_SEED"), nullptr, 10)
                                          : std::uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
  o.work = (fs::temp_directory_path() / ("cdnet-fuzz-" + std::to_string(getpid()))).string();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--seconds") o.seconds = std::stod(value());
    else if (a == "--inputs") o.maxInputs = std::stoull(value());
    else if (a == "--seed") o.seed = std::stoull(value());
    else if (a == "--work") o.work = value();
    else if (a == "--findings") o.findings = value();
    else if (a == "--replay") o.replay = value();
    else if (a == "--timeout-ms") o.timeoutMs = std::stoi(value());
    else if (a == "--targets") {
      std::stringstream s(value());
      for (std::string t; std::getline(s, t, ',');) o.only.insert(t);
    } else {
      std::cerr << "usage: cdnet_fuzz [--seconds N] [--inputs N] [--seed S] [--targets a,b] [--work DIR] [--findings DIR]"
                   " [--timeout-ms T] | --replay DIR\n";
      return 2;
    }
  }
  if (o.findings.empty()) o.findings = (fs::path(o.work) / "findings").string();
  // SIGCHLD stays blocked in the parent: run() waits for it with sigtimedwait.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);

  const std::string seeds = (fs::path(o.work) / "seeds").string();
  if (const pid_t pid = fork(); pid == 0) {
    try {
      makeTargets(seeds, true);
      _exit(0);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      _exit(1);
    }
  } else {
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::cerr << "cdnet_fuzz: writing the seeds failed\n";
      return 1;
    }
  }
  std::vector<Target> targets = makeTargets(seeds, false);
  if (!o.only.empty())
    targets.erase(std::remove_if(targets.begin(), targets.end(), [&](const Target& t) { return !o.only.count(t.name); }),
                  targets.end());
  if (targets.empty()) {
    std::cerr << "cdnet_fuzz: no target selected\n";
    return 2;
  }
  if (!o.replay.empty()) return replay(targets, o);

  std::cout << "cdnet_fuzz: " << targets.size() << " targets, " << o.seconds << " s, seed " << o.seed << ", work "
            << o.work << "\n";
  Mutator m(o.seed);
  std::map<std::string, std::vector<Case>> corpus;
  for (const auto& t : targets) corpus[t.name] = {t.seed};
  std::set<std::string> seenMessages, seenFindings;
  std::map<std::string, std::map<Outcome, std::uint64_t>> perTarget;
  std::map<Outcome, std::uint64_t> totals;
  std::uint64_t inputs = 0;
  const std::string dir = (fs::path(o.work) / "run").string();
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  double nextReport = 10;
  while (elapsed() < o.seconds && (o.maxInputs == 0 || inputs < o.maxInputs)) {
    const Target& t = targets[inputs % targets.size()];
    auto& pool = corpus[t.name];
    const std::size_t from = m.chance(0.5) ? 0 : std::size_t(m.below(pool.size()));
    Case c = pool[from];
    const std::string file = t.mutable_[m.below(t.mutable_.size())];
    Bytes& b = c[file];
    MutationLog log;
    Bytes inner;
    if (m.chance(0.15)) m.truncate(b, log);
    else if (t.gzip && m.chance(0.6) && gunzipBytes(b, inner)) {
      m.mutate(inner, false, t.headerBytes, t.dictionary, log);
      b = gzipBytes(inner);
      log.onlyTruncated = false;
    } else {
      m.mutate(b, t.text, t.headerBytes, t.dictionary, log);
      if (t.png && m.chance(0.8)) fixPngCrcs(b);
    }
    writeCase(c, dir);
    const std::uint64_t readSeed = m.rng()();
    RunResult r = run(t, c, dir, readSeed, o.timeoutMs);
    if (r.outcome == Outcome::Hang) r = run(t, c, dir, readSeed, 30000); // confirm with a long limit
    if (r.outcome == Outcome::Ok && from == 0 && log.onlyTruncated && log.cutBytes > t.tailSlack) {
      r.outcome = Outcome::ShortAccepted;
      r.message = "read without an error after cutting " + std::to_string(log.cutBytes) + " bytes off " + file;
    }
    ++inputs;
    ++totals[r.outcome];
    ++perTarget[t.name][r.outcome];
    const std::string key = t.name + "|" + name(r.outcome) + "|" + normalized(r.message, dir);
    if (isFinding(r.outcome) && seenFindings.insert(key).second) {
      const fs::path keep = fs::path(o.findings) / (t.name + "-" + name(r.outcome) + "-" + std::to_string(seenFindings.size()));
      writeCase(c, keep.string());
      std::ofstream why(keep / "reason.txt");
      why << name(r.outcome) << ": " << r.message << "\nmutated " << file << ":";
      for (const auto& s : log.steps) why << " " << s << ";";
      why << "\n";
      std::cout << "FINDING " << keep.string() << ": " << name(r.outcome) << ": " << r.message << "\n";
    }
    if (!isFinding(r.outcome) && seenMessages.insert(t.name + "|" + normalized(r.message, dir)).second) {
      if (pool.size() < 256) pool.push_back(c);
      else pool[1 + m.below(pool.size() - 1)] = c;
    }
    if (elapsed() >= nextReport) {
      std::uint64_t findings = 0;
      for (const auto& [k, v] : totals) findings += isFinding(k) ? v : 0;
      std::cout << "fuzz: " << int(elapsed()) << " s, " << inputs << " inputs (" << int(double(inputs) / elapsed())
                << "/s), " << findings << " findings, " << seenMessages.size() << " behaviours\n"
                << std::flush;
      nextReport += o.seconds > 600 ? 60 : 10;
    }
  }
  std::cout << "target            inputs      ok   error  findings\n";
  std::uint64_t findings = 0;
  for (const auto& t : targets) {
    auto& p = perTarget[t.name];
    std::uint64_t all = 0, f = 0;
    for (const auto& [k, v] : p) {
      all += v;
      f += isFinding(k) ? v : 0;
    }
    findings += f;
    std::printf("%-16s %7llu %7llu %7llu %9llu\n", t.name.c_str(), (unsigned long long)all,
                (unsigned long long)p[Outcome::Ok], (unsigned long long)p[Outcome::Error], (unsigned long long)f);
  }
  std::size_t corpusSize = 0;
  for (const auto& [k, v] : corpus) corpusSize += v.size();
  std::cout << "result: seconds=" << int(elapsed()) << " inputs=" << inputs << " per_second=" << int(double(inputs) / elapsed())
            << " ok=" << totals[Outcome::Ok] << " errors=" << totals[Outcome::Error] << " crashes=" << totals[Outcome::Crash]
            << " hangs=" << totals[Outcome::Hang] << " unclean=" << totals[Outcome::Unclean]
            << " unnamed=" << totals[Outcome::Unnamed] << " short_accepted=" << totals[Outcome::ShortAccepted]
            << " unique_findings=" << seenFindings.size() << " behaviours=" << seenMessages.size()
            << " corpus=" << corpusSize << " seed=" << o.seed << "\n";
  if (findings) std::cout << "findings kept in " << o.findings << " (replay: cdnet_fuzz --replay " << o.findings << ")\n";
  std::error_code ec;
  fs::remove_all(dir, ec);
  return findings ? 1 : 0;
}
