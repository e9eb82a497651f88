#include "app/cli/bench/PythonRunner.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;

namespace cli {

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
} // namespace

std::string pythonInterpreter() {
  const char* env = std::getenv("CDNET_PYTHON");
  return env && *env ? env : "/usr/bin/python3";
}

bool pythonHasTorch() {
  const std::string cmd = quote(pythonInterpreter()) + " -c 'import torch' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

PythonSession::PythonSession(const std::string& script, const std::vector<std::string>& args,
                             const std::vector<std::string>& env) {
  static int counter = 0;
  m_file = (fs::temp_directory_path() / ("cdnet_bench_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + ".py"))
               .string();
  std::ofstream(m_file) << script;
  // The environment: ours with the extra assignments replacing variables of the same name.
  std::vector<std::string> vars;
  for (char** e = environ; *e; ++e) {
    const std::string v = *e;
    bool replaced = false;
    for (const auto& x : env) replaced = replaced || v.compare(0, x.find('=') + 1, x, 0, x.find('=') + 1) == 0;
    if (!replaced) vars.push_back(v);
  }
  vars.insert(vars.end(), env.begin(), env.end());
  std::vector<std::string> argv{pythonInterpreter(), m_file};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cArgs, cEnv;
  for (auto& a : argv) cArgs.push_back(a.data());
  for (auto& v : vars) cEnv.push_back(v.data());
  cArgs.push_back(nullptr);
  cEnv.push_back(nullptr);

  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, out[1], 2);
  const int rc = posix_spawn(&m_pid, cArgs[0], &fa, nullptr, cArgs.data(), cEnv.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  m_in = in[1];
  m_out = out[0];
  if (rc != 0) {
    ::close(m_in);
    ::close(m_out);
    std::error_code ec;
    fs::remove(m_file, ec);
    throw std::runtime_error("cannot run '" + argv[0] + "': " + std::strerror(rc));
  }
  std::signal(SIGPIPE, SIG_IGN); // a Python that died shows as an error from write(), not a crash
}

PythonSession::~PythonSession() {
  if (m_in >= 0) ::close(m_in); // end of input: the script's loop ends
  if (m_out >= 0) ::close(m_out);
  if (m_pid > 0) {
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {}
  }
  std::error_code ec;
  fs::remove(m_file, ec);
}

std::string PythonSession::expect(const std::string& prefix) {
  for (;;) {
    const auto nl = m_buffer.find('\n');
    if (nl != std::string::npos) {
      const std::string line = m_buffer.substr(0, nl);
      m_buffer.erase(0, nl + 1);
      m_log += line + "\n";
      if (line.compare(0, prefix.size(), prefix) == 0) return line.substr(prefix.size());
      continue;
    }
    char buf[4096];
    const ssize_t got = ::read(m_out, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw std::runtime_error("Python ended before printing '" + prefix + "':\n" + m_log + m_buffer);
    m_buffer.append(buf, std::size_t(got));
  }
}

std::string PythonSession::ask(const std::string& line, const std::string& prefix) {
  const std::string text = line + "\n";
  if (::write(m_in, text.data(), text.size()) != ssize_t(text.size()))
    throw std::runtime_error("Python stopped reading its input:\n" + m_log + m_buffer);
  return expect(prefix);
}

} // namespace cli
