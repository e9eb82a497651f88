// The peak memory of a read: the output buffer plus small scratch (target: <= 1.1x the volume),
// for raw, a TIFF slice folder and HDF5. Measures the peak RSS (VmHWM) after resetting it through
// /proc/self/clear_refs; where that file is not writable (an old kernel, a restricted container)
// the binary exits 77 (skipped).
#include "IoTestUtil.h"
#include "core/bench/BenchReport.h"
#include "support/Skip.h"

#include <QTemporaryDir>
#include <malloc.h>

using namespace core::volume;
using namespace iotest;

namespace {

// The peak and current resident size of this process, and the reset of the peak (core/bench).
std::uint64_t peakRss() { return core::bench::procStatusBytes("VmHWM:"); }
std::uint64_t currentRss() { return core::bench::procStatusBytes("VmRSS:"); }
using core::bench::resetPeakRss;

} // namespace

class TestVolumeReadMemory : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() {
    if (!resetPeakRss()) testsupport::skipTestBinary("needs a writable /proc/self/clear_refs to reset the peak RSS");
    // Big buffers from mmap and back to the kernel when freed, so that the peak RSS of one read
    // is not hidden by heap memory freed by the one before.
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
  }

  void peakMemoryOfARead() {
    // Reading costs the output buffer plus small scratch (target: <= 1.1x the volume).
    QTemporaryDir dir;
    const Volume v = makeVolume({256, 256, 192}, VoxelType::UInt16); // 24 MiB
    const std::string raw = dir.filePath("m.raw").toStdString();
    writeBytes(raw, v.data(), v.bytes());
    const std::string folder = dir.filePath("mf").toStdString();
    writeVolume(v, folder);
    const std::string h5 = dir.filePath("m.h5").toStdString();
    writeVolume(v, h5);
    OpenOptions o;
    o.raw = RawParams{v.size(), VoxelType::UInt16, false, 0, {1, 1, 1}};
    for (const auto& [path, opts] : {std::make_pair(raw, o), std::make_pair(folder, OpenOptions{}),
                                     std::make_pair(h5, OpenOptions{})}) {
      auto r = openVolume(path, opts);
      malloc_trim(0);
      const std::uint64_t base = currentRss();
      QVERIFY(resetPeakRss());
      Volume got = r->read();
      const double ratio = double(peakRss() - base) / double(v.bytes());
      qInfo("%s: peak %.3f x the volume", path.c_str(), ratio);
      QVERIFY2(ratio <= 1.1, qPrintable(QString::number(ratio)));
      QVERIFY(sameVoxels(got, v));
    }
  }
};

QTEST_APPLESS_MAIN(TestVolumeReadMemory)
#include "test_volume_read_memory.moc"
