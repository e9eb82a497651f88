// Slice views of a lazily read OME-Zarr volume (issue 16, "views read what they show"): the source
// picks the level matching the zoom, draws at once the coarsest level already cached and refines
// as blocks arrive (changed() on the GUI thread), ends with exactly the level's voxels, and a
// SliceView on it shows the same pixels as one on the same volume in memory once loading is done,
// telling how many blocks are still loading; the LazyBrowser shows a volume in every view and
// gives the views back to the Session when a dataset is opened, dropping the volume's blocks. A
// slice change asks for its blocks at once (reading overlaps the frame that follows) and relays out
// nothing (the slice label keeps its size); blocks that a picture already holds redraw nothing.
// The window's frame waits (FrameHold) while a slice change's blocks load, at most kMaxHoldMs, and
// goes out with everything that changed meanwhile once they are there: one frame, complete.
#include "core/volume/io/VolumeIO.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/Session.h"
#include "ui/views/FrameHold.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceSource.h"
#include "ui/views/SliceView.h"
#include "ui/views/ViewFrame.h"

#include <QHBoxLayout>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <QElapsedTimer>

#include <cstring>
#include <memory>

namespace vol = core::volume;

namespace {

vol::Volume pattern(vol::Size3 size) {
  vol::Volume v(size, vol::VoxelType::UInt16, {0.5, 0.5, 0.5});
  auto* p = v.as<std::uint16_t>();
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x)
        p[v.index(x, y, z)] = std::uint16_t((x * 37 + y * 11 + z * 5 + (x / 8 + y / 8) % 2 * 400) % 1000);
  return v;
}

/// A widget that counts its paint events.
struct PaintCounter : QWidget {
  int paints = 0;
  void paintEvent(QPaintEvent*) override { ++paints; }
};

/// An XY slice view of the volume at \p path (size \p size) read lazily with one loader thread,
/// alone in a window (\p framed: in a ViewFrame, with slider and slice label), the cursor at
/// (30, 40, 5). Not shown yet.
struct LazyXYWindow {
  ui::Session session;
  ui::CursorModel cursor;
  ui::DisplaySettings display;
  std::shared_ptr<vol::LazyVolume> lazy;
  std::unique_ptr<ui::LazySliceSource> source; // outlives the view in the window below
  QWidget window;
  ui::SliceView* view = nullptr;

  LazyXYWindow(const std::string& path, vol::Size3 size, bool framed) {
    cursor.setBounds(size);
    cursor.setPosition({30, 40, 5});
    vol::LazyOptions lo;
    lo.threads = 1;
    lazy = std::shared_ptr<vol::LazyVolume>(
        vol::LazyVolume::open(path, std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20), lo));
    source = std::make_unique<ui::LazySliceSource>(lazy);
    auto* row = new QHBoxLayout(&window);
    view = new ui::SliceView(ui::SliceOrientation::XY, session, cursor, display);
    view->setSource(source.get());
    if (framed) row->addWidget(new ui::ViewFrame(view, cursor));
    else row->addWidget(view);
  }
};

bool same(const vol::Volume& a, const vol::Volume& b) {
  return a.size() == b.size() && a.type() == b.type() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

} // namespace

class TestLazySliceView : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  std::string m_path;
  vol::Volume m_volume;

