// The label write path: paint / undo / redo give identical voxels, a stroke is one step, abort
// restores, the byte budget drops the oldest steps and keeps the newest, RLE deltas stay small,
// and undoing a 100-million-voxel change is fast.
#include "core/labels/Brush.h"
#include "core/labels/LabelVolume.h"

#include <QtTest>

#include <chrono>
#include <cstring>
#include <functional>
#include <random>

using namespace core::labels;
using core::volume::Region;
using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VolumeInfo;
using core::volume::VoxelType;

namespace {

VolumeInfo info(Size3 s) {
  VolumeInfo i;
  i.size = s;
  i.type = VoxelType::UInt16; // the image type; labels are always uint8
  return i;
}

bool sameVoxels(const Volume& a, const Volume& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), std::size_t(a.bytes())) == 0;
}

/// Records what listeners hear.
struct Recorder : LabelListener {
  std::vector<Region> changed;
  int flags = 0, undo = 0;
  void labelsChanged(const Region& r) override { changed.push_back(r); }
  void annotatedSlicesChanged() override { ++flags; }
  void undoStateChanged() override { ++undo; }
};

/// A random stroke of \p n mouse positions on slice z.
EditSummary randomStroke(LabelVolume& labels, std::mt19937& rng, int n, std::uint8_t value, int size = 5) {
  BrushSettings s;
  s.size = size;
  s.value = value;
  BrushStroke stroke(labels, s);
  std::uniform_real_distribution<double> ux(0, double(labels.size().x - 1)), uy(0, double(labels.size().y - 1));
  std::uniform_int_distribution<int> uz(0, int(labels.size().z - 1));
  const double z = uz(rng);
  for (int i = 0; i < n; ++i) stroke.moveTo({ux(rng), uy(rng), z});
  return stroke.finish();
}

} // namespace

