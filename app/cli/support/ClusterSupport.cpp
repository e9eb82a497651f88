#include "app/cli/support/ClusterSupport.h"
#include "app/cli/support/Command.h"

#include "core/cluster/CsvMerge.h"
#include "core/cluster/SlurmScript.h"
#include "core/cluster/VolumeMerge.h"

#include <cstdio>
#include <stdexcept>
#include <unistd.h>

namespace cli {

using namespace core::cluster;

namespace {
std::vector<CommandSpec> makeSpecs() {
  std::vector<CommandSpec> specs;
  // cdnet predict --model M --input V --out V --slices A:B ...: each slice is predicted on its own
  // (2D), so no halo; each task writes its slices as a chunked HDF5 piece.
  CommandSpec predict;
  predict.name = "predict";
  predict.inputOption = "--input";
  predict.sliceOption = "--slices";
  predict.outputs = {{"--out", PieceType::Volume, ".h5", true}, {"--probability-out", PieceType::Volume, ".h5", false}};
  specs.push_back(predict);

  // cdnet analyze --image V --cracks V --out-csv F ...: 3D, so each task reads a halo around its
  // slab (--halo, the largest particle size) and writes the rows of the particles whose centroid
  // lies in its own slices; the ownership rule lives in core/analysis. The depth profile is a
  // summary of all particles: it cannot be joined from pieces.
  CommandSpec analyze;
  analyze.name = "analyze";
  analyze.inputOption = "--image";
  analyze.sliceOption = "--slices";
  analyze.slabArgs = {"--halo", "{halo}"};
  analyze.outputs = {{"--out-csv", PieceType::Csv, ".csv", true}, {"--out-labels", PieceType::Volume, ".h5", false}};
  analyze.refusedOptions = {{"--out-profile", "a summary of all particles; compute it from the merged table"}};
  analyze.defaultHalo = 32;
  specs.push_back(analyze);

  // cdnet convert INPUT OUTPUT [options]: each task converts its slabs (--crop), for example a
  // huge TIFF stack into the chunked HDF5 working format. The positionals come first.
  CommandSpec convert;
  convert.name = "convert";
  convert.inputPosition = 0;
  convert.slabArgs = {"--crop", "0,0,{z0},0,0,{count}"};
  convert.outputs = {{"OUTPUT", PieceType::Volume, ".h5", true, 1}};
  convert.refusedOptions = {{"--crop", "each task crops its own slabs"},
                            {"--downsample", "the pieces would not tile the volume"}};
  specs.push_back(convert);
  return specs;
}

const std::vector<CommandSpec>& specs() {
  static const std::vector<CommandSpec> s = makeSpecs();
  return s;
}
} // namespace

const CommandSpec* clusterCommand(const std::string& name) {
  for (const CommandSpec& s : specs())
    if (s.name == name) return &s;
  return nullptr;
}

std::string clusterCommandNames() {
  std::string out;
  for (const CommandSpec& s : specs()) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

core::volume::OpenOptions checkCommandArguments(const std::string& command, const std::vector<std::string>& args,
                                                const std::string& what) {
  const CommandEntry* entry = nullptr;
  for (const CommandEntry& c : commands())
    if (c.name == command) entry = &c;
  if (!entry) throw std::runtime_error("this cdnet has no '" + command + "' command to distribute");
  CLI::App probe{"", command};
  entry->setup(probe);
  probe.callback([] {}); // parse only
  std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them last first
  try {
    probe.parse(reversed);
  } catch (const CLI::ParseError& e) {
    throw std::runtime_error(what + " do not suit cdnet " + command + ": " + e.what());
  }
  // The input options, where the command has them and the user gave them.
  auto given = [&](const char* name) -> const CLI::Option* {
    const CLI::Option* o = probe.get_option_no_throw(name);
    return o && o->count() > 0 ? o : nullptr;
  };
  core::volume::OpenOptions open;
  try {
    if (auto* o = given("--format")) open.format = o->as<std::string>();
    if (auto* o = given("--dataset")) open.hdf5Dataset = o->as<std::string>();
    if (auto* o = given("--raw-size")) {
      const auto size = o->as<std::vector<std::int64_t>>();
      if (size.size() == 3) {
        core::volume::RawParams raw;
        raw.size = {size[0], size[1], size[2]};
        if (auto* t = given("--raw-type")) raw.type = core::volume::parseVoxelType(t->as<std::string>());
        if (given("--big-endian")) raw.bigEndian = true;
        if (auto* h = given("--header-offset")) raw.headerOffset = h->as<std::uint64_t>();
        open.raw = raw;
      }
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("the input options in " + what + " are not valid: " + std::string(e.what()));
  }
  return open;
}

std::vector<std::string> missingOptions(const std::string& command, const std::vector<std::string>& options) {
  std::vector<std::string> missing;
  for (const CommandEntry& c : commands()) {
    if (c.name != command) continue;
    CLI::App probe{"", command};
    c.setup(probe);
    for (const std::string& o : options)
      if (!probe.get_option_no_throw(o)) missing.push_back(o);
  }
  return missing;
}

std::string thisExecutable() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot find the path of this cdnet executable (/proc/self/exe)");
  return std::string(buf, std::size_t(n));
}

std::string taskList(const std::vector<int>& tasks) { return tasks.empty() ? "none" : arraySpec(tasks); }

void mergeJob(const WorkDir& work, const MergeChoices& choices, core::jobs::ProgressSink& progress) {
  const Manifest& m = work.manifest();
  const std::vector<int> missing = work.missingTasks();
  if (!missing.empty())
    throw std::runtime_error(std::to_string(missing.size()) + " of " + std::to_string(m.tasks.size()) + " tasks of " +
                             work.dir() + " are not done (tasks " + taskList(missing) +
                             " have no done marker); rerun them with: cdnet submit --resume " + work.dir());
  bool firstVolume = true, firstCsv = true;
  for (std::size_t o = 0; o < m.outputs.size(); ++o) {
    const OutputSpec& spec = m.outputs[o];
    std::string target = spec.target;
    if (spec.type == PieceType::Volume && firstVolume && !choices.volumeOut.empty()) target = choices.volumeOut;
    if (spec.type == PieceType::Csv && firstCsv && !choices.csvOut.empty()) target = choices.csvOut;
    const bool isFirst = spec.type == PieceType::Volume ? firstVolume : firstCsv;
    (spec.type == PieceType::Volume ? firstVolume : firstCsv) = false;
    if (target.empty()) {
      if (isFirst)
        throw std::runtime_error("where should the merged " + std::string(toString(spec.type)) + " (" + spec.name +
                                 ") go? Give " + (spec.type == PieceType::Volume ? "--out" : "--csv") + " FILE");
      continue; // an optional output nobody asked for
    }
    if (spec.type == PieceType::Volume) {
      std::vector<VolumePiece> pieces;
      for (const Task& t : m.tasks) pieces.push_back({work.resolve(t.pieces[o]), t.slab.z0, t.slab.z1});
      core::volume::WriteOptions w;
      w.compress = choices.compress;
      const core::volume::VolumeInfo info = mergeVolumePieces(pieces, m.begin, m.end, target, w, 0, progress);
      std::printf("wrote %s: %lld x %lld x %lld %s from %zu pieces\n", target.c_str(), (long long)info.size.x,
                  (long long)info.size.y, (long long)info.size.z, core::volume::toString(info.type), pieces.size());
    } else {
      std::vector<std::string> pieces;
      for (const Task& t : m.tasks) pieces.push_back(work.resolve(t.pieces[o]));
      CsvMergeOptions opts;
      opts.idColumn = choices.idColumn;
      if (choices.ids == "keep") opts.ids = CsvMergeOptions::Ids::Keep;
      else if (choices.ids == "renumber") opts.ids = CsvMergeOptions::Ids::Renumber;
      else if (choices.ids == "rank") opts.ids = CsvMergeOptions::Ids::Rank;
      else if (choices.ids != "auto") throw std::runtime_error("--ids must be auto, keep, renumber or rank");
      const CsvMergeResult r = mergeCsvPieces(pieces, target, opts);
      std::printf("wrote %s: %lld rows from %zu pieces%s\n", target.c_str(), (long long)r.rows, pieces.size(),
                  r.renumbered ? " (ids renumbered)" : "");
    }
  }
}

} // namespace cli
