// Sparse chunked labels (issue 16, labels on big volumes): a stroke creates only the chunks it
// touches; the brush, polygon, flood fill, interpolation and accepting a prediction give the same
// voxels through the sparse store as on a dense LabelVolume; undo/redo restore; saving writes only
// changed chunks (a second save only the newly painted slice's); reopening reads the same labels
// lazily; a damaged chunk is an error naming its file and is never overwritten.
#include "core/labels/Brush.h"
#include "core/labels/PredictionTools.h"
#include "core/labels/SliceInterpolation.h"
#include "core/labels/SliceTools.h"
#include "core/labels/SparseLabelStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

using namespace core::labels;
using core::volume::Index3;
using core::volume::Orientation;
using core::volume::Region;
using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VolumeInfo;
using core::volume::VoxelType;
namespace fs = std::filesystem;

namespace {

const Size3 kSize{40, 30, 12};
const Size3 kChunk{8, 8, 4};

VolumeInfo info() {
  VolumeInfo i;
  i.size = kSize;
  i.type = VoxelType::UInt16;
  return i;
}

/// The chunks of \p dense that hold a non-zero label.
std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> nonZeroChunks(const Volume& dense) {
  std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> out;
  for (std::int64_t z = 0; z < kSize.z; ++z)
    for (std::int64_t y = 0; y < kSize.y; ++y)
      for (std::int64_t x = 0; x < kSize.x; ++x)
        if (dense.as<std::uint8_t>()[dense.index(x, y, z)]) out.insert({x / kChunk.x, y / kChunk.y, z / kChunk.z});
  return out;
}

std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> chunksOf(const SparseLabels& s) {
  std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> out;
  for (std::int64_t kz = 0; kz * kChunk.z < kSize.z; ++kz)
    for (std::int64_t ky = 0; ky * kChunk.y < kSize.y; ++ky)
      for (std::int64_t kx = 0; kx * kChunk.x < kSize.x; ++kx)
        if (s.hasChunk({kx, ky, kz})) out.insert({kx, ky, kz});
  return out;
}

bool same(const SparseLabels& s, const Volume& dense) {
  const Volume v = s.read(Region::whole(kSize));
  return std::memcmp(v.data(), dense.data(), std::size_t(dense.bytes())) == 0;
}

/// One brush stroke along y = \p y on XY slice \p z, from x0 to x1, on the dense volume and
/// through a window of that slice on the sparse one.
void stroke(LabelVolume& dense, SparseLabels& sparse, double z, double y, double x0, double x1, std::uint8_t value = kCrack) {
  BrushSettings s;
  s.size = 3;
  s.value = value;
  {
    BrushStroke st(dense, s);
    for (double x = x0; x <= x1; x += 1.5) st.moveTo({x, y, z});
    st.finish();
  }
  auto w = sparse.openWindow(core::volume::sliceRegion(Orientation::XY, std::int64_t(z), 0, 0, kSize.x, kSize.y));
  {
    BrushStroke st(w->labels(), s);
    for (double x = x0; x <= x1; x += 1.5) st.moveTo(w->toLocal(Vec3{x, y, z}));
    st.finish();
  }
  w->close();
}

std::vector<std::string> chunkFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') out.push_back(e.path().string());
  return out;
}

ino_t inodeOf(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_ino;
}

} // namespace

