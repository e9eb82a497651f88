#include "core/cluster/Manifest.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <stdexcept>

namespace core::cluster {

using nlohmann::json;

namespace {
const char* kFormatName = "cdnet-cluster-manifest";

json slurmToJson(const SlurmOptions& s) {
  return json{{"cpusPerTask", s.cpusPerTask}, {"mem", s.mem},           {"time", s.time},
              {"gpus", s.gpus},               {"partition", s.partition}, {"account", s.account},
              {"qos", s.qos},                 {"maxParallel", s.maxParallel}, {"jobName", s.jobName},
              {"extraArgs", s.extraArgs}};
}

SlurmOptions slurmFromJson(const json& j) {
  SlurmOptions s;
  s.cpusPerTask = j.value("cpusPerTask", 1);
  s.mem = j.value("mem", "");
  s.time = j.value("time", "");
  s.gpus = j.value("gpus", 0);
  s.partition = j.value("partition", "");
  s.account = j.value("account", "");
  s.qos = j.value("qos", "");
  s.maxParallel = j.value("maxParallel", 0);
  s.jobName = j.value("jobName", "");
  s.extraArgs = j.value("extraArgs", std::vector<std::string>{});
  return s;
}
} // namespace

const char* toString(PieceType type) { return type == PieceType::Csv ? "csv" : "volume"; }

PieceType parsePieceType(const std::string& text) {
  if (text == "volume") return PieceType::Volume;
  if (text == "csv") return PieceType::Csv;
  throw std::invalid_argument("unknown piece type '" + text + "' (expected volume or csv)");
}

bool SlurmOptions::operator==(const SlurmOptions& o) const {
  return cpusPerTask == o.cpusPerTask && mem == o.mem && time == o.time && gpus == o.gpus &&
         partition == o.partition && account == o.account && qos == o.qos && maxParallel == o.maxParallel &&
         jobName == o.jobName && extraArgs == o.extraArgs;
}

std::string toJson(const Manifest& m) {
  json j;
  j["format"] = kFormatName;
  j["version"] = Manifest::kFormatVersion;
  j["kind"] = m.kind;
  j["program"] = m.program;
  j["input"] = m.input;
  j["workingDirectory"] = m.workingDirectory;
  j["begin"] = m.begin;
  j["end"] = m.end;
  j["halo"] = m.halo;
  j["userArgs"] = m.userArgs;
  j["created"] = m.created;
  j["outputs"] = json::array();
  for (const OutputSpec& o : m.outputs)
    j["outputs"].push_back({{"name", o.name}, {"type", toString(o.type)}, {"target", o.target}});
  j["slurm"] = slurmToJson(m.slurm);
  j["tasks"] = json::array();
  for (const Task& t : m.tasks)
    j["tasks"].push_back({{"index", t.index},
                          {"z0", t.slab.z0},
                          {"z1", t.slab.z1},
                          {"readZ0", t.slab.readZ0},
                          {"readZ1", t.slab.readZ1},
                          {"argv", t.argv},
                          {"pieces", t.pieces},
                          {"marker", t.marker}});
  j["submissions"] = json::array();
  for (const Submission& s : m.submissions)
    j["submissions"].push_back({{"jobId", s.jobId}, {"tasks", s.tasks}, {"time", s.time}});
  return j.dump(2) + "\n";
}

Manifest manifestFromJson(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw std::runtime_error(source + ": not a valid JSON file (" + e.what() + ")");
  }
  if (!j.is_object() || j.value("format", "") != kFormatName)
    throw std::runtime_error(source + ": not a cdnet cluster manifest (no \"format\": \"" + kFormatName + "\")");
  const int version = j.value("version", 0);
  if (version < 1 || version > Manifest::kFormatVersion)
    throw std::runtime_error(source + ": manifest format version " + std::to_string(version) +
                             " is not supported by this cdnet (it reads versions 1 to " +
                             std::to_string(Manifest::kFormatVersion) + ")");
  Manifest m;
  try {
    m.kind = j.at("kind").get<std::string>();
    m.program = j.at("program").get<std::string>();
    m.input = j.value("input", "");
    m.workingDirectory = j.value("workingDirectory", "");
    m.begin = j.at("begin").get<std::int64_t>();
    m.end = j.at("end").get<std::int64_t>();
    m.halo = j.value("halo", std::int64_t{0});
    m.userArgs = j.value("userArgs", std::vector<std::string>{});
    m.created = j.value("created", "");
    for (const json& o : j.at("outputs"))
      m.outputs.push_back({o.at("name").get<std::string>(), parsePieceType(o.at("type").get<std::string>()),
                           o.value("target", "")});
    m.slurm = slurmFromJson(j.value("slurm", json::object()));
    for (const json& t : j.at("tasks")) {
      Task task;
      task.index = t.at("index").get<int>();
      task.slab.z0 = t.at("z0").get<std::int64_t>();
      task.slab.z1 = t.at("z1").get<std::int64_t>();
      task.slab.readZ0 = t.value("readZ0", task.slab.z0);
      task.slab.readZ1 = t.value("readZ1", task.slab.z1);
      task.argv = t.at("argv").get<std::vector<std::string>>();
      task.pieces = t.at("pieces").get<std::vector<std::string>>();
      task.marker = t.at("marker").get<std::string>();
      m.tasks.push_back(std::move(task));
    }
    for (const json& s : j.value("submissions", json::array()))
      m.submissions.push_back({s.at("jobId").get<std::string>(), s.at("tasks").get<std::vector<int>>(),
                               s.value("time", "")});
  } catch (const json::exception& e) {
    throw std::runtime_error(source + ": damaged manifest (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(source + ": damaged manifest (" + e.what() + ")");
  }

  // Consistency: what task-run and merge rely on.
  std::vector<SlabRange> slabs;
  for (std::size_t i = 0; i < m.tasks.size(); ++i) {
    const Task& t = m.tasks[i];
    if (t.index != int(i))
      throw std::runtime_error(source + ": task " + std::to_string(i) + " has index " + std::to_string(t.index));
    if (t.argv.empty()) throw std::runtime_error(source + ": task " + std::to_string(i) + " has no command");
    if (t.pieces.size() != m.outputs.size())
      throw std::runtime_error(source + ": task " + std::to_string(i) + " has " + std::to_string(t.pieces.size()) +
                               " pieces for " + std::to_string(m.outputs.size()) + " outputs");
    if (t.marker.empty()) throw std::runtime_error(source + ": task " + std::to_string(i) + " has no done marker");
    slabs.push_back(t.slab);
  }
  const std::string tiling = checkTiling(slabs, m.begin, m.end);
  if (!tiling.empty()) throw std::runtime_error(source + ": the tasks do not tile slices [" + std::to_string(m.begin) +
                                                ", " + std::to_string(m.end) + "): " + tiling);
  return m;
}

std::string isoTimeNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

} // namespace core::cluster
