// The CDNet network: layout, any input size, checkpoints (round trip, atomicity, damage, other
// widths), TorchScript export and load in C++. The device choice is test_ml_device, the GPU
// test_ml_gpu, the interop with Python's torch test_ml_python (each may need what this one does not).
#include "ModelTestUtil.h"
#include "core/ml/Checkpoint.h"
#include "core/ml/Model.h"
#include "core/ml/Trainer.h"

#include <QtTest>
#include <atomic>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/resource.h>

using namespace core::ml;
using namespace mltest;
namespace fs = std::filesystem;


class TestMlModel : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  Device m_cpu;
  std::string path(const char* name) { return (fs::path(m_dir.path().toStdString()) / name).string(); }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_cpu = resolveDevice(DeviceRequest::Cpu);
  }

  void paperPresetLayout() {
    const ModelOptions paper = ModelOptions::paper(64);
    QCOMPARE(parameterCount(paper), std::int64_t(31031685)); // the reference Keras U-Net
    QElapsedTimer t;
    t.start();
    const Model m = Model::create(paper, m_cpu, 1);
    QVERIFY2(t.elapsed() < 10000, "constructing the paper network should be cheap");
    QCOMPARE(m.parameterCount(), parameterCount(paper));
    const auto w = m.weights();
    QCOMPARE(int(w.size()), 2 * (5 * 2 + 4 * 3 + 2)); // weight + bias of 24 convolutions
    QCOMPARE(w.at("enc1.conv1.weight").size(), std::size_t(64 * 1 * 3 * 3));
    QCOMPARE(w.at("bottom.conv2.weight").size(), std::size_t(1024 * 1024 * 9));
    QCOMPARE(w.at("up1.weight").size(), std::size_t(64 * 128 * 2 * 2));
    QCOMPARE(w.at("dec1.conv1.weight").size(), std::size_t(64 * 128 * 9));
    QCOMPARE(w.at("head.weight").size(), std::size_t(2 * 64 * 9));
    QCOMPARE(w.at("out.weight").size(), std::size_t(2));
    // He-normal: std of enc2.conv1 weights ~ sqrt(2 / (64 * 9)).
    const auto& e = w.at("enc2.conv1.weight");
    double s = 0;
    for (float v : e) s += double(v) * v;
    const double sd = std::sqrt(s / double(e.size()));
    QVERIFY2(std::abs(sd - std::sqrt(2.0 / 576.0)) < 0.005, qPrintable(QString::number(sd)));
    // FLOPs per pixel at base 64 (platform facts: about 1.67 M).
    const double perPixel = forwardFlops(paper, 512, 512) / (512.0 * 512.0);
    QVERIFY2(perPixel > 1.6e6 && perPixel < 1.75e6, qPrintable(QString::number(perPixel)));
    QCOMPARE(parameterCount(ModelOptions::paper(16)), Model::create(ModelOptions::paper(16), m_cpu, 1).parameterCount());
  }

  void anyHeightAndWidth() {
    const Model m = Model::create(ModelOptions::paper(4), m_cpu, 3);
    for (auto hw : std::vector<std::pair<int, int>>{{64, 64}, {37, 50}, {1, 1}, {5, 100}, {33, 31}}) {
      const int h = hw.first, w = hw.second;
      const auto in = randomImage(2 * h * w, 7);
      std::vector<float> out(in.size(), -1.0f);
      m.predict(in.data(), 2, h, w, out.data());
      for (float p : out) QVERIFY(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
      // The batch does not mix images: image 1 alone gives the same result.
      std::vector<float> one(std::size_t(h * w));
      m.predict(in.data() + h * w, 1, h, w, one.data());
      QVERIFY(maxDiff(one, std::vector<float>(out.begin() + h * w, out.end())) < 1e-5);
    }
    QVERIFY(errorOf([&] { ModelOptions o; o.baseWidth = 0; Model::create(o, m_cpu, 1); }).contains("base width"));
  }

  void checkpointRoundTrip() {
    const Model m = Model::create(ModelOptions::paper(8), m_cpu, 5);
    const std::string p = path("saved.pt");
    m.saveCheckpoint(p);
    const CheckpointInfo info = readCheckpointInfo(p);
    QCOMPARE(info.formatVersion, kCheckpointFormatVersion);
    QCOMPARE(info.model.baseWidth, 8);
    const Model back = Model::load(p, {DeviceRequest::Cpu});
    QVERIFY(back.kind() == ModelKind::Native);
    QVERIFY(back.weights() == m.weights());
    const auto in = randomImage(64 * 64, 1);
    std::vector<float> a(in.size()), b(in.size());
    m.predict(in.data(), 1, 64, 64, a.data());
    back.predict(in.data(), 1, 64, 64, b.data());
    QCOMPARE(maxDiff(a, b), 0.0);
    // A directory gives its best checkpoint.
    fs::create_directories(path("run"));
    fs::copy_file(p, path("run/best.pt"));
    QCOMPARE(resolveModelPath(path("run")), path("run/best.pt"));
    QVERIFY(errorOf([&] { resolveModelPath(path("empty-run")); }).contains("does not exist"));
  }

  void checkpointWritesAreAtomic() {
    const std::string p = path("atomic.pt");
    const Model m = Model::create(ModelOptions::paper(8), m_cpu, 5);
    m.saveCheckpoint(p);
    // A reader never sees half a file while a writer rewrites it.
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, failures{0};
    std::thread reader([&] {
      while (!stop) {
        try {
          readCheckpointInfo(p);
        } catch (...) {
          ++failures;
        }
        ++reads;
      }
    });
    for (int i = 0; i < 15; ++i) m.saveCheckpoint(p);
    stop = true;
    reader.join();
    QVERIFY(reads > 0);
    QCOMPARE(failures.load(), 0);
    for (const auto& f : fs::directory_iterator(m_dir.path().toStdString()))
      QVERIFY2(f.path().string().find(".tmp-") == std::string::npos, f.path().c_str());
    // A write that fails midway (files limited to 64 KB: EFBIG, as a full disk fails) leaves the
    // good file in place and no temporary.
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit limited = old;
    limited.rlim_cur = 64 << 10;
    ::setrlimit(RLIMIT_FSIZE, &limited);
    const QString e = errorOf([&] { Model::create(ModelOptions::paper(4), m_cpu, 1).saveCheckpoint(p); });
    ::setrlimit(RLIMIT_FSIZE, &old);
    QVERIFY2(e.contains(QString::fromStdString("cannot write '" + p + "': File too large")), qPrintable(e));
    QCOMPARE(readCheckpointInfo(p).model.baseWidth, 8);
    for (const auto& f : fs::directory_iterator(m_dir.path().toStdString()))
      QVERIFY2(f.path().string().find(".tmp-") == std::string::npos, f.path().c_str());
  }

  void damagedCheckpointsAreClearErrors() {
    const std::string good = path("good.pt");
    Model::create(ModelOptions::paper(8), m_cpu, 5).saveCheckpoint(good);
    const auto size = fs::file_size(good);
    // Truncated.
    const std::string cut = path("truncated.pt");
    fs::copy_file(good, cut);
    fs::resize_file(cut, size / 2);
    QString e = errorOf([&] { Model::load(cut, {DeviceRequest::Cpu}); });
    QVERIFY2(e.contains("truncated.pt") && e.contains("damaged"), qPrintable(e));
    // Bytes flipped inside the weights.
    const std::string flipped = path("flipped.pt");
    fs::copy_file(good, flipped);
    {
      std::fstream f(flipped, std::ios::in | std::ios::out | std::ios::binary);
      std::vector<char> all(size);
      f.read(all.data(), std::streamsize(size));
      for (std::size_t i = size / 3; i < size / 3 + 64; ++i) all[i] = char(all[i] ^ 0x5a);
      f.seekp(0);
      f.write(all.data(), std::streamsize(size));
    }
    e = errorOf([&] { Model::load(flipped, {DeviceRequest::Cpu}); });
    QVERIFY2(e.contains("flipped.pt") && e.contains("damaged"), qPrintable(e));
    // Not a model at all, and empty.
    const std::string text = path("notes.pt");
    std::ofstream(text) << "not a checkpoint\n";
    e = errorOf([&] { Model::load(text, {DeviceRequest::Cpu}); });
    QVERIFY2(e.contains("notes.pt"), qPrintable(e));
    std::ofstream(path("empty.pt")).close();
    QVERIFY(errorOf([&] { Model::load(path("empty.pt"), {DeviceRequest::Cpu}); }).contains("empty"));
    QVERIFY(errorOf([&] { readCheckpointInfo(cut); }).contains("damaged"));
  }

  void otherBaseWidthIsAClearError() {
    const std::string p = path("width8.pt");
    Model::create(ModelOptions::paper(8), m_cpu, 5).saveCheckpoint(p);
    LoadOptions lo;
    lo.device = DeviceRequest::Cpu;
    lo.expectBaseWidth = 16;
    const QString e = errorOf([&] { Model::load(p, lo); });
    QVERIFY2(e.contains("width8.pt") && e.contains("base width 8") && e.contains("16"), qPrintable(e));
  }

  void exportedTorchScriptRunsInCpp() {
    const Model m = Model::create(ModelOptions::paper(8), m_cpu, 9);
    const std::string ts = path("exported.ts.pt");
    m.exportTorchScript(ts);
    const int h = 48, w = 70; // not multiples of 32: padding inside must match too
    const auto in = randomImage(2 * h * w, 4);
    std::vector<float> ours(in.size()), script(in.size());
    m.predict(in.data(), 2, h, w, ours.data());
    const Model loaded = Model::load(ts, {DeviceRequest::Cpu});
    QVERIFY(loaded.kind() == ModelKind::TorchScript);
    QCOMPARE(loaded.options().baseWidth, 8);
    loaded.predict(in.data(), 2, h, w, script.data());
    QVERIFY2(maxDiff(ours, script) < 1e-5, qPrintable(QString::number(maxDiff(ours, script))));
  }
};

QTEST_GUILESS_MAIN(TestMlModel)
#include "test_ml_model.moc"
