// cdnet merge: joins the pieces of a finished cluster job into one volume and one CSV.
#include "app/cli/support/ClusterSupport.h"
#include "app/cli/support/Command.h"
#include "app/cli/support/TerminalProgress.h"

#include <memory>

namespace {

struct MergeOptions {
  std::string dir;
  cli::MergeChoices choices;
};

void setupMerge(CLI::App& cmd) {
  auto o = std::make_shared<MergeOptions>();
  cmd.add_option("work-dir", o->dir, "The work directory of a finished cdnet submit job")->required();
  cmd.add_option("--out", o->choices.volumeOut, "The merged volume (default: the --out given to cdnet submit)");
  cmd.add_option("--csv", o->choices.csvOut, "The merged table (default: the --csv given to cdnet submit)");
  cmd.add_option("--id-column", o->choices.idColumn, "CSV column holding the row id")->capture_default_str();
  cmd.add_option("--ids", o->choices.ids, "CSV ids: auto (rank when the pieces ask for it, as cdnet analyze --slices pieces do; "
                 "else keep when unique, else renumber), keep, renumber, rank (sort by id, number 1..N, "
                 "map *_id columns alike)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "keep", "renumber", "rank"}));
  cmd.add_flag("--compress", o->choices.compress, "Compress the merged volume where the format allows it");
  cmd.callback([o] {
    cli::TerminalProgress progress("Merging");
    cli::mergeJob(core::cluster::WorkDir::open(o->dir), o->choices, progress);
  });
}

} // namespace

CDNET_COMMAND(merge, "Join the pieces of a finished cluster job into one volume and one CSV", setupMerge)
