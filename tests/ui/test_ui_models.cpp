// The UI's logic without windows: statistics, window/level presets, cursor, slice sampling (with
// and without the block cache), crack mask, downsampling, job runner.
#include "core/labels/LabelConvention.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CursorModel.h"
#include "ui/model/DisplaySettings.h"
#include "ui/model/ImageStatistics.h"
#include "ui/views/CrackSurfaceMask.h"
#include "ui/views/SliceRenderer.h"
#include "ui/views/VtkBridge.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>
#include <random>

namespace vol = core::volume;

namespace {

vol::Volume randomVolume(vol::Size3 s, vol::VoxelType type, unsigned seed, int maxValue) {
  vol::Volume v(s, type);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, maxValue);
  for (std::int64_t z = 0; z < s.z; ++z)
    for (std::int64_t y = 0; y < s.y; ++y)
      for (std::int64_t x = 0; x < s.x; ++x) v.setValueAt(x, y, z, d(rng));
  return v;
}

std::vector<std::uint8_t> renderSlice(ui::SliceRenderer& r, const ui::SliceLayers& layers, ui::SliceOrientation o,
                                      std::int64_t slice, const ui::SliceTransform& t, const ui::SliceStyle& st) {
  std::vector<std::uint8_t> out(std::size_t(t.width) * std::size_t(t.height) * 4);
  r.render(layers, o, slice, t, st, out.data(), t.width * 4);
  return out;
}

} // namespace