class TestSparseLabels : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void strokeCreatesOnlyTheChunksItTouches() {
    LabelVolume dense(info());
    SparseLabels sparse(info(), kChunk);
    QCOMPARE(sparse.chunkCount(), std::size_t(0));
    QCOMPARE(sparse.at(5, 5, 5), std::uint8_t(0));
    stroke(dense, sparse, 5, 6, 3, 13);
    const auto expected = nonZeroChunks(dense.volume());
    QVERIFY(!expected.empty());
    QCOMPARE(chunksOf(sparse), expected);
    QVERIFY(sparse.chunkCount() < std::size_t(5 * 4 * 3) / 4); // a small part of the 60 chunks
    QVERIFY(same(sparse, dense.volume()));
    QCOMPARE(sparse.labelledSlicesZ(), std::vector<std::int64_t>{5});
  }

  void toolsGiveTheSameVoxelsAsOnDenseLabels() {
    LabelVolume dense(info());
    SparseLabels sparse(info(), kChunk);
    stroke(dense, sparse, 2, 10, 5, 30);
    stroke(dense, sparse, 9, 12, 8, 28);
    // Polygon on XZ slice y = 14.
    const std::vector<core::volume::Point2> poly{{4, 1}, {20, 2}, {18, 10}, {6, 9}};
    dense.edit(stepname::kPolygonFill, [&](LabelEdit& e) { fillPolygon(e, Orientation::XZ, 14, poly, kNotCrack); });
    sparse.edit(core::volume::sliceRegion(Orientation::XZ, 14, 0, 0, kSize.x, kSize.z), stepname::kPolygonFill,
                [&](LabelEdit& e, const SparseLabels::Window&) { fillPolygon(e, Orientation::XZ, 0, poly, kNotCrack); });
    QVERIFY(same(sparse, dense.volume()));
    // Flood fill on XY slice 7 of an image with a bright square.
    Volume image(kSize, VoxelType::UInt16);
    for (std::int64_t z = 0; z < kSize.z; ++z)
      for (std::int64_t y = 15; y < 25; ++y)
        for (std::int64_t x = 20; x < 35; ++x) image.as<std::uint16_t>()[image.index(x, y, z)] = 1000;
    dense.edit(stepname::kFloodFill, [&](LabelEdit& e) { floodFill2D(e, image, Orientation::XY, {22, 18, 7}, 10, kCrack); });
    const Region slice7 = core::volume::sliceRegion(Orientation::XY, 7, 0, 0, kSize.x, kSize.y);
    const Volume imageSlice = image.crop(slice7);
    sparse.edit(slice7, stepname::kFloodFill, [&](LabelEdit& e, const SparseLabels::Window& w) {
      floodFill2D(e, imageSlice, Orientation::XY, w.toLocal(Index3{22, 18, 7}), 10, kCrack);
    });
    QVERIFY(same(sparse, dense.volume()));
    // Interpolation between XY slices 2 and 9.
    dense.edit(stepname::kInterpolate, [&](LabelEdit& e) { interpolateSlices(e, Orientation::XY, 2, 9); });
    sparse.edit(Region::slab(kSize, 2, 10), stepname::kInterpolate,
                [&](LabelEdit& e, const SparseLabels::Window&) { interpolateSlices(e, Orientation::XY, 0, 7); });
    QVERIFY(same(sparse, dense.volume()));
    // Accepting a prediction of XY slice 10 and marking it annotated.
    Volume prediction(kSize, VoxelType::UInt8);
    for (std::int64_t y = 3; y < 20; ++y)
      for (std::int64_t x = 2; x < 9; ++x) prediction.as<std::uint8_t>()[prediction.index(x, y, 10)] = 230;
    dense.edit(stepname::kAcceptSlice, [&](LabelEdit& e) {
      acceptPredictionSlice(e, prediction, Orientation::XY, 10);
      e.setSliceAnnotated(10, true);
    });
    const Region slice10 = core::volume::sliceRegion(Orientation::XY, 10, 0, 0, kSize.x, kSize.y);
    const Volume predictionSlice = prediction.crop(slice10);
    sparse.edit(slice10, stepname::kAcceptSlice, [&](LabelEdit& e, const SparseLabels::Window&) {
      acceptPredictionSlice(e, predictionSlice, Orientation::XY, 0);
      e.setSliceAnnotated(0, true);
    });
    QVERIFY(same(sparse, dense.volume()));
    QCOMPARE(sparse.annotatedSlices(), dense.annotatedSlices());
    // Undo everything step by step, then redo: the same voxels as the dense volume at each step.
    int steps = 0;
    while (dense.canUndo()) {
      QVERIFY(sparse.canUndo());
      QCOMPARE(sparse.undoStack().undoName(), dense.undoStack().undoName());
      dense.undo();
      sparse.undo();
      QVERIFY(same(sparse, dense.volume()));
      QCOMPARE(sparse.annotatedSlices(), dense.annotatedSlices());
      ++steps;
    }
    QCOMPARE(steps, 6);
    QVERIFY(!sparse.canUndo());
    QCOMPARE(sparse.labelledSlicesZ(), std::vector<std::int64_t>{});
    while (dense.canRedo()) {
      dense.redo();
      sparse.redo();
      QVERIFY(same(sparse, dense.volume()));
    }
  }

  void abortedStrokeRestoresTheChunks() {
    SparseLabels sparse(info(), kChunk);
    auto w = sparse.openWindow(core::volume::sliceRegion(Orientation::XY, 3, 0, 0, kSize.x, kSize.y));
    std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> during;
    {
      BrushStroke st(w->labels(), BrushSettings{});
      for (double t = 0; t <= 1; t += 0.02) st.moveTo({1 + 37 * t, 1 + 27 * t, 0}); // a diagonal
      QCOMPARE(sparse.at(20, 15, 3), kCrack); // written through while drawing
      during = chunksOf(sparse);
      st.cancel();
    }
    w->close();
    // The restore wrote the stroke's whole bounding box (20 chunks) but created none of the chunks
    // the diagonal never touched.
    QVERIFY(during.size() < 12);
    QCOMPARE(chunksOf(sparse), during);
    QVERIFY(same(sparse, Volume(kSize, VoxelType::UInt8)));
    QVERIFY(!sparse.canUndo());
  }

  void aStoreDestroyedUnderAnOpenWindowLeavesItSafe() {
    auto sparse = std::make_unique<SparseLabels>(info(), kChunk);
    auto w = sparse->openWindow(Region::slab(kSize, 3, 4));
    BrushStroke st(w->labels(), BrushSettings{});
    st.moveTo({10, 10, 0});
    sparse.reset();
    st.moveTo({12, 10, 0}); // edits the window alone
    st.cancel();
    QCOMPARE(int(w->labels().at(10, 10, 0)), 0);
    w->close(); // an orphaned window closes without its store
  }

  void savingWritesOnlyTheChangedChunks() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("img.labels.zarr").toStdString();
    LabelVolume dense(info());
    auto sparse = openSparseLabels(dir, info(), kChunk);
    stroke(dense, *sparse, 5, 6, 3, 13);
    const std::size_t first = sparse->chunkCount();
    SparseSaveReport r1 = saveSparseLabels(*sparse, dir);
    QCOMPARE(r1.chunksWritten, first);
    QCOMPARE(chunkFiles(dir).size(), first);
    std::uint64_t onDisk = 0;
    for (const auto& f : chunkFiles(dir)) onDisk += fs::file_size(f);
    QCOMPARE(r1.bytesWritten, onDisk + fs::file_size(dir + "/.zarray") + fs::file_size(dir + "/.zattrs"));
    QVERIFY(!sparse->isModified());
    const auto firstFiles = chunkFiles(dir);
    std::map<std::string, ino_t> inodes;
    for (const auto& f : firstFiles) inodes[f] = inodeOf(f);
    // Nothing changed: nothing written.
    const SparseSaveReport r0 = saveSparseLabels(*sparse, dir);
    QCOMPARE(r0.bytesWritten, std::uint64_t(0));
    // One more slice in another chunk layer: only its chunks are written, the first files stay.
    LabelVolume dense2(info());
    stroke(dense, *sparse, 10, 20, 20, 26);
    stroke(dense2, *sparse, 10, 20, 20, 26); // the same again changes nothing on the sparse side
    const std::size_t newChunks = nonZeroChunks(dense2.volume()).size();
    const SparseSaveReport r2 = saveSparseLabels(*sparse, dir);
    QCOMPARE(r2.chunksWritten, newChunks);
    QCOMPARE(r2.metadataWritten, std::size_t(0));
    QCOMPARE(chunkFiles(dir).size(), first + newChunks);
    for (const auto& [f, ino] : inodes) QCOMPARE(inodeOf(f), ino); // never rewritten
    // Reopen: nothing loaded until read, then the same voxels.
    auto reopened = openSparseLabels(dir, info(), {16, 16, 16});
    QCOMPARE(reopened->chunkShape(), kChunk); // the saved grid wins
    QCOMPARE(reopened->chunksInMemory(), std::size_t(0));
    QCOMPARE(reopened->chunkCount(), first + newChunks);
    QVERIFY(same(*reopened, dense.volume()));
    QCOMPARE(reopened->chunksInMemory(), first + newChunks);
    // Undo after reopening is not possible; erasing a stroke and saving removes its files.
    QVERIFY(!reopened->canUndo());
    reopened->edit(Region::slab(kSize, 10, 11), stepname::kEraseStroke,
                   [&](LabelEdit& e, const SparseLabels::Window&) { e.fill(Region::whole(e.volume().size()), kUnlabelled); });
    const SparseSaveReport r3 = saveSparseLabels(*reopened, dir);
    QCOMPARE(r3.chunksRemoved, newChunks);
    QCOMPARE(r3.chunksWritten, std::size_t(0));
    QCOMPARE(chunkFiles(dir).size(), first);
    // Undo brings them back, the next save writes them again.
    reopened->undo();
    QVERIFY(reopened->isModified());
    QCOMPARE(saveSparseLabels(*reopened, dir).chunksWritten, newChunks);
  }

  void aDamagedChunkIsAnErrorNamingItsFile() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("img.labels.zarr").toStdString();
    LabelVolume dense(info());
    auto sparse = openSparseLabels(dir, info(), kChunk);
    stroke(dense, *sparse, 1, 5, 2, 30);
    saveSparseLabels(*sparse, dir);
    const std::string victim = dir + "/0/0/1";
    QVERIFY(fs::exists(victim));
    const auto size = fs::file_size(victim);
    fs::resize_file(victim, size / 2);
    std::string damaged;
    {
      std::ifstream in(victim, std::ios::binary);
      damaged.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto reopened = openSparseLabels(dir, info(), kChunk); // lazily: opening reads no chunk
    try {
      reopened->read(Region::slab(kSize, 1, 2));
      QFAIL("reading a damaged chunk did not throw");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find(victim) != std::string::npos, e.what());
    }
    // Painting into it is refused; painting elsewhere and saving leave the damaged file as it is.
    QVERIFY_EXCEPTION_THROWN(reopened->openWindow(Region::slab(kSize, 1, 2)), std::runtime_error);
    QVERIFY(!reopened->hasOpenWindow());
    reopened->edit(Region::slab(kSize, 9, 10), stepname::kPaintStroke,
                   [&](LabelEdit& e, const SparseLabels::Window&) { e.fill({{0, 0, 0}, {4, 4, 1}}, kCrack); });
    QCOMPARE(saveSparseLabels(*reopened, dir).chunksWritten, std::size_t(1));
    std::string after;
    {
      std::ifstream in(victim, std::ios::binary);
      after.assign(std::istreambuf_iterator<char>(in), {});
    }
    QCOMPARE(after, damaged);
    // A .zarray of another shape is refused, naming it.
    QTemporaryDir tmp2;
    const std::string other = tmp2.filePath("x.labels.zarr").toStdString();
    VolumeInfo small = info();
    small.size = {10, 10, 10};
    SparseLabels s2(small, kChunk);
    saveSparseLabels(s2, other);
    try {
      openSparseLabels(other, info(), kChunk);
      QFAIL("a .zarray of another shape was accepted");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find(other + "/.zarray") != std::string::npos, e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestSparseLabels)
#include "test_sparse_labels.moc"
