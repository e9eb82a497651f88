#include "core/bench/BenchReport.h"

#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace core::bench {

namespace {

const char* const kConditions[] = {"cpu", "cores", "load", "threads", "cache", "renderer"};

bool needsQuotes(const std::string& s) {
  if (s.empty()) return true;
  for (char c : s)
    if (c == ' ' || c == '"' || c == '\\' || c == '\'' || c == '\t' || c == '\n' || c == '=') return true;
  return false;
}

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c; // control characters: a space
  }
  return out;
}

std::string lineValue(const std::string& v, bool number) {
  return number || !needsQuotes(v) ? v : "\"" + escaped(v) + "\"";
}

} // namespace

double quantileOf(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, std::size_t(q * double(values.size() - 1) + 0.5))];
}

std::uint64_t procStatusBytes(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string k(key);
  while (std::getline(in, line))
    if (line.compare(0, k.size(), k) == 0) return std::stoull(line.substr(k.size())) * 1024;
  return 0;
}

bool resetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return bool(out);
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) break;
      std::string v = line.substr(colon + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
      return v.empty() ? "unknown" : v;
    }
  return "unknown";
}

int coreCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  return int(std::max(1u, std::thread::hardware_concurrency()));
}

double loadAverage() {
  std::ifstream in("/proc/loadavg");
  double v = 0;
  if (in >> v) return v;
  return std::nan("");
}

Report::Report(std::string bench) {
  put("bench", std::move(bench), false);
  put("cpu", cpuModel(), false);
  set("cores", coreCount());
  set("load", loadAverage());
  put("threads", "n/a", false);
  put("cache", "n/a", false);
  put("renderer", "n/a", false);
}

std::string Report::formatReal(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void Report::put(const std::string& key, std::string value, bool number) {
  for (Entry& e : m_entries)
    if (e.key == key) {
      e.value = std::move(value);
      e.number = number;
      return;
    }
  m_entries.push_back({key, std::move(value), number});
}

void Report::set(const std::string& key, const std::string& value) { put(key, value, false); }
void Report::set(const std::string& key, bool value) { put(key, value ? "true" : "false", true); }
void Report::setNumber(const std::string& key, const std::string& text) { put(key, text, true); }

std::string Report::conditionsLine() const {
  std::string line = "conditions:";
  for (const char* key : kConditions)
    for (const Entry& e : m_entries)
      if (e.key == key) line += " " + e.key + "=" + lineValue(e.value, e.number);
  return line;
}

std::string Report::resultLine() const {
  std::string line = "result:";
  for (const Entry& e : m_entries) line += " " + e.key + "=" + lineValue(e.value, e.number);
  return line;
}

std::string Report::json() const {
  std::string out = "{";
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    const Entry& e = m_entries[i];
    out += i ? ", " : "";
    out += "\"" + escaped(e.key) + "\": ";
    if (!e.number) out += "\"" + escaped(e.value) + "\"";
    else if (e.value == "nan" || e.value == "inf" || e.value == "-inf") out += "null";
    else out += e.value;
  }
  return out + "}\n";
}

std::string Report::finish(const std::string& jsonPath) {
  set("load_end", loadAverage());
  if (!jsonPath.empty()) {
    const std::string tmp = jsonPath + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << json();
      f.flush();
      if (!f) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write '" + jsonPath + "' (folder missing, not writable or disk full?)");
      }
    }
    if (std::rename(tmp.c_str(), jsonPath.c_str()) != 0) {
      std::remove(tmp.c_str());
      throw std::runtime_error("cannot write '" + jsonPath + "'");
    }
  }
  return resultLine();
}

} // namespace core::bench