private Q_SLOTS:
  void initTestCase() {
    m_volume = pattern({96, 80, 40});
    vol::WriteOptions o;
    o.hdf5Chunk = {16, 16, 8};
    o.pyramidLevels = 3;
    m_path = m_dir.filePath("v.zarr").toStdString();
    vol::writeVolume(m_volume, m_path, o);
  }

  void sourceDrawsCoarseAtOnceThenTheZoomsLevel() {
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20);
    vol::LazyOptions lo;
    lo.threads = 1;
    auto lazy = std::shared_ptr<vol::LazyVolume>(vol::LazyVolume::open(m_path, cache, lo));
    (void)lazy->read(2, vol::Region::whole(lazy->levelInfo(2).size)); // the coarsest level is there
    ui::LazySliceSource source(lazy);
    QSignalSpy changed(&source, &ui::SliceSource::changed);
    // 2.5 full-resolution voxels per pixel: level 1.
    ui::SliceTransform view;
    view.width = 20;
    view.height = 16;
    view.scale = 1.25;
    view.centreU = 24;
    view.centreV = 20;
    lazy->setPaused(true); // the first picture is drawn before any block of level 1 is read
    const ui::SlicePicture first = source.picture(ui::SliceOrientation::XY, 21, view);
    QCOMPARE(first.level, 2);
    QVERIFY(source.pendingBlocks() > 0);
    QVERIFY(first.image && !first.image->empty());
    lazy->setPaused(false);
    QVERIFY(QTest::qWaitFor([&] { return source.pendingBlocks() == 0 && changed.count() > 0; }, 30000));
    const ui::SlicePicture done = source.picture(ui::SliceOrientation::XY, 21, view);
    QCOMPARE(done.level, 1);
    // Exactly level 1's voxels of the visible part of slice 21 (level-1 slice 10).
    vol::OpenOptions oo;
    oo.level = 1;
    const vol::Volume level1 = vol::readVolume(m_path, oo);
    const std::int64_t x0 = std::int64_t(done.offsetU / level1.spacing().x), y0 = std::int64_t(done.offsetV / level1.spacing().y);
    // The view shows plane u 11.5..36.5 um, v 10..30 um: full-resolution voxels [23, 74) x
    // [20, 61), level-1 voxels [11, 37) x [10, 31).
    QCOMPARE(x0, std::int64_t(11));
    QCOMPARE(y0, std::int64_t(10));
    const vol::Size3 n = done.image->size();
    QCOMPARE(n, (vol::Size3{26, 21, 1}));
    QVERIFY(same(*done.image, level1.crop({{x0, y0, 10}, n})));
    QCOMPARE(source.failedBlocks(), std::size_t(0));
  }

  void viewShowsTheSamePixelsAsInMemoryOnceLoaded() {
    ui::Session session;
    ui::CursorModel cursor;
    ui::DisplaySettings display;
    ui::Dataset d;
    d.image = m_volume.clone();
    d.labels = vol::Volume(m_volume.size(), vol::VoxelType::UInt8, m_volume.spacing());
    d.name = "memory";
    session.setDataset(std::move(d));
    cursor.setBounds(m_volume.size());
    cursor.setPosition({30, 40, 17});
    display.setRange(0, 1000);
    display.setCrosshairVisible(false);

    vol::LazyOptions lo;
    lo.threads = 2;
    auto lazy = std::shared_ptr<vol::LazyVolume>(
        vol::LazyVolume::open(m_path, std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20), lo));
    ui::LazySliceSource source(lazy);

    QWidget window;
    auto* row = new QHBoxLayout(&window);
    auto* memory = new ui::SliceView(ui::SliceOrientation::XZ, session, cursor, display);
    auto* lazyView = new ui::SliceView(ui::SliceOrientation::XZ, session, cursor, display);
    row->addWidget(memory);
    row->addWidget(lazyView);
    QSignalSpy loading(lazyView, &ui::SliceView::loadingChanged);
    lazy->setPaused(true); // the first frames come before the blocks
    lazyView->setSource(&source);
    window.resize(640, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    (void)lazyView->grabFramebuffer();
    QVERIFY(loading.count() >= 1);
    QVERIFY(loading.first().first().toULongLong() > 0);
    QVERIFY(memory->grabFramebuffer() != lazyView->grabFramebuffer()); // nothing loaded yet
    lazy->setPaused(false);
    QVERIFY(QTest::qWaitFor([&] { return lazyView->pendingBlocks() == 0 && source.pendingBlocks() == 0; }, 30000));
    const QImage a = memory->grabFramebuffer(), b = lazyView->grabFramebuffer();
    QCOMPARE(lazyView->pendingBlocks(), std::size_t(0));
    QCOMPARE(loading.last().first().toULongLong(), qulonglong(0));
    QCOMPARE(a.size(), b.size());
    // Identical pixels: the view is zoomed in (level 0) and every block has arrived.
    QCOMPARE(a, b);
    // Geometry comes from the source: slice count along y and voxel picking.
    QCOMPARE(lazyView->sliceCount(), m_volume.size().y);
    vol::Index3 voxel;
    QVERIFY(lazyView->voxelAt(lazyView->widgetPosition({12, 40, 33}), voxel));
    QCOMPARE(voxel, (vol::Index3{12, 40, 33}));
  }

  void sliceChangeAsksForItsBlocksAtOnceAndRelaysOutNothing() {
    LazyXYWindow w(m_path, m_volume.size(), true);
    w.window.resize(500, 400);
    w.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w.window));
    (void)w.view->grabFramebuffer();
    QVERIFY(QTest::qWaitFor([&] { return w.source->pendingBlocks() == 0 && w.view->pendingBlocks() == 0; }, 30000));
    QTest::qWait(50);

    struct LayoutCounter : QObject {
      int requests = 0;
      bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::LayoutRequest) ++requests;
        return false;
      }
    } counter;
    qApp->installEventFilter(&counter);
    // Slices whose labels ("5 / 39", "25 / 39", ...) differ in width; each in blocks not read yet.
    for (const std::int64_t z : {25, 3, 38, 12}) {
      w.lazy->setPaused(true);
      w.cursor.setAlong(2, z);
      QVERIFY2(w.source->pendingBlocks() > 0, "the slice change asked for nothing before the frame");
      w.lazy->setPaused(false);
      QVERIFY(QTest::qWaitFor([&] { return w.source->pendingBlocks() == 0 && w.view->pendingBlocks() == 0; }, 30000));
      QCOMPARE(w.view->slice(), z);
    }
    QTest::qWait(50);
    qApp->removeEventFilter(&counter);
    QCOMPARE(counter.requests, 0);
  }

  void frameHoldHoldsTheWindowsFrameUntilReleasedOrTimedOut() {
    QWidget window;
    auto* row = new QHBoxLayout(&window);
    auto* a = new PaintCounter, *b = new PaintCounter;
    row->addWidget(a);
    row->addWidget(b);
    window.resize(300, 200);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50);
    ui::FrameHold* hold = ui::FrameHold::of(a);
    QCOMPARE(ui::FrameHold::of(b), hold); // one per window
    hold->setMaxHoldMs(5000);
    const int a0 = a->paints, b0 = b->paints;
    int first = 0, second = 0;
    hold->hold(&first);
    hold->hold(&second);
    a->update();
    QTest::qWait(150);
    QCOMPARE(a->paints, a0); // held
    b->update();
    hold->release(&first);
    QTest::qWait(150);
    QCOMPARE(a->paints, a0); // the other holder still waits
    QVERIFY(hold->holding());
    hold->release(&second);
    QVERIFY(!hold->holding());
    // One frame draws both widgets that became dirty while held: nothing is lost.
    QVERIFY(QTest::qWaitFor([&] { return a->paints > a0 && b->paints > b0; }, 2000));
    QVERIFY(hold->heldFrames() >= 1);
    // A hold that is never released ends after its time.
    hold->setMaxHoldMs(100);
    const int a1 = a->paints;
    QElapsedTimer t;
    t.start();
    hold->hold(&first);
    a->update();
    QVERIFY(QTest::qWaitFor([&] { return a->paints > a1; }, 3000));
    QVERIFY2(t.elapsed() >= 90, qPrintable(QString::number(t.elapsed())));
    QVERIFY(!hold->holding());
    // 0: never hold.
    hold->setMaxHoldMs(0);
    hold->hold(&first);
    QVERIFY(!hold->holding());
  }

  void sliceChangeHoldsTheFrameUntilItsBlocksArrive() {
    LazyXYWindow w(m_path, m_volume.size(), false);
    w.window.resize(400, 300);
    w.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w.window));
    QVERIFY(QTest::qWaitFor([&] { return w.source->pendingBlocks() == 0 && w.view->showsCompletePicture(); }, 30000));
    ui::FrameHold* hold = ui::FrameHold::of(w.view);
    hold->setMaxHoldMs(5000); // long enough that only the blocks release it here
    const int compositesBefore = w.view->compositeCount();
    w.lazy->setPaused(true);
    w.cursor.setAlong(2, 30);
    QVERIFY(w.source->pendingBlocks() > 0);
    QVERIFY(hold->holding());
    QTest::qWait(200);
    // Nothing drawn while held: no coarse picture of slice 30 first.
    QCOMPARE(w.view->compositeCount(), compositesBefore);
    QVERIFY(!w.view->showsCompletePicture());
    w.lazy->setPaused(false);
    QVERIFY(QTest::qWaitFor([&] { return !hold->holding(); }, 30000));
    QVERIFY(QTest::qWaitFor([&] { return w.view->showsCompletePicture(); }, 30000));
    QCOMPARE(w.view->slice(), std::int64_t(30));
    QCOMPARE(w.view->compositeCount(), compositesBefore + 1); // one picture, the complete one
    // A slice whose blocks are all in memory holds nothing.
    w.cursor.setAlong(2, 5);
    QVERIFY(QTest::qWaitFor([&] { return w.view->showsCompletePicture() && w.view->slice() == 5; }, 30000));
    w.cursor.setAlong(2, 30);
    QCOMPARE(w.source->pendingBlocks(), std::size_t(0));
    QVERIFY(!hold->holding());
  }

  void blocksAPictureAlreadyHeldRedrawNothing() {
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20);
    vol::LazyOptions lo;
    lo.threads = 1;
    auto lazy = std::shared_ptr<vol::LazyVolume>(vol::LazyVolume::open(m_path, cache, lo));
    ui::LazySliceSource source(lazy);
    QSignalSpy changed(&source, &ui::SliceSource::changed);
    ui::SliceTransform view;
    view.width = 40;
    view.height = 30;
    view.scale = 0.5; // level 0
    view.centreU = 24;
    view.centreV = 20;
    lazy->setPaused(true);
    (void)source.picture(ui::SliceOrientation::XY, 21, view);
    QVERIFY(source.pendingBlocks() > 0);
    lazy->setPaused(false);
    // Every block arrives before the next picture; their notices are still queued (no events yet).
    for (int i = 0; i < 3000 && source.pendingBlocks() > 0; ++i) QThread::msleep(10);
    QCOMPARE(source.pendingBlocks(), std::size_t(0));
    const ui::SlicePicture done = source.picture(ui::SliceOrientation::XY, 21, view);
    QCOMPARE(done.level, 0);
    QTest::qWait(200); // the queued notices and any refine timer
    QCOMPARE(changed.count(), 0);
    // A picture drawn before its blocks is redrawn when they come.
    lazy->setPaused(true);
    (void)source.picture(ui::SliceOrientation::XY, 30, view);
    lazy->setPaused(false);
    QVERIFY(QTest::qWaitFor([&] { return source.pendingBlocks() == 0 && changed.count() > 0; }, 30000));
  }

  void browserShowsAVolumeAndGivesTheViewsBackOnOpen() {
    ui::Session session;
    ui::CursorModel cursor;
    ui::DisplaySettings display;
    QWidget window;
    auto* row = new QHBoxLayout(&window);
    std::vector<ui::SliceView*> views;
    for (auto o : {ui::SliceOrientation::XY, ui::SliceOrientation::XZ, ui::SliceOrientation::YZ}) {
      views.push_back(new ui::SliceView(o, session, cursor, display));
      row->addWidget(views.back());
    }
    auto cache = std::make_shared<vol::ChunkCache>(std::uint64_t(64) << 20);
    ui::LazyBrowser browser(views, session, cursor, display, cache);
    QSignalSpy loading(&browser, &ui::LazyBrowser::loadingChanged);
    browser.open(m_path);
    QVERIFY(browser.isOpen());
    for (ui::SliceView* v : views) QVERIFY(dynamic_cast<ui::LazySliceSource*>(&v->source()));
    QCOMPARE(cursor.bounds(), m_volume.size());
    QVERIFY(display.lower() >= 0 && display.upper() <= 1000 && display.upper() > display.lower() + 500);
    window.resize(900, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (ui::SliceView* v : views) (void)v->grabFramebuffer();
    // (On a volume this small the workers may finish before the first frame counts anything.)
    QVERIFY(QTest::qWaitFor([&] { return browser.pendingBlocks() == 0 &&
                                         (loading.isEmpty() || loading.last().first().toULongLong() == 0); }, 30000));
    QVERIFY(cache->stats().blocks > 0);
    // A path that cannot be opened changes nothing.
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, browser.open(m_dir.filePath("missing.zarr").toStdString()));
    QVERIFY(browser.isOpen());
    // Opening a dataset gives the views back to the Session; the volume's blocks leave the cache.
    ui::Dataset d;
    d.image = vol::Volume({8, 8, 8}, vol::VoxelType::UInt8);
    d.labels = vol::Volume({8, 8, 8}, vol::VoxelType::UInt8);
    session.setDataset(std::move(d));
    QVERIFY(!browser.isOpen());
    for (ui::SliceView* v : views) {
      QVERIFY(dynamic_cast<ui::SessionSliceSource*>(&v->source()));
      QCOMPARE(v->sliceCount(), std::int64_t(8));
    }
    QCOMPARE(cache->stats().blocks, std::uint64_t(0));
  }
};

QTEST_MAIN(TestLazySliceView)
#include "test_lazy_slice_view.moc"
