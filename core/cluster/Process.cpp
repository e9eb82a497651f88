#include "core/cluster/Process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace core::cluster {

namespace {

std::vector<char*> cArgv(const std::vector<std::string>& argv) {
  std::vector<char*> v;
  for (const std::string& a : argv) v.push_back(const_cast<char*>(a.c_str()));
  v.push_back(nullptr);
  return v;
}

void decodeStatus(int status, ProcessResult& r) {
  if (WIFEXITED(status)) {
    r.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.exitCode = -1;
    r.signal = WTERMSIG(status);
  }
}

int waitFor(pid_t pid, long* peakRssKiB = nullptr) {
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return -1;
  }
  if (peakRssKiB) *peakRssKiB = usage.ru_maxrss; // Linux: KiB
  return status;
}

[[noreturn]] void cannotStart(const std::vector<std::string>& argv, int err) {
  throw std::runtime_error("cannot run '" + argv.at(0) + "': " + std::strerror(err) +
                           (err == ENOENT ? " (is it installed and on PATH?)" : ""));
}

} // namespace

std::string ProcessResult::describe() const {
  if (timedOut) return "timed out and was killed";
  if (signal != 0) return "was killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exited with code " + std::to_string(exitCode);
}

ProcessResult runCaptured(const std::vector<std::string>& argv, double timeoutSeconds) {
  if (argv.empty()) throw std::invalid_argument("runCaptured: empty command");
  int outPipe[2], errPipe[2];
  if (pipe2(outPipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(errPipe, O_CLOEXEC) != 0) {
    close(outPipe[0]);
    close(outPipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, errPipe[1], 2);
  pid_t pid = 0;
  std::vector<char*> args = cArgv(argv);
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(outPipe[1]);
  close(errPipe[1]);
  if (rc != 0) {
    close(outPipe[0]);
    close(errPipe[0]);
    cannotStart(argv, rc);
  }

  ProcessResult r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    int waitMs = -1;
    if (timeoutSeconds > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        r.timedOut = true;
        break;
      }
      waitMs = int(left.count());
    }
    const int n = poll(fds, 2, waitMs);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, std::size_t(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (pollfd& f : fds)
    if (f.fd >= 0) close(f.fd);
  if (r.timedOut) kill(pid, SIGKILL);
  decodeStatus(waitFor(pid, &r.peakRssKiB), r);
  return r;
}

ProcessResult runInherited(const std::vector<std::string>& argv, const std::string& workingDirectory) {
  if (argv.empty()) throw std::invalid_argument("runInherited: empty command");
  pid_t pid = 0;
  std::vector<char*> args = cArgv(argv);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!workingDirectory.empty()) posix_spawn_file_actions_addchdir_np(&fa, workingDirectory.c_str());
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) cannotStart(argv, rc);
  ProcessResult r;
  decodeStatus(waitFor(pid, &r.peakRssKiB), r);
  return r;
}

std::string shellQuote(const std::string& arg) {
  const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789_-+=.,/:@%") == std::string::npos;
  if (plain) return arg;
  std::string q = "'";
  for (char c : arg) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

std::string shellJoin(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) {
    if (!s.empty()) s += ' ';
    s += shellQuote(a);
  }
  return s;
}

} // namespace core::cluster