class TestUiModels : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void statisticsPercentiles() {
    vol::Volume v({100, 10, 10}, vol::VoxelType::UInt16);
    for (std::int64_t z = 0; z < 10; ++z)
      for (std::int64_t y = 0; y < 10; ++y)
        for (std::int64_t x = 0; x < 100; ++x) v.setValueAt(x, y, z, double(x * 10)); // 0..990 uniform
    const auto st = ui::ImageStatistics::compute(v);
    QCOMPARE(st.min(), 0.0);
    QCOMPARE(st.max(), 990.0);
    QCOMPARE(st.percentile(50), 490.0);
    QCOMPARE(st.percentile(0.5), 0.0);
    QCOMPARE(st.percentile(99.5), 990.0);
    QCOMPARE(st.percentile(10), 90.0);
  }

  void statisticsIgnoreNaN() {
    vol::Volume v({10, 10, 10}, vol::VoxelType::Float32);
    for (std::int64_t i = 0; i < 1000; ++i) v.as<float>()[i] = float(i % 10);
    v.as<float>()[5] = std::nanf("");
    v.as<float>()[6] = INFINITY;
    const auto st = ui::ImageStatistics::compute(v);
    QCOMPARE(st.nanCount(), std::int64_t(2));
    QCOMPARE(st.min(), 0.0);
    QCOMPARE(st.max(), 9.0);
    QVERIFY(std::abs(st.percentile(50) - 4.5) < 0.6);
  }

  void windowPresets() {
    vol::Volume v({100, 1, 1}, vol::VoxelType::UInt8);
    for (std::int64_t x = 0; x < 100; ++x) v.setValueAt(x, 0, 0, double(x + 50)); // 50..149
    const auto st = ui::ImageStatistics::compute(v);
    ui::DisplaySettings d;
    QSignalSpy spy(&d, &ui::DisplaySettings::windowLevelChanged);
    d.applyPreset(ui::WindowPreset::MinMax, st, 255);
    QCOMPARE(d.lower(), 50.0);
    QCOMPARE(d.upper(), 149.0);
    d.applyPreset(ui::WindowPreset::TypeRange, st, 255);
    QCOMPARE(d.lower(), 0.0);
    QCOMPARE(d.upper(), 255.0);
    d.applyPreset(ui::WindowPreset::Auto, st, 255);
    QVERIFY(d.lower() >= 50 && d.lower() <= 51);
    QVERIFY(d.upper() >= 148 && d.upper() <= 149);
    QCOMPARE(spy.count(), 3);
    d.setWindowLevel(std::nan(""), 3); // ignored
    QCOMPARE(spy.count(), 3);
  }

  void cursorClampsAndReports() {
    ui::CursorModel c;
    c.setBounds({10, 20, 30});
    QCOMPARE(c.position(), (vol::Index3{5, 10, 15}));
    QSignalSpy spy(&c, &ui::CursorModel::positionChanged);
    c.setPosition({-4, 100, 7});
    QCOMPARE(c.position(), (vol::Index3{0, 19, 7}));
    c.moveAlong(2, 100);
    QCOMPARE(c.position().z, std::int64_t(29));
    c.setPosition({0, 19, 29}); // no move, no signal
    QCOMPARE(spy.count(), 2);
  }

  void blockCacheMatchesDirectSampling() {
    // YZ slices through the block cache equal the same slices sampled in place, across block
    // borders, zoomed in and out, and after labels change.
    const vol::Size3 s{70, 40, 30};
    vol::Volume image = randomVolume(s, vol::VoxelType::UInt16, 1, 60000);
    vol::Volume labels = randomVolume(s, vol::VoxelType::UInt8, 2, 2);
    vol::Volume prediction = randomVolume(s, vol::VoxelType::UInt8, 3, 255);
    ui::SliceLayers layers{&image, &labels, &prediction};
    ui::SliceStyle st;
    st.lower = 1000;
    st.upper = 50000;
    st.labelColours[1] = ui::packRgba(0, 0, 255);
    st.labelColours[2] = ui::packRgba(255, 0, 0);
    ui::SliceRenderer cached, direct;
    direct.setBlockCacheEnabled(false);
    for (double zoom : {1.0, 3.0, 0.4}) {
      ui::SliceTransform t;
      t.width = 97;
      t.height = 61;
      t.vDown = false;
      t.fit(40, 30);
      t.scale /= zoom;
      t.centreU += 3.3;
      for (std::int64_t x : {0, 5, 31, 32, 33, 63, 64, 69}) {
        QCOMPARE(renderSlice(cached, layers, ui::SliceOrientation::YZ, x, t, st),
                 renderSlice(direct, layers, ui::SliceOrientation::YZ, x, t, st));
      }
    }
    ui::SliceTransform t;
    t.width = 80;
    t.height = 60;
    t.vDown = false;
    t.fit(40, 30);
    const auto before = renderSlice(cached, layers, ui::SliceOrientation::YZ, 10, t, st);
    for (std::int64_t z = 0; z < s.z; ++z)
      for (std::int64_t y = 0; y < s.y; ++y) labels.setValueAt(10, y, z, core::labels::kCrack);
    cached.invalidateLabels();
    const auto after = renderSlice(cached, layers, ui::SliceOrientation::YZ, 10, t, st);
    QVERIFY(before != after);
    QCOMPARE(after, renderSlice(direct, layers, ui::SliceOrientation::YZ, 10, t, st));
  }

  void outlineIsThinAndInside() {
    vol::Volume image({20, 20, 1}, vol::VoxelType::UInt8);
    vol::Volume prediction({20, 20, 1}, vol::VoxelType::UInt8);
    for (std::int64_t y = 5; y < 15; ++y)
      for (std::int64_t x = 5; x < 15; ++x) prediction.setValueAt(x, y, 0, 250);
    ui::SliceStyle st;
    st.predictionStyle = ui::PredictionStyle::Outline;
    ui::SliceTransform t;
    t.width = 200;
    t.height = 200;
    t.scale = 0.1; // 10 pixels per voxel
    t.centreU = t.centreV = 10;
    ui::SliceRenderer r;
    const auto img = renderSlice(r, {&image, nullptr, &prediction}, ui::SliceOrientation::XY, 0, t, st);
    auto px = [&](int x, int y) { return std::uint32_t(img[std::size_t(y * 200 + x) * 4]); };
    QCOMPARE(px(50, 100), 255u);  // left edge of the mask (voxel 5 starts at pixel 50)
    QCOMPARE(px(51, 100), 0u);    // one pixel thin
    QCOMPARE(px(100, 100), 0u);   // inside: not drawn
    QCOMPARE(px(49, 100), 0u);    // outside
    QCOMPARE(px(149, 100), 255u); // right edge
  }

  void crackMaskKeepsThinCracks() {
    vol::Volume labels({64, 64, 64}, vol::VoxelType::UInt8);
    labels.setValueAt(13, 7, 33, core::labels::kCrack);
    labels.setValueAt(40, 40, 40, core::labels::kNotCrack);
    ui::CrackSurfaceMask m;
    m.rebuild(labels, ui::CrackSurfaceMask::Source::Labels, 0, 4);
    QCOMPARE(m.mask().size(), (vol::Size3{16, 16, 16}));
    QCOMPARE(m.count(), std::int64_t(1));
    QCOMPARE(m.mask().valueAt(3, 1, 8), 1.0);
    labels.setValueAt(13, 7, 33, core::labels::kUnlabelled);
    labels.setValueAt(60, 60, 60, core::labels::kCrack);
    m.update(labels, {{13, 7, 33}, {1, 1, 1}});
    QCOMPARE(m.count(), std::int64_t(0)); // only the updated region was read
    m.update(labels, {{60, 60, 60}, {1, 1, 1}});
    QCOMPARE(m.count(), std::int64_t(1));
    vol::Volume prediction({8, 8, 8}, vol::VoxelType::UInt8);
    prediction.setValueAt(1, 2, 3, 200);
    prediction.setValueAt(4, 4, 4, 100);
    m.rebuild(prediction, ui::CrackSurfaceMask::Source::Prediction, 128, 1);
    QCOMPARE(m.count(), std::int64_t(1));
    QCOMPARE(m.mask().valueAt(1, 2, 3), 1.0);
  }

  void jobRunnerReportsProgressCancelAndErrors() {
    ui::JobRunner runner;
    QSignalSpy progress(&runner, &ui::JobRunner::progressed);
    QSignalSpy finished(&runner, &ui::JobRunner::finished);
    int result = 0;
    QVERIFY(runner.start("sum", [&result](core::jobs::ProgressSink& p, core::jobs::CancelToken& c) {
      for (int i = 0; i < 100; ++i) {
        c.throwIfCancelled();
        p.setProgress(i / 100.0, "adding");
        result += i;
      }
    }));
    QVERIFY(!runner.start("second", [](auto&, auto&) {})); // one job at a time
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<ui::JobState>(), ui::JobState::Completed);
    QCOMPARE(result, 4950);
    QVERIFY(progress.count() >= 2); // the start, then throttled updates

    std::atomic<bool> started{false};
    QVERIFY(runner.start("forever", [&started](auto&, core::jobs::CancelToken& c) {
      started = true;
      while (true) {
        c.throwIfCancelled();
        QThread::msleep(1);
      }
    }));
    QTRY_VERIFY(started.load());
    runner.cancel();
    QCOMPARE(runner.state(), ui::JobState::Cancelling);
    QTRY_COMPARE(finished.count(), 2);
    QCOMPARE(finished.at(1).at(0).value<ui::JobState>(), ui::JobState::Cancelled);

    QVERIFY(runner.start("fails", [](auto&, auto&) { throw std::runtime_error("'a.tif': truncated"); }));
    QTRY_COMPARE(finished.count(), 3);
    QCOMPARE(finished.at(2).at(0).value<ui::JobState>(), ui::JobState::Failed);
    QCOMPARE(finished.at(2).at(1).toString(), QStringLiteral("'a.tif': truncated"));
  }
};

QTEST_GUILESS_MAIN(TestUiModels)
#include "test_ui_models.moc"