class TestLabelEdit : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void newVolumeIsUnlabelledUint8() {
    LabelVolume labels(info({10, 8, 6}));
    QCOMPARE(labels.volume().type(), VoxelType::UInt8);
    QCOMPARE(labels.size(), (Size3{10, 8, 6}));
    QCOMPARE(labels.at(3, 3, 3), kUnlabelled);
    QVERIFY(!labels.isModified());
    QVERIFY(!labels.canUndo());
  }

  void paintUndoRedoGiveIdenticalVoxels() {
    LabelVolume labels(info({64, 48, 16}));
    std::mt19937 rng(7);
    std::vector<Volume> states;
    states.push_back(labels.volume().clone());
    for (int k = 0; k < 6; ++k) {
      const auto summary = randomStroke(labels, rng, 8, std::uint8_t(k % 3), 3 + 2 * k);
      if (summary.committed) states.push_back(labels.volume().clone());
    }
    QVERIFY(states.size() >= 5);
    const void* buffer = labels.volume().data();
    for (std::size_t k = states.size() - 1; k > 0; --k) {
      QVERIFY(sameVoxels(labels.volume(), states[k]));
      QVERIFY(!labels.undo().empty());
    }
    QVERIFY(sameVoxels(labels.volume(), states[0]));
    QVERIFY(!labels.canUndo());
    for (std::size_t k = 1; k < states.size(); ++k) {
      QVERIFY(!labels.redo().empty());
      QVERIFY(sameVoxels(labels.volume(), states[k]));
    }
    QVERIFY(!labels.canRedo());
    QCOMPARE(labels.volume().data(), buffer); // the buffer never moves (views wrap it)
  }

  void strokeOfManyDabsIsOneStep() {
    LabelVolume labels(info({128, 128, 4}));
    Recorder rec;
    labels.addListener(&rec);
    BrushSettings s;
    s.size = 7;
    BrushStroke stroke(labels, s);
    for (int i = 0; i < 40; ++i) stroke.moveTo({10.0 + 2.5 * i, 20.0 + 2.0 * i, 2});
    QVERIFY(stroke.dabCount() >= 40);
    QVERIFY(rec.changed.size() >= 40); // every dab announced its box while painting
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(0));
    const auto summary = stroke.finish();
    QVERIFY(summary.committed);
    QCOMPARE(summary.name, std::string("Paint stroke"));
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(1));
    QCOMPARE(labels.undoStack().undoName(), std::string("Paint stroke"));
    QVERIFY(rec.undo >= 1);
    // The step's box covers exactly the painted voxels' bounding box.
    const auto& v = labels.volume();
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) n += v.as<std::uint8_t>()[i] == kCrack;
    QCOMPARE(summary.changedVoxels, n);
    const Region r = labels.undo();
    QCOMPARE(r, summary.changed);
    QCOMPARE(rec.changed.back(), summary.changed);
    for (std::int64_t i = 0; i < v.voxelCount(); ++i) QCOMPARE(v.as<std::uint8_t>()[i], kUnlabelled);
    labels.removeListener(&rec);
  }

  void abortRestores() {
    LabelVolume labels(info({40, 40, 10}));
    std::mt19937 rng(3);
    randomStroke(labels, rng, 5, kNotCrack, 9);
    const Volume before = labels.volume().clone();
    Recorder rec;
    labels.addListener(&rec);
    {
      LabelEdit e = labels.beginEdit("Paint stroke");
      BrushSettings s;
      s.size = 11;
      paintSegment(e, s, {5, 5, 4}, {35, 30, 4});
      e.setSliceAnnotated(4, true);
      QVERIFY(!sameVoxels(labels.volume(), before));
      QVERIFY(labels.isSliceAnnotated(4));
      e.abort();
      QVERIFY(!e.isOpen());
    }
    QVERIFY(sameVoxels(labels.volume(), before));
    QVERIFY(!labels.isSliceAnnotated(4));
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(1));
    QVERIFY(!rec.changed.empty());
    // Destroying an open edit aborts it too.
    {
      LabelEdit e = labels.beginEdit("Fill");
      e.fill(Region::whole(labels.size()), kCrack);
    }
    QVERIFY(sameVoxels(labels.volume(), before));
    QVERIFY(!labels.hasOpenEdit());
    // So does an exception inside LabelVolume::edit.
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, labels.edit("Broken", [](LabelEdit& e) {
      e.fill({{0, 0, 0}, {10, 10, 2}}, kCrack);
      throw std::runtime_error("tool failed");
    }));
    QVERIFY(sameVoxels(labels.volume(), before));
    labels.removeListener(&rec);
  }

  void newCommitClearsRedo() {
    LabelVolume labels(info({20, 20, 4}));
    labels.edit("A", [](LabelEdit& e) { e.fill({{0, 0, 0}, {5, 5, 1}}, 1); });
    labels.edit("B", [](LabelEdit& e) { e.fill({{5, 5, 0}, {5, 5, 1}}, 2); });
    labels.undo();
    QVERIFY(labels.canRedo());
    QCOMPARE(labels.undoStack().redoName(), std::string("B"));
    labels.edit("C", [](LabelEdit& e) { e.fill({{10, 10, 0}, {5, 5, 1}}, 2); });
    QVERIFY(!labels.canRedo());
    QCOMPARE(labels.undoStack().names(), (std::vector<std::string>{"A", "C"}));
    QCOMPARE(labels.at(6, 6, 0), kUnlabelled);
  }

  void editThatChangesNothingPushesNoStep() {
    LabelVolume labels(info({20, 20, 4}));
    const auto s = labels.edit("Nothing", [](LabelEdit& e) { e.fill({{0, 0, 0}, {5, 5, 1}}, kUnlabelled); });
    QVERIFY(!s.committed);
    QVERIFY(!labels.canUndo());
    // Painting and erasing the same voxels in one stroke nets out too.
    const auto t = labels.edit("Paint and erase", [](LabelEdit& e) {
      e.fill({{0, 0, 0}, {5, 5, 1}}, kCrack);
      e.fill({{0, 0, 0}, {5, 5, 1}}, kUnlabelled);
    });
    QVERIFY(!t.committed);
  }

  void budgetDropsOldestKeepsNewest() {
    LabelVolume labels(info({64, 64, 8}));
    std::vector<std::size_t> bytes;
    for (int k = 0; k < 10; ++k) {
      const auto s = labels.edit("Step " + std::to_string(k), [k](LabelEdit& e) {
        e.fill({{k * 5, 0, 0}, {5, 64, 8}}, std::uint8_t(1 + k % 2));
      });
      bytes.push_back(s.bytes);
    }
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(10));
    const std::size_t all = labels.undoStack().bytesUsed();
    std::size_t sum = 0;
    for (auto b : bytes) sum += b;
    QCOMPARE(all, sum);
    // A budget for about five steps keeps the newest five or so.
    labels.setUndoBudget(bytes[9] + bytes[8] + bytes[7] + bytes[6] + bytes[5], 3);
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(5));
    QCOMPARE(labels.undoStack().names().front(), std::string("Step 5"));
    QVERIFY(labels.undoStack().bytesUsed() <= labels.undoStack().budgetBytes());
    // A budget smaller than any step still keeps the newest three.
    labels.setUndoBudget(1, 3);
    QCOMPARE(labels.undoStack().undoCount(), std::size_t(3));
    QCOMPARE(labels.undoStack().names(), (std::vector<std::string>{"Step 7", "Step 8", "Step 9"}));
    QCOMPARE(labels.undoStack().droppedCount(), std::size_t(7));
    labels.edit("Step 10", [](LabelEdit& e) { e.fill({{0, 10, 0}, {64, 5, 8}}, 2); });
    QCOMPARE(labels.undoStack().names(), (std::vector<std::string>{"Step 8", "Step 9", "Step 10"}));
    // The kept steps still undo correctly down to the oldest kept one.
    const Volume now = labels.volume().clone();
    QVERIFY(!labels.undo().empty());
    QVERIFY(!labels.undo().empty());
    QVERIFY(!labels.undo().empty());
    QVERIFY(!labels.canUndo());
    QCOMPARE(labels.at(8 * 5, 0, 0), kUnlabelled); // step 8 undone
    QCOMPARE(labels.at(7 * 5, 0, 0), std::uint8_t(1 + 7 % 2)); // step 7 can no longer be undone
    while (labels.canRedo()) labels.redo();
    QVERIFY(sameVoxels(labels.volume(), now));
  }

  void rleOfSmallEditOnBigVolumeIsSmall() {
    LabelVolume labels(info({512, 512, 256})); // 64 M voxels
    labels.edit("Dab", [](LabelEdit& e) {
      BrushSettings s;
      s.size = 9;
      paintDab(e, s, {200, 300, 100});
    });
    const std::size_t dab = labels.undoStack().bytesUsed();
    qInfo("one dab (size 9) on 512x512x256: %zu bytes in the undo stack", dab);
    QVERIFY(dab < 1024);
    std::mt19937 rng(11);
    const auto stroke = randomStroke(labels, rng, 30, kCrack, 9);
    qInfo("a 30-point stroke of size 9 (%lld voxels changed): %zu bytes", static_cast<long long>(stroke.changedVoxels),
          stroke.bytes);
    QVERIFY(stroke.bytes < 64 * 1024);
    QVERIFY(stroke.bytes < std::size_t(stroke.changedVoxels)); // far less than a byte per changed voxel
    // A 3D sphere stroke merges into one delta as well.
    BrushSettings s;
    s.size = 15;
    s.shape = BrushShape::Sphere;
    BrushStroke sphere(labels, s);
    for (int i = 0; i < 20; ++i) sphere.moveTo({100.0 + 10 * i, 100.0 + 5 * i, 50.0 + 3 * i});
    const auto sum = sphere.finish();
    qInfo("a 20-point sphere stroke of size 15 (%lld voxels changed): %zu bytes",
          static_cast<long long>(sum.changedVoxels), sum.bytes);
    QVERIFY(sum.bytes < 200 * 1024);
  }

  void undoOfHundredMillionVoxelsIsFast() {
    // "Fast" means about the cost of writing the changed bytes once (RleDelta.h: whole segments
    // are written with memset): undo and redo are compared with a memset of the same number of
    // bytes measured in the same run. Each is the fastest of kRuns interleaved tries, so a busy
    // machine slows all of them alike; the limit (kRatio times the memset plus kFloorMs) is far
    // above the 1-3x measured, and far below a voxel-by-voxel loop (tens of times a memset).
    constexpr int kRuns = 5;
    constexpr double kRatio = 8, kFloorMs = 15;
    const Size3 size{512, 512, 400}; // 104.9 M voxels
    LabelVolume labels(info(size));
    auto t0 = std::chrono::steady_clock::now();
    const auto s = labels.edit("Fill", [](LabelEdit& e) { e.fill(Region::whole(e.volume().size()), kCrack); });
    auto t1 = std::chrono::steady_clock::now();
    QCOMPARE(s.changedVoxels, size.x * size.y * size.z);
    QVERIFY(s.bytes < 4096);
    const auto& v = labels.volume();
    const std::uint8_t* p = v.as<std::uint8_t>();
    const auto uniform = [&](std::uint8_t value) {
      return p[0] == value && std::memcmp(p, p + 1, std::size_t(v.voxelCount() - 1)) == 0;
    };
    const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    const double editMs = ms(t0, t1);

    // The fastest of kRuns memsets of \p bytes, undos and redos, interleaved.
    std::vector<std::uint8_t> scratch(std::size_t(v.voxelCount()), 1); // pages touched, as the labels' are
    struct Times {
      double memset = 1e30, undo = 1e30, redo = 1e30;
    };
    const auto measure = [&](std::size_t bytes, const std::function<void()>& checkUndone) {
      Times t;
      for (int i = 0; i < kRuns; ++i) {
        auto a = std::chrono::steady_clock::now();
        std::memset(scratch.data(), i % 2 ? kCrack : kNotCrack, bytes);
        asm volatile("" : : "r"(scratch.data()) : "memory"); // the memset happens here, not later or never
        auto b = std::chrono::steady_clock::now();
        t.memset = std::min(t.memset, ms(a, b));
        a = std::chrono::steady_clock::now();
        labels.undo();
        b = std::chrono::steady_clock::now();
        t.undo = std::min(t.undo, ms(a, b));
        if (i == 0) checkUndone();
        a = std::chrono::steady_clock::now();
        labels.redo();
        b = std::chrono::steady_clock::now();
        t.redo = std::min(t.redo, ms(a, b));
      }
      return t;
    };
    const auto within = [&](double t, double reference) { return t <= kRatio * reference + kFloorMs; };

    bool undone = false;
    const Times fill = measure(std::size_t(v.voxelCount()), [&] { undone = uniform(0); });
    QVERIFY2(undone, "undo of the fill did not restore the empty labels");
    QVERIFY(uniform(kCrack)); // redone
    qInfo("fill 512x512x400 (104.9 M voxels): edit %.1f ms; fastest of %d: memset %.1f ms, undo %.1f ms (%.2fx), "
          "redo %.1f ms (%.2fx); step %zu bytes",
          editMs, kRuns, fill.memset, fill.undo, fill.undo / fill.memset, fill.redo, fill.redo / fill.memset, s.bytes);
    QVERIFY2(within(fill.undo, fill.memset) && within(fill.redo, fill.memset),
             qPrintable(QString("undo %1 ms, redo %2 ms: more than %3x a memset of the same bytes (%4 ms) + %5 ms")
                            .arg(fill.undo).arg(fill.redo).arg(kRatio).arg(fill.memset).arg(kFloorMs)));

    // Half the volume changed in 204800 stripes (every other row): still exact, and still about
    // a memset of the changed bytes (one memset per stripe plus decoding the stream).
    const Volume before = v.clone();
    labels.edit("Stripes", [&](LabelEdit& e) {
      e.modifyRows(Region::whole(e.volume().size()), [&](std::int64_t y, std::int64_t, std::uint8_t* row) {
        if (y % 2) std::memset(row, kNotCrack, std::size_t(size.x));
      });
    });
    const Volume striped = v.clone();
    bool same = false;
    const Times stripes = measure(std::size_t(v.voxelCount() / 2), [&] { same = sameVoxels(v, before); });
    QVERIFY2(same, "undo of the stripes did not restore the filled labels");
    QVERIFY(sameVoxels(v, striped)); // redone
    qInfo("stripes (52 M voxels in 204800 rows): fastest of %d: memset %.1f ms, undo %.1f ms (%.2fx), redo %.1f ms "
          "(%.2fx); step %zu bytes",
          kRuns, stripes.memset, stripes.undo, stripes.undo / stripes.memset, stripes.redo,
          stripes.redo / stripes.memset, labels.undoStack().bytesUsed());
    QVERIFY2(within(stripes.undo, stripes.memset) && within(stripes.redo, stripes.memset),
             qPrintable(QString("undo %1 ms, redo %2 ms: more than %3x a memset of the same bytes (%4 ms) + %5 ms")
                            .arg(stripes.undo).arg(stripes.redo).arg(kRatio).arg(stripes.memset).arg(kFloorMs)));
  }

  void annotatedFlagsAreUndoable() {
    LabelVolume labels(info({8, 8, 6}));
    Recorder rec;
    labels.addListener(&rec);
    labels.edit("Mark slice annotated", [](LabelEdit& e) { e.setSliceAnnotated(2, true); });
    QVERIFY(labels.isSliceAnnotated(2));
    QCOMPARE(labels.annotatedSlices(), (std::vector<std::int64_t>{2}));
    QCOMPARE(labels.undoStack().undoName(), std::string("Mark slice annotated"));
    labels.undo();
    QVERIFY(!labels.isSliceAnnotated(2));
    labels.redo();
    QVERIFY(labels.isSliceAnnotated(2));
    QVERIFY(rec.flags >= 3);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, labels.edit("Bad", [](LabelEdit& e) { e.setSliceAnnotated(6, true); }));
    labels.removeListener(&rec);
  }

  void modifiedFollowsSavedState() {
    LabelVolume labels(info({8, 8, 2}));
    QVERIFY(!labels.isModified());
    const auto rev0 = labels.revision();
    labels.edit("A", [](LabelEdit& e) { e.fill({{0, 0, 0}, {2, 2, 1}}, 2); });
    QVERIFY(labels.isModified());
    QVERIFY(labels.revision() > rev0);
    labels.markSaved();
    QVERIFY(!labels.isModified());
    labels.undo();
    QVERIFY(labels.isModified());
    labels.redo();
    QVERIFY(!labels.isModified());
    LabelEdit e = labels.beginEdit("B");
    e.fill({{4, 4, 0}, {2, 2, 1}}, 1);
    QVERIFY(labels.isModified());
    e.abort();
    QVERIFY(!labels.isModified());
  }

  void misuseIsRefused() {
    LabelVolume labels(info({8, 8, 2}));
    LabelEdit e = labels.beginEdit("Open");
    QVERIFY_THROWS_EXCEPTION(std::logic_error, labels.beginEdit("Second"));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, labels.undo());
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, e.modifyRows({{4, 4, 0}, {8, 2, 1}}, [](auto, auto, auto) {}));
    LabelEdit moved = std::move(e);
    QVERIFY(!e.isOpen());
    QVERIFY(moved.isOpen());
    moved.commit();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, moved.fill({{0, 0, 0}, {1, 1, 1}}, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LabelVolume(Volume({2, 2, 2}, VoxelType::UInt16)));
  }

  void resetKeepsBufferAndClearsHistory() {
    LabelVolume labels(info({16, 16, 4}));
    const void* buffer = labels.volume().data();
    labels.edit("A", [](LabelEdit& e) { e.fill({{0, 0, 0}, {4, 4, 1}}, 2); });
    Volume other({16, 16, 4}, VoxelType::UInt8);
    other.setValueAt(3, 3, 3, 1);
    labels.reset(other, {1, 3});
    QCOMPARE(labels.volume().data(), buffer);
    QCOMPARE(labels.at(3, 3, 3), std::uint8_t(1));
    QCOMPARE(labels.at(0, 0, 0), kUnlabelled);
    QVERIFY(!labels.canUndo());
    QCOMPARE(labels.annotatedSlices(), (std::vector<std::int64_t>{1, 3}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labels.reset(Volume({8, 8, 4}, VoxelType::UInt8), {}));
  }
};

QTEST_GUILESS_MAIN(TestLabelEdit)
#include "test_label_edit.moc"
