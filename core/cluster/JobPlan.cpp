#include "core/cluster/JobPlan.h"

#include "core/cluster/WorkDir.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace core::cluster {

namespace {
std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

std::string absoluteIn(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(dir) / path).lexically_normal().string();
}

std::string stemOf(const std::string& option) {
  std::string s = option;
  s.erase(0, s.find_first_not_of('-'));
  return s.empty() ? "out" : s;
}
} // namespace

std::optional<std::string> optionValue(const std::vector<std::string>& args, const std::string& name) {
  std::optional<std::string> found;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name && i + 1 < args.size()) found = args[++i];
    else if (args[i].rfind(name + "=", 0) == 0) found = args[i].substr(name.size() + 1);
  }
  return found;
}

std::vector<std::string> withoutOption(const std::vector<std::string>& args, const std::string& name) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name) {
      ++i; // and its value
      continue;
    }
    if (args[i].rfind(name + "=", 0) == 0) continue;
    out.push_back(args[i]);
  }
  return out;
}

std::pair<std::int64_t, std::int64_t> parseSliceRange(const std::string& text) {
  const std::size_t colon = text.find(':');
  auto bad = [&] { return std::invalid_argument("invalid slice range '" + text + "' (expected A:B, slices A to B-1)"); };
  if (colon == std::string::npos) throw bad();
  try {
    std::size_t u1 = 0, u2 = 0;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    const std::int64_t z0 = std::stoll(a, &u1), z1 = std::stoll(b, &u2);
    if (u1 != a.size() || u2 != b.size() || z0 < 0 || z1 <= z0) throw bad();
    return {z0, z1};
  } catch (const std::logic_error&) {
    throw bad();
  }
}

namespace {
int positionalCount(const CommandSpec& spec) {
  int n = spec.inputPosition + 1;
  for (const OutputTemplate& o : spec.outputs) n = std::max(n, o.position + 1);
  return n;
}

std::string describeInput(const CommandSpec& spec) {
  return spec.inputPosition >= 0 ? "the input volume as argument " + std::to_string(spec.inputPosition + 1)
                                 : spec.inputOption + " VOLUME";
}
} // namespace

std::optional<std::string> inputArgument(const CommandSpec& spec, const std::vector<std::string>& args) {
  if (spec.inputPosition < 0) return optionValue(args, spec.inputOption);
  if (std::size_t(spec.inputPosition) >= args.size()) return std::nullopt;
  for (int i = 0; i <= spec.inputPosition; ++i)
    if (!args[std::size_t(i)].empty() && args[std::size_t(i)][0] == '-') return std::nullopt;
  return args[std::size_t(spec.inputPosition)];
}

