#include "PythonRunner.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

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

std::string runPython(const std::string& script, const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const fs::path file = fs::temp_directory_path() / ("cdnet_bench_" + std::to_string(::getpid()) + ".py");
  std::ofstream(file) << script;
  std::string cmd = "env";
  for (const auto& e : env) cmd += " " + quote(e);
  cmd += " " + quote(pythonInterpreter()) + " " + quote(file.string());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot start " + pythonInterpreter());
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), int(buf.size()), p)) out += buf.data();
  const int status = pclose(p);
  std::error_code ec;
  fs::remove(file, ec);
  if (status != 0) throw std::runtime_error("Python failed:\n" + out);
  return out;
}

} // namespace cli
