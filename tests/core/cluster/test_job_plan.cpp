// Cutting a command line into slab tasks: the input found, the user's outputs replaced by pieces,
// the slice option and templated arguments per task, a user slice range honoured, bad requests refused.
#include "core/cluster/JobPlan.h"

#include <QtTest>

using namespace core::cluster;

namespace {
CommandSpec analyzeLike() {
  CommandSpec s;
  s.name = "analyze";
  s.inputOption = "--input";
  s.sliceOption = "--slices";
  s.slabArgs = {"--halo", "{halo}", "--read={readZ0}:{readZ1}", "--tag=t{task}"};
  s.outputs = {{"--csv", PieceType::Csv, ".csv", true}, {"--labels", PieceType::Volume, ".h5", false}};
  s.defaultHalo = 5;
  return s;
}

PlanRequest request(std::vector<std::string> args) {
  PlanRequest r;
  r.userArgs = std::move(args);
  r.program = "/usr/bin/cdnet";
  r.workingDirectory = "/home/me/run";
  r.workDir = "job/";
  r.depth = 100;
  r.tasks = 4;
  return r;
}
} // namespace

class TestJobPlan : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void optionHelpers() {
    const std::vector<std::string> a{"--input", "x.h5", "--out=y.h5", "--t", "0.5"};
    QCOMPARE(*optionValue(a, "--input"), std::string("x.h5"));
    QCOMPARE(*optionValue(a, "--out"), std::string("y.h5"));
    QVERIFY(!optionValue(a, "--in"));
    QVERIFY(withoutOption(a, "--out") == (std::vector<std::string>{"--input", "x.h5", "--t", "0.5"}));
    QVERIFY(withoutOption(a, "--input") == (std::vector<std::string>{"--out=y.h5", "--t", "0.5"}));
    QVERIFY(parseSliceRange("3:17") == std::make_pair(std::int64_t(3), std::int64_t(17)));
    for (const char* bad : {"3", "5:5", "7:2", "a:b", "1:2x", "-1:4"})
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseSliceRange(bad));
  }

  void tasksGetTheirSlabsAndPieces() {
    const Manifest m = planJob(analyzeLike(), request({"--input", "data/in.h5", "--csv", "out/p.csv", "--min-volume", "20"}));
    QCOMPARE(m.kind, std::string("analyze"));
    QCOMPARE(m.input, std::string("/home/me/run/data/in.h5"));
    QCOMPARE(m.workingDirectory, std::string("/home/me/run"));
    QCOMPARE(m.begin, std::int64_t(0));
    QCOMPARE(m.end, std::int64_t(100));
    QCOMPARE(m.halo, std::int64_t(5));
    QCOMPARE(m.outputs.size(), std::size_t(1)); // the optional --labels was not asked for: no pieces, no option
    QCOMPARE(m.outputs[0].target, std::string("/home/me/run/out/p.csv"));
    QCOMPARE(m.tasks.size(), std::size_t(4));
    QVERIFY(m.tasks[0].pieces == (std::vector<std::string>{"pieces/csv-0000.csv"}));
    QVERIFY(std::find(m.tasks[0].argv.begin(), m.tasks[0].argv.end(), "--labels") == m.tasks[0].argv.end());

    const Manifest both = planJob(analyzeLike(), request({"--input", "data/in.h5", "--csv", "out/p.csv", "--min-volume",
                                                          "20", "--labels", "lab.h5"}));
    QCOMPARE(both.outputs.size(), std::size_t(2));
    QCOMPARE(both.outputs[1].target, std::string("/home/me/run/lab.h5"));
    const Task& t = both.tasks[1];
    QCOMPARE(t.slab.z0, std::int64_t(25));
    QCOMPARE(t.slab.z1, std::int64_t(50));
    QVERIFY(t.pieces == (std::vector<std::string>{"pieces/csv-0001.csv", "pieces/labels-0001.h5"}));
    QCOMPARE(t.marker, std::string("done/task-0001.done"));
    const std::vector<std::string> expect{"/usr/bin/cdnet", "analyze", "--input", "data/in.h5", "--min-volume", "20",
                                          "--slices", "25:50", "--halo", "5", "--read=20:55", "--tag=t1",
                                          "--csv", "/home/me/run/job/pieces/csv-0001.csv",
                                          "--labels", "/home/me/run/job/pieces/labels-0001.h5"};
    QVERIFY2(t.argv == expect, qPrintable(QString::fromStdString([&] {
               std::string s;
               for (auto& a : t.argv) s += a + " ";
               return s;
             }())));
    // The halo is clipped at the volume's ends.
    QCOMPARE(both.tasks[0].slab.readZ0, std::int64_t(0));
    QCOMPARE(both.tasks[3].slab.readZ1, std::int64_t(100));
  }

  void userSliceRangeAndHalo() {
    PlanRequest r = request({"--input=in.h5", "--slices", "10:30", "--csv", "/abs/p.csv"});
    r.halo = 0;
    r.tasks = 0;
    r.maxSlab = 8;
    const Manifest m = planJob(analyzeLike(), r);
    QCOMPARE(m.begin, std::int64_t(10));
    QCOMPARE(m.end, std::int64_t(30));
    QCOMPARE(m.halo, std::int64_t(0));
    QCOMPARE(m.tasks.size(), std::size_t(3));
    QCOMPARE(m.outputs[0].target, std::string("/abs/p.csv"));
    for (const Task& t : m.tasks) {
      QCOMPARE(std::count(t.argv.begin(), t.argv.end(), std::string("--slices")), std::ptrdiff_t(1)); // the user's is replaced
      QVERIFY(t.slab.owned() <= 8);
    }
  }

  void positionalInputAndOutput() {
    CommandSpec convert;
    convert.name = "convert";
    convert.inputPosition = 0;
    convert.slabArgs = {"--crop", "0,0,{z0},0,0,{count}"};
    convert.outputs = {{"OUTPUT", PieceType::Volume, ".h5", true, 1}};
    convert.refusedOptions = {{"--crop", "each task crops its own slabs"}, {"--downsample", "pieces would not tile"}};
    PlanRequest r = request({"scan/", "out.nrrd", "--format", "tiff-folder", "--compress"});
    r.tasks = 3;
    r.depth = 10;
    QCOMPARE(*inputArgument(convert, r.userArgs), std::string("scan/"));
    const Manifest m = planJob(convert, r);
    QCOMPARE(m.input, std::string("/home/me/run/scan/"));
    QCOMPARE(m.outputs[0].target, std::string("/home/me/run/out.nrrd"));
    const std::vector<std::string> expect{"/usr/bin/cdnet", "convert", "scan/", "/home/me/run/job/pieces/out-0001.h5",
                                          "--format", "tiff-folder", "--compress", "--crop", "0,0,3,0,0,4"};
    QVERIFY(m.tasks[1].argv == expect);
    QCOMPARE(m.tasks[2].argv.back(), std::string("0,0,7,0,0,3"));

    auto refuses = [&](std::vector<std::string> args, const char* expect) {
      PlanRequest bad = r;
      bad.userArgs = std::move(args);
      try {
        planJob(convert, bad);
      } catch (const std::invalid_argument& e) {
        return QString(e.what()).contains(expect);
      }
      return false;
    };
    QVERIFY(refuses({"in.h5", "out.h5", "--crop", "0,0,0,5,5,5"}, "cannot distribute --crop (each task crops its own slabs)"));
    QVERIFY(refuses({"in.h5", "out.h5", "--downsample=2"}, "cannot distribute --downsample"));
    QVERIFY(refuses({"--format", "hdf5", "in.h5", "out.h5"}, "positional arguments first"));
    QVERIFY(refuses({"in.h5"}, "positional arguments first"));
    QVERIFY(!inputArgument(convert, {"--format", "x", "in.h5"}));
  }

  void badRequests() {
    auto refuses = [](PlanRequest r, const char* expect) {
      try {
        planJob(analyzeLike(), r);
      } catch (const std::invalid_argument& e) {
        return QString(e.what()).contains(expect);
      }
      return false;
    };
    QVERIFY(refuses(request({"--csv", "p.csv"}), "needs --input"));
    QVERIFY(refuses(request({"--input", "in.h5"}), "needs --csv"));
    QVERIFY(refuses(request({"--input", "in.h5", "--csv", "p.csv", "--slices", "90:120"}), "beyond the 100 slices"));
    PlanRequest both = request({"--input", "in.h5", "--csv", "p.csv"});
    both.maxSlab = 10;
    QVERIFY(refuses(both, "exactly one"));
  }
};

QTEST_GUILESS_MAIN(TestJobPlan)
#include "test_job_plan.moc"