Manifest planJob(const CommandSpec& spec, const PlanRequest& req) {
  if (req.workDir.empty()) throw std::invalid_argument("planJob: no work directory");
  Manifest m;
  m.kind = spec.name;
  m.program = req.program;
  m.workingDirectory = req.workingDirectory;
  m.userArgs = req.userArgs;
  m.created = isoTimeNow();

  // Positional arguments first, then options.
  const int npos = positionalCount(spec);
  if (int(req.userArgs.size()) < npos)
    throw std::invalid_argument("cdnet " + spec.name + " needs its " + std::to_string(npos) +
                                " positional arguments first after '--'");
  std::vector<std::string> positionals(req.userArgs.begin(), req.userArgs.begin() + npos);
  for (const std::string& p : positionals)
    if (!p.empty() && p[0] == '-')
      throw std::invalid_argument("cdnet " + spec.name + " needs its " + std::to_string(npos) +
                                  " positional arguments first after '--', before '" + p + "'");
  std::vector<std::string> args(req.userArgs.begin() + npos, req.userArgs.end());
  for (const auto& [refused, why] : spec.refusedOptions)
    if (optionValue(args, refused) || std::find(args.begin(), args.end(), refused) != args.end())
      throw std::invalid_argument("cdnet submit " + spec.name + " cannot distribute " + refused + " (" + why + ")");

  const std::optional<std::string> input = inputArgument(spec, req.userArgs);
  if (!input || input->empty())
    throw std::invalid_argument("cdnet " + spec.name + " needs " + describeInput(spec) + " after '--'");
  m.input = absoluteIn(req.workingDirectory, *input);

  m.begin = 0;
  m.end = req.depth;
  if (!spec.sliceOption.empty()) {
    if (const auto user = optionValue(args, spec.sliceOption)) {
      const auto range = parseSliceRange(*user);
      if (range.second > req.depth)
        throw std::invalid_argument(spec.sliceOption + " " + *user + " reaches beyond the " + std::to_string(req.depth) +
                                    " slices of " + *input);
      m.begin = range.first;
      m.end = range.second;
      args = withoutOption(args, spec.sliceOption);
    }
  }
  if (m.end <= m.begin) throw std::invalid_argument("the input " + *input + " has no slices to split");

  // The outputs of this job: the required ones and the optional ones the user asked for.
  std::vector<const OutputTemplate*> outputs;
  for (const OutputTemplate& o : spec.outputs) {
    std::optional<std::string> target;
    if (o.position >= 0) {
      target = positionals[std::size_t(o.position)];
    } else {
      target = optionValue(args, o.option);
      args = withoutOption(args, o.option);
    }
    if (!target) {
      if (o.required)
        throw std::invalid_argument("cdnet " + spec.name + " needs " + o.option + " after '--' (where the merged result goes)");
      continue;
    }
    outputs.push_back(&o);
    m.outputs.push_back({o.option, o.type, absoluteIn(req.workingDirectory, *target)});
  }

  m.halo = req.halo ? *req.halo : spec.defaultHalo;
  SlabSplit split;
  split.begin = m.begin;
  split.end = m.end;
  split.tasks = req.tasks;
  split.maxSlab = req.maxSlab;
  split.halo = m.halo;
  split.align = req.align;
  const std::vector<SlabRange> slabs = splitSlabs(split);
  std::string workDir = absoluteIn(req.workingDirectory, req.workDir);
  while (workDir.size() > 1 && workDir.back() == '/') workDir.pop_back();

  for (std::size_t i = 0; i < slabs.size(); ++i) {
    const SlabRange& r = slabs[i];
    Task t;
    t.index = int(i);
    t.slab = r;
    t.marker = WorkDir::markerName(t.index);
    for (const OutputTemplate* o : outputs)
      t.pieces.push_back(WorkDir::pieceName(t.index, o->position >= 0 ? "out" : stemOf(o->option), o->pieceExt));

    std::vector<std::string> pos = positionals;
    for (std::size_t k = 0; k < outputs.size(); ++k)
      if (outputs[k]->position >= 0) pos[std::size_t(outputs[k]->position)] = workDir + "/" + t.pieces[k];
    t.argv = {req.program, spec.name};
    t.argv.insert(t.argv.end(), pos.begin(), pos.end());
    t.argv.insert(t.argv.end(), args.begin(), args.end());
    if (!spec.sliceOption.empty()) {
      t.argv.push_back(spec.sliceOption);
      t.argv.push_back(std::to_string(r.z0) + ":" + std::to_string(r.z1));
    }
    for (std::string a : spec.slabArgs) {
      a = replaceAll(a, "{z0}", std::to_string(r.z0));
      a = replaceAll(a, "{z1}", std::to_string(r.z1));
      a = replaceAll(a, "{count}", std::to_string(r.owned()));
      a = replaceAll(a, "{readZ0}", std::to_string(r.readZ0));
      a = replaceAll(a, "{readZ1}", std::to_string(r.readZ1));
      a = replaceAll(a, "{halo}", std::to_string(m.halo));
      a = replaceAll(a, "{task}", std::to_string(t.index));
      t.argv.push_back(a);
    }
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      if (outputs[k]->position >= 0) continue;
      t.argv.push_back(outputs[k]->option);
      t.argv.push_back(workDir + "/" + t.pieces[k]);
    }
    m.tasks.push_back(std::move(t));
  }
  return m;
}

} // namespace core::cluster
